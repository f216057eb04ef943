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
fiscal_year = None                  # the later year (two grants); None: the configured one
compare_year = None                 # the earlier year; None: the configured one
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.pages import municipal_years as page
from kofukin.report import display as show

my = page.load(fiscal_year, compare_year, project_dir)
note = my.caption                   # 合成データ note beside charts and tables
for text in page.notes(my):
    show.note(text)

# %% [markdown]
# ## 区分別の得点率（全国）
# 全国平均（公表）は data/raw/catalogue/municipal_categories.csv の公表値です（出典は同じフォルダの .meta.yaml）。得点率は kofukin が作成した市町村別の結果の平均です。

# %%
show.table(page.category_table(my), caption=my.table_caption)

# %% [markdown]
# ## 市町村ごとの得点率の関係

# %%
show.figure(page.rate_scatter(my), caption=note)

# %% [markdown]
# ## 都道府県別（管内市町村の平均得点率）

# %%
show.table(page.prefecture_table(my), caption=note)
