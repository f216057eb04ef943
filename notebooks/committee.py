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
muni_code = "S13001"
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.pages import committee as page
from kofukin.report import display as show

p = page.load(muni_code, project_dir)
show.heading(f"{p['muni_name']}（{p['pref_name']}）{p['year']}年度の評価結果")
show.key_figures(page.key_figures(p))
show.synthetic_caption(page.notice(p))
show.heading("1. 全体の位置", 3)
show.paragraph(page.standing_sentence(p))
show.table(page.standing_table(p))
show.table(page.means_table(p["standing"]["rows"]))
show.note("上位% = 全国順位 ÷ 市町村数。区分は第1号被保険者数による規模の区分（1〜5）。順位は1が最上位、同点は同じ順位。")
show.heading("2. 目標別・指標群別", 3)
show.chart(page.goal_chart(p))
show.table(page.unit_table(page.goal_group_rows(p)))
show.table(page.means_table(page.goal_group_rows(p)))
show.note("目標Ⅳ（成果指標）は推進・支援の両方に同じ得点が入ります（ここでは1回だけ表示）。成果の指標群は両交付金の目標Ⅳの合計です。")
show.heading("3. 枝番ごとの結果", 3)
show.paragraph(page.missed_sentence(p))
show.table(page.branch_rows(p["branches"]["missed"]), empty="取りこぼしはありません。")
show.heading("成果指標（目標Ⅳ）で0点の枝番", 4)
show.table(page.branch_rows(p["branches"]["missed_outcome"]), empty="ありません。")
show.heading(page.strengths_heading(p), 4)
show.table(page.branch_rows(p["branches"]["strengths"]), empty="ありません。")
show.details("すべての枝番（得点・配点・全国該当率）", page.branch_rows(p["branches"]["branches"]))
show.heading("4. 3年間の推移", 3)
show.table(page.trend_table(p))
show.paragraph(page.trend_sentence(p))
for heading, table in page.trend_changes(p):
    show.heading(heading, 4)
    show.table(table, empty="ありません。")
for heading, table in page.trend_zero(p):
    show.details(heading, table)
show.heading("5. 得点の価値", 3)
show.table(page.worth_table(p))
show.table(page.targets_table(p))
show.table(page.yen_table(p))
show.note(page.yen_sentence(p))
show.heading("6. 都道府県内の位置", 3)
show.paragraph(page.place_sentence(p))
show.table(page.distribution_table(p["prefecture"]["distribution"], p["prefecture"]["total"]))
for heading, table in page.neighbour_tables(p):
    show.heading(heading, 4)
    show.table(table)
show.note(p["source"])
show.link(f"{p['pref_name']}の市町村（委員会資料の一覧）", "index.html")
