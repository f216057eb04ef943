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
from kofukin.pages import allocation as page
from kofukin.report import display as show, units

r = page.load(fiscal_year, compare_year, grant, project_dir)
t = page.allocation_totals(r)
alloc_note = r.caption(["prefecture_allocation", "inputs/prefecture_requests"], [r.year])      # 合成データ note beside charts and tables
show.key_figures([
    ("予算（都道府県分）", f"{units.yen(t['budget'])}千円"),
    ("交付額の合計", f"{units.yen(t['paid'])}千円"),
    ("未交付（所要見込額が上限）", f"{units.yen(t['unspent'])}千円"),
    ("所要見込額が上限となった都道府県", f"{t['capped']}"),
])

# %% [markdown]
# ## 都道府県別交付額

# %%
show.paragraph(page.allocation_method(r))
show.figure(page.allocation_bars(r), caption=alloc_note)
show.table(page.allocation_table(r), caption=alloc_note)

# %%
show.heading(page.frame_heading(r))
show.paragraph(page.frame_note(r))
show.figure(page.frame_bars(r))
show.table(page.frame_table(r))
