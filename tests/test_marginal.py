"""Marginal values agree with recomputing the whole allocation, and are zero where the cap binds."""

import pandas as pd
import pytest

from kofukin.model.allocation import municipal_grant, prefecture_grant

BUDGET, MUNI_BUDGET = 1_000_000, 19_000_000


def _recomputed(alloc: pd.DataFrame, code: str, gain: int) -> int:
    scores = alloc.set_index("pref_code")["score"].copy()
    caps = alloc.set_index("pref_code")["cap_thousand_yen"]
    base = prefecture_grant(scores.clip(lower=0), BUDGET, caps)["amount_thousand_yen"][code]
    scores[code] += gain
    return int(prefecture_grant(scores.clip(lower=0), BUDGET, caps)["amount_thousand_yen"][code] - base)


def test_item_and_category_stakes_agree_with_a_full_recomputation(built):
    alloc = built["prefecture_allocation"]
    for name, gain in [("prefecture_item_stakes", "points_at_stake"), ("prefecture_category_stakes", "points_to_average")]:
        sample = built[name].sample(25, random_state=1)
        for row in sample.itertuples():
            assert row.amount_change_thousand_yen == _recomputed(alloc, row.pref_code, getattr(row, gain)), (name, row)


def test_stakes_are_zero_exactly_where_the_cap_binds(built):
    capped = set(built["prefecture_allocation"].query("capped").pref_code)
    assert capped
    for name in ["prefecture_item_stakes", "prefecture_category_stakes"]:
        stakes = built[name]
        assert (stakes[stakes.pref_code.isin(capped)].amount_change_thousand_yen == 0).all(), name
        assert (stakes[~stakes.pref_code.isin(capped)].amount_change_thousand_yen > 0).all(), name


def test_category_stakes_reach_the_national_average_and_no_further(built):
    s = built["prefecture_category_stakes"]
    assert (s.score + s.points_to_average >= s.national_average).all()
    assert (s.score + s.points_to_average - 1 < s.national_average).all()


def test_municipal_grant_spends_the_budget_and_stakes_match_a_recomputation(built):
    alloc = built["municipal_allocation"]
    assert alloc.amount_thousand_yen.sum() == MUNI_BUDGET and len(alloc) == 1741
    scores = alloc.set_index("muni_code")["score"]
    first = alloc.set_index("muni_code")["first_insured"]
    base = municipal_grant(scores, first, MUNI_BUDGET)
    assert (base == alloc.set_index("muni_code")["amount_thousand_yen"]).all()
    for row in built["municipal_category_stakes"].sample(12, random_state=2).itertuples():
        raised = scores.copy()
        raised[row.muni_code] += row.points_to_average
        exact = municipal_grant(raised, first, MUNI_BUDGET)[row.muni_code] - base[row.muni_code]
        assert row.amount_change_thousand_yen == pytest.approx(exact, abs=1), row
