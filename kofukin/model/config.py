"""Load and check config/kofukin.yaml (years, budgets, thresholds, rank bands)."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kofukin.model import paths
from kofukin.model.errors import KofukinConfigError, KofukinDataError
from kofukin.model.formulas import EXPECTED, formula_like
from kofukin.model.schemas import DEFAULT_GRANT, GRANTS, MUNI_CATEGORIES, PREF_CODES


@dataclass(frozen=True)
class ScoringRules:
    """Open scoring rules: penalty threshold and points, the outcome category, rank bands of derived items.

    >>> ScoringRules(0.25, -5, "III").penalty_points
    -5
    >>> ScoringRules(1.5, -10, "III")
    Traceback (most recent call last):
        ...
    ValueError: penalty_threshold must be between 0 and 1, got 1.5
    """

    penalty_threshold: float
    penalty_points: int
    outcome_category: str               # the category of the outcome indicators (アウトカム指標)
    rank_bands: dict = field(default_factory=dict)

    def __post_init__(self):
        if not 0 < self.penalty_threshold < 1:
            raise ValueError(f"penalty_threshold must be between 0 and 1, got {self.penalty_threshold}")
        if self.penalty_points > 0:
            raise ValueError(f"penalty_points must be zero or negative, got {self.penalty_points}")
        for item, bands in self.rank_bands.items():
            ranks = [int(r) for r, _ in bands]
            if ranks != sorted(ranks) or len(set(ranks)) != len(ranks) or ranks[0] < 1:
                raise ValueError(f"rank_bands[{item}]: ranks must rise from 1 up, got {ranks}")


# Every key the build reads without a default (docs/assumptions.md names the value each one holds).
REQUIRED = ("report_year", "compare_year", "years", "scoring.penalty_threshold", "scoring.penalty_points",
            "scoring.outcome_category", "allocation.redistribute", "allocation.frame.file",
            "allocation.frame.year", "allocation.frame.additional_top_share",
            "allocation.frame.outcome_oriented_top_share", "synthetic.seed", "synthetic.years",
            "synthetic.first_insured_ratio", "synthetic.request_factor", "synthetic.item_noise",
            "synthetic.totals_spread", "synthetic.totals_noise", "allocation.municipal_frame.ranking_category",
            "allocation.municipal_frame.additional_top_share", "allocation.municipal_frame.years_top_share",
            "allocation.municipal_frame.additional_years", "allocation.municipal_frame.outcome_oriented_municipalities",
            "findings.outcome_top", "findings.rank_comparison", "findings.spread", "municipal.peers", "municipal.pages",
            "municipal.size_classes", "scoring.rank_bands",
            "current.catalogue", "current.figures", "current.goal_max_points", "current.group_max_points",
            "current.shared_goal", "current.indicator_caps", "current.size_class_bands", "current.allocation_rule",
            "current.years", "current.synthetic.year_persistence", "current.synthetic.branch_persistence",
            "current.synthetic.kaso_municipalities", "committee.missed_rate", "committee.strength_rate",
            "committee.name_neighbours", "committee.more_points", "committee.line_sd")
ALLOCATION_RULES = ("score_x_first_insured", "score")      # current.allocation_rule (A39)


def _has(cfg, key: str) -> bool:
    """Whether a dotted ``key`` is present in a loaded YAML document.

    >>> _has({"a": {"b": 0}}, "a.b"), _has({"a": {"b": 0}}, "a.c"), _has({"a": 1}, "a.b")
    (True, False, False)
    """
    for part in key.split("."):
        if not isinstance(cfg, dict) or part not in cfg:
            return False
        cfg = cfg[part]
    return True


def load_config(path: Path | str = paths.CONFIG) -> dict:
    """Read the YAML configuration; year keys become integers.

    >>> cfg = load_config()
    >>> cfg["report_year"], sorted(cfg["years"])[:2]
    (2019, [2018, 2019])
    """
    path = Path(path)
    try:
        cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KofukinDataError(path, [str(exc)]) from exc
    missing = [k for k in REQUIRED if not _has(cfg, k)]
    if missing:
        raise KofukinDataError(path, [f"missing key {k!r}" for k in missing])
    formulas = [f"key {k!r}: {v!r} — expected {EXPECTED}" for k, v in _texts(cfg) if formula_like(v)]
    if formulas:
        raise KofukinDataError(path, formulas)
    cfg["years"] = {int(y): v for y, v in cfg["years"].items()}
    problems = [p for year in cfg["years"] for p in _grant_problems(cfg, year)]
    if (rule := cfg["current"]["allocation_rule"]) not in ALLOCATION_RULES:
        problems.append(f"key 'current.allocation_rule': {rule!r} is not {' or '.join(ALLOCATION_RULES)}")
    try:
        municipal_page_prefectures(cfg, PREF_CODES)
    except KofukinConfigError as exc:
        problems.append(f"key {exc}")
    if problems:
        raise KofukinDataError(path, problems)
    return cfg


def year_grants(cfg: dict, year: int) -> list[str]:
    """The grants a configured year scores (``years.<y>.grants``; promotion alone where not given, the
    programme of FY2018/FY2019).

    >>> year_grants(cfg, 2019), year_grants(cfg, 2023)
    (['promotion'], ['promotion', 'support'])
    """
    return list(cfg["years"].get(year, {}).get("grants", [DEFAULT_GRANT]))


def two_grant_year(cfg: dict) -> int | None:
    """The latest configured year that scores both grants (the FY2025 市町村分 pots are split by its
    scores), or None.

    >>> two_grant_year(cfg)
    2023
    """
    years = [y for y in sorted(cfg["years"]) if len(year_grants(cfg, y)) > 1]
    return years[-1] if years else None


def has_prefectural_results(cfg: dict, year: int) -> bool:
    """Whether a configured year has prefectural results (a catalogue or a maximum); one without is municipal-only
    (FY2023): nothing of it needs prefectural scores, and its municipalities have no penalty rule (A31).

    >>> has_prefectural_results(cfg, 2019), has_prefectural_results(cfg, 2018), has_prefectural_results(cfg, 2023)
    (True, True, False)
    """
    entry = cfg["years"].get(year, {})
    return "prefecture_catalogue" in entry or "prefecture_max_points" in entry


def municipal_budget(cfg: dict, year: int, grant: str) -> int | None:
    """A year's 市町村分 budget of one grant in 千円 (``years.<y>.municipal_budget_thousand_yen``: one amount
    for a one-grant year, else one per grant); None where the year has none.

    >>> municipal_budget(cfg, 2019, "promotion"), municipal_budget(cfg, 2023, "support")
    (19000000, 19000000)
    """
    return _per_grant(cfg, year, "municipal_budget_thousand_yen", grant)


def prefecture_budget(cfg: dict, year: int, grant: str) -> int | None:
    """A year's 都道府県分 budget of one grant in 千円 (``years.<y>.prefecture_budget_thousand_yen``: one amount
    for a one-grant year, else one per grant); None where the year has none.

    >>> prefecture_budget(cfg, 2019, "promotion"), prefecture_budget(cfg, 2023, "promotion")
    (1000000, None)
    """
    return _per_grant(cfg, year, "prefecture_budget_thousand_yen", grant)


def _per_grant(cfg: dict, year: int, key: str, grant: str) -> int | None:
    amount = grant_entry(cfg, year, key, grant)
    return None if amount is None else int(amount)


def _by_grant(value) -> bool:
    """Whether a year's entry is given per grant: a mapping of amounts, or of mappings (maxima per category).

    >>> _by_grant({"promotion": 5}), _by_grant({"I": 71, "II": 468}), _by_grant({"promotion": {"I": 71}}), _by_grant(5)
    (True, False, True, False)
    """
    return isinstance(value, dict) and (all(isinstance(v, dict) for v in value.values()) or not set(value) & set(MUNI_CATEGORIES))


PER_GRANT_KEYS = ("prefecture_budget_thousand_yen", "municipal_budget_thousand_yen", "prefecture_max_points",
                  "municipal_category_max")


def _grant_problems(cfg: dict, year: int) -> list[str]:
    """What is wrong with a year's grants and the entries given per grant (budgets, municipal maxima), each
    naming its key.

    >>> _grant_problems({"years": {2030: {"grants": ["promotion", "bonus"], "municipal_budget_thousand_yen": 5}}}, 2030)
    ["key 'years.2030.grants': unknown grant 'bonus' (known: promotion, support)", "key 'years.2030.municipal_budget_thousand_yen': one amount per grant (promotion, bonus), as a mapping"]
    """
    entry, key = cfg["years"][year], f"years.{year}"
    grants = entry.get("grants", [DEFAULT_GRANT])
    if not isinstance(grants, list) or not grants or len(set(grants)) != len(grants):
        return [f"key '{key}.grants': a list of distinct grants ({', '.join(GRANTS)}), got {grants!r}"]
    problems = [f"key '{key}.grants': unknown grant {g!r} (known: {', '.join(GRANTS)})" for g in grants if g not in GRANTS]
    for name in PER_GRANT_KEYS:
        value = entry.get(name)
        if _by_grant(value):
            problems += [f"key '{key}.{name}.{g}': missing (one for each grant the year scores)" for g in grants if g not in value]
            problems += [f"key '{key}.{name}.{g}': not a grant the year scores ({', '.join(grants)})" for g in value if g not in grants]
        elif value is not None and len(grants) > 1:
            what = {"prefecture_max_points": "one maximum", "municipal_category_max": "one set of maxima"}.get(name, "one amount")
            problems.append(f"key '{key}.{name}': {what} per grant ({', '.join(grants)}), as a mapping")
    return problems


def grant_entry(cfg: dict, year: int, key: str, grant: str):
    """A year's entry ``key`` for one grant: the grant's part where the year gives one per grant, else the entry.

    >>> grant_entry(cfg, 2018, "municipal_category_max", "promotion")
    {'I': 71, 'II': 468, 'III': 73}
    """
    value = cfg["years"].get(year, {}).get(key)
    return value.get(grant) if _by_grant(value) else value


def _texts(value, key: str = ""):
    """Every key and text value of a loaded YAML document, with its dotted key.

    >>> list(_texts({"a": {"b": "x", "c": [1, "＝y"]}}))
    [('a', 'a'), ('a.b', 'b'), ('a.b', 'x'), ('a.c', 'c'), ('a.c[1]', '＝y')]
    """
    if isinstance(value, dict):
        for k, v in value.items():
            where = f"{key}.{k}" if key else str(k)
            yield where, k
            yield from _texts(v, where)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, f"{key}[{i}]")
    elif isinstance(value, str):
        yield key, value


def scoring_rules(cfg: dict) -> ScoringRules:
    """The ScoringRules named in a loaded configuration.

    >>> rules = scoring_rules(cfg)
    >>> rules.penalty_threshold, rules.outcome_category, rules.rank_bands["III-①"]
    (0.3, 'III', [(24, 20)])
    """
    s = cfg["scoring"]
    bands = {item: [(int(r), int(p)) for r, p in b] for item, b in s["rank_bands"].items()}
    return ScoringRules(float(s["penalty_threshold"]), int(s["penalty_points"]), str(s["outcome_category"]), bands)


def municipal_page_prefectures(cfg: dict, codes: list[str]) -> list[str]:
    """The prefectures (of ``codes``) whose municipalities get pages (``municipal.pages``: true for all, false for
    none, or a list of prefecture codes).

    >>> municipal_page_prefectures({"municipal": {"pages": ["31", 13]}}, ["13", "31", "47"]), len(municipal_page_prefectures(cfg, ["13", "31"]))
    (['13', '31'], 2)
    """
    pages = cfg["municipal"]["pages"]
    if isinstance(pages, bool):
        return list(codes) if pages else []
    if not isinstance(pages, list):
        raise KofukinConfigError(f"municipal.pages: true, false or a list of prefecture codes, got {pages!r}")
    wanted = {f"{int(c):02d}" if str(c).isdigit() else str(c) for c in pages}
    unknown = sorted(wanted - set(codes))
    if unknown:
        raise KofukinConfigError(f"municipal.pages: {', '.join(unknown)} is not a prefecture code (01–47)")
    return [c for c in codes if c in wanted]


def municipal_comparison(year: int, compare_year: int, split_year: int) -> tuple[int, int]:
    """The years of the municipal 年度比較 (its page ``kofukin.pages.municipal_years`` and its sheets): the report year →
    the latest two-grant year (``split_year``), or the comparison year → the report year where that is the two-grant year.

    >>> municipal_comparison(2019, 2018, 2023), municipal_comparison(2099, 2019, 2099)
    ((2019, 2023), (2019, 2099))
    """
    return (compare_year if split_year == year else year), split_year


def page_years(fiscal_year: int | None = None, compare_year: int | None = None, root: Path | str | None = None,
               municipal: bool = False) -> tuple[int, int]:
    """A page's years: those given, else the configuration's (a notebook's parameters default to None) — the report
    and comparison years, or with ``municipal`` those of the municipal 年度比較 (``municipal_comparison``).

    >>> page_years(), page_years(2099), page_years(municipal=True)
    ((2019, 2018), (2099, 2018), (2023, 2019))
    """
    cfg = load_config(paths.project(root)["config"])
    later, before = cfg["report_year"], cfg["compare_year"]
    if municipal:
        before, later = municipal_comparison(later, before, two_grant_year(cfg))
    return (later if fiscal_year is None else fiscal_year), (before if compare_year is None else compare_year)
