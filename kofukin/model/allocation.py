"""Allocation engine: a fixed budget split by score (× weight), capped, in whole 千円."""

import math
from fractions import Fraction
from numbers import Integral, Real

import numpy as np
import pandas as pd

from kofukin.model.scoring import rank_desc


def allocate(scores: pd.Series, budget: int, *, weights: pd.Series | None = None,
             caps: pd.Series | None = None, redistribute: bool = False) -> pd.Series:
    """Split ``budget`` (integer 千円) in proportion to score × weight.

    Without caps the amounts sum to ``budget`` exactly, each within 1 千円 of its exact share
    (largest remainder; ties go to the earlier index). With ``caps`` (所要見込額) an entity gets at
    most its cap: with ``redistribute=False`` the freed money stays unspent, with
    ``redistribute=True`` it is shared again among uncapped entities until no cap binds.
    All arithmetic is exact (integers; rational inputs are scaled to integers first).

    >>> allocate(pd.Series({"01": 2, "02": 1}), 100).tolist()
    [67, 33]
    """
    if not isinstance(scores, pd.Series):
        raise ValueError("scores must be a pandas Series indexed by entity")
    if scores.index.has_duplicates:
        raise ValueError(f"scores: duplicate entities {list(scores.index[scores.index.duplicated()].unique())}")
    if isinstance(budget, bool) or not isinstance(budget, Integral) or budget < 0:
        raise ValueError(f"budget must be a non-negative integer (千円), got {budget!r}")
    budget = int(budget)
    score = _exact(scores, "scores")
    weight = _exact(_aligned(weights, scores, "weights"), "weights") if weights is not None else [1] * len(score)
    basis = _integers([s * w for s, w in zip(score, weight)])
    if budget > 0 and not any(basis):
        raise ValueError("every score × weight is zero: there is nothing to share the budget by")
    cap = None
    if caps is not None:
        cap = _exact(_aligned(caps, scores, "caps"), "caps")
        for key, c in zip(scores.index, cap):
            if Fraction(c).denominator != 1:
                raise ValueError(f"caps[{key!r}]: {float(c)} is not a whole number of 千円")
        cap = [int(c) for c in cap]
    return pd.Series(pay(basis, budget, cap, redistribute), index=scores.index, dtype="int64", name="amount_thousand_yen")


def pay(basis: list[int], budget: int, cap: list[int] | None = None, redistribute: bool = False) -> np.ndarray:
    """The core of ``allocate`` on checked integer bases and caps (no pandas, for hot loops).

    >>> pay([3, 1], 10, cap=[5, 5]).tolist()
    [5, 2]
    """
    if cap is None:
        return _largest_remainder(basis, budget)
    if redistribute:
        return _redistributed(basis, budget, cap)
    return np.minimum(_largest_remainder(basis, budget), cap)


def _aligned(other: pd.Series, scores: pd.Series, field: str) -> pd.Series:
    if not isinstance(other, pd.Series):
        raise ValueError(f"{field} must be a pandas Series indexed like scores")
    missing = scores.index.difference(other.index)
    extra = other.index.difference(scores.index)
    if len(missing) or len(extra) or other.index.has_duplicates:
        raise ValueError(f"{field} index differs from scores: missing {list(missing)}, extra {list(extra)}")
    return other.reindex(scores.index)


def _exact(values: pd.Series, field: str) -> list:
    """Python ints where the values are whole, exact Fractions otherwise; bad values raise naming the entity."""
    if values.dtype.kind in "iu":
        ints = values.to_numpy()
        if (ints < 0).any():
            key = values.index[ints < 0][0]
            raise ValueError(f"{field}[{key!r}]: {int(values[key])} is negative")
        return ints.tolist()
    out = []
    for key, v in values.items():
        if v is None or v is pd.NA or not isinstance(v, Real) or isinstance(v, bool) or math.isnan(v) or math.isinf(v):
            raise ValueError(f"{field}[{key!r}]: {v!r} is not a finite number")
        if v < 0:
            raise ValueError(f"{field}[{key!r}]: {v!r} is negative")
        f = Fraction(v)
        out.append(f.numerator if f.denominator == 1 else f)
    return out


def _integers(basis: list) -> list[int]:
    """Scale a list of ints and Fractions by the common denominator: same proportions, all integers."""
    denominators = [b.denominator for b in basis if isinstance(b, Fraction)]
    if not denominators:
        return [int(b) for b in basis]
    scale = math.lcm(*denominators)
    return [int(b * scale) for b in basis]


