"""Synthetic stand-ins (合成データ) for the current structure's municipal results, until an analyst's workbook is in.

Deterministic and calibrated to everything published (docs/assumptions.md A41): exactly the published number of
municipalities scoring each branch (so every branch, goal, grant and total mean is the published one), the
total's SD (by how strongly branches follow one ability) and, where published, the means by 区分 and 過疎 (by
the ability's shift per class). The municipalities are kofukin's synthetic ones (S01001 …), with a 区分 from
their 第1号被保険者数 and a 過疎 flag; some form synthetic 広域連合.

Each municipality has one latent ability per year (correlated across years); a branch is scored by the
municipalities ranking highest on ability + the branch's noise. Rank-band branches (上位7割/5割/3割/1割 and other
活動/成果 branches whose counts fall in column order) share one indicator latent, so their scorers are nested.
Capped indicators (goal IV's ア/イ alternatives) give each municipality at most one alternative.
"""

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kofukin.model import paths
from kofukin.model.current import YearResults, score_year
from kofukin.model.current_catalogue import (catalogue, current_config, published_branches, published_subtotals,
                                             read_figures, read_reference)
from kofukin.model.schemas import read_table
from kofukin.model.synthetic import municipalities as synthetic_municipalities
from kofukin.model.paths import PREFECTURES

SOURCE = "synthetic"


@dataclass
class _Unit:
    """A generation unit: independent ``item`` branches, a ``nested`` set (one latent, top-n each) or a
    capped indicator's exclusive ``alternatives`` (nested sets) with ``extras`` (single branches)."""

    kind: str
    columns: list            # item/nested: branch columns; alternatives: list of column lists
    counts: list
    noise: np.ndarray        # one column per item, or one for the set/indicator
    extras: list = None      # (column, count, points, noise) of a capped indicator's single branches
    points: list = None      # alternatives: points per column list
    cap: float = None
    order: np.ndarray = None  # alternatives: a fixed permutation used to split the scorers among them


def _rng(cfg: dict, *keys) -> np.random.Generator:
    words = [int(cfg["synthetic"]["seed"])] + [k if isinstance(k, int) else zlib.crc32(str(k).encode()) for k in keys]
    return np.random.default_rng(words)


def _noise(cfg: dict, key: str, year: int, n: int, width: int = 1) -> np.ndarray:
    """Noise persistent across years for the same ``key`` (``branch_persistence``), plus the year's own."""
    rho = float(current_config(cfg)["synthetic"]["branch_persistence"])
    lasting = _rng(cfg, "current-branch", key).standard_normal((n, width))
    own = _rng(cfg, "current-branch", key, year).standard_normal((n, width))
    return np.sqrt(rho) * lasting + np.sqrt(1 - rho) * own


def _descending(counts: list) -> bool:
    return all(a >= b for a, b in zip(counts, counts[1:]))


def _plan(pub: pd.DataFrame, cat: pd.DataFrame, cfg: dict, year: int, n: int) -> tuple[list[_Unit], pd.DataFrame]:
    """Generation units of a year's unique branches (the shared goal once, under promotion)."""
    shared = current_config(cfg)["shared_goal"]
    keep = ~((pub["grant"] == "support") & (pub["goal"] == shared))
    pub = pub[keep].reset_index(drop=True)
    pub["cap"] = cat[keep.to_numpy()]["indicator_cap"].to_numpy()
    pub["letter"] = pub["branch"].str[0]
    pub["has_sub"] = pub["branch"].str.len() > 1
    units = []
    for (grant, goal, group, indicator), ind in pub.groupby(["grant", "goal", "group", "indicator"], sort=False):
        key = f"{grant}{goal}{group}{indicator}"
        ranked = group in ("activity", "outcome")
        if ind["has_sub"].any():
            sets = [list(s.index) for _, s in ind.groupby("letter", sort=False)]
        else:
            sets = [list(ind.index)] if ranked else [[i] for i in ind.index]
        counts = {i: int(pub.at[i, "municipalities_scoring"]) for i in ind.index}
        cap = ind["cap"].iloc[0]
        if pd.notna(cap):
            alts = [s for s in sets if len(s) > 1]
            singles = [s[0] for s in sets if len(s) == 1]
            units.append(_Unit("alternatives", alts, [[counts[i] for i in s] for s in alts], _noise(cfg, key, year, n),
                               extras=[(i, counts[i], float(pub.at[i, "points"]), _noise(cfg, f"{key}-{i}", year, n)[:, 0])
                                       for i in singles],
                               points=[[float(pub.at[i, "points"]) for i in s] for s in alts], cap=float(cap),
                               order=_rng(cfg, "current-split", key).permutation(n)))
            continue
        for s in sets:
            c = [counts[i] for i in s]
            if ranked and len(s) > 1 and _descending(c):
                units.append(_Unit("nested", s, c, _noise(cfg, f"{key}-{s[0]}", year, n)))
            else:
                units.append(_Unit("item", s, c, _noise(cfg, f"{key}-{s[0]}", year, n, len(s))))
    return units, pub


