"""The layout of a ministry results workbook (「評価指標に係る該当状況調査票集計表」), read from its own header:
header rows 1–8 with merged cells carried to the right (a value in one row starts afresh every row below it),
attribute columns and statistics rows found by their labels, detail (branch) columns told from subtotal columns,
and columns nobody has described left out.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from kofukin.intake.read import header_key
from kofukin.intake.xlsx_sheet import Sheet, column_letter

HEADER_ROWS = range(2, 9)                 # rows 2–8: 交付金, 目標, 指標群, 指標番号, 指標名, 枝番, 枝番の①…
TITLE_ROW = 1
ATTRIBUTES = {                            # key → labels (after header_key)
    "serial": ("通し番号", "no", "no."),
    "pref_no": ("都道府県番号", "都道府県コード"),
    "insurer_no": ("保険者番号",),
    "pref_name": ("都道府県名", "都道府県"),
    "muni_name": ("市町村名",),
    "population": ("人口",),
    "first_insured": ("第1号被保険者数",),
    "size_class": ("区分",),
    "kaso": ("過疎地域該当有無",),
    "prev_total": ("前年度合計得点",),
    "prev_rank": ("前年度順位",),
}
STATISTICS = {                            # key → labels
    "points": ("配点",), "sum": ("全国合計", "全国計"), "mean": ("平均点", "平均"), "item_mean": ("項目平均",),
    "rate_mean": ("平均得点率", "平均率"), "median": ("中央値", "中位"), "sd": ("標準偏差",),
    "n_scoring": ("該当市町村数", "該当数", "該当都道府県数"), "rate": ("該当率",),
}
STATISTIC_LABELS = {"points": "配点", "sum": "全国合計", "mean": "平均点", "item_mean": "項目平均", "rate_mean": "平均得点率",
                    "median": "中央値", "sd": "標準偏差", "n_scoring": "該当市町村数", "rate": "該当率"}
GRANTS = {"promotion": ("推進",), "support": ("支援",)}
GOALS = ("IV", "III", "II", "I")
_GROUP_SUB = re.compile(r"^(iv|iii|ii|i)\((ii|i)\)計$")
_GOAL_SUB = re.compile(r"^(iv|iii|ii|i)合計$")
_GOAL = re.compile(r"目標\s*(IV|III|II|I)(?![A-Za-z])")
_NUMBER = re.compile(r"\d+")
_LABEL_KEYS = {header_key(lb): k for k, labels in ATTRIBUTES.items() for lb in labels}
_STAT_KEYS = {header_key(lb): k for k, labels in STATISTICS.items() for lb in labels}


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unicodedata.normalize("NFKC", str(v)).strip()


@dataclass
class Column:
    """One column of the workbook: its place, kind and what its header says.

    kind: "attribute" (key), "detail" (grant, goal, group, indicator, branch), "subtotal" (level "group" | "goal" |
    "grant" | "total", with grant/goal/group), "rank", or "unknown".
    """

    number: int
    kind: str
    label: str                      # the header as a message names it (the column's own texts, else the carried ones)
    key: str | None = None
    level: str | None = None
    grant: str | None = None
    goal: str | None = None
    goal_name: str | None = None
    group: str | None = None
    indicator: str | None = None
    indicator_name: str | None = None
    branch: str | None = None
    header_rows: dict = field(default_factory=dict)      # row → the carried header text

    @property
    def letter(self) -> str:
        return column_letter(self.number)

    @property
    def named(self) -> str:
        """How messages name the column: letter and label."""
        return f"{self.letter} {self.label}".rstrip()


def carried_header(sheet: Sheet) -> tuple[list[dict[int, str]], list[dict[int, str]]]:
    """Per column (0-based), the header rows' own texts and the texts carried from the left: a value applies to
    the columns to its right until the next value in its row, and a new value restarts the rows below it."""
    width = max((len(sheet.rows[r - 1]) for r in HEADER_ROWS if r - 1 < len(sheet.rows)), default=0)
    own, carried = [], []
    carry: dict[int, str] = {}
    for c in range(1, width + 1):
        mine = {r: t for r in HEADER_ROWS if (t := _text(sheet.cell(r, c)))}
        for r in sorted(mine):
            carry = {k: v for k, v in carry.items() if k < r}
            carry[r] = mine[r]
        own.append(mine)
        carried.append(dict(carry))
    return own, carried


def _grant(text: str) -> str | None:
    key = header_key(text)
    return next((g for g, names in GRANTS.items() if any(n in key for n in names) and "交付金" in key or key in names), None)


def _group(text: str, goal: str | None) -> str | None:
    if "体制" in text or "(i)" in text.replace(" ", "") and "(ii)" not in text.replace(" ", ""):
        return "structure"
    if "活動" in text or "(ii)" in text.replace(" ", ""):
        return "activity"
    if "成果" in text or goal == "IV":
        return "outcome"
    return None


def _branch(letter_text: str, sub_text: str) -> str:
    """枝番 and sub-branch joined (ア, ア①); "－" when the indicator has none; a sub-branch written 1 is ①."""
    sub = sub_text.strip()
    if sub.isascii() and sub.isdigit() and 1 <= int(sub) <= 20:
        sub = chr(0x2460 + int(sub) - 1)
    joined = (letter_text.strip() + sub).replace(" ", "")
    return joined or "－"


def _raw(sheet: Sheet, row: int, col: int) -> str:
    v = sheet.cell(row, col)
    return "" if v is None else str(v).strip()


def classify(sheet: Sheet) -> list[Column]:
    """Every column of the sheet, classified from its header."""
    own, carried = carried_header(sheet)
    out = []
    for i, (mine, have) in enumerate(zip(own, carried)):
        c = i + 1
        keys = {header_key(t) for t in mine.values()}
        label = " / ".join(mine[r] for r in sorted(mine)) or " / ".join(have[r] for r in sorted(have))
        col = Column(c, "unknown", label, header_rows=have)
        attr = next((_LABEL_KEYS[k] for k in keys if k in _LABEL_KEYS), None)
        grant = _grant(have.get(2, ""))
        goal_m = _GOAL.search(have.get(3, ""))
        goal = goal_m[1] if goal_m else None
        if attr:
            col.kind, col.key = "attribute", attr
        elif any(k in ("今年度順位", "順位") for k in keys):
            col.kind = "rank"
        elif m := next((m for k in keys if (m := _GROUP_SUB.match(k))), None):
            col.kind, col.level, col.grant, col.goal = "subtotal", "group", grant, m[1].upper()
            col.group = "structure" if m[2] == "i" else "activity"
        elif m := next((m for k in keys if (m := _GOAL_SUB.match(k))), None):
            col.kind, col.level, col.grant, col.goal = "subtotal", "goal", grant, m[1].upper()
        elif keys & {"推進合計", "支援合計"}:
            col.kind, col.level = "subtotal", "grant"
            col.grant = "promotion" if "推進合計" in keys else "support"
        elif keys & {"推進・支援合計", "合計", "総合計"}:
            col.kind, col.level = "subtotal", "total"
        elif grant and goal and (ind := _NUMBER.search(have.get(5, ""))):
            col.kind, col.grant, col.goal = "detail", grant, goal
            col.goal_name = re.sub(r"^目標\s*[ⅠⅡⅢⅣIV]+[\s　:：・]*", "", _raw_goal(sheet, c, have)).strip() or None
            col.group = _group(have.get(4, ""), goal)
            col.indicator = str(int(ind[0]))
            col.indicator_name = have.get(6)
            col.branch = _branch(have.get(7, ""), _raw_carried(sheet, 8, c, have))
        out.append(col)
    return out


def _raw_goal(sheet: Sheet, c: int, have: dict) -> str:
    """The goal's text as printed (not NFKC, so its name keeps its own characters): the carried row-3 cell."""
    for cc in range(c, 0, -1):
        if (t := _raw(sheet, 3, cc)):
            return t
    return have.get(3, "")


