"""One year's results in the current structure (FY2024+) and their scores at every level (CONTRACT_current.md).

A ``YearResults`` comes from the ministry's municipal workbook (kofukin.intake.workbook) or from the synthetic
stand-ins (kofukin.model.current_synthetic). ``score_year`` turns it into branch, indicator, group, goal, grant
and total scores with national, prefectural and size-class ranks (ties share the best rank); goal IV counts in
both grants; the total is promotion + support.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kofukin.model.allocation import allocate
from kofukin.model.current_catalogue import current_config, indicators
from kofukin.model.errors import KofukinDataError
from kofukin.model.schemas import check_table, empty

UNIT_KEYS = ["grant", "level", "goal", "group", "indicator"]
SCORE_COLUMNS = ["fiscal_year", "muni_code", "pref_code", "grant", "level", "goal", "group", "indicator", "score",
                 "max_points", "size_class", "rank_national", "rank_in_prefecture", "rank_in_size_class", "synthetic"]


@dataclass(frozen=True)
class YearResults:
    """One fiscal year's municipal results: catalogue, municipalities and long branch scores (and unions)."""

    fiscal_year: int
    source: str                      # "synthetic" or the workbook's file name
    catalogue: pd.DataFrame
    municipalities: pd.DataFrame
    scores: pd.DataFrame
    unions: pd.DataFrame = field(default_factory=lambda: empty("current_unions").drop(columns="synthetic"))

    @property
    def synthetic(self) -> bool:
        return self.source == "synthetic"


def _flagged(df: pd.DataFrame, synthetic: bool) -> pd.DataFrame:
    return df.assign(synthetic=synthetic) if "synthetic" not in df else df


def check_results(results: YearResults) -> YearResults:
    """Check a year's results against the schemas and each other: every municipality has a score for every
    branch of the catalogue; blank only where the catalogue allows it; the shared goal equal in both grants.
    Raises KofukinDataError naming the source and every problem.

    >>> from kofukin.model.current_synthetic import synthetic_years
    >>> check_results(synthetic_years(cfg, [2026])[2026]).fiscal_year
    2026
    """
    where = Path(results.source)
    syn = results.synthetic
    cat = check_table("current_catalogue", _flagged(results.catalogue, syn), where)
    munis = check_table("current_municipalities", _flagged(results.municipalities, syn), where)
    scores = check_table("current_branch_scores", _flagged(results.scores, syn), where)
    check_table("current_unions", _flagged(results.unions, syn), where)
    problems = []
    years = set(cat["fiscal_year"]) | set(munis["fiscal_year"]) | set(scores["fiscal_year"])
    if years != {results.fiscal_year}:
        problems.append(f"fiscal years {sorted(years)} in the tables of fiscal year {results.fiscal_year}")
    expected = len(munis) * len(cat)
    keys = scores[["muni_code", "grant", "branch_id"]]
    if len(scores) != expected or keys.duplicated().any():
        problems.append(f"{len(scores)} branch scores, expected one per municipality and branch ({expected})")
    unknown = ~scores.set_index(["grant", "branch_id"]).index.isin(cat.set_index(["grant", "branch_id"]).index)
    problems += [f"branch {g} {b} is not in the catalogue" for g, b in scores.loc[unknown, ["grant", "branch_id"]]
                 .drop_duplicates().head(10).itertuples(index=False)]
    if not scores["muni_code"].isin(munis["muni_code"]).all():
        problems.append("branch scores of municipalities not in the municipality table")
    allowed = scores.merge(cat[["grant", "branch_id", "may_be_blank", "points"]], on=["grant", "branch_id"], how="left")
    blank = allowed["points_x"].isna() & ~allowed["may_be_blank"].fillna(False).astype(bool)
    problems += [f"{m} {g} {b}: blank, but the branch may not be blank" for m, g, b in
                 allowed.loc[blank, ["muni_code", "grant", "branch_id"]].head(10).itertuples(index=False)]
    over = allowed["points_x"] > allowed["points_y"]
    problems += [f"{m} {g} {b}: {p:g} points above the branch's {q:g}" for m, g, b, p, q in
                 allowed.loc[over, ["muni_code", "grant", "branch_id", "points_x", "points_y"]].head(10).itertuples(index=False)]
    if problems:
        raise KofukinDataError(where, problems)
    return results


def size_class_of(municipalities: pd.DataFrame, cfg: dict) -> pd.Series:
    """Each municipality's 区分 (1–5): the workbook's, or where the year has none (FY2024) the configured bands
    of 第1号被保険者数 (``current.size_class_bands``, A38); NA where neither is known.

    >>> size_class_of(pd.DataFrame({"size_class": [pd.NA, 4], "first_insured": [2999, 10]}), cfg).tolist()
    [1, 4]
    """
    bands = current_config(cfg)["size_class_bands"]
    given = pd.array(municipalities["size_class"], dtype="Int64")
    first = pd.to_numeric(municipalities["first_insured"], errors="coerce").to_numpy(dtype="float64")
    derived = pd.array(np.searchsorted(np.asarray(bands, dtype="float64"), first, side="right") + 1, dtype="Int64")
    derived[np.isnan(first)] = pd.NA
    return pd.Series(np.where(pd.isna(given), derived, given), index=municipalities.index).astype("Int64")


