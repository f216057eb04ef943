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
pref_code = "13"
grant = None                        # support (支援) for its profile in a two-grant year; None: the year's first grant
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.pages import profile as page
from kofukin.report import display as show, units

b = page.load(fiscal_year, pref_code, grant, project_dir)
now_note, both_note = page.caption(b, [b["year"]]), page.caption(b)      # 合成データ notes
show.key_figures(page.key_figures(b))
show.links(page.links(b))

# %% [markdown]
# ## 合計点と順位

# %%
show.table(page.headline(b), caption=both_note)

# %% [markdown]
# ## 区分別の得点率

# %%
show.figure(page.profile_categories(b), caption=now_note)
show.table(page.categories(b), caption=now_note)

# %% [markdown]
# ## 達成していない評価指標と交付額への影響
# その指標を満点にした場合の得点の増加と、ほかの条件を変えずに配分を計算し直したときの交付額の増加です。所要見込額が上限となっている場合、交付額は増えません。

# %%
show.table(page.stakes(b), caption=now_note, empty="すべての評価指標で満点です。")

# %% [markdown]
# ## 全国平均に届いていない区分の価値
# 区分の得点を全国平均まで上げた場合（ほかの都道府県の得点は変えずに配分を計算し直したとき）の交付額の増加です。

# %%
show.table(page.category_stakes(b), caption=now_note, empty="すべての区分で全国平均以上です。")

# %% [markdown]
# ## 管内市町村の得点

# %%
show.figure(page.profile_municipal(b), caption=both_note)
show.table(page.municipal(b), caption=both_note)

# %% [markdown]
# 管内市町村の市町村分交付額（評価得点 × 第1号被保険者数で配分）のうち、全国平均に届いていない区分を全国平均まで上げた場合の増加額が大きいもの（上位10）です。

# %%
show.key_figures([("管内市町村の市町村分交付額", f"{units.yen(b['municipal_grant_thousand_yen'])}千円")])
show.table(page.municipal_stakes(b), caption=now_note, empty="管内のすべての市町村が、すべての区分で全国平均以上です。")

# %% [markdown]
# ## 交付額

# %%
show.table(page.allocation(b), caption=page.caption(b, [b["year"]], requests=True))
