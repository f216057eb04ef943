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
fiscal_year = 2019
compare_year = 2018
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin import report
from kofukin.model import paths
from kofukin.report import charts, display as show, tables, texts

r = report.load(**paths.project(project_dir), year=fiscal_year, compare_year=compare_year)
muni_note = r.caption(["municipal_scores", "inputs/municipalities"], [fiscal_year])      # 合成データ note
show.key_figures(tables.municipal_key_figures(r, fiscal_year))

# %% [markdown]
# ## 都道府県別市町村得点
# 管内市町村の平均得点を、Ⅰ PDCAサイクルの活用、Ⅱ 自立支援・重度化防止等、Ⅲ 介護保険運営の安定化の3区分で積み上げて示します。

# %%
show.figure(charts.municipal_stack(r, fiscal_year), caption=muni_note)

# %% [markdown]
# ## 都道府県内の市町村得点の分布

# %%
show.paragraph(texts.distribution_note(r))
show.figure(charts.municipal_distribution(r, fiscal_year), caption=muni_note)

# %% [markdown]
# ## 減点の原因となった市町村

# %%
show.paragraph(texts.penalty_table_note(r))
show.table(tables.penalty_table(r, fiscal_year), caption=muni_note)
