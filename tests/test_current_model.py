"""The current structure's model: catalogue checks, bad results refused with their fault named, allocation
conserved, a union's figures the mean of its members."""

import dataclasses

import pytest

from kofukin.model import paths
from kofukin.model.config import load_config
from kofukin.model.current import allocation, check_results, score_year, union_scores
from kofukin.model.current_catalogue import catalogue, check_structure, read_reference
from kofukin.model.current_synthetic import synthetic_years
from kofukin.model.errors import KofukinDataError


@pytest.fixture(scope="module")
def cfg():
    return load_config(paths.CONFIG)


@pytest.fixture(scope="module")
def year(cfg):
    return synthetic_years(cfg, [2025])[2025]


def test_catalogue_ids_are_unique_per_grant_and_goal_iv_is_in_both(cfg):
    for y in (2024, 2025, 2026):
        c = catalogue(read_reference(cfg), y, cfg)
        assert not c.duplicated(["grant", "branch_id"]).any()
        iv = c[c["goal"] == "IV"]
        assert (iv[iv.grant == "promotion"]["branch_id"].tolist() == iv[iv.grant == "support"]["branch_id"].tolist())
    assert len(catalogue(read_reference(cfg), 2024, cfg)) == 296


def test_a_changed_group_maximum_is_named(cfg):
    bad = {**cfg, "current": {**cfg["current"], "group_max_points": {"promotion": {"I": [60, 40]}}}}
    with pytest.raises(KofukinDataError, match=r"2026 推進Ⅰ: groups \['64', '36'\], configured \[60, 40\]"):
        check_structure(catalogue(read_reference(cfg), 2026, cfg), bad, "kofukin.yaml")


def test_a_blank_and_an_excess_score_are_refused(year):
    scores = year.scores.copy()
    scores.loc[0, "points"] = float("nan")
    scores.loc[1, "points"] = 99.0
    with pytest.raises(KofukinDataError) as err:
        check_results(dataclasses.replace(year, scores=scores))
    text = str(err.value)
    assert "S01001 promotion I(i)1ア: blank, but the branch may not be blank" in text
    assert "S01001 promotion I(i)1イ: 99 points above the branch's 4" in text


def test_a_missing_municipality_is_refused(year):
    with pytest.raises(KofukinDataError, match="branch scores of municipalities not in the municipality table"):
        check_results(dataclasses.replace(year, municipalities=year.municipalities.iloc[1:]))


def test_allocation_conserves_each_budget_and_follows_score_times_first_insured(cfg, year):
    scores = score_year(year, cfg)
    a = allocation(year, scores, cfg)
    assert a.groupby("grant")["amount_thousand_yen"].sum().to_dict() == {"promotion": 9549149, "support": 19000000}
    p = a[a.grant == "promotion"]
    share = p["score"] * p["first_insured"] / (p["score"] * p["first_insured"]).sum() * 9549149
    assert (p["amount_thousand_yen"] - share).abs().max() < 1


def test_union_figures_are_the_mean_of_members(cfg, year):
    scores = score_year(year, cfg)
    u = union_scores(scores, year.municipalities)
    total = u[u["level"] == "total"]
    assert len(total) == 39 and total["members"].sum() == 207
    first = total.iloc[0]
    members = year.municipalities.loc[year.municipalities["union_no"] == first["union_no"], "muni_code"]
    expected = scores[(scores.level == "total") & scores.muni_code.isin(members)]["score"].mean()
    assert first["score"] == pytest.approx(expected)
