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
from kofukin import report
from kofukin.model import paths
from kofukin.model.config import page_years
from kofukin.report import charts, display as show, tables, texts, units

fiscal_year, compare_year = page_years(fiscal_year, compare_year, project_dir)
r = report.load(**paths.project(project_dir), year=fiscal_year, compare_year=compare_year, grant=grant)
t = tables.allocation_totals(r)
alloc_note = r.caption(["prefecture_allocation"], [r.year])      # 合成データ note beside charts and tables
show.key_figures([
    ("予算（都道府県分）", f"{units.yen(t['budget'])}千円"),
    ("交付額の合計", f"{units.yen(t['paid'])}千円"),
    ("未交付（所要見込額が上限）", f"{units.yen(t['unspent'])}千円"),
    ("所要見込額が上限となった都道府県", f"{t['capped']}"),
])

# %% [markdown]
# ## 都道府県別交付額

# %%
show.paragraph(texts.allocation_method(r))
show.figure(charts.allocation_bars(r), caption=alloc_note)
show.table(tables.allocation_table(r), caption=alloc_note)

# %%
show.heading(texts.frame_heading(r))
show.paragraph(texts.frame_note(r))
show.figure(charts.frame_bars(r))
show.table(tables.frame_table(r))