def _raw_carried(sheet: Sheet, row: int, c: int, have: dict) -> str:
    """A carried header cell as printed (①…: NFKC would make it 1)."""
    if row not in have:
        return ""
    for cc in range(c, 0, -1):
        if (t := _raw(sheet, row, cc)):
            return t
    return ""


def find_statistics(sheet: Sheet, label_columns: list[int], first_data: int) -> dict[str, int]:
    """Statistic key → its row, found by the label in any of ``label_columns`` between the header and the data."""
    out = {}
    for r in range(max(HEADER_ROWS) + 1, first_data):
        for c in label_columns:
            if (key := _STAT_KEYS.get(header_key(_text(sheet.cell(r, c))))) and key not in out:
                out[key] = r
                break
    return out


def year_of_title(text: str) -> int | None:
    """The fiscal year (西暦) a title names: 令和８年度 → 2026, 令和元年度 → 2019, 2026年度 → 2026.

    >>> year_of_title("01_（掲載用）令和６年度評価結果（市町村分）"), year_of_title("令和元年度"), year_of_title("集計表")
    (2024, 2019, None)
    """
    t = unicodedata.normalize("NFKC", text or "")
    if m := re.search(r"令和\s*(元|\d{1,2})\s*年度", t):
        return 2018 + (1 if m[1] == "元" else int(m[1]))
    if m := re.search(r"(20\d\d)\s*年度", t):
        return int(m[1])
    return None
