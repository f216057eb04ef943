"""A plainly synthetic fiscal year 2099, added to a copy of the project as data and configuration only.

It scores two grants, 推進 (promotion) and 支援 (support), as the programme has since FY2020. Its catalogue
has 9 items in 5 categories (FY2019: 73 in 12), one category (IV) new; three items count for both grants
(I-①, III-① and IV-②), the others for one. It is compared with FY2019 through a crosswalk. Its rules differ
from FY2019's wherever the configuration allows: a 35% penalty threshold worth −5 points, its own budgets per
grant (推進 12億円, 支援 8億円) and its own budget frame (FY2027, 令和9年度, with its own labels and amounts).
Every number here is invented for the test.
"""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from kofukin.model import paths

YEAR, COMPARE = 2099, 2019
SHARED = ["I-①", "III-①", "IV-②"]             # items counting for both grants
ITEMS = """category,item,label,max_points,national_average,rule,input,levels,rule_source,grants
I,I-①,地域分析の実施（試験年度）,30,20,graded,level,0|10|20|30,assumption,promotion|support
I,I-②,取組状況の把握（試験年度）,20,10,binary,level,0|20,assumption,promotion
II-1,II-1-ア,計画策定の支援（試験年度）,25,12.5,binary,level,0|25,assumption,promotion
II-1,II-1-イ,アドバイザー派遣（試験年度）,15,7.5,binary,level,0|15,assumption,support
III,III-①,管内市町村の評価指標の達成状況の平均,20,10.2,rank_band,municipal_average_rate,0|20,assumption,promotion|support
III,III-②,得点が著しく低い市町村がある（減点 −5点）,0,-1,penalty,municipal_rates,-5|0,assumption,promotion
III,III-③,【軽度】要介護認定等基準時間の変化率,15,7.5,rank_band,value,0|15,assumption,promotion
IV,IV-①,新しい区分の指標（試験年度）,40,20,binary,level,0|40,assumption,support
IV,IV-②,新しい区分の指標その2（試験年度）,30,15,binary,level,0|30,assumption,promotion|support
"""
CATEGORIES = """grant,category,label,short_label,max_points,national_average,score_rate_pct
promotion,I,地域課題の把握と支援計画（試験年度）,地域課題の把握,50,30,60.0
promotion,II-1,計画策定（試験年度）,計画策定,25,12.5,50.0
promotion,III,市町村の達成状況（試験年度）,達成状況,35,16.7,47.7
promotion,IV,新しい区分（試験年度）,新しい区分,30,15,50.0
promotion,TOTAL,合計,合計,140,74.2,53.0
support,I,地域課題の把握と支援計画（試験年度）,地域課題の把握,30,20,66.7
support,II-1,計画策定（試験年度）,計画策定,15,7.5,50.0
support,III,市町村の達成状況（試験年度）,達成状況,20,10.2,51.0
support,IV,新しい区分（試験年度）,新しい区分,70,35,50.0
support,TOTAL,合計,合計,135,72.7,53.9
"""
MAXIMA = {"promotion": 140, "support": 135}
FRAME_YEAR, THRESHOLD, PENALTY = 2027, 0.35, -5
BUDGETS = {"promotion": 1_200_000, "support": 800_000}
MUNICIPAL_MAX = {"promotion": {"I": 100, "II": 500, "III": 100}, "support": {"I": 50, "II": 300, "III": 50}}
MUNICIPAL_BUDGETS = {"promotion": 20_000_000, "support": 15_000_000}
PAGES_OF = ["31"]      # municipal pages of 鳥取県 only (19 municipalities): both grants on each
FRAME = """grant,grant_label,level,level_label,pot,pot_label,share_label,amount_thousand_yen
promotion,試験推進交付金,prefecture,都道府県分,base,試験基本枠,60%,360000
promotion,試験推進交付金,prefecture,都道府県分,additional,試験追加枠,40%,240000
promotion,試験推進交付金,municipal,市町村分,base,試験基本枠,60%,6000000
promotion,試験推進交付金,municipal,市町村分,additional,試験追加枠,40%,4000000
support,試験支援交付金,prefecture,都道府県分,base,試験基本枠,100%,700000
support,試験支援交付金,municipal,市町村分,base,試験基本枠,100%,9000000
"""
CONTINUING = {"I-①": ("I-①", "unchanged"), "I-②": ("I-②", "points_changed"), "II-1-イ": ("II-1-イ", "hurdle_raised"),
              "III-①": ("III-①", "unchanged"), "III-②": ("III-②", "unchanged"), "III-③": ("III-③", "changed")}


