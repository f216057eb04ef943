"""Intake of result files as analysts hold them: layouts per level, reading CSV and Excel.

A result file is named ``<level>_<year>.csv`` or ``.xlsx`` (``prefecture_items_2019.xlsx``) and
holds one level of one fiscal year. ``LAYOUTS`` lists each level's columns with the Japanese header
the templates write; headers are matched after NFKC, so ``所要見込額（千円）`` and
``所要見込額(千円)`` are the same, and an English key works too. The header row need not be the
first: title rows above it (merged cells in ministry sheets) are skipped. Municipal results, prefectural
totals and requests of a year that scores two grants take a 交付金 column, one row per entity and grant
(prefectural item results need none: an item counting for both grants has one result).
"""

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

from kofukin.intake import normalise

HEADER_SEARCH_ROWS = 30
TOTAL_ROW_LABELS = {"合計", "総計", "計", "全国"}


@dataclass(frozen=True)
class Column:
    """One column of a layout: its key, the header templates write, how cells are read.

    >>> LAYOUTS["requests"][-1].header
    '所要見込額（千円）'
    >>> sorted(LAYOUTS["requests"][-1].names())
    ['request_thousand_yen', '所要見込額(千円)']
    """

    key: str
    header: str
    kind: str                      # year, pref_code, pref_name, muni_code, grant, text, item, label, points, value, count
    required: bool = True
    aliases: tuple[str, ...] = ()
    note: str = ""

    def names(self) -> set[str]:
        """Every header this column is recognised by (after ``header_key``).

        >>> sorted(YEAR.names())
        ['fiscal_year', 'fy', '年度', '評価年度']
        """
        return {header_key(n) for n in (self.key, self.header, *self.aliases)}


YEAR = Column("fiscal_year", "年度", "year", aliases=("評価年度", "fy"), note="西暦の年度（例: 2019）")
PREF_CODE = Column("pref_code", "都道府県コード", "pref_code", required=False, aliases=("団体コード(都道府県)", "都道府県番号"),
                   note="01〜47（先頭の0はなくてもよい）")
PREF_NAME = Column("pref_name", "都道府県名", "pref_name", required=False, aliases=("都道府県",),
                   note="都・道・府・県はなくてもよい")
MUNI_CODE = Column("muni_code", "市町村コード", "muni_code", aliases=("団体コード", "保険者番号", "全国地方公共団体コード"),
                   note="6桁（検査数字付き）")
MUNI_NAME = Column("muni_name", "市町村名", "text", required=False, aliases=("保険者名", "団体名"))
GRANT = Column("grant", "交付金", "grant", required=False, aliases=("交付金名", "交付金の種類"),
               note="推進（保険者機能強化推進交付金）または 支援（介護保険保険者努力支援交付金）。"
                    "2つの交付金を評価する年度は必須で、団体ごとに交付金ごとの1行")


def _grant_of(entity: str, what: str = "") -> Column:
    """The 交付金 column of one level, its note naming the level's entity (and what each row of a grant gives).

    >>> _grant_of("都道府県", "合計得点はその交付金の得点").note[-34:]
    '必須で、都道府県ごとに交付金ごとの1行（合計得点はその交付金の得点）'
    """
    return replace(GRANT, note=GRANT.note.replace("団体", entity) + (f"（{what}）" if what else ""))


LAYOUTS: dict[str, tuple[Column, ...]] = {
    "prefecture_items": (
        YEAR, PREF_CODE, PREF_NAME,
        Column("item", "項目", "item", aliases=("指標", "項目番号"), note="指標の番号（例: I-①）"),
        Column("label", "項目名", "label", required=False),
        Column("max_points", "配点", "ignore", required=False),
        Column("points", "得点", "points", note="配点の段階のいずれか。該当/非該当だけの項目は ○/× でもよい"),
        Column("value", "値", "value", required=False, note="順位で配点する項目（rank_band）の実績値"),
    ),
    "prefecture_totals": (
        YEAR, PREF_CODE, PREF_NAME, _grant_of("都道府県", "合計得点はその交付金の得点"),
        Column("score", "合計得点", "count", aliases=("得点", "合計")),
    ),
    "municipal_categories": (
        YEAR, PREF_CODE, MUNI_CODE, MUNI_NAME, _grant_of("市町村"),
        Column("I", "I", "count", aliases=("カテゴリI", "I得点"), note="PDCAサイクルの活用…の得点"),
        Column("II", "II", "count", aliases=("カテゴリII", "II得点"), note="自立支援、重度化防止等…の得点"),
        Column("III", "III", "count", aliases=("カテゴリIII", "III得点"), note="介護保険運営の安定化…の得点"),
        Column("total", "合計", "count", required=False, aliases=("合計得点",), note="書くなら I+II+III と一致すること"),
    ),
    "first_insured": (
        YEAR, PREF_CODE, MUNI_CODE, Column("muni_name", "市町村名", "text", aliases=MUNI_NAME.aliases),
        Column("population", "人口", "count", aliases=("総人口", "人口(人)")),
        Column("first_insured", "第1号被保険者数", "count", aliases=("第1号被保険者数(人)", "第一号被保険者数")),
    ),
    "requests": (
        YEAR, PREF_CODE, PREF_NAME, _grant_of("都道府県", "所要見込額は交付金ごと：それぞれの都道府県分の額"),
        Column("request_thousand_yen", "所要見込額（千円）", "count", aliases=("所要見込額(千円)",)),
    ),
}
LEVEL_LABELS = {"prefecture_items": "都道府県分の項目別得点", "prefecture_totals": "都道府県分の合計得点",
                "municipal_categories": "市町村分のカテゴリ別得点", "first_insured": "市町村の人口・第1号被保険者数",
                "requests": "都道府県の所要見込額"}
