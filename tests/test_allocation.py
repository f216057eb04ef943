"""Allocation invariants (hypothesis) and the published rules."""

import os
import shutil
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kofukin.model import paths
from kofukin.model.allocation import allocate, allocate_frame, municipal_grant, prefecture_grant, top_share
from kofukin.model.schemas import read_table

FRAME = read_table("budget_frame", paths.RAW / "budget" / "budget_frame_2025.csv")


@st.composite
def cases(draw, with_caps=False):
    n = draw(st.integers(1, 40))
    index = [f"{i + 1:02d}" for i in range(n)]
    scores = draw(st.lists(st.integers(0, 800), min_size=n, max_size=n))
    if not any(scores):
        scores[draw(st.integers(0, n - 1))] = draw(st.integers(1, 800))
    weights = draw(st.none() | st.lists(st.integers(1, 500_000), min_size=n, max_size=n))
    budget = draw(st.integers(0, 20_000_000))
    out = {"scores": pd.Series(scores, index=index), "budget": budget,
           "weights": None if weights is None else pd.Series(weights, index=index)}
    if with_caps:
        out["caps"] = pd.Series(draw(st.lists(st.integers(0, 2_000_000), min_size=n, max_size=n)), index=index)
    return out


def exact_shares(scores, budget, weights=None):
    basis = [Fraction(int(s)) * (1 if weights is None else int(w))
             for s, w in zip(scores, weights if weights is not None else scores)]
    total = sum(basis)
    return [budget * b / total for b in basis]


@settings(max_examples=200, deadline=None)
@given(cases())
def test_amounts_sum_to_the_budget_and_stay_within_one_of_the_exact_share(case):
    amounts = allocate(case["scores"], case["budget"], weights=case["weights"])
    assert amounts.dtype == np.int64 and list(amounts.index) == list(case["scores"].index)
    assert amounts.sum() == case["budget"]
    for got, share in zip(amounts, exact_shares(case["scores"], case["budget"], case["weights"])):
        assert abs(got - share) < 1
    assert (amounts[case["scores"] == 0] == 0).all()


@settings(max_examples=150, deadline=None)
@given(cases())
def test_higher_score_never_gets_less_without_weights(case):
    amounts = allocate(case["scores"], case["budget"]).to_numpy()
    s = case["scores"].to_numpy()
    higher = s[:, None] > s[None, :]
    assert (amounts[:, None] >= amounts[None, :])[higher].all()


@settings(max_examples=150, deadline=None)
@given(cases(with_caps=True))
def test_caps_pay_the_lower_of_share_and_cap_and_leave_the_rest_unspent(case):
    share = allocate(case["scores"], case["budget"], weights=case["weights"])
    paid = allocate(case["scores"], case["budget"], weights=case["weights"], caps=case["caps"])
    assert (paid == np.minimum(share, case["caps"])).all()
    assert paid.sum() <= case["budget"]


@settings(max_examples=150, deadline=None)
@given(cases(with_caps=True))
def test_redistribution_spends_up_to_the_budget_or_the_caps(case):
    paid = allocate(case["scores"], case["budget"], weights=case["weights"], caps=case["caps"], redistribute=True)
    positive = case["scores"] > 0
    assert paid.sum() == min(case["budget"], case["caps"][positive].sum())
    assert (paid <= case["caps"]).all() and (paid[~positive] == 0).all()