def add_year(root: Path, synthetic_inputs: Path) -> None:
    """Write FY2099's catalogue, crosswalk, results and configuration into the project copy at ``root``."""
    raw = root / "data" / "raw"
    cat = raw / "catalogue"
    (cat / f"prefecture_{YEAR}_items.csv").write_text(ITEMS, encoding="utf-8")
    (cat / f"prefecture_{YEAR}_categories.csv").write_text(CATEGORIES, encoding="utf-8")
    (raw / "budget" / f"budget_frame_{FRAME_YEAR}.csv").write_text(FRAME, encoding="utf-8")
    items19 = pd.read_csv(cat / "prefecture_2019_items.csv")["item"]
    items99 = pd.read_csv(cat / f"prefecture_{YEAR}_items.csv")["item"]
    rows = [(i, CONTINUING[i][0], CONTINUING[i][1]) if i in CONTINUING else (i, None, "discontinued") for i in items19]
    rows += [(None, i, "new") for i in items99 if i not in {v for v, _ in CONTINUING.values()}]
    pd.DataFrame(rows, columns=["item_from", "item_to", "change"]).assign(note=None).to_csv(
        cat / f"crosswalk_{COMPARE}_{YEAR}.csv", index=False)

    rng = np.random.default_rng(2099)
    prefs = pd.read_csv(raw / "reference" / "prefectures.csv", dtype=str)
    results = raw / "results"
    results.mkdir(exist_ok=True)
    catalogue = pd.read_csv(cat / f"prefecture_{YEAR}_items.csv")
    out = []
    for code in prefs.pref_code:
        for item in catalogue.itertuples():
            if item.input == "level":
                levels = [int(x) for x in item.levels.split("|")]
                out.append((YEAR, code, item.item, int(rng.choice(levels)), None))
            elif item.input == "value":
                out.append((YEAR, code, item.item, None, round(float(rng.normal()), 4)))
    pd.DataFrame(out, columns=["年度", "都道府県コード", "項目", "得点", "値"]).to_csv(results / f"prefecture_items_{YEAR}.csv", index=False)
    munis = pd.read_csv(synthetic_inputs / "municipalities.csv", dtype={"pref_code": str})
    munis = munis[munis.fiscal_year == munis.fiscal_year.max()]
    pd.DataFrame({"年度": YEAR, "市町村コード": munis.muni_code, "市町村名": munis.muni_name, "人口": munis.population,
                  "第1号被保険者数": munis.first_insured}).to_csv(results / f"first_insured_{YEAR}.csv", index=False)
    standing = np.clip(rng.normal(0.62, 0.1, len(munis)), 0.05, 0.95)     # shared by the two grants, as real insurers' would be
    scores = [pd.DataFrame({"年度": YEAR, "市町村コード": munis.muni_code.to_numpy(), "交付金": {"promotion": "推進", "support": "支援"}[g],
                            **{c: (np.clip(standing + rng.normal(0, 0.05, len(munis)), 0, 1) * m).astype(int) for c, m in maxima.items()}})
              for g, maxima in MUNICIPAL_MAX.items()]
    pd.concat(scores).to_csv(results / f"municipal_categories_{YEAR}.csv", index=False)
    pd.DataFrame({"年度": YEAR, "都道府県コード": np.repeat(prefs.pref_code.to_numpy(), 2), "交付金": ["推進", "支援"] * len(prefs),
                  "所要見込額（千円）": rng.integers(15000, 40000, 2 * len(prefs))}).to_csv(results / f"requests_{YEAR}.csv", index=False)

    config = root / "config" / "kofukin.yaml"
    cfg = yaml.safe_load(config.read_text(encoding="utf-8"))
    cfg["report_year"], cfg["compare_year"] = YEAR, COMPARE
    cfg["years"][YEAR] = {"grants": ["promotion", "support"],
                          "prefecture_catalogue": f"catalogue/prefecture_{YEAR}_items.csv",
                          "prefecture_categories": f"catalogue/prefecture_{YEAR}_categories.csv",
                          "crosswalk": f"catalogue/crosswalk_{COMPARE}_{YEAR}.csv",
                          "prefecture_budget_thousand_yen": BUDGETS, "municipal_budget_thousand_yen": MUNICIPAL_BUDGETS,
                          "municipal_category_max": MUNICIPAL_MAX}
    cfg["scoring"].update(penalty_threshold=THRESHOLD, penalty_points=PENALTY)
    cfg["allocation"]["frame"].update(file=f"budget/budget_frame_{FRAME_YEAR}.csv", year=FRAME_YEAR)
    cfg["municipal"]["pages"] = PAGES_OF   # all 1,741 municipal pages are tested in test_municipal.py, not again here
    config.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")


def project_copy(dest: Path) -> Path:
    """The project's data, configuration, notebooks and scenarios (not its code) under ``dest``."""
    shutil.copytree(paths.RAW, dest / "data" / "raw", ignore=paths.skip_results)
    shutil.copytree(paths.ROOT / "config", dest / "config")
    shutil.copytree(paths.ROOT / "notebooks", dest / "notebooks", ignore=shutil.ignore_patterns("exploratory"))
    shutil.copytree(paths.ROOT / "scenarios", dest / "scenarios")
    return dest
