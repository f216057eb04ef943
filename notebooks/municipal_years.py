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
from kofukin.model import paths
from kofukin.model.config import page_years
from kofukin.report import display as show, municipal_years

fiscal_year, compare_year = page_years(fiscal_year, compare_year, project_dir, municipal=True)
where = paths.project(project_dir)
my = municipal_years.load(compare_year, fiscal_year, where["processed"], where["raw"])
note = my.caption                   # 合成データ note beside charts and tables
for text in municipal_years.notes(my):
    show.note(text)

# %% [markdown]
# ## 区分別の得点率（全国）
# 全国平均（公表）は data/raw/catalogue/municipal_categories.csv の公表値です（出典は同じフォルダの .meta.yaml）。得点率は kofukin が作成した市町村別の結果の平均です。

# %%
show.table(municipal_years.category_table(my), caption=my.table_caption)

# %% [markdown]
# ## 市町村ごとの得点率の関係

# %%
show.figure(municipal_years.rate_scatter(my), caption=note)

# %% [markdown]
# ## 都道府県別（管内市町村の平均得点率）

# %%
show.table(municipal_years.prefecture_table(my), caption=note)