FILE_NAME = re.compile(r"^(?P<level>[a-z_]+)_(?P<year>\d{4})$")


def header_key(name) -> str:
    """A header as matched: NFKC, no spaces, lower case, so 第１号被保険者数 = 第1号被保険者数.

    >>> header_key(" 所要見込額（千円） ")
    '所要見込額(千円)'
    """
    return normalise.text(name).replace(" ", "").lower()


def level_of(path: Path) -> tuple[str | None, int | None]:
    """Level and fiscal year named by a file name ``<level>_<year>.<ext>``; None where it names none.

    >>> level_of(Path("requests_2019.xlsx"))
    ('requests', 2019)
    """
    m = FILE_NAME.match(Path(path).stem)
    if not m or m["level"] not in LAYOUTS:
        return None, None
    return m["level"], int(m["year"])


@dataclass
class Sheet:
    """The cells of one file below its header row: rows keep their numbers in the file (1 = first).

    >>> sheet = read_sheet("tests/intake/good/requests_2019.csv")
    >>> sheet.header_row, sheet.headers[:2], len(sheet.rows)
    (1, ['年度', '都道府県コード'], 47)
    """

    path: Path
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list]]
    encoding: str | None


class UnreadableFile(ValueError):
    """A file that cannot be read at all (encoding, format, no header row).

    >>> _ = (tmp / "notes.txt").write_text("x")
    >>> read_sheet(tmp / "notes.txt")
    Traceback (most recent call last):
        ...
    kofukin.intake.read.UnreadableFile: a .csv or .xlsx file
    """


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text of a CSV file and the encoding used: the one given, else UTF-8 (with or without BOM) or
    Shift_JIS (cp932) — only if the bytes are valid in it; never a silent guess.

    >>> decode("年度".encode("cp932"))
    ('年度', 'cp932')
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise UnreadableFile(f"text in the encoding given ({encoding}): {exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    for enc in ("utf-8", "cp932"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("text in UTF-8 or Shift_JIS (cp932); give the encoding with --encoding")


def _read_cells(path: Path, encoding: str | None = None) -> tuple[list[tuple[int, list]], str | None]:
    """Every non-empty row of a CSV or .xlsx file (first sheet) with its row number."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, used = decode(path.read_bytes(), encoding)
        # a record's number, not its line: a quoted line break inside a cell stays in one spreadsheet row
        rows = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
        return [(n, c) for n, c in rows if any(not normalise.blank(x) for x in c)], used
    if suffix == ".xlsx":
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException
        from zipfile import BadZipFile
        def first_sheet(data_only: bool) -> list[list]:
            try:
                wb = load_workbook(path, read_only=True, data_only=data_only)
            except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
                raise UnreadableFile(f"an Excel .xlsx workbook ({exc})") from None
            try:
                return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
            finally:
                wb.close()
        values, formulas = first_sheet(True), first_sheet(False)
        # a formula's saved value is what Excel showed; one never calculated (written by a program) has none and
        # stays a formula, which the checks refuse as they do in a CSV — never read as a blank
        rows = [(n, [f if v is None and isinstance(f, str) and f.startswith("=") else v for v, f in zip(vs, fs + [None] * len(vs))])
                for n, (vs, fs) in enumerate(zip(values, formulas), start=1)]
        return [(n, c) for n, c in rows if any(not normalise.blank(x) for x in c)], None
    raise UnreadableFile("a .csv or .xlsx file")


def _find_header(rows: list[tuple[int, list]]) -> int:
    """Index (in ``rows``) of the header row: of the first rows, the one naming most known columns."""
    known = set().union(*(c.names() for layout in LAYOUTS.values() for c in layout))
    best, best_hits = None, 1
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = sum(header_key(c) in known for c in cells if c is not None)
        if hits > best_hits:
            best, best_hits = i, hits
    if best is None:
        raise UnreadableFile("a header row naming the columns (for example 年度, 都道府県コード, …)")
    return best


def read_sheet(path: Path | str, encoding: str | None = None) -> Sheet:
    """A result file's header and data rows.

    >>> read_sheet("tests/intake/variants/municipal_categories_2019.xlsx").header_row
    4
    """
    path = Path(path)
    try:
        rows, used = _read_cells(path, encoding)
    except OSError as exc:
        raise UnreadableFile(f"a readable file ({exc.strerror})") from None
    if not rows:
        raise UnreadableFile("a header row and data rows (the file is empty)")
    h = _find_header(rows)
    headers = ["" if c is None else str(c).strip() for c in rows[h][1]]
    return Sheet(path, rows[h][0], headers, rows[h + 1:], used)


def match_columns(headers: list[str], level: str) -> dict[str, int]:
    """Position of each of ``level``'s columns found among ``headers``.

    >>> match_columns(["年度", "都道府県", "所要見込額(千円)"], "requests")
    {'fiscal_year': 0, 'pref_name': 1, 'request_thousand_yen': 2}
    """
    found = {}
    for col in LAYOUTS[level]:
        names = col.names()
        for i, h in enumerate(headers):
            if header_key(h) in names and col.key not in found:
                found[col.key] = i
    return found


def detect_level(headers: list[str]) -> str | None:
    """The one level whose required columns all appear in ``headers`` and most of whose columns do.

    >>> detect_level(["年度", "市町村コード", "I", "II", "III"])
    'municipal_categories'
    """
    fits = [(len(match_columns(headers, lv)), lv) for lv, cols in LAYOUTS.items()
            if all(c.key in match_columns(headers, lv) for c in cols if c.required)]
    fits.sort(reverse=True)
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        return None
    return fits[0][1]
