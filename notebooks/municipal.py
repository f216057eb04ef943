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
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.pages import municipal as page
from kofukin.report import display as show

rs = page.load(fiscal_year, compare_year, project_dir)    # one per grant
r = rs[0]
fiscal_year = r.year
muni_note = r.caption(["municipal_scores", "inputs/municipalities"], [fiscal_year])      # 合成データ notes
grants_note = r.caption(["municipal_scores", "municipal_allocation", "inputs/municipalities"], [fiscal_year])
show.key_figures(page.municipal_key_figures(rs, fiscal_year))
for combined in page.municipal_grants_table(rs, fiscal_year):     # a two-grant year: both grants side by side
    show.heading("交付金別・都道府県別の市町村分")
    show.paragraph(page.municipal_grants_note(rs))
    show.table(combined, caption=grants_note)

# %% [markdown]
# ## 都道府県別市町村得点
# 管内市町村の平均得点を、Ⅰ PDCAサイクルの活用、Ⅱ 自立支援・重度化防止等、Ⅲ 介護保険運営の安定化の3区分で積み上げて示します。

# %%
for r in rs:
    show.figure(page.municipal_stack(r, fiscal_year), caption=muni_note)

# %% [markdown]
# ## 都道府県内の市町村得点の分布

# %%
show.paragraph(page.distribution_note(rs))
for r in rs:
    show.figure(page.municipal_distribution(r, fiscal_year), caption=muni_note)

# %% [markdown]
# ## 減点の原因となった市町村

# %%
for r in page.penalised(rs):                  # the grants with the penalty
    show.paragraph(page.penalty_table_note(r))
    show.table(page.penalty_table(r, fiscal_year), caption=muni_note)
