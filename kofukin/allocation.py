"""Allocation engine: a fixed budget split by score (× weight), capped, in whole 千円."""

import math
from fractions import Fraction
from numbers import Integral, Real

import pandas as pd

from .scoring import rank_desc


def allocate(scores: pd.Series, budget: int, *, weights: pd.Series | None = None,
             caps: pd.Series | None = None, redistribute: bool = False) -> pd.Series:
    """Split ``budget`` (integer 千円) in proportion to score × weight.

    Without caps the amounts sum to ``budget`` exactly, each within 1 千円 of its exact share
    (largest remainder; ties go to the earlier index). With ``caps`` (所要見込額) an entity gets at
    most its cap: with ``redistribute=False`` the freed money stays unspent, with
    ``redistribute=True`` it is shared again among uncapped entities until no cap binds.
    """
    if not isinstance(scores, pd.Series):
        raise ValueError("scores must be a pandas Series indexed by entity")
    if scores.index.has_duplicates:
        raise ValueError(f"scores: duplicate entities {list(scores.index[scores.index.duplicated()].unique())}")
    if isinstance(budget, bool) or not isinstance(budget, Integral) or budget < 0:
        raise ValueError(f"budget must be a non-negative integer (千円), got {budget!r}")
    budget = int(budget)
    score = _fractions(scores, "scores")
    weight = _fractions(_aligned(weights, scores, "weights"), "weights") if weights is not None else [Fraction(1)] * len(score)
    basis = [s * w for s, w in zip(score, weight)]
    if budget > 0 and not any(basis):
        raise ValueError("every score × weight is zero: there is nothing to share the budget by")
    if caps is None:
        amounts = _largest_remainder(basis, budget)
    else:
        cap = _fractions(_aligned(caps, scores, "caps"), "caps")
        for key, c in zip(scores.index, cap):
            if c.denominator != 1:
                raise ValueError(f"caps[{key!r}]: {float(c)} is not a whole number of 千円")
        cap = [int(c) for c in cap]
        if redistribute:
            amounts = _redistributed(basis, budget, cap)
        else:
            amounts = [min(a, c) for a, c in zip(_largest_remainder(basis, budget), cap)]
    return pd.Series(amounts, index=scores.index, dtype="int64", name="amount_thousand_yen")


def _aligned(other: pd.Series, scores: pd.Series, field: str) -> pd.Series:
    if not isinstance(other, pd.Series):
        raise ValueError(f"{field} must be a pandas Series indexed like scores")
    missing = scores.index.difference(other.index)
    extra = other.index.difference(scores.index)
    if len(missing) or len(extra) or other.index.has_duplicates:
        raise ValueError(f"{field} index differs from scores: missing {list(missing)}, extra {list(extra)}")
    return other.reindex(scores.index)


def _fractions(values: pd.Series, field: str) -> list[Fraction]:
    out = []
    for key, v in values.items():
        if v is None or v is pd.NA or not isinstance(v, Real) or isinstance(v, bool) or math.isnan(v) or math.isinf(v):
            raise ValueError(f"{field}[{key!r}]: {v!r} is not a finite number")
        if v < 0:
            raise ValueError(f"{field}[{key!r}]: {v!r} is negative")
        out.append(Fraction(v))
    return out


def _largest_remainder(basis: list[Fraction], budget: int) -> list[int]:
    total = sum(basis)
    if total == 0:
        return [0] * len(basis)
    quotas = [budget * b / total for b in basis]
    floors = [math.floor(q) for q in quotas]
    left = budget - sum(floors)
    order = sorted(range(len(quotas)), key=lambda i: (floors[i] - quotas[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def _redistributed(basis: list[Fraction], budget: int, cap: list[int]) -> list[int]:
    amounts = [0] * len(basis)
    active = {i for i, b in enumerate(basis) if b > 0}
    remaining = budget
    while active:
        total = sum(basis[i] for i in active)
        binding = {i for i in active if remaining * basis[i] / total >= cap[i]}
        if not binding:
            break
        for i in binding:
            amounts[i] = cap[i]
        remaining -= sum(cap[i] for i in binding)
        active -= binding
    if active:
        order = sorted(active)
        for i, a in zip(order, _largest_remainder([basis[i] for i in order], remaining)):
            amounts[i] = a
    return amounts


def prefecture_grant(scores: pd.Series, budget: int, requests: pd.Series | None = None, *,
                     redistribute: bool = False) -> pd.DataFrame:
    """都道府県分: score share of ``budget``, paid up to each prefecture's request (所要見込額)."""
    share = allocate(scores, budget)
    paid = allocate(scores, budget, caps=requests, redistribute=redistribute) if requests is not None else share
    out = pd.DataFrame({"score": scores, "share_thousand_yen": share, "amount_thousand_yen": paid})
    out["cap_thousand_yen"] = requests.reindex(scores.index).astype("Int64") if requests is not None else pd.NA
    out["capped"] = out["amount_thousand_yen"] < out["share_thousand_yen"]
    return out


def municipal_grant(scores: pd.Series, first_insured: pd.Series, budget: int) -> pd.Series:
    """市町村分: budget × score × 第1号被保険者数 / Σ (the rule municipalities publish)."""
    return allocate(scores, budget, weights=first_insured)


def top_share(values: pd.Series, share: float) -> pd.Series:
    """True for entities ranked within the top ``share`` (ties share the best rank)."""
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    return rank_desc(values) <= math.ceil(share * len(values))


def allocate_frame(frame: pd.DataFrame, grant: str, level: str, scores: pd.Series, *,
                   eligible: dict[str, pd.Series], weights: pd.Series | None = None) -> pd.DataFrame:
    """Split every pot of one grant and level of a budget frame (e.g. FY2025, seed 001).

    The base pot goes by score to all; each other pot by score among the entities that
    ``eligible[pot]`` marks True. Each pot's amounts sum exactly to the frame's 千円 figure.
    """
    pots = frame[(frame["grant"] == grant) & (frame["level"] == level)]
    if pots.empty:
        raise ValueError(f"budget frame has no pots for grant {grant!r}, level {level!r}")
    out = {}
    for pot in pots.itertuples(index=False):
        basis = scores
        if pot.pot != "base":
            if pot.pot not in eligible:
                raise ValueError(f"no eligibility given for pot {pot.pot!r}")
            mask = _aligned(eligible[pot.pot], scores, f"eligible[{pot.pot}]").astype(bool)
            basis = scores.where(mask, 0)
        out[pot.pot] = allocate(basis, int(pot.amount_thousand_yen), weights=weights)
    result = pd.DataFrame(out)
    result["total"] = result.sum(axis=1)
    return result


def frame_eligibility(outcome: pd.Series, total: pd.Series, rules: dict) -> dict[str, pd.Series]:
    """Default eligibility for the FY2025 pots (docs/assumptions.md A5): additional — top share by
    outcome score or by total; outcome-oriented — top share by outcome score."""
    return {"additional": top_share(outcome, rules["additional_top_share"]) | top_share(total, rules["additional_top_share"]),
            "outcome_oriented": top_share(outcome, rules["outcome_oriented_top_share"])}