def test_the_data_build_gives_the_same_bytes_under_different_hash_seeds(tmp_path):
    """Determinism that matters is across processes: string hashing (set and dict order) changes with
    PYTHONHASHSEED, so two builds in separate processes with different seeds must write identical files."""
    where = paths.project_copy(tmp_path)
    build = "import sys; from kofukin.make.data import build; from kofukin.model.paths import project; build(**project(sys.argv[1]))"
    files = []
    for seed in ("1", "2"):
        shutil.rmtree(where["processed"], ignore_errors=True)
        subprocess.run([sys.executable, "-c", build, str(tmp_path)], env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        files.append({p.relative_to(where["processed"]).as_posix(): p.read_bytes()
                      for p in sorted(where["processed"].rglob("*")) if p.is_file()})
    assert sorted(files[0]) == sorted(files[1]) and "prefecture_allocation.csv" in files[0]
    assert [name for name in files[0] if files[0][name] != files[1][name]] == []


def test_largest_remainder_breaks_ties_by_index_order():
    amounts = allocate(pd.Series([1, 1, 1], index=["c", "a", "b"]), 100)
    assert amounts.to_dict() == {"c": 34, "a": 33, "b": 33}


def test_redistribution_shares_freed_money_in_proportion():
    scores = pd.Series({"01": 10, "02": 10, "03": 20})
    caps = pd.Series({"01": 100, "02": 1000, "03": 1000})
    assert allocate(scores, 1000, caps=caps).to_dict() == {"01": 100, "02": 250, "03": 500}
    assert allocate(scores, 1000, caps=caps, redistribute=True).to_dict() == {"01": 100, "02": 300, "03": 600}


@pytest.mark.parametrize("kwargs, message", [
    ({"scores": pd.Series({"01": -1, "02": 3})}, r"scores\['01'\]: -1 is negative"),
    ({"scores": pd.Series({"01": float("nan"), "02": 3})}, r"scores\['01'\]: nan is not a finite number"),
    ({"weights": pd.Series({"01": 1, "02": -2})}, r"weights\['02'\]: -2 is negative"),
    ({"caps": pd.Series({"01": 5, "02": float("nan")})}, r"caps\['02'\]: nan is not a finite number"),
    ({"caps": pd.Series({"01": 5, "02": 2.5})}, r"caps\['02'\]: 2.5 is not a whole number"),
    ({"budget": -1}, r"budget must be a non-negative integer"),
    ({"budget": 10.5}, r"budget must be a non-negative integer"),
    ({"weights": pd.Series({"01": 1, "03": 1})}, r"weights index differs from scores: missing \['02'\], extra \['03'\]"),
    ({"scores": pd.Series({"01": 0, "02": 0})}, r"every score × weight is zero"),
])
def test_bad_input_raises_naming_entity_and_field(kwargs, message):
    args = {"scores": pd.Series({"01": 1, "02": 3}), "budget": 100, **kwargs}
    with pytest.raises(ValueError, match=message):
        allocate(args.pop("scores"), args.pop("budget"), **args)


def test_prefecture_grant_pays_the_lower_of_share_and_request():
    out = prefecture_grant(pd.Series({"13": 700, "27": 300}), 1_000_000, pd.Series({"13": 600_000, "27": 400_000}))
    assert out["share_thousand_yen"].to_dict() == {"13": 700_000, "27": 300_000}
    assert out["amount_thousand_yen"].to_dict() == {"13": 600_000, "27": 300_000}
    assert out["capped"].to_dict() == {"13": True, "27": False}


def test_municipal_grant_weights_score_by_first_insured_persons():
    amounts = municipal_grant(pd.Series({"a": 400, "b": 200}), pd.Series({"a": 1000, "b": 4000}), 1200)
    assert amounts.to_dict() == {"a": 400, "b": 800}


def test_frame_pots_are_paid_out_to_the_thousand_yen():
    scores = pd.Series(np.arange(1, 48) * 10, index=[f"{i:02d}" for i in range(1, 48)])
    eligible = {"additional": top_share(scores, 0.3), "outcome_oriented": top_share(scores, 0.2)}
    out = allocate_frame(FRAME, "promotion", "prefecture", scores, eligible=eligible)
    assert out[["base", "additional", "outcome_oriented"]].sum().to_dict() == {
        "base": 380_000, "additional": 95_000, "outcome_oriented": 27_586}
    assert out["total"].sum() == 502_586
    assert (out.loc[~eligible["additional"], "additional"] == 0).all()
    assert eligible["additional"].sum() == 15 and eligible["outcome_oriented"].sum() == 10


def test_frame_pot_without_eligibility_is_an_error():
    scores = pd.Series({"01": 1, "02": 2})
    with pytest.raises(ValueError, match="no eligibility given for pot 'additional'"):
        allocate_frame(FRAME, "support", "prefecture", scores, eligible={})