def _largest_remainder(basis: list[int], budget: int) -> np.ndarray:
    """Integer shares of ``budget`` ∝ ``basis``: floors, then +1 by largest remainder (earlier index first)."""
    total = sum(basis)
    n = len(basis)
    if total == 0:
        return np.zeros(n, dtype="int64")
    if budget * max(basis) < 2**62 and total < 2**62:
        b = np.asarray(basis, dtype="int64")
        floors, rem = np.divmod(budget * b, total)
    else:                                   # beyond int64: exact Python integers
        pairs = [divmod(budget * x, total) for x in basis]
        floors = np.array([q for q, _ in pairs], dtype="int64")
        rem = np.array([r for _, r in pairs], dtype=object)
    left = budget - int(floors.sum())
    if left:
        order = sorted(range(n), key=lambda i: (-rem[i], i)) if rem.dtype == object else np.lexsort((np.arange(n), -rem))
        floors[np.asarray(order[:left])] += 1
    return floors


def _redistributed(basis: list[int], budget: int, cap: list[int]) -> np.ndarray:
    amounts = np.zeros(len(basis), dtype="int64")
    active = [i for i, b in enumerate(basis) if b > 0]
    remaining = budget
    while active:
        total = sum(basis[i] for i in active)
        binding = [i for i in active if remaining * basis[i] >= cap[i] * total]   # exact share ≥ cap
        if not binding:
            break
        amounts[binding] = [cap[i] for i in binding]
        remaining -= sum(cap[i] for i in binding)
        bound = set(binding)
        active = [i for i in active if i not in bound]
    if active:
        amounts[active] = _largest_remainder([basis[i] for i in active], remaining)
    return amounts


def prefecture_grant(scores: pd.Series, budget: int, requests: pd.Series | None = None, *,
                     redistribute: bool = False) -> pd.DataFrame:
    """都道府県分: score share of ``budget``, paid up to each prefecture's request (所要見込額).

    >>> prefecture_grant(pd.Series({"01": 3, "02": 1}), 100, pd.Series({"01": 60, "02": 60}))[["share_thousand_yen", "amount_thousand_yen", "capped"]]
        share_thousand_yen  amount_thousand_yen  capped
    01                  75                   60    True
    02                  25                   25   False
    """
    share = allocate(scores, budget)
    paid = allocate(scores, budget, caps=requests, redistribute=redistribute) if requests is not None else share
    out = pd.DataFrame({"score": scores, "share_thousand_yen": share, "amount_thousand_yen": paid})
    out["cap_thousand_yen"] = requests.reindex(scores.index).astype("Int64") if requests is not None else pd.NA
    out["capped"] = out["amount_thousand_yen"] < out["share_thousand_yen"]
    return out


def municipal_grant(scores: pd.Series, first_insured: pd.Series, budget: int) -> pd.Series:
    """市町村分: budget × score × 第1号被保険者数 / Σ (the rule municipalities publish).

    >>> municipal_grant(pd.Series({"A": 400, "B": 400}), pd.Series({"A": 3000, "B": 1000}), 1000).tolist()
    [750, 250]
    """
    return allocate(scores, budget, weights=first_insured)


def top_share(values: pd.Series, share: float) -> pd.Series:
    """True for entities ranked within the top ``share`` (ties share the best rank).

    >>> top_share(pd.Series({"01": 10, "02": 30, "03": 20, "04": 5}), 0.5).tolist()
    [False, True, True, False]
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    return rank_desc(values) <= math.ceil(share * len(values))


def allocate_frame(frame: pd.DataFrame, grant: str, level: str, scores: pd.Series, *,
                   eligible: dict[str, pd.Series], weights: pd.Series | None = None) -> pd.DataFrame:
    """Split every pot of one grant and level of a budget frame (e.g. FY2025, seed 001).

    The base pot goes by score to all; each other pot by score among the entities that
    ``eligible[pot]`` marks True. Each pot's amounts sum exactly to the frame's 千円 figure.

    >>> frame = src["frame"]
    >>> total = r.allocation.set_index("pref_code")["score"]
    >>> pots = allocate_frame(frame, "support", "prefecture", total, eligible={"additional": total > total.median()})
    >>> pots.sum().to_dict()
    {'base': 950000, 'additional': 50000, 'total': 1000000}
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
    outcome score or by total; outcome-oriented — top share by outcome score.

    >>> s = pd.Series({"01": 60, "02": 40, "03": 20})
    >>> {k: v.tolist() for k, v in frame_eligibility(s, s, {"additional_top_share": 0.3, "outcome_oriented_top_share": 0.3}).items()}
    {'additional': [True, False, False], 'outcome_oriented': [True, False, False]}
    """
    return {"additional": top_share(outcome, rules["additional_top_share"]) | top_share(total, rules["additional_top_share"]),
            "outcome_oriented": top_share(outcome, rules["outcome_oriented_top_share"])}