def _branch_matrix(results: YearResults, grant: str) -> tuple[np.ndarray, pd.DataFrame]:
    """The grant's branch scores as a municipality × branch array (blank = 0 in sums), in catalogue order."""
    cat = results.catalogue[results.catalogue["grant"] == grant].reset_index(drop=True)
    sub = results.scores[results.scores["grant"] == grant]
    rows = pd.Index(results.municipalities["muni_code"]).get_indexer(sub["muni_code"])
    cols = pd.Index(cat["branch_id"]).get_indexer(sub["branch_id"])
    out = np.zeros((len(results.municipalities), len(cat)))
    out[rows, cols] = np.nan_to_num(pd.to_numeric(sub["points"]).to_numpy(dtype="float64"))
    return out, cat


def _grant_units(results: YearResults, grant: str) -> tuple[np.ndarray, list[tuple]]:
    """Indicator, group, goal and grant scores of one grant (indicators capped), with their unit keys and maxima."""
    branches, cat = _branch_matrix(results, grant)
    ind = indicators(cat)
    onehot = np.zeros((len(cat), len(ind)))
    positions = pd.MultiIndex.from_frame(ind[["goal", "group", "indicator"]]).get_indexer(
        pd.MultiIndex.from_frame(cat[["goal", "group", "indicator"]]))
    onehot[np.arange(len(cat)), positions] = 1.0
    scores = branches @ onehot
    caps = ind["cap"].to_numpy(dtype="float64")
    scores = np.where(np.isnan(caps), scores, np.minimum(scores, np.nan_to_num(caps, nan=np.inf)))
    units = [(grant, "indicator", r.goal, r.group, r.indicator, r.max_points) for r in ind.itertuples()]
    columns = [scores]
    for level, keys in (("group", ["goal", "group"]), ("goal", ["goal"])):
        parts = ind.groupby(keys, sort=False)
        for key, idx in parts.indices.items():
            key = key if isinstance(key, tuple) else (key,)
            columns.append(scores[:, idx].sum(axis=1, keepdims=True))
            units.append((grant, level, key[0], key[1] if level == "group" else pd.NA, pd.NA,
                          float(ind["max_points"].iloc[idx].sum())))
    columns.append(scores.sum(axis=1, keepdims=True))
    units.append((grant, "grant", pd.NA, pd.NA, pd.NA, float(ind["max_points"].sum())))
    return np.hstack(columns), units


def _ranks(values: pd.DataFrame, by: pd.Series | None) -> np.ndarray:
    """Rank each column, best (highest) first, ties sharing the best rank; within ``by`` groups where given."""
    if by is None:
        return values.rank(axis=0, method="min", ascending=False).to_numpy()
    return values.groupby(by.to_numpy(), dropna=True).rank(method="min", ascending=False).reindex(values.index).to_numpy()


def score_year(results: YearResults, cfg: dict) -> pd.DataFrame:
    """Every municipality's scores at every level (current_scores of the contract), with ranks.

    >>> from kofukin.model.current_synthetic import synthetic_years
    >>> s = score_year(synthetic_years(cfg, [2026])[2026], cfg)
    >>> float(round(s[s.level == "total"].score.mean(), 2))
    455.13
    """
    munis = results.municipalities.reset_index(drop=True)
    arrays, units = [], []
    for grant in ("promotion", "support"):
        values, keys = _grant_units(results, grant)
        arrays.append(values)
        units += keys
    total = arrays[0][:, -1:] + arrays[1][:, -1:]
    units.append(("total", "total", pd.NA, pd.NA, pd.NA, units[len(arrays[0][0]) - 1][5] + units[-1][5]))
    wide = pd.DataFrame(np.hstack(arrays + [total]))
    size = size_class_of(munis, cfg)
    ranks = {"rank_national": _ranks(wide, None), "rank_in_prefecture": _ranks(wide, munis["pref_code"]),
             "rank_in_size_class": _ranks(wide, size)}
    n_muni, n_unit = wide.shape
    unit_table = pd.DataFrame(units, columns=UNIT_KEYS + ["max_points"])
    out = pd.DataFrame({
        "fiscal_year": int(results.fiscal_year),
        "muni_code": np.repeat(munis["muni_code"].to_numpy(), n_unit),
        "pref_code": np.repeat(munis["pref_code"].to_numpy(), n_unit),
        **{k: np.tile(unit_table[k].to_numpy(dtype=object), n_muni) for k in UNIT_KEYS},
        "score": wide.to_numpy().ravel(),
        "max_points": np.tile(unit_table["max_points"].to_numpy(dtype="float64"), n_muni),
        "size_class": pd.array(np.repeat(size.to_numpy(), n_unit), dtype="Int64"),
        **{k: pd.array(np.where(np.isnan(v), np.nan, v).ravel(), dtype="Float64").astype("Int64") for k, v in ranks.items()},
        "synthetic": results.synthetic,
    })
    return out[SCORE_COLUMNS]


