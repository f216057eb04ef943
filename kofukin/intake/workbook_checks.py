"""A results workbook checks itself: its data rows must reproduce, at the precision it shows, its own statistics
rows, subtotal columns and ranks; its header must be the shipped catalogue of its year where there is one.
Every disagreement is a ``Problem`` naming the sheet, row, column (letter and label) and both values."""

import math

import numpy as np
import pandas as pd

from kofukin.intake.validate import Problem
from kofukin.intake.workbook_layout import STATISTIC_LABELS, Column

COMPARED = ("letter", "grant", "goal", "group", "indicator", "branch", "points")
HEADER_ROW_OF = {"grant": 2, "goal": 3, "group": 4, "indicator": 5, "branch": 7, "points": None, "letter": 2}


def shown(x) -> str:
    """A number as a message shows it: whole numbers without a decimal point.

    >>> shown(4.0), shown(3.25), shown(None)
    ('4', '3.25', 'blank')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "blank"
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:.6g}"


def agrees(stored: float, computed: float) -> bool:
    """Whether ``computed`` rounds to ``stored`` at the precision the workbook shows (the decimals stored).

    >>> agrees(3.9, 3.9080), agrees(3.92, 3.9080), agrees(6804.0, 6805.0), agrees(3.908099, 3.90809912)
    (True, False, False, True)
    """
    text = repr(float(stored))
    decimals = 0 if "e" in text or text.endswith(".0") else len(text.split(".")[1])
    tolerance = 1e-9 * max(1.0, abs(stored)) if decimals >= 9 or "e" in text else 0.5 * 10 ** -decimals + 1e-9
    return abs(float(computed) - float(stored)) <= tolerance


def statistic(key: str, values: np.ndarray, points: float | None):
    """A statistics row's value of one column, from its data rows (None: not checked)."""
    n = len(values)
    if key == "sum":
        return values.sum()
    if key == "mean":
        return values.mean()
    if key == "median":
        return float(np.median(values))
    if key == "n_scoring":
        return float((values > 0).sum())
    if key == "rate":
        return (values > 0).sum() / n
    if key == "rate_mean":
        return values.mean() / points if points else None
    if key == "sd":
        return (values.std(ddof=0), values.std(ddof=1))      # either: which one the ministry uses is not published
    return None                                              # 項目平均: its definition is not published


def check_statistics(where: str, stats: dict[str, int], cell, columns: list[tuple[Column, np.ndarray, float | None]],
                     out: list[Problem]) -> None:
    """Each statistics row against the data rows, column by column (``cell(row, column number)``)."""
    for key, row in sorted(stats.items(), key=lambda kv: kv[1]):
        if key == "points":
            continue
        for col, values, points in columns:
            stored = cell(row, col.number)
            if stored is None or isinstance(stored, str) or (computed := statistic(key, values, points)) is None:
                continue
            options = computed if isinstance(computed, tuple) else (computed,)
            if not any(agrees(stored, c) for c in options):
                out.append(Problem(where, row, col.named, shown(stored),
                                   f"{shown(options[0])}, the {STATISTIC_LABELS[key]} of the {len(values):,} data rows"))


def check_catalogue(where: str, catalogue: pd.DataFrame, shipped: pd.DataFrame | None, year: int,
                    out: list[Problem], points_row: int | None) -> None:
    """The header's catalogue against the shipped one of its year: column by column, every difference named."""
    dup = catalogue[catalogue.duplicated(["grant", "branch_id"], keep=False)]
    for r in dup.itertuples():
        out.append(Problem(where, 7, f"{r.column_letter} {r.label}", r.branch_id,
                           "one column per branch of a grant; the header names this branch twice (a changed header?)"))
    if shipped is None:
        return
    ship = shipped.reset_index(drop=True)
    if len(ship) != len(catalogue):
        out.append(Problem(where, None, None, f"{len(catalogue)} detail columns",
                           f"the {len(ship)} detail columns of the shipped FY{year} catalogue"))
    for (_, got), (_, want) in zip(catalogue.iterrows(), ship.iterrows()):
        for field in COMPARED:
            a = got["column_letter"] if field == "letter" else got[field]
            b = want["column_letter"] if field == "letter" else want[field]
            if field == "points" and not pd.isna(a) and not pd.isna(b) and float(a) == float(b):
                continue
            if str(a) != str(b):
                row = points_row if field == "points" else HEADER_ROW_OF[field]
                out.append(Problem(where, row, f"{got['column_letter']} {got['label']}",
                                   shown(a) if field == "points" else str(a),
                                   f"{field} {shown(b) if field == 'points' else b} of {want['grant']} "
                                   f"{want['branch_id']} (column {want['column_letter']}) as in the shipped FY{year} "
                                   "catalogue: a changed header"))
                break


def indicator_scores(catalogue: pd.DataFrame, details: np.ndarray) -> dict[tuple, np.ndarray]:
    """Per (grant, goal, group, indicator), its score per data row: the branches' sum, at most the indicator's cap
    where it has one — the rule of ``kofukin.model.current`` (docs/assumptions.md A37: in the published statistics
    every subtotal's mean is its branches' summed means, so a municipality scores one alternative of ア/イ)."""
    out = {}
    for key, g in catalogue.groupby(["grant", "goal", "group", "indicator"], sort=False):
        total = details[:, g.index.to_numpy()].sum(axis=1)
        cap = g["indicator_cap"].iloc[0]
        out[key] = total if pd.isna(cap) else np.minimum(total, cap)
    return out


def subtotal_values(ind: dict[tuple, np.ndarray], subtotal: Column) -> np.ndarray:
    """A subtotal column's values from the indicators' scores (``indicator_scores``): groups, goals, grants, total."""
    pick = {"group": lambda k: k[:3] == (subtotal.grant, subtotal.goal, subtotal.group),
            "goal": lambda k: k[:2] == (subtotal.grant, subtotal.goal),
            "grant": lambda k: k[0] == subtotal.grant,
            "total": lambda k: True}[subtotal.level]
    parts = [v for k, v in ind.items() if pick(k)]
    return np.sum(parts, axis=0) if parts else np.zeros(len(next(iter(ind.values()))))


def check_ranks(where: str, rank_col: Column, total: np.ndarray, stored: list, rows: list[int],
                out: list[Problem]) -> None:
    """今年度順位 against the total: best first, ties sharing the best rank."""
    expected = pd.Series(total).rank(ascending=False, method="min").to_numpy()
    for r, got, want in zip(rows, stored, expected):
        if got is None or isinstance(got, str) or float(got) != want:
            out.append(Problem(where, r, rank_col.named, None if got is None else shown(got),
                               f"rank {shown(want)} of the total (best first, ties sharing the best rank)"))
