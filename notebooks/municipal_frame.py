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
from kofukin.model import paths
from kofukin.report import display as show, municipal_frame

fs = municipal_frame.load(**paths.project(project_dir))
note = fs.caption                   # 合成データ note beside charts and tables
show.key_figures(municipal_frame.key_figures(fs))

# %% [markdown]
# ## 配分枠と配分の対象

# %%
show.paragraph(municipal_frame.introduction(fs))
for text in municipal_frame.rule_notes(fs):
    show.note(text)
show.table(municipal_frame.pots_table(fs), caption=note)

# %% [markdown]
# ## 市町村ごとの配分額

# %%
show.figure(municipal_frame.per_person_chart(fs), caption=note)
show.note(municipal_frame.chart_note(fs))
show.table(municipal_frame.oriented_table(fs), empty="成果指向型配分枠の対象として挙げられた保険者はありません。", caption=note)

# %% [markdown]
# ## 都道府県別（管内市町村の合計）

# %%
show.table(municipal_frame.prefecture_table(fs), caption=note)
