"""Schemas of every raw, input and processed table, checked on load and before writing."""

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import Check

from kofukin.model.errors import KofukinDataError
from kofukin.model.formulas import formula_like

PREF_CODES = [f"{i:02d}" for i in range(1, 48)]
# A prefectural category code (I, II-2A, III, …): each year's catalogue names its own categories.
CATEGORY = r"^[IVX]+(-[0-9A-Za-z]+)*$"
MUNI_CATEGORIES = ["I", "II", "III"]
TOTAL = "TOTAL"
# The two grants since FY2020: 保険者機能強化推進交付金 (promotion, 推進) and 介護保険保険者努力支援交付金
# (support, 支援); FY2018/FY2019 score promotion only. Which grants a year scores is configuration (years.<y>.grants).
# each grant's key, short and full name
GRANT_NAMES = {"promotion": ("推進", "保険者機能強化推進交付金"), "support": ("支援", "介護保険保険者努力支援交付金")}
GRANTS = list(GRANT_NAMES)
DEFAULT_GRANT = "promotion"     # the grant of a year whose configuration names none (FY2018/FY2019's only grant)


def of_grant(table: pd.DataFrame, grant: str = DEFAULT_GRANT) -> pd.DataFrame:
    """The rows of one grant: what a page of that grant shows of a table, so that it never mixes the two
    grants of a two-grant year.

    >>> of_grant(pd.DataFrame({"grant": ["promotion", "support"], "x": [1, 2]}), "support")["x"].tolist()
    [2]
    """
    return table[table["grant"] == grant].reset_index(drop=True)


# Real 6-digit municipal codes, or kofukin's plainly synthetic S + prefecture + serial.
MUNI_CODE = r"^(\d{6}|S\d{5})$"


def _year():
    return pa.Column(int, Check.in_range(2000, 2100))


def _pref():
    return pa.Column(str, Check.isin(PREF_CODES))


def _category(total=False):
    check = Check.str_matches(f"({CATEGORY})|^{TOTAL}$") if total else Check.str_matches(CATEGORY)
    return pa.Column(str, check)


def _grant():
    return pa.Column(str, Check.isin(GRANTS))


def _flag():
    return pa.Column(bool)


def _not_a_formula():
    """Text that no spreadsheet would run (``kofukin.model.formulas``)."""
    return Check(lambda s: ~s.map(formula_like), name="text_not_a_formula")


def _text():
    return pa.Column(str, [Check.str_length(min_value=1), _not_a_formula()])


def _note():
    return pa.Column(str, _not_a_formula(), nullable=True)


def _count(nullable=False):
    return pa.Column(int if not nullable else "Int64", Check.ge(0), nullable=nullable)


def _rate():
    return pa.Column(float, Check.in_range(-1, 1))


def _schema(columns, unique=None):
    return pa.DataFrameSchema(columns, coerce=True, strict=True, unique=unique)


