r"""Spreadsheet formula injection (OWASP "CSV Injection"): which text a spreadsheet would run as a
formula, and how kofukin's outputs keep such text inert.

A cell whose text begins with ``= + - @``, a tab or a carriage return may be evaluated by Excel or
LibreOffice. Intake, scenario files and the configuration refuse such text (``formula_like``, checked
after NFKC so that full-width ``＝`` counts); the CSV files of the report set prefix it with a single
quote (``neutralise``), and the workbooks store every text as a string cell, never a formula.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

LEADING = ("=", "+", "-", "@", "\t", "\r")
EXPECTED = ("a name, not a formula (text may not begin with = + - @, a tab or a carriage return, "
            "half- or full-width)")


def formula_like(value) -> bool:
    r"""Whether ``value`` is text a spreadsheet could run: its first character, or its first after
    leading spaces, is one of ``LEADING`` after NFKC. Numbers are never formula-like.

    >>> formula_like("＝HYPERLINK(1)"), formula_like(" @SUM(1)"), formula_like("\t東京"), formula_like("東京都"), formula_like(-5)
    (True, True, True, False, False)
    """
    if not isinstance(value, str):
        return False
    text = unicodedata.normalize("NFKC", value)
    return text.startswith(LEADING) or text.lstrip().startswith(LEADING)


def neutralise(value):
    """``value`` with a single quote before it if it is formula-like text; anything else unchanged.

    >>> neutralise("=1+1"), neutralise("－5"), neutralise(-5), neutralise("北海道")
    ("'=1+1", "'－5", -5, '北海道')
    """
    return "'" + value if formula_like(value) else value


def neutralise_text(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and headers are neutralised; numeric columns are left alone.

    >>> neutralise_text(pd.DataFrame({"市町村": ["=A1", "札幌市"], "差（千円）": [-5, 3]})).to_dict("list")
    {'市町村': ["'=A1", '札幌市'], '差（千円）': [-5, 3]}
    """
    import pandas as pd

    out = df.copy()
    for j, column in enumerate(df.columns):
        if not pd.api.types.is_numeric_dtype(df.iloc[:, j]):
            out.isetitem(j, df.iloc[:, j].map(neutralise))
    out.columns = [neutralise(c) for c in df.columns]
    return out


def string_cells(ws) -> None:
    """Make every text cell of an openpyxl worksheet a string cell (openpyxl makes text beginning
    with ``=`` a formula).

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> ws.append(["=HYPERLINK(1)", -5])
    >>> string_cells(ws)
    >>> ws["A1"].data_type, ws["A1"].value, ws["B1"].data_type
    ('s', '=HYPERLINK(1)', 'n')
    """
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
