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
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %% [markdown]
# 市町村名をクリックすると、その市町村のページを開きます。表は見出しを押すとその列で並べ替えます。
# 順位は 1 が最上位で、同点は同じ順位です。規模別順位は第1号被保険者数の区分の中での順位です。

# %%
from kofukin.pages import municipal_index as page
from kofukin.report import display as show

idx = page.load(fiscal_year, pref_code, project_dir)
rows, links = page.index_table(idx)
show.table(rows, links=links, sortable=True)
show.link("委員会資料（現行の評価構造・最新年度、市町村ごと。Word 版は doit municipal_docx で reports/docx/ に作ります）", f"../../committee/{pref_code}/index.html")
