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
from kofukin.model import paths
from kofukin.model.config import page_years
from kofukin.report import display as show, municipality

fiscal_year, _ = page_years(fiscal_year, root=project_dir)
m = municipality.load(paths.municipal_bundles(project_dir), muni_code, year=fiscal_year)
show.heading(f"{m['muni_name']}（{m['pref_name']}・コード {m['muni_code']}）")
show.key_figures(municipality.key_figures(m))
for summary in municipality.by_grant(m):            # a two-grant year: each grant and both together, side by side
    show.table(summary)
show.link(f"{m['pref_name']}の市町村一覧", "index.html")

# %% [markdown]
# ## 区分別の得点率
# 県内平均・同規模平均（第1号被保険者数が同じ区分の市町村）・全国平均は、それぞれの市町村の得点率の平均です。

# %%
for g in municipality.grants(m):                    # each grant the year scores
    show.chart(municipality.category_chart(m, g))
    show.table(municipality.categories(m, g))

# %% [markdown]
# ## 前年度との比較

# %%
show.table(municipality.history(m))
show.note(municipality.history_note(m))

# %% [markdown]
# ## 県内の位置

# %%
for g in municipality.grants(m):
    show.chart(municipality.distribution(m, g))
    for text in municipality.penalty_notes(m, g):   # none for a grant without the penalty
        show.note(text)

# %% [markdown]
# ## 全国平均に届いていない区分の価値
# 区分の得点を全国平均まで上げた場合（ほかの市町村の得点は変えずに、評価得点 × 第1号被保険者数で市町村分を配分し直したとき）の交付額の増加です。

# %%
show.table(municipality.stakes(m), empty="すべての区分で全国平均以上です。")

# %% [markdown]
# ## 同規模の市町村
# 同じ規模区分で第1号被保険者数が最も近い市町村（全国）です。

# %%
show.table(municipality.peers(m))