def _top(values: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` highest values (continuous noise: no ties)."""
    return np.argsort(-values)[:count]


def _generate(units: list[_Unit], pub: pd.DataFrame, ability: np.ndarray, loading: float) -> np.ndarray:
    """The municipality × branch points of one year, for a given ability and loading."""
    n = len(ability)
    out = np.zeros((n, len(pub)))
    points = pub["points"].to_numpy(dtype="float64")
    base = loading * ability[:, None]
    for u in units:
        if u.kind == "item":
            orders = np.argsort(-(base + u.noise), axis=0)
            for j, (col, count) in enumerate(zip(u.columns, u.counts)):
                out[orders[:count, j], col] = points[col]
        elif u.kind == "nested":
            order = np.argsort(-(base[:, 0] + u.noise[:, 0]))
            for col, count in zip(u.columns, u.counts):
                out[order[:count], col] = points[col]
        else:
            _alternatives(u, out, base[:, 0], n)
    return out


def _alternatives(u: _Unit, out: np.ndarray, base: np.ndarray, n: int) -> None:
    """A capped indicator: the best ``Σ first counts`` municipalities score, split among the alternatives in a
    fixed random order, each nested by the latent; single branches go to those still below the cap."""
    x = base + u.noise[:, 0]
    firsts = [c[0] for c in u.counts]
    if sum(firsts) > n:
        raise ValueError(f"alternatives of {sum(firsts)} scorers among {n} municipalities")
    scorers = _top(x, sum(firsts))
    scorers = scorers[np.argsort(u.order[scorers], kind="stable")]
    start = 0
    total = np.zeros(n)
    for cols, counts, pts in zip(u.columns, u.counts, u.points):
        members = scorers[start:start + counts[0]]
        start += counts[0]
        ranked = members[np.argsort(-x[members], kind="stable")]
        for col, count, p in zip(cols, counts, pts):
            out[ranked[:count], col] = p
            total[ranked[:count]] += p
    for col, count, p, noise in u.extras:
        eligible = np.flatnonzero(total + p <= u.cap + 1e-9)
        if len(eligible) < count:
            raise ValueError(f"only {len(eligible)} municipalities below the cap {u.cap:g} for {count} scorers")
        pick = eligible[_top((base + noise)[eligible], count)]
        out[pick, col] = p
        total[pick] += p


def _municipalities(cfg: dict, raw) -> pd.DataFrame:
    """kofukin's synthetic municipalities (the FY2018/FY2019 generator's, same codes, names and counts) with a
    区分 from 第1号被保険者数 and a 過疎 flag (the ``kaso_municipalities`` least populous, with noise)."""
    prefs = read_table("prefectures", raw / PREFECTURES).sort_values("pref_code", ignore_index=True)
    munis = synthetic_municipalities(prefs, cfg, np.random.default_rng(cfg["synthetic"]["seed"]))
    bands = np.asarray(current_config(cfg)["size_class_bands"], dtype="float64")
    munis["size_class"] = np.searchsorted(bands, munis["first_insured"].to_numpy(dtype="float64"), side="right") + 1
    key = np.log(munis["first_insured"].to_numpy(dtype="float64")) + _rng(cfg, "current-kaso").normal(0, 1.0, len(munis))
    kaso = np.zeros(len(munis), dtype=bool)
    kaso[_top(-key, int(current_config(cfg)["synthetic"]["kaso_municipalities"]))] = True
    munis["kaso"] = kaso
    return munis


def _unions(munis: pd.DataFrame, figures: pd.DataFrame, years: list[int], cfg: dict) -> dict[int, pd.DataFrame]:
    """Synthetic 広域連合 per year: runs of neighbouring small municipalities in a prefecture. The union count and
    members of each year are the published ones; the later years keep the earlier years' unions, less the last."""
    def figure(year, metric):
        rows = figures[(figures["fiscal_year"] == year) & (figures["metric"] == metric)]
        return int(rows["value"].iloc[0]) if len(rows) else None
    wanted = {y: (figure(y, "unions"), figure(y, "union_members")) for y in years}
    wanted = {y: w for y, w in wanted.items() if w[0]}
    if not wanted:
        return {}
    most = max(wanted.values())
    # sizes: the unions dropped in later years are the last ones, sized by the differences between years
    steps = sorted(set(wanted.values()), reverse=True)
    tail = []                       # the unions dropped in later years come last, sized by the differences
    for (u1, m1), (u2, m2) in zip(steps, steps[1:]):
        if u1 > u2:
            part = [(m1 - m2) // (u1 - u2)] * (u1 - u2)
            part[-1] += (m1 - m2) - sum(part)
            tail = part + tail
    core_units, core_members = most[0] - len(tail), most[1] - sum(tail)
    rng = _rng(cfg, "current-unions")
    sizes = list(2 + np.bincount(rng.integers(0, core_units, core_members - 2 * core_units), minlength=core_units)) + tail
    pools = {p: list(g) for p, g in munis[munis["size_class"] <= 2].groupby("pref_code")["muni_code"]}
    rows = []
    for u, size in enumerate(sizes):
        fits = sorted(p for p, pool in pools.items() if len(pool) >= size)
        if not fits:
            raise ValueError(f"no prefecture has {size} small municipalities left for a synthetic union")
        pref = fits[int(rng.integers(0, len(fits)))]
        members, pools[pref] = pools[pref][:size], pools[pref][size:]
        rows.append((pref, f"{pref}8{u + 1:03d}", f"合成広域連合{pref}-{u + 1:02d}", members))
    out = {}
    for year, (n_unions, _) in wanted.items():
        keep = rows[:n_unions]
        out[year] = pd.DataFrame([(year, p, no, name, m) for p, no, name, ms in keep for m in ms],
                                 columns=["fiscal_year", "pref_code", "union_no", "union_name", "muni_code"])
    return out


def _ability(munis: pd.DataFrame, cfg: dict, years: list[int]) -> dict[int, np.ndarray]:
    """Each year's latent ability, before the class and 過疎 shifts: one lasting part plus the year's own."""
    rho = float(current_config(cfg)["synthetic"]["year_persistence"])
    lasting = _rng(cfg, "current-ability").standard_normal(len(munis))
    return {y: np.sqrt(rho) * lasting + np.sqrt(1 - rho) * _rng(cfg, "current-ability", y).standard_normal(len(munis))
            for y in years}


def _skewed(normal: np.ndarray, skew: float) -> np.ndarray:
    """A left-skewed ability (a long tail of weak municipalities, as the published medians above the means show):
    (1 − e^(−skew·u)) / skew, the identity at skew 0.

    >>> _skewed(np.array([-1.0, 0.0, 1.0]), 0.0).tolist(), _skewed(np.array([-1.0, 1.0]), 1.0).round(2).tolist()
    ([-1.0, 0.0, 1.0], [-1.72, 0.63])
    """
    return normal if skew == 0 else -np.expm1(-skew * normal) / skew


def _totals(units, pub, ability, loading) -> np.ndarray:
    return _generate(units, pub, ability, loading) @ _weights(pub)


def _weights(pub: pd.DataFrame) -> np.ndarray:
    """Each unique branch counts once, the shared goal's twice (in both grants)."""
    return np.where(pub["goal"].to_numpy() == "IV", 2.0, 1.0)


def _fit_loading(units, pub, ability, target_sd: float, loading: float = 0.3) -> float:
    """The loading whose totals have the published SD (Newton steps; the SD rises with the loading)."""
    step = 0.05
    for _ in range(8):
        sd = _totals(units, pub, ability, loading).std()
        if abs(sd - target_sd) < 0.2:
            break
        slope = (_totals(units, pub, ability, loading + step).std() - sd) / step
        loading = min(max(loading - (sd - target_sd) / max(slope, 1.0), loading / 2), loading * 2)
    return loading


def _targets(figures: pd.DataFrame, year: int, metric: str) -> dict[str, float]:
    rows = figures[(figures["fiscal_year"] == year) & (figures["level"] == "municipal") & (figures["metric"] == metric)]
    return dict(zip(rows["subset"], rows["value"]))


def _fit_shifts(units, pub, ability, munis, figures, year, target_sd) -> np.ndarray:
    """The ability's shift per 区分 and for 過疎 under which their published means hold."""
    classes = munis["size_class"].to_numpy()
    kaso = munis["kaso"].to_numpy()
    by_class = _targets(figures, year, "mean_by_size_class")
    by_kaso = _targets(figures, year, "mean_by_kaso")
    alpha, beta = np.zeros(6), 0.0
    loading = _fit_loading(units, pub, ability, target_sd)
    for _ in range(6):
        shifted = ability + alpha[classes] + beta * kaso
        totals = _totals(units, pub, shifted, loading)
        slope = np.cov(totals, shifted)[0, 1] / shifted.var()
        for k, target in by_class.items():
            alpha[int(k)] += (target - totals[classes == int(k)].mean()) / slope
        if by_kaso:
            beta += ((by_kaso["kaso"] - totals[kaso].mean()) - (by_kaso["not_kaso"] - totals[~kaso].mean())) / slope
        loading = _fit_loading(units, pub, ability + alpha[classes] + beta * kaso, target_sd, loading)
    return alpha[classes] + beta * kaso


def _fit_skew(units, pub, normal, shift, target_sd, target_median) -> tuple[float, float]:
    """The skew (and loading) under which the totals have the published median and SD (bisection: the median
    rises with the skew)."""
    lo, hi = 0.0, 1.5
    for _ in range(7):
        mid = (lo + hi) / 2
        ability = _skewed(normal, mid) + shift
        loading = _fit_loading(units, pub, ability, target_sd)
        lo, hi = (mid, hi) if np.median(_totals(units, pub, ability, loading)) < target_median else (lo, mid)
    skew = (lo + hi) / 2
    return skew, _fit_loading(units, pub, _skewed(normal, skew) + shift, target_sd)


def synthetic_years(cfg: dict, years: list[int] | None = None, raw=paths.RAW) -> dict[int, YearResults]:
    """Synthetic results of the configured current-structure years (or of ``years``), one YearResults each.

    >>> r = synthetic_years(cfg, [2026])[2026]
    >>> len(r.municipalities), r.source, int((r.scores.points > 0).sum() > 0)
    (1741, 'synthetic', 1)
    """
    ref = read_reference(cfg, raw)
    figures = read_figures(cfg, raw)
    every = sorted(int(y) for y in current_config(cfg)["years"])
    years = every if years is None else sorted(years)
    munis = _municipalities(cfg, raw)
    n = len(munis)
    bases = _ability(munis, cfg, every)
    plans = {}
    for y in every:
        cat = catalogue(ref, y, cfg)
        plans[y] = (cat, *_plan(published_branches(ref, y), cat, cfg, y, n))
    totals = {y: published_subtotals(ref, y).query("grant == 'total'").iloc[0] for y in every}
    sd = {y: float(t["sd"]) for y, t in totals.items()}
    median = {y: float(t["national_median"]) for y, t in totals.items()}
    shift, fitted = np.zeros(n), {}
    shifted = [y for y in every if _targets(figures, y, "mean_by_size_class")]
    if shifted:            # the year whose 区分 and 過疎 means are published sets the shifts of every year
        y = shifted[-1]
        units, pub = plans[y][1], plans[y][2]
        for _ in range(3):     # the skew moves the class means, the shifts the median: fit them in turn
            skew, _ = _fit_skew(units, pub, bases[y], shift, sd[y], median[y])
            shift = _fit_shifts(units, pub, _skewed(bases[y], skew), munis, figures, y, sd[y])
        fitted = {y: (skew, _fit_loading(units, pub, _skewed(bases[y], skew) + shift, sd[y]))}
    unions = _unions(munis, figures, every, cfg)
    out = {}
    for y in years:
        cat, units, pub = plans[y]
        skew, loading = fitted.get(y) or _fit_skew(units, pub, bases[y], shift, sd[y], median[y])
        points = _generate(units, pub, _skewed(bases[y], skew) + shift, loading)
        out[y] = _year_results(y, cat, pub, points, munis, unions.get(y), cfg)
    return out


def _year_results(year, cat, pub, points, munis, members, cfg) -> YearResults:
    """Assemble the contract's tables of one synthetic year."""
    shared = current_config(cfg)["shared_goal"]
    columns = {(g, b): j for j, (g, b) in enumerate(zip(pub["grant"], pub["branch_id"]))}
    order = [columns.get((g, b), columns.get(("promotion", b))) if g == "support" and goal == shared else columns[(g, b)]
             for g, b, goal in zip(cat["grant"], cat["branch_id"], cat["goal"])]
    n = len(munis)
    matrix = points[:, order]
    scores = pd.DataFrame({"fiscal_year": year, "muni_code": np.repeat(munis["muni_code"].to_numpy(), len(cat)),
                           "grant": np.tile(cat["grant"].to_numpy(), n), "branch_id": np.tile(cat["branch_id"].to_numpy(), n),
                           "points": matrix.ravel()})
    m = munis.copy()
    m["fiscal_year"] = year
    m["union_no"] = pd.NA
    m["union_name"] = pd.NA
    union_table = pd.DataFrame(columns=["fiscal_year", "pref_code", "union_no", "union_name", "members"])
    if members is not None and len(members):
        link = members.set_index("muni_code")
        m["union_no"] = m["muni_code"].map(link["union_no"])
        m["union_name"] = m["muni_code"].map(link["union_name"])
        union_table = (members.groupby(["fiscal_year", "pref_code", "union_no", "union_name"], sort=False).size()
                       .rename("members").reset_index())
    # synthetic 保険者番号: 6 digits from FY2025, 5 before (prefecture + serial; unions prefecture + 8 + serial)
    short = year < 2025
    m["insurer_no"] = (m["pref_code"] + ("" if short else "9") + m["muni_code"].str[3:]).where(m["union_no"].isna())
    if short:
        for table in (m, union_table):
            table["union_no"] = table["union_no"].str[:3] + table["union_no"].str[4:]
    m["size_class"] = pd.array(m["size_class"], dtype="Int64") if year >= 2025 else pd.array([pd.NA] * n, dtype="Int64")
    m["kaso"] = pd.array(m["kaso"], dtype="boolean")
    m = m[["fiscal_year", "muni_code", "pref_code", "muni_name", "insurer_no", "union_no", "union_name", "population",
           "first_insured", "size_class", "kaso"]]
    return YearResults(year, SOURCE, cat, m, scores, union_table.astype({"members": int}))


def calibration(results: YearResults, cfg: dict) -> dict[str, float]:
    """Figures of a year's results to compare with the published ones (total mean, median, SD; class means)."""
    s = score_year(results, cfg)
    total = s[s["level"] == "total"].set_index("muni_code")["score"]
    m = results.municipalities.set_index("muni_code")
    out = {"mean": total.mean(), "median": total.median(), "sd": total.std(ddof=0)}
    if m["kaso"].notna().all():
        kaso = m["kaso"].astype(bool).reindex(total.index)
        out.update(kaso=total[kaso].mean(), not_kaso=total[~kaso].mean())
    return out