SCHEMAS = {
    # raw
    "prefectures": _schema({
        "pref_code": _pref(), "pref_name": _text(), "region": _text(),
        "population_2020_census": pa.Column(int, Check.gt(0)),
        "municipalities_2019": pa.Column(int, Check.gt(0)),
    }, unique=["pref_code"]),
    "prefecture_items": _schema({
        "category": _category(), "item": _text(), "label": _text(),
        "max_points": pa.Column(int, Check.ge(0)), "national_average": pa.Column(float),
        "rule": pa.Column(str, Check.isin(["binary", "graded", "rank_band", "penalty"])),
        "input": pa.Column(str, Check.isin(["level", "value", "municipal_average_rate", "municipal_rates"])),
        "levels": pa.Column(str, Check.str_matches(r"^-?\d+(\|-?\d+)+$")),
        "rule_source": pa.Column(str, Check.isin(["seed", "assumption"])),
        "grants": _text(),           # the grants the item counts for, |-separated (kofukin.model.catalogue.load_items)
    }, unique=["item"]),
    "prefecture_categories": _schema({
        "grant": _grant(), "category": _category(total=True), "label": _text(), "short_label": _text(),
        "max_points": _count(), "national_average": pa.Column(float), "score_rate_pct": pa.Column(float),
    }, unique=["grant", "category"]),
    "municipal_categories": _schema({
        "fiscal_year": _year(), "grant": _grant(), "category": pa.Column(str, Check.isin(MUNI_CATEGORIES + [TOTAL])),
        "label": _text(), "short_label": _text(), "max_points": _count(), "national_average": pa.Column(float),
        "score_rate_pct": pa.Column(float, nullable=True),
    }, unique=["fiscal_year", "grant", "category"]),
    "crosswalk": _schema({
        "item_from": _note(), "item_to": _note(),
        "change": pa.Column(str, Check.isin(["unchanged", "points_changed", "hurdle_raised", "changed", "new", "discontinued"])),
        "note": _note(),
    }),
    "published_figures": _schema({
        "fiscal_year": _year(), "level": _text(), "metric": _text(),
        "pref_code": pa.Column(str, Check.isin(PREF_CODES), nullable=True),
        "value": pa.Column(float), "unit": _text(), "approximate": _flag(), "source": _text(),
    }, unique=["fiscal_year", "level", "metric", "pref_code"]),
    "prefecture_item_stakes": _schema({
        "fiscal_year": _year(), "grant": _grant(), "pref_code": _pref(), "category": _category(),
        "item": _text(), "points": pa.Column(int), "max_points": _count(), "points_at_stake": pa.Column(int, Check.gt(0)),
        "amount_change_thousand_yen": pa.Column(int), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "pref_code", "item"]),
    "prefecture_category_stakes": _schema({
        "fiscal_year": _year(), "grant": _grant(), "pref_code": _pref(), "category": _category(),
        "score": pa.Column(int), "max_points": _count(), "national_average": pa.Column(float),
        "points_to_average": pa.Column(int, Check.gt(0)), "amount_change_thousand_yen": pa.Column(int), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "pref_code", "category"]),
    "municipal_allocation": _schema({
        "fiscal_year": _year(), "grant": _grant(), "muni_code": pa.Column(str, Check.str_matches(MUNI_CODE)), "pref_code": _pref(),
        "score": pa.Column(int), "first_insured": _count(), "amount_thousand_yen": _count(), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "muni_code"]),
    "municipal_category_stakes": _schema({
        "fiscal_year": _year(), "grant": _grant(), "muni_code": pa.Column(str, Check.str_matches(MUNI_CODE)), "pref_code": _pref(),
        "category": pa.Column(str, Check.isin(MUNI_CATEGORIES)), "score": _count(), "max_points": _count(),
        "national_average": pa.Column(float), "points_to_average": pa.Column(int, Check.gt(0)),
        "amount_change_thousand_yen": pa.Column(int), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "muni_code", "category"]),
    "scenario_comparison": _schema({
        "fiscal_year": _year(), "grant": _grant(), "pref_code": _pref(), "pref_name": _text(), "baseline_thousand_yen": _count(),
        "scenario_thousand_yen": _count(), "difference_thousand_yen": pa.Column(int),
        "difference_pct": pa.Column(float, nullable=True), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "pref_code"]),
    "prefecture_frame": _schema({
        "fiscal_year": _year(), "pref_code": _pref(), "grant": pa.Column(str, Check.isin(GRANTS)),
        "pot": pa.Column(str, Check.isin(["base", "additional", "outcome_oriented"])), "amount_thousand_yen": _count(),
        "synthetic": _flag(),
    }, unique=["pref_code", "grant", "pot"]),
    "municipal_frame": _schema({
        "fiscal_year": _year(), "grant": _grant(), "muni_code": pa.Column(str, Check.str_matches(MUNI_CODE)), "pref_code": _pref(),
        "pot": pa.Column(str, Check.isin(["base", "additional", "outcome_oriented"])), "amount_thousand_yen": _count(),
        "synthetic": _flag(),
    }, unique=["grant", "pot", "muni_code"]),
    "municipal_frame_pots": _schema({
        "fiscal_year": _year(), "grant": _grant(), "pot": pa.Column(str, Check.isin(["base", "additional", "outcome_oriented"])),
        "amount_thousand_yen": _count(), "eligible": _count(), "allocated_thousand_yen": _count(),
        "unallocated_thousand_yen": _count(), "synthetic": _flag(),
    }, unique=["grant", "pot"]),
    "budget_frame": _schema({
        "grant": pa.Column(str, Check.isin(GRANTS)),
        "level": pa.Column(str, Check.isin(["prefecture", "municipal"])),
        "pot": pa.Column(str, Check.isin(["base", "additional", "outcome_oriented"])),
        "amount_thousand_yen": _count(), "grant_label": _text(), "level_label": _text(), "pot_label": _text(),
        "share_label": _text(),
    }, unique=["grant", "level", "pot"]),
    # inputs: real files under data/raw/results/ or kofukin's synthetic stand-ins
    "prefecture_item_results": _schema({
        "fiscal_year": _year(), "pref_code": _pref(), "item": _text(),
        "level": _count(nullable=True), "value": pa.Column(float, nullable=True), "synthetic": _flag(),
    }, unique=["fiscal_year", "pref_code", "item"]),
    "prefecture_total_results": _schema({
        "fiscal_year": _year(), "grant": _grant(), "pref_code": _pref(), "score": pa.Column(int), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "pref_code"]),
    "municipal_category_results": _schema({
        "fiscal_year": _year(), "grant": _grant(), "muni_code": pa.Column(str, Check.str_matches(MUNI_CODE)), "pref_code": _pref(),
        "category": pa.Column(str, Check.isin(MUNI_CATEGORIES)), "score": _count(), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "muni_code", "category"]),
    "municipalities": _schema({      # each year's municipalities (a year's figures use exactly that year's)
        "fiscal_year": _year(), "muni_code": pa.Column(str, Check.str_matches(MUNI_CODE)), "muni_name": _text(),
        "pref_code": _pref(), "population": _count(), "first_insured": _count(), "synthetic": _flag(),
    }, unique=["fiscal_year", "muni_code"]),
    "prefecture_requests": _schema({
        "fiscal_year": _year(), "grant": _grant(), "pref_code": _pref(), "request_thousand_yen": _count(), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "pref_code"]),
    # processed (contract)
    "prefecture_item_scores": _schema({     # an item counting for both grants has a row of each
        "fiscal_year": _year(), "grant": _grant(), "pref_code": _pref(), "category": _category(),
        "item": _text(), "points": pa.Column(int), "max_points": _count(), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "pref_code", "item"]),
    "prefecture_scores": _schema({
        "fiscal_year": _year(), "grant": _grant(), "pref_code": _pref(), "pref_name": _text(),
        "category": _category(total=True),
        "score": pa.Column(int), "max_points": pa.Column(int, Check.gt(0)), "score_rate": _rate(),
        "rank": pa.Column(int, Check.in_range(1, 47)), "national_average": pa.Column(float),
        "distance_to_average": pa.Column(float), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "pref_code", "category"]),
    "municipal_scores": _schema({
        "fiscal_year": _year(), "grant": _grant(), "muni_code": pa.Column(str, Check.str_matches(MUNI_CODE)), "pref_code": _pref(),
        "category": pa.Column(str, Check.isin(MUNI_CATEGORIES + [TOTAL])), "score": _count(),
        "max_points": pa.Column(int, Check.gt(0)), "score_rate": _rate(),
        "penalty_level": pa.Column("boolean", nullable=True),       # blank: the year has no penalty rule (FY2023)
        "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "muni_code", "category"]),
    "municipal_ranks": _schema({
        "fiscal_year": _year(), "grant": _grant(), "muni_code": pa.Column(str, Check.str_matches(MUNI_CODE)), "pref_code": _pref(),
        "score": pa.Column(int), "max_points": pa.Column(int, Check.gt(0)), "score_rate": pa.Column(float),
        "rank_in_prefecture": pa.Column(int, Check.ge(1)), "n_in_prefecture": pa.Column(int, Check.ge(1)),
        "rank_national": pa.Column(int, Check.ge(1)), "n_national": pa.Column(int, Check.ge(1)), "size_class": _text(),
        "rank_in_size_class": pa.Column(int, Check.ge(1)), "n_in_size_class": pa.Column(int, Check.ge(1)),
        "first_insured": pa.Column(int, Check.gt(0)), "amount_thousand_yen": pa.Column("Int64", Check.ge(0), nullable=True),
        "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "muni_code"]),
    "prefecture_allocation": _schema({
        "fiscal_year": _year(), "grant": _grant(), "pref_code": _pref(), "amount_thousand_yen": _count(), "score": pa.Column(int),
        "share_thousand_yen": _count(), "cap_thousand_yen": _count(nullable=True), "capped": _flag(),
        "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "pref_code"]),
    "source_consistency": _schema({
        "check": _text(), "scope": _text(), "published": pa.Column(float, nullable=True),
        "computed": pa.Column(float), "difference": pa.Column(float, nullable=True),
        "consistent": _flag(), "note": _note(),
    }, unique=["check", "scope"]),
}


# The current structure (FY2024+): two grants × goals I–IV × groups (CONTRACT_current.md, kofukin.model.current).
CURRENT_GOALS = ["I", "II", "III", "IV"]
CURRENT_GROUPS = ["structure", "activity", "outcome"]
# kofukin's synthetic S + prefecture + serial, or M + prefecture + order in a real workbook's prefecture.
CURRENT_MUNI_CODE = r"^(S\d{5}|M\d{2}[0-9a-f]{6})$"        # synthetic; real (intake.workbook.muni_code)
BRANCH_ID = r"^(I|II|III|IV)(\(i\)|\(ii\))?\d+\S+$"


def _current_keys():
    return {"fiscal_year": _year(), "grant": _grant(), "goal": pa.Column(str, Check.isin(CURRENT_GOALS)),
            "group": pa.Column(str, Check.isin(CURRENT_GROUPS))}


def _muni_code():
    return pa.Column(str, Check.str_matches(CURRENT_MUNI_CODE))


def _rank():
    return pa.Column("Int64", Check.ge(1), nullable=True)


SCHEMAS.update({
    "current_reference": _schema({      # raw: the published per-column statistics (data/raw/catalogue)
        "fiscal_year": _year(), "grant": pa.Column(str, Check.isin(["推進", "支援", "合計"])),
        "goal": pa.Column(str, Check.isin(["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ"]), nullable=True), "goal_name": _note(),
        "group": pa.Column(str, Check.isin(["体制・取組", "活動", "成果"]), nullable=True),
        "row_kind": pa.Column(str, Check.isin(["branch", "subtotal"])),
        "indicator_no": pa.Column("Int64", Check.ge(1), nullable=True), "indicator_name": _note(),
        "branch": _note(), "sub_branch": _note(), "subtotal_label": _note(),
        "column_number": pa.Column(int, Check.ge(1)), "column_letter": pa.Column(str, Check.str_matches(r"^[A-Z]{1,3}$")),
        "points": pa.Column(float, Check.ge(0)), "national_mean": pa.Column(float),
        "national_median": pa.Column(float, nullable=True), "sd": pa.Column(float, Check.ge(0)),
        "municipalities_scoring": pa.Column("Int64", Check.ge(0), nullable=True),
        "rate": pa.Column(float, Check.in_range(0, 1), nullable=True), "source_id": _text(),
    }, unique=["fiscal_year", "column_number"]),
    "current_figures": _schema({        # raw: published national figures of the current structure
        "fiscal_year": _year(), "level": pa.Column(str, Check.isin(["municipal", "prefecture"])), "metric": _text(),
        "grant": pa.Column(str, Check.isin(GRANTS + ["total"]), nullable=True),
        "goal": pa.Column(str, Check.isin(CURRENT_GOALS), nullable=True), "subset": _note(),
        "value": pa.Column(float), "unit": _text(), "source": _text(),
    }, unique=["fiscal_year", "level", "metric", "grant", "goal", "subset"]),
    "current_catalogue": _schema({
        **_current_keys(), "goal_name": _text(), "indicator": pa.Column(str, Check.str_matches(r"^\d+$")),
        "indicator_name": _text(), "branch": _text(), "branch_id": pa.Column(str, Check.str_matches(BRANCH_ID)),
        "points": pa.Column(float, Check.gt(0)), "indicator_cap": pa.Column(float, Check.gt(0), nullable=True),
        "may_be_blank": _flag(), "column_letter": pa.Column(str, nullable=True), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "branch_id"]),
    "current_municipalities": _schema({
        "fiscal_year": _year(), "muni_code": _muni_code(), "pref_code": _pref(), "muni_name": _text(),
        "insurer_no": pa.Column(str, Check.str_matches(r"^\d{5,6}$"), nullable=True),
        "union_no": pa.Column(str, Check.str_matches(r"^\d{5,6}$"), nullable=True), "union_name": _note(),
        "population": _count(nullable=True), "first_insured": _count(nullable=True),
        "size_class": pa.Column("Int64", Check.in_range(1, 5), nullable=True),
        "kaso": pa.Column("boolean", nullable=True), "synthetic": _flag(),
    }, unique=["fiscal_year", "muni_code"]),
    "current_unions": _schema({
        "fiscal_year": _year(), "pref_code": _pref(), "union_no": pa.Column(str, Check.str_matches(r"^\d{5,6}$")),
        "union_name": _text(), "members": pa.Column(int, Check.ge(1)), "synthetic": _flag(),
    }, unique=["fiscal_year", "union_no"]),
    "current_branch_scores": _schema({
        "fiscal_year": _year(), "muni_code": _muni_code(), "grant": _grant(), "branch_id": pa.Column(str),
        "points": pa.Column(float, Check.ge(0), nullable=True), "synthetic": _flag(),
    }),
    "current_scores": _schema({
        "fiscal_year": _year(), "muni_code": _muni_code(), "pref_code": _pref(),
        "grant": pa.Column(str, Check.isin(GRANTS + ["total"])),
        "level": pa.Column(str, Check.isin(["total", "grant", "goal", "group", "indicator"])),
        "goal": pa.Column(str, Check.isin(CURRENT_GOALS), nullable=True),
        "group": pa.Column(str, Check.isin(CURRENT_GROUPS), nullable=True),
        "indicator": pa.Column(str, nullable=True), "score": pa.Column(float, Check.ge(0)),
        "max_points": pa.Column(float, Check.gt(0)), "size_class": pa.Column("Int64", Check.in_range(1, 5), nullable=True),
        "rank_national": _rank(), "rank_in_prefecture": _rank(), "rank_in_size_class": _rank(), "synthetic": _flag(),
    }),
    "current_branch_rates": _schema({
        **_current_keys(), "indicator": pa.Column(str), "branch": _text(), "branch_id": pa.Column(str, Check.str_matches(BRANCH_ID)),
        "points": pa.Column(float, Check.gt(0)), "national_mean": pa.Column(float, Check.ge(0)), "n_scoring": _count(),
        "rate": pa.Column(float, Check.in_range(0, 1)), "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "branch_id"]),
    "current_allocation": _schema({
        "fiscal_year": _year(), "grant": _grant(), "muni_code": _muni_code(), "pref_code": _pref(),
        "score": pa.Column(float, Check.ge(0)), "first_insured": _count(nullable=True), "amount_thousand_yen": _count(),
        "synthetic": _flag(),
    }, unique=["fiscal_year", "grant", "muni_code"]),
})

def empty(name: str) -> pd.DataFrame:
    """A table of schema ``name`` with no rows (what a municipal-only year has of the prefectural tables).

    >>> list(empty("prefecture_allocation").columns)[:3], len(empty("prefecture_allocation"))
    (['fiscal_year', 'grant', 'pref_code'], 0)
    """
    return pd.DataFrame({c: pd.Series(dtype=object) for c in SCHEMAS[name].columns})


_BOOL_TEXT = {"true": True, "false": False, "True": True, "False": False}


def read_table(name: str, path: Path | str) -> pd.DataFrame:
    """Read a UTF-8 CSV and check it against schema ``name``; blank cells are missing, never zero.

    >>> read_table("prefectures", "data/raw/reference/prefectures.csv").shape
    (47, 5)
    """
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise KofukinDataError(path, [f"cannot read as UTF-8 CSV: {exc}"]) from exc
    return check_table(name, df, path)


def check_table(name: str, df: pd.DataFrame, path: Path | str) -> pd.DataFrame:
    """Validate ``df`` against schema ``name``; raise KofukinDataError naming every row and field at fault.

    >>> check_table("prefecture_requests", pd.DataFrame({"fiscal_year": [2019], "grant": "promotion", "pref_code": ["48"], "request_thousand_yen": [-1], "synthetic": [True]}), "requests.csv")
    Traceback (most recent call last):
        ...
    kofukin.model.errors.KofukinDataError: requests.csv: 2 problem(s)
      - row 2, field 'pref_code': value '48' fails isin(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46', '47'])
      - row 2, field 'request_thousand_yen': value -1 fails greater_than_or_equal_to(0)
    """
    schema = SCHEMAS[name]
    expected = list(schema.columns)
    problems = [f"missing column {c!r}" for c in expected if c not in df.columns]
    problems += [f"unexpected column {c!r}" for c in df.columns if c not in expected]
    if problems:
        raise KofukinDataError(path, problems)
    df = df[expected].copy()
    for col, column in schema.columns.items():
        if str(column.dtype) == "bool" and df[col].dtype != bool:
            bad = ~df[col].isin(list(_BOOL_TEXT))
            problems += [f"row {i + 2}, field {col!r}: {v!r} is not true/false" for i, v in df.loc[bad, col].items()]
            df[col] = df[col].map(_BOOL_TEXT)
        elif str(column.dtype) == "boolean" and str(df[col].dtype) != "boolean":    # true/false, blank = unknown
            values = df[col].map(lambda v: _BOOL_TEXT.get(v, v) if isinstance(v, str) else v)
            bad = df[col].notna() & ~values.map(lambda v: isinstance(v, (bool, np.bool_)))
            problems += [f"row {i + 2}, field {col!r}: {v!r} is not true/false or blank" for i, v in df.loc[bad, col].items()]
            df[col] = values.where(~bad).astype("boolean")
    if problems:
        raise KofukinDataError(path, problems)
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise KofukinDataError(path, _describe(exc.failure_cases)) from None


def _describe(cases: pd.DataFrame) -> list[str]:
    out = []
    for case in cases.itertuples(index=False):
        row = "" if pd.isna(case.index) else f"row {int(case.index) + 2}, "
        field = "" if pd.isna(case.column) else f"field {case.column!r}: "
        out.append(f"{row}{field}value {case.failure_case!r} fails {case.check}")
    return sorted(set(out), key=out.index)
