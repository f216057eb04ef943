# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
fiscal_year = None                  # None: the report year (config/kofukin.yaml)
muni_code = "S13001"
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.pages import municipality as page
from kofukin.report import display as show

m = page.load(fiscal_year, muni_code, project_dir)
show.heading(f"{m['muni_name']}（{m['pref_name']}・コード {m['muni_code']}）")
show.key_figures(page.key_figures(m))
for summary in page.by_grant(m):            # a two-grant year: each grant and both together, side by side
    show.table(summary)
show.link(f"{m['pref_name']}の市町村一覧", "index.html")

# %% [markdown]
# ## 区分別の得点率
# 県内平均・同規模平均（第1号被保険者数が同じ区分の市町村）・全国平均は、それぞれの市町村の得点率の平均です。

# %%
for g in page.grants(m):                    # each grant the year scores
    show.chart(page.category_chart(m, g))
    show.table(page.categories(m, g))

# %% [markdown]
# ## 前年度との比較

# %%
show.table(page.history(m))
show.note(page.history_note(m))

# %% [markdown]
# ## 県内の位置

# %%
for g in page.grants(m):
    show.chart(page.distribution(m, g))
    for text in page.penalty_notes(m, g):   # none for a grant without the penalty
        show.note(text)

# %% [markdown]
# ## 全国平均に届いていない区分の価値
# 区分の得点を全国平均まで上げた場合（ほかの市町村の得点は変えずに、評価得点 × 第1号被保険者数で市町村分を配分し直したとき）の交付額の増加です。

# %%
show.table(page.stakes(m), empty="すべての区分で全国平均以上です。")

# %% [markdown]
# ## 同規模の市町村
# 同じ規模区分で第1号被保険者数が最も近い市町村（全国）です。

# %%
show.table(page.peers(m))
