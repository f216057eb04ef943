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
from kofukin.report import display as show, municipal_frame, units

fs = municipal_frame.load(**paths.project(project_dir))
note = fs.caption                   # 合成データ note beside charts and tables
show.key_figures([
    ("市町村分の予算（2交付金）", f"{units.yen(fs.pots['amount_thousand_yen'].sum())}千円"),
    ("配分額の合計", f"{units.yen(fs.pots['allocated_thousand_yen'].sum())}千円"),
    ("未配分", f"{units.yen(fs.pots['unallocated_thousand_yen'].sum())}千円"),
    ("市町村数", f"{units.yen(fs.municipalities['muni_code'].nunique())}"),
])

# %% [markdown]
# ## 配分枠と配分の対象
# 令和7年度当初予算案の市町村分（厚生労働省資料）を、2交付金それぞれの得点で市町村に配分した試算です。配分枠の金額は資料と千円単位で一致し、各枠の配分額と未配分額の和は枠の金額に等しくなります。どの市町村が追加配分枠・成果指向型配分枠の対象になるかは公表されていないため、対象の決め方は仮定です。

# %%
for text in municipal_frame.rule_notes(fs):
    show.note(text)
show.table(municipal_frame.pots_table(fs), caption=note)

# %% [markdown]
# ## 市町村ごとの配分額

# %%
show.figure(municipal_frame.per_person_chart(fs), caption=note)

# %% [markdown]
# ## 都道府県別（管内市町村の合計）

# %%
show.table(municipal_frame.prefecture_table(fs), caption=note)
