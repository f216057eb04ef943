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
pref_code = "13"
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %% [markdown]
# 市町村名をクリックすると、その市町村の委員会資料（全体の位置、目標別、枝番ごと、3年間の推移、得点の価値、県内の位置）を開きます。
# Word 版は `doit municipal_docx` で reports/docx/ に作ります（既定の doit では作りません）。

# %%
from kofukin.pages import committee as page
from kofukin.report import display as show

v = page.load_index(pref_code, project_dir)
show.synthetic_caption(page.notice(v))
show.paragraph(page.line_sentence(v))
rows, links = page.prefecture_table(v)
show.table(rows, links=links, link_column=0)
show.table(page.distribution_table(v["distribution"]))
show.note(page.PREFECTURE_RESULTS_NOTE)
show.note(v["source"])
