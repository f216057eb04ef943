"""Seed 000's findings recomputed: which prefectures are the outcome leaders, how their rank is compared,
how the spread of score rates is measured (docs/assumptions.md A18, A19)."""

import pandas as pd
import pytest

from kofukin.model.config import load_config
from kofukin.model.findings import findings_rules, outcome_leaders, score_rate_spread

OUTCOME = ["III-③", "III-④"]


def _scores():
    rows = [(2018, "01", 600, 3), (2018, "02", 650, 2), (2018, "03", 700, 1),
            (2019, "01", 700, 2), (2019, "02", 690, 3), (2019, "03", 710, 1)]
    s = pd.DataFrame(rows, columns=["fiscal_year", "pref_code", "score", "rank"])
    return s.assign(category="TOTAL", pref_name=s.pref_code.map({"01": "北海道", "02": "青森県", "03": "岩手県"}),
                    score_rate=s.score / 741)


def _items():
    points = {"01": (30, 30), "02": (30, 30), "03": (0, 0)}
    return pd.DataFrame([(2019, code, item, p) for code, ps in points.items() for item, p in zip(OUTCOME, ps)],
                        columns=["fiscal_year", "pref_code", "item", "points"])


def test_ties_in_outcome_points_go_to_the_higher_total_and_years_compare_ranks_across_years():
    lead = outcome_leaders(_scores(), _items(), OUTCOME, 2019, 2018, top=2)
    assert lead.index.tolist() == ["01", "02"]                  # both 60 points: 700 before 690
    assert lead["rank_before"].tolist() == [3, 2] and lead["rank_after"].tolist() == [2, 3]
    assert lead["rose"].tolist() == [True, False]


def test_weights_compare_the_same_year_with_the_outcome_at_its_old_points():
    lead = outcome_leaders(_scores(), _items(), OUTCOME, 2019, 2018, top=2, comparison="weights", outcome_share=20 / 60)
    assert lead["rank_before"].tolist() == [2, 3]               # 660 and 650 behind 710: no one rose
    assert not lead["rose"].any()
    with pytest.raises(ValueError, match="outcome_share"):
        outcome_leaders(_scores(), _items(), OUTCOME, 2019, 2018, comparison="weights")


@pytest.mark.parametrize("measure, expected", [("std", 10.0), ("iqr", 10.0), ("cv", 12.5)])
def test_spread_of_score_rates_in_percentage_points(measure, expected):
    s = pd.DataFrame({"fiscal_year": 2019, "category": "TOTAL", "score_rate": [0.7, 0.8, 0.9]})
    assert score_rate_spread(s, 2019, measure) == pytest.approx(expected)


@pytest.mark.parametrize("findings, message", [({"spread": "range"}, "findings.spread"),
                                               ({"rank_comparison": "total"}, "findings.rank_comparison"),
                                               ({"outcome_top": 0}, "findings.outcome_top"),
                                               ({"top": 10}, "unknown key")])
def test_a_bad_findings_rule_names_the_configuration_key(findings, message):
    with pytest.raises(ValueError, match=message):
        findings_rules({"findings": {**load_config()["findings"], **findings}})
