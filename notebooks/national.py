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
compare_year = None                 # None: the comparison year (config/kofukin.yaml)
grant = None                        # promotion (推進) or support (支援) in a two-grant year; None: the year's first
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.pages import national as page
from kofukin.report import display as show

r = page.load(fiscal_year, compare_year, grant, project_dir)
scores_note = r.caption(["prefecture_scores"], [r.year])      # 合成データ notes beside charts and tables
show.key_figures(page.national_key_figures(r))

# %%
show.paragraph(page.stack_note(r))
show.heading("都道府県別得点")
show.figure(page.prefecture_stack(r), caption=scores_note)
show.table(page.ranking_table(r, r.year), caption=scores_note)

# %% [markdown]
# ## 地図で見る都道府県
# 各都道府県を同じ大きさのマス（タイルグリッド）で表しています。1人当たり交付額は都道府県分の交付額を、同じ年度の管内市町村の第1号被保険者数の合計で割った額です。

# %%
show.figure(page.japan_maps(r), caption=r.caption(["prefecture_scores", "prefecture_allocation"]))

# %% [markdown]
# ## 区分別の満点・全国平均・得点率
# 「公表」は厚生労働省資料の値、「算出」は本データから計算した値です。

# %%
show.note(page.consistency_note(r))
show.table(page.category_table(r), caption=scores_note)

# %% [markdown]
# 個別の評価指標の配点と全国平均は「評価指標」のページにまとめています。

# %% [markdown]
# ## 都道府県別交付額

# %%
show.paragraph(page.allocation_rule(r))
show.figure(page.allocation_bars(r), caption=r.caption(["prefecture_allocation", "inputs/prefecture_requests"], [r.year]))