def branch_rates(results: YearResults) -> pd.DataFrame:
    """全国該当率 per branch: national mean, municipalities scoring (points > 0) and their share of all.

    >>> from kofukin.model.current_synthetic import synthetic_years
    >>> r = branch_rates(synthetic_years(cfg, [2026])[2026])
    >>> int(r.set_index(["grant", "branch_id"]).loc[("promotion", "I(i)1ア"), "n_scoring"])
    1701
    """
    n = len(results.municipalities)
    stats = results.scores.groupby(["grant", "branch_id"], sort=False)["points"].agg(
        total="sum", n_scoring=lambda s: int((s > 0).sum()))
    cat = results.catalogue.merge(stats.reset_index(), on=["grant", "branch_id"], how="left")
    cat["national_mean"] = cat["total"] / n
    cat["rate"] = cat["n_scoring"] / n
    cat["synthetic"] = results.synthetic
    return cat[["fiscal_year", "grant", "goal", "group", "indicator", "branch", "branch_id", "points", "national_mean",
                "n_scoring", "rate", "synthetic"]]


def union_scores(scores: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """A 広域連合's figures: the mean of its members' scores, per year and unit, with the number of members.

    >>> m = pd.DataFrame({"fiscal_year": 2026, "muni_code": ["S01001", "S01002"], "union_no": ["010001", "010001"], "union_name": "X"})
    >>> s = pd.DataFrame({"fiscal_year": 2026, "muni_code": ["S01001", "S01002"], "pref_code": "01", "grant": "total", "level": "total",
    ...                   "goal": pd.NA, "group": pd.NA, "indicator": pd.NA, "score": [400.0, 500.0], "max_points": 800.0})
    >>> union_scores(s, m)[["union_no", "score", "members"]].values.tolist()
    [['010001', 450.0, 2]]
    """
    members = municipalities.dropna(subset=["union_no"])[["fiscal_year", "muni_code", "union_no", "union_name"]]
    joined = scores.merge(members, on=["fiscal_year", "muni_code"])
    keys = ["fiscal_year", "pref_code", "union_no", "union_name"] + UNIT_KEYS + ["max_points"]
    return (joined.groupby(keys, dropna=False, sort=False)
            .agg(score=("score", "mean"), members=("muni_code", "size")).reset_index())


def allocation(results: YearResults, scores: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """The municipal grant of each grant: the configured budget (integer 千円, conserved exactly) split by the
    configured rule — score × 第1号被保険者数 (``score_x_first_insured``, A39) or the score alone (``score``).
    Empty for a year without budgets.

    >>> from kofukin.model.current_synthetic import synthetic_years
    >>> r = synthetic_years(cfg, [2026])[2026]
    >>> a = allocation(r, score_year(r, cfg), cfg)
    >>> a.groupby("grant").amount_thousand_yen.sum().to_dict()
    {'promotion': 9549149, 'support': 19000000}
    """
    cur = current_config(cfg)
    budgets = (cur["years"].get(results.fiscal_year) or {}).get("municipal_budget_thousand_yen") or {}
    rule = cur["allocation_rule"]                  # checked by load_config
    munis = results.municipalities.set_index("muni_code")
    parts = []
    for grant, budget in budgets.items():
        grant_scores = scores[(scores["level"] == "grant") & (scores["grant"] == grant)].set_index("muni_code")["score"]
        first = pd.to_numeric(munis["first_insured"]).reindex(grant_scores.index)
        weights = first if rule == "score_x_first_insured" else None
        if weights is not None and weights.isna().any():
            raise KofukinDataError(Path(results.source), [f"第1号被保険者数 missing for {list(weights.index[weights.isna()][:10])}: "
                                                         "the allocation rule needs it"])
        amount = allocate(grant_scores, int(budget), weights=weights)
        parts.append(pd.DataFrame({"fiscal_year": int(results.fiscal_year), "grant": grant, "muni_code": grant_scores.index,
                                   "pref_code": munis["pref_code"].reindex(grant_scores.index).to_numpy(),
                                   "score": grant_scores.to_numpy(), "first_insured": first.astype("Int64").to_numpy(),
                                   "amount_thousand_yen": amount.to_numpy(), "synthetic": results.synthetic}))
    return pd.concat(parts, ignore_index=True) if parts else empty("current_allocation")
