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
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.pages import municipal_frame as page
from kofukin.report import display as show

fs = page.load(project_dir)
note = fs.caption                   # 合成データ note beside charts and tables
show.key_figures(page.key_figures(fs))

# %% [markdown]
# ## 配分枠と配分の対象

# %%
show.paragraph(page.introduction(fs))
for text in page.rule_notes(fs):
    show.note(text)
show.table(page.pots_table(fs), caption=note)

# %% [markdown]
# ## 市町村ごとの配分額

# %%
show.figure(page.per_person_chart(fs), caption=note)
show.note(page.chart_note(fs))
show.table(page.oriented_table(fs), empty="成果指向型配分枠の対象として挙げられた保険者はありません。", caption=note)

# %% [markdown]
# ## 都道府県別（管内市町村の合計）

# %%
show.table(page.prefecture_table(fs), caption=note)
