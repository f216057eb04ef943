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
from kofukin.pages import items as page
from kofukin.report import display as show

r = page.load(fiscal_year, compare_year, grant, project_dir)
items_note = r.caption(["prefecture_item_scores"], [r.year])      # 合成データ note beside charts and tables

# %% [markdown]
# 厚生労働省資料の各区分のページと同じく、個別の評価指標の配点と全国平均（公表値）を示します。表の「算出」は本データから計算した平均、「満点の都道府県数」は満点を得た都道府県の数です。

# %%
for code in r.category_codes():
    show.heading(f"{code} {r.category_label(code)}", 2)
    show.figure(page.item_averages(r, code), caption=items_note)
    show.table(page.item_table(r, code), caption=items_note)
