"""Scoring rules on small hand-made cases."""

from dataclasses import replace

import pandas as pd
import pytest

from kofukin.model.catalogue import parse_levels
from kofukin.model.config import ScoringRules
from kofukin.model.scoring import band_points, rank_desc, score_municipalities, score_prefecture_items, summarise

RULES = ScoringRules(penalty_threshold=0.30, penalty_points=-10, outcome_category="III", rank_bands={"D": [(1, 6), (2, 3)]})
NAMES = pd.Series({"01": "北海道", "02": "青森県", "03": "岩手県"})


def catalogue():
    rows = [("I", "B", 5, "binary", "level", "0|5"), ("I", "G", 12, "graded", "level", "0|6|12"),
            ("III", "D", 6, "rank_band", "value", "0|3|6"), ("III", "P", 0, "penalty", "municipal_rates", "-10|0")]
    df = pd.DataFrame(rows, columns=["category", "item", "max_points", "rule", "input", "levels"])
    df["levels"] = df["levels"].map(parse_levels)
    return df


def results(levels_b=(1, 0, 1), levels_g=(2, 1, 0), values=(0.5, 0.9, 0.1)):
    rows = []
    for code, b, g, v in zip(["01", "02", "03"], levels_b, levels_g, values):
        rows += [(2019, code, "B", b, None), (2019, code, "G", g, None), (2019, code, "D", None, v)]
    return pd.DataFrame(rows, columns=["fiscal_year", "pref_code", "item", "level", "value"])


def municipal(totals):
    """One municipality per (pref, total score); categories split 10/80/10 of a 100-point scale."""
    rows = []
    for i, (pref, total) in enumerate(totals):
        code = f"S{pref}{i:03d}"
        rows += [(2019, code, pref, "I", 0), (2019, code, pref, "II", total), (2019, code, pref, "III", 0)]
    res = pd.DataFrame(rows, columns=["fiscal_year", "muni_code", "pref_code", "category", "score"])
    return score_municipalities(res, {"I": 10, "II": 80, "III": 10}, RULES.penalty_threshold)


def test_binary_graded_rank_band_and_penalty_points():
    muni = municipal([("01", 30), ("02", 31), ("03", 80)])
    pts = score_prefecture_items(results(), catalogue(), RULES, muni).set_index(["pref_code", "item"])["points"]
    assert pts[("01", "B")] == 5 and pts[("02", "B")] == 0
    assert [pts[(c, "G")] for c in ["01", "02", "03"]] == [12, 6, 0]
    assert [pts[(c, "D")] for c in ["01", "02", "03"]] == [3, 6, 0]          # ranks 2, 1, 3
    assert [pts[(c, "P")] for c in ["01", "02", "03"]] == [-10, 0, 0]        # 30/100 is at the 30% line


def test_penalty_threshold_is_configurable():
    muni = municipal([("01", 30), ("02", 31), ("03", 80)])
    strict = replace(RULES, penalty_threshold=0.25)
    pts = score_prefecture_items(results(), catalogue(), strict, muni).set_index(["pref_code", "item"])["points"]
    assert pts[("01", "P")] == 0


def test_blank_level_is_an_error_not_zero():
    res = results()
    res.loc[(res.pref_code == "02") & (res.item == "B"), "level"] = None
    with pytest.raises(ValueError, match=r"item B: level is blank for prefectures \['02'\]"):
        score_prefecture_items(res, catalogue(), RULES, municipal([("01", 50), ("02", 50), ("03", 50)]))


def test_level_outside_the_item_levels_is_an_error():
    with pytest.raises(ValueError, match=r"item G: level must be 0–2"):
        score_prefecture_items(results(levels_g=(3, 0, 0)), catalogue(), RULES,
                               municipal([("01", 50), ("02", 50), ("03", 50)]))


def test_unknown_item_is_an_error():
    res = pd.concat([results(), pd.DataFrame([(2019, "01", "X", 1, None)], columns=results().columns)])
    with pytest.raises(ValueError, match=r"not in the catalogue: \['X'\]"):
        score_prefecture_items(res, catalogue(), RULES, municipal([("01", 50), ("02", 50), ("03", 50)]))


def test_derived_items_need_municipal_results():
    with pytest.raises(ValueError, match="item P is derived from municipal results"):
        score_prefecture_items(results(), catalogue(), RULES, None)


def test_ties_share_the_best_rank_and_its_band():
    ranks = rank_desc(pd.Series({"a": 5.0, "b": 7.0, "c": 7.0, "d": 1.0}))
    assert ranks.to_dict() == {"a": 3, "b": 1, "c": 1, "d": 4}
    assert band_points(ranks, [(1, 6), (3, 3)]).to_dict() == {"a": 3, "b": 6, "c": 6, "d": 0}


def test_summary_gives_category_and_total_rates_ranks_and_distance():
    muni = municipal([("01", 30), ("02", 31), ("03", 80)])
    pts = score_prefecture_items(results(), catalogue(), RULES, muni)
    summary = summarise(pts.assign(grant="promotion"), NAMES).set_index(["category", "pref_code"])
    total = summary.loc["TOTAL"]
    assert total["score"].to_dict() == {"01": 10, "02": 12, "03": 5}       # 5+12+3-10, 0+6+6, 5+0+0
    assert total["max_points"].eq(23).all()
    assert total["rank"].to_dict() == {"01": 2, "02": 1, "03": 3}
    assert total.loc["02", "score_rate"] == pytest.approx(12 / 23)
    assert total.loc["03", "distance_to_average"] == pytest.approx(5 - 9)
    assert summary.loc[("I", "01"), "score"] == 17 and summary.loc[("I", "01"), "max_points"] == 17


def test_municipal_scores_add_categories_and_flag_penalty_level():
    muni = municipal([("01", 30), ("01", 31)]).set_index(["muni_code", "category"])
    assert muni.loc[("S01000", "TOTAL"), "score"] == 30 and muni.loc[("S01000", "TOTAL"), "max_points"] == 100
    assert bool(muni.loc[("S01000", "I"), "penalty_level"]) and not bool(muni.loc[("S01001", "TOTAL"), "penalty_level"])


def test_municipal_score_above_category_maximum_is_an_error():
    res = pd.DataFrame([(2019, "S01001", "01", "I", 11), (2019, "S01001", "01", "II", 1), (2019, "S01001", "01", "III", 1)],
                       columns=["fiscal_year", "muni_code", "pref_code", "category", "score"])
    with pytest.raises(ValueError, match=r"above the category I maximum 10: \['S01001'\]"):
        score_municipalities(res, {"I": 10, "II": 80, "III": 10}, 0.3)


def test_missing_municipal_category_is_an_error():
    res = pd.DataFrame([(2019, "S01001", "01", "I", 1), (2019, "S01001", "01", "II", 1)],
                       columns=["fiscal_year", "muni_code", "pref_code", "category", "score"])
    with pytest.raises(ValueError, match=r"lack categories .*\('S01001', 'III'\)"):
        score_municipalities(res, {"I": 10, "II": 80, "III": 10}, 0.3)


@pytest.mark.parametrize("threshold", [0.0, 1.0, 1.5])
def test_impossible_penalty_threshold_is_refused(threshold):
    with pytest.raises(ValueError, match="penalty_threshold"):
        replace(RULES, penalty_threshold=threshold)
