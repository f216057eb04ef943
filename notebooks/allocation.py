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
from kofukin.report import charts, display as show, tables, units

r = report.load(**paths.project(project_dir), year=fiscal_year, compare_year=compare_year)
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
# 交付額 = min（得点による配分額, 所要見込額）。得点による配分額は、予算を各都道府県の合計点に比例して1千円単位で配分したもの（端数は最大剰余法）です。所要見込額を上回る分は他の都道府県に再配分しません（設定で変更可）。

# %%
show.figure(charts.allocation_bars(r), caption=alloc_note)
show.table(tables.allocation_table(r), caption=alloc_note)

# %% [markdown]
# ## 令和7年度の配分枠
# 基本配分枠（75%相当）・追加配分枠（20%相当）・成果指向型配分枠（5%相当）。金額は厚生労働省資料（令和7年度当初予算案）と千円単位で一致します。

# %%
show.figure(charts.frame_bars(r))
show.table(tables.frame_table(r))
