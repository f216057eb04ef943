"""One sheet of an untrusted .xlsx workbook, read fast and safely: bounds checked before parsing, formulas never
evaluated, external links and macros never followed.

``open_sheet`` checks the file's size, the sheet's ``<dimension>`` and its uncompressed size from the zip directory
before any cell is parsed, scans the sheet's XML for formulas without a saved value (a formula's saved value is what
Excel showed and is read as such; one never calculated stays a formula, refused where a number belongs, as
``kofukin.intake.read`` does for small files), then reads every cell with python-calamine (Rust) as a grid of rows.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

MAX_BYTES = 50_000_000
MAX_ROWS = 5_000
MAX_COLUMNS = 3_000
MAX_UNPACKED = 500_000_000             # every part uncompressed (a full FY2026 sheet is about 110 MB): beyond, a zip bomb
MAX_RATIO = 200                         # a part's compression ratio (XML packs 10–30 to 1): beyond, a zip bomb
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_CELL_COLUMN = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)\d+"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)'
                           rb"\s*(<(?:\w+:)?v>[^<]+</(?:\w+:)?v>)?")
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


class UnsafeWorkbook(ValueError):
    """A file refused before its cells are read: not a workbook, or beyond sane bounds.

    >>> str(UnsafeWorkbook("a workbook of at most 3,000 columns; its sheet spans 3,200"))
    'a workbook of at most 3,000 columns; its sheet spans 3,200'
    """


def column_number(letters: str) -> int:
    """1-based number of a column letter.

    >>> column_number("A"), column_number("LY"), column_number("BHQ")
    (1, 337, 1577)
    """
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(n: int) -> str:
    """Letter of 1-based column ``n``.

    >>> column_letter(15), column_letter(337)
    ('O', 'LY')
    """
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


@dataclass
class Sheet:
    """A sheet's cells (``rows[0]`` is row 1; blank cells None), its name, and the formulas never calculated
    (``(row, column)`` 1-based → formula text)."""

    path: Path
    name: str
    rows: list[list]
    uncalculated: dict[tuple[int, int], str]

    @property
    def where(self) -> str:
        """How messages name the sheet."""
        return f"{self.path}, sheet {self.name}"

    def cell(self, row: int, col: int):
        """Value of the 1-based cell, None if blank or outside the sheet."""
        if row - 1 < len(self.rows) and col - 1 < len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, from the (small) workbook part and its relationships."""
    def small(name):
        if z.getinfo(name).file_size > 5_000_000:
            raise UnsafeWorkbook(f"a workbook whose {name} is of sane size")
        return ElementTree.fromstring(z.read(name))
    try:
        book, rels = small("xl/workbook.xml"), small("xl/_rels/workbook.xml.rels")
    except KeyError as exc:
        raise UnsafeWorkbook(f"an Excel .xlsx workbook ({exc.args[0]})") from None
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
    out = {}
    for s in book.findall("m:sheets/m:sheet", _NS):
        target = targets.get(s.get(f"{{{_NS['r']}}}id"), "")
        out[s.get("name")] = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return out


def _chunks(z: zipfile.ZipFile, part: str, size: int = 1 << 24):
    with z.open(part) as f:
        tail = b""
        while block := f.read(size):
            yield tail + block
            tail = block[-64:]


def _check_unpacked(z: zipfile.ZipFile) -> None:
    """Every part's uncompressed size and ratio, from the zip directory: a zip bomb is refused before it is unpacked
    (the shared strings and styles included, which the reader would unpack too)."""
    infos = z.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise UnsafeWorkbook(f"a workbook of sane size; it unpacks to {total / 1e6:,.0f} MB (at most {MAX_UNPACKED // 1_000_000} MB)")
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise UnsafeWorkbook(f"a workbook of sane size; its part {i.filename} unpacks {i.file_size / max(i.compress_size, 1):,.0f} "
                                 f"times its packed size (at most {MAX_RATIO})")


def _span(z: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """Rows and columns a sheet without a ``<dimension>`` spans, from its row and cell references (a streamed scan)."""
    rows = cols = 0
    for chunk in _chunks(z, part):
        rows = max([rows] + [int(r) for r in _ROW.findall(chunk)])
        letters = {c for c in _CELL_COLUMN.findall(chunk)}
        cols = max([cols] + [column_number(c.decode()) for c in letters])
    return rows, cols


def _uncalculated(z: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """Formulas without a saved value; the whole XML is searched only when a formula tag occurs at all."""
    if not any(tag in c for c in _chunks(z, part) for tag in (b"<f>", b"<f ", b"<f/", b":f>", b":f ")):
        return {}
    xml = z.read(part)
    return {(int(m[2]), column_number(m[1].decode())): "=" + (m[4] or b"").decode("utf-8", "replace")
            for m in _FORMULA_CELL.finditer(xml) if not m[5]}


def choose_sheet(names: list[str], wanted: tuple[str, ...]) -> str:
    """The sheet named one of ``wanted`` (after NFKC, spaces ignored), else the first.

    >>> choose_sheet(["表紙", "全国集計（市町村）"], ("全国集計(市町村)",))
    '全国集計（市町村）'
    """
    import unicodedata
    key = {unicodedata.normalize("NFKC", n).replace(" ", ""): n for n in names}
    return next((key[w] for w in wanted if w in key), names[0])


def open_sheet(path: Path | str, wanted: tuple[str, ...] = ()) -> Sheet:
    """The sheet of ``path`` named one of ``wanted`` (else the first), checked and read; UnsafeWorkbook if refused."""
    from python_calamine import CalamineError, CalamineWorkbook

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UnsafeWorkbook(f"a workbook of at most {MAX_BYTES // 1_000_000} MB; the file has {size / 1e6:,.1f} MB")
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UnsafeWorkbook("an Excel .xlsx workbook (the file is not one)") from None
    with z:
        parts = _sheet_parts(z)
        if not parts:
            raise UnsafeWorkbook("a workbook with a sheet")
        name = choose_sheet(list(parts), wanted)
        part = parts[name]
        try:
            z.getinfo(part)
        except KeyError:
            raise UnsafeWorkbook(f"an Excel .xlsx workbook (sheet {name} has no part {part})") from None
        _check_unpacked(z)
        with z.open(part) as f:
            head = f.read(65536)
        m = _DIMENSION.search(head)
        rows, cols = (int(m[2]), column_number(m[1].decode())) if m else _span(z, part)   # before any cell is parsed
        if rows > MAX_ROWS:
            raise UnsafeWorkbook(f"a workbook of at most {MAX_ROWS:,} rows; sheet {name} spans {rows:,}")
        if cols > MAX_COLUMNS:
            raise UnsafeWorkbook(f"a workbook of at most {MAX_COLUMNS:,} columns; sheet {name} spans {cols:,}")
        uncalculated = _uncalculated(z, part)
    try:
        book = CalamineWorkbook.from_path(str(path))
        cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise UnsafeWorkbook(f"an Excel .xlsx workbook ({exc})") from None
    rows = [[None if v == "" else v for v in r] for r in cells]
    return Sheet(path, name, rows, uncalculated)
