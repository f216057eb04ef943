"""Validation of result files: every problem at once — file, row, column, value, what was expected.

``validate_files`` reads each file (``kofukin.intake.read``), normalises its cells (``kofukin.intake.normalise``),
checks them against the year's catalogue and the reference tables, and returns the problems with
the clean tables (``Intake``). The build runs the same validation and stops before writing anything.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kofukin.intake import normalise

from kofukin.model import formulas, paths
from kofukin.model.catalogue import items_of, load_items, municipal_maxima
from kofukin.model.config import grant_entry, load_config, year_grants
from kofukin.model.errors import KofukinDataError
from kofukin.intake.read import (GRANT, LAYOUTS, TOTAL_ROW_LABELS, UnreadableFile, detect_level, header_key, level_of,
                                 match_columns, read_sheet)
from kofukin.model.schemas import DEFAULT_GRANT, MUNI_CATEGORIES, read_table
from kofukin.model.paths import MUNICIPAL_CATEGORIES, PREFECTURES

DERIVED_INPUTS = {"municipal_rates", "municipal_average_rate"}
TEXT_KINDS = {"pref_name", "text", "item", "label"}      # cells read as text: never a formula
ENTITIES = {"muni_code": "municipality", "pref_code": "prefecture"}      # how messages name a row's entity


@dataclass(frozen=True)
class Problem:
    """One finding; ``severity`` is "error" (the build stops) or "warning".

    >>> print(Problem("requests_2019.csv", 6, "所要見込額（千円）", "-5", "a number zero or above"))
    error: requests_2019.csv, row 6, column 所要見込額（千円）: '-5' — expected a number zero or above
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row else "") + (f", column {self.column}" if self.column else "")
        got = f" {self.value!r}" if self.value is not None else ""
        return f"{self.severity}: {where}:{got} — expected {self.expected}"


@dataclass
class Intake:
    """Problems found and, per (level, year), the clean rows of every file that had no error.

    >>> result = validate_files(["tests/intake/good/requests_2019.csv"])
    >>> result.errors, sorted(result.tables())
    ([], ['prefecture_requests'])
    """

    problems: list[Problem] = field(default_factory=list)
    frames: dict[tuple[str, int], pd.DataFrame] = field(default_factory=dict)
    given: set[tuple[str, int]] = field(default_factory=set)      # (level, year) named by the files' names
    partial: dict[tuple[str, int], pd.DataFrame] = field(default_factory=dict)   # rows of files with errors

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a build (severity "error").

        >>> Intake([Problem("a.csv", 2, "年度", "x", "a number")]).errors[0].row
        2
        """
        return [p for p in self.problems if p.severity == "error"]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The build's input tables (``paths.INPUT_TABLES``) that these files provide, flagged real.

        >>> t = validate_files(["tests/intake/good/requests_2019.csv"]).tables()["prefecture_requests"]
        >>> len(t), bool(t.synthetic.any())
        (47, False)
        """
        def rows(level):
            frames = [f for (lv, _), f in sorted(self.frames.items()) if lv == level]
            return pd.concat(frames, ignore_index=True).drop(columns="_row") if frames else None
        out = {}
        if (items := rows("prefecture_items")) is not None:
            out["prefecture_item_results"] = items.astype({"level": "Int64", "value": "float64"})
        if (totals := rows("prefecture_totals")) is not None:
            out["prefecture_total_results"] = totals
        if (requests := rows("requests")) is not None:
            out["prefecture_requests"] = requests
        if (scores := rows("municipal_categories")) is not None:
            out["municipal_category_results"] = scores.drop(columns="muni_name").melt(
                id_vars=["fiscal_year", "grant", "muni_code", "pref_code"], var_name="category", value_name="score")
        if (munis := rows("first_insured")) is not None:
            out["municipalities"] = munis
        return {name: df.assign(synthetic=False) for name, df in out.items()}

    def raise_errors(self, where: Path | str) -> None:
        """KofukinDataError listing every error, if there is one.

        >>> Intake([Problem("a.csv", 2, "年度", "x", "a number")]).raise_errors("results/")
        Traceback (most recent call last):
            ...
        kofukin.model.errors.KofukinDataError: results/: 1 problem(s)
          - error: a.csv, row 2, column 年度: 'x' — expected a number
        """
        if self.errors:
            raise KofukinDataError(where, [str(p) for p in self.errors])


class Reference:
    """What files are checked against: configuration, catalogues, prefectures, municipal maxima.

    >>> ref = Reference()
    >>> ref.prefecture_max(2018), ref.pref_by_name["東京"]
    (730, '13')
    """

    def __init__(self, config: Path = paths.CONFIG, raw: Path = paths.RAW):
        self.cfg = load_config(config)
        self.raw = Path(raw)
        prefs = read_table("prefectures", self.raw / PREFECTURES)
        self.pref_names = dict(zip(prefs.pref_code, prefs.pref_name))
        self.pref_by_name = {s: c for c, n in self.pref_names.items() for s in normalise.pref_spellings(n)}
        self.municipal_categories = read_table("municipal_categories", self.raw / MUNICIPAL_CATEGORIES)
        self._items = {}

    def years(self) -> list[int]:
        """The configured fiscal years.

        >>> Reference().years()
        [2018, 2019, 2023]
        """
        return sorted(self.cfg["years"])

    def items(self, year: int) -> pd.DataFrame | None:
        """The year's prefectural catalogue, or None if the configuration names none.

        >>> len(Reference().items(2019)), Reference().items(2018)
        (73, None)
        """
        entry = self.cfg["years"].get(year, {})
        if "prefecture_catalogue" not in entry:
            return None
        if year not in self._items:
            self._items[year] = load_items(self.raw / entry["prefecture_catalogue"])
        return self._items[year]

    def grants(self, year: int) -> list[str]:
        """The grants a configured year scores.

        >>> Reference().grants(2019), Reference().grants(2023)
        (['promotion'], ['promotion', 'support'])
        """
        return year_grants(self.cfg, year)

    def municipal_max(self, year: int, grant: str) -> dict[str, int] | None:
        """Municipal category maxima of a year's grant, or None if neither published nor configured.

        >>> Reference().municipal_max(2019, "promotion"), Reference().municipal_max(2023, "support")
        ({'I': 80, 'II': 529, 'III': 83}, {'I': 35, 'II': 755, 'III': 40})
        """
        try:
            return municipal_maxima(self.cfg, self.municipal_categories, year, grant)
        except KeyError:
            return None

    def prefecture_max(self, year: int, grant: str = DEFAULT_GRANT) -> int | None:
        """The prefectural maximum of a year's grant: configured, else its catalogue's sum, else None.

        >>> Reference().prefecture_max(2019)
        741
        """
        configured = grant_entry(self.cfg, year, "prefecture_max_points", grant)
        if configured is not None:
            return int(configured)
        items = self.items(year)
        return None if items is None else int(items_of(items, grant)["max_points"].sum())


class _File:
    """Problems of one file, with the file's own header names for the columns."""

    def __init__(self, path: Path, headers: dict[str, str], out: list[Problem], level: str):
        self.name, self.out = str(path), out
        self.headers = {**{c.key: c.header for c in LAYOUTS[level]}, **headers}
        self.failed = False

    def add(self, row, key, value, expected, severity="error"):
        column = self.headers.get(key, key) if key else None
        shown = None if normalise.blank(value) else str(value).strip(" \u3000")
        self.out.append(Problem(self.name, row, column, shown, expected, severity))
        self.failed |= severity == "error"


def validate_files(files: list[Path | str], config: Path = paths.CONFIG, raw: Path = paths.RAW, *,
                   encoding: str | None = None, level: str | None = None, year: int | None = None,
                   complete: bool = False) -> Intake:
    """Validate result files; ``complete`` means they are the whole set the build will read.

    >>> result = validate_files(["tests/intake/bad/negative_amount/requests_2019.csv"])
    >>> print(result.problems[0])
    error: tests/intake/bad/negative_amount/requests_2019.csv, row 6, column 所要見込額（千円）: '-5' — expected a number zero or above (negative values are not allowed)
    """
    ref = Reference(config, raw)
    result = Intake()
    seen: dict[tuple[str, int], str] = {}
    for path in map(Path, files):
        result.given.add(level_of(path))
        frame = _validate_file(path, ref, result.problems, encoding, level, year)
        if frame is None:
            continue
        key = (frame.attrs["level"], frame.attrs["year"])
        if key in seen:
            result.problems.append(Problem(str(path), None, None, None,
                                           f"one file per level and year; {seen[key]} holds {key[0]} {key[1]} already"))
            continue
        seen[key] = str(path)
        (result.partial if frame.attrs["failed"] else result.frames)[key] = frame
    _cross_check(result, ref, complete)
    return result


def _validate_file(path, ref, out, encoding, level, year) -> pd.DataFrame | None:
    named_level, named_year = level_of(path)
    level, year = level or named_level, year or named_year
    try:
        sheet = read_sheet(path, encoding)
    except UnreadableFile as exc:
        out.append(Problem(str(path), None, None, None, str(exc)))
        return None
    detected = detect_level(sheet.headers)
    if level is None:
        if detected is None:
            out.append(Problem(str(path), sheet.header_row, None, None,
                               f"a file named <level>_<year> (levels: {', '.join(LAYOUTS)}) or headers of one level"))
            return None
        level = detected
    found = match_columns(sheet.headers, level)
    headers = {k: sheet.headers[i] for k, i in found.items()}
    f = _File(path, headers, out, level)
    missing = [c for c in LAYOUTS[level] if c.required and c.key not in found]
    if level in ("prefecture_items", "prefecture_totals", "requests") and not {"pref_code", "pref_name"} & set(found):
        missing.append(LAYOUTS[level][1])
    if missing:
        if detected and detected != level:
            f.add(sheet.header_row, None, None, f"a {level} file; its headers are those of a {detected} file")
        else:
            for col in missing:
                f.add(sheet.header_row, None, None, f"a column {col.header}")
            if year in ref.cfg["years"] and (grant_column := _grant_column(level, found, year, ref)):
                f.add(sheet.header_row, None, None, grant_column)      # every missing column at once
        return None
    if year is None:
        first = next((r[found["fiscal_year"]] for _, r in sheet.rows if len(r) > found["fiscal_year"]), None)
        try:
            year = normalise.integer(first)
        except ValueError:
            f.add(None, "fiscal_year", first, "a fiscal year (西暦) in the file name or the first row")
            return None
    if year not in ref.cfg["years"]:
        f.add(None, None, str(year), f"a fiscal year named in the configuration ({', '.join(map(str, ref.years()))})")
        return None
    if grant_column := _grant_column(level, found, year, ref):
        f.add(sheet.header_row, None, None, grant_column)
        return None
    if level == "prefecture_items" and (given := next((h for h in sheet.headers if header_key(h) in GRANT.names()), None)):
        f.add(sheet.header_row, None, None, f"no column {given}: one row per prefecture and item, counted for each grant "
                                            f"the {year} catalogue names for the item (grants); the column is ignored",
              severity="warning")
    rows = _read_rows(sheet, found, level, year, ref, f)
    frame = CHECKS[level](rows, year, ref, f) if rows is not None else None
    if frame is not None:
        frame.attrs.update(level=level, year=year, path=str(path), failed=f.failed)
    return frame


def _grant_column(level, found, year, ref) -> str | None:
    """What a file lacks when its level takes 交付金, it has no such column and its year scores two grants.

    >>> _grant_column("requests", {}, 2023, Reference())[:47]
    "a column 交付金 naming each row's grant (推進 or 支援)"
    >>> _grant_column("requests", {}, 2019, Reference()), _grant_column("prefecture_items", {}, 2023, Reference())
    (None, None)
    """
    grants = ref.grants(year)
    if "grant" in {c.key for c in LAYOUTS[level]} and "grant" not in found and len(grants) > 1:
        return (f"a column {GRANT.header} naming each row's grant (推進 or 支援): fiscal year {year} scores "
                f"{_grants_text(grants)} (years.{year}.grants)")
    return None


def _cell(cells, i):
    return cells[i] if i is not None and i < len(cells) else None


def _read_rows(sheet, found, level, year, ref, f) -> list[dict] | None:
    """Rows of plain values; cells that cannot be read are reported and left None; 合計 rows checked."""
    layout = {c.key: c for c in LAYOUTS[level]}
    rows, totals = [], []
    entity = next(k for k in ("muni_code", "pref_code", "pref_name") if k in found)
    for n, cells in sheet.rows:
        if normalise.text(_cell(cells, found[entity])).replace(" ", "") in TOTAL_ROW_LABELS or (
                entity != "pref_name" and "pref_name" in found
                and normalise.text(_cell(cells, found["pref_name"])).replace(" ", "") in TOTAL_ROW_LABELS):
            totals.append((n, cells))
            continue
        row = {"_row": n}
        for key, i in found.items():
            row[key] = _parse(layout[key], _cell(cells, i), n, year, ref, f, row)
        rows.append(row)
    counts = [k for k, c in layout.items() if c.kind == "count" and k in found]
    for n, cells in totals:
        part, of = rows, ""
        if "grant" in found and not normalise.blank(cell := _cell(cells, found["grant"])):
            if (grant := _grant(cell, n, year, ref, f)) is None:
                continue
            part, of = [r for r in rows if r.get("grant") == grant], f"{normalise.grant_text(grant)} "   # its grant's 合計
        for key in counts:
            raw_total = _cell(cells, found[key])
            if normalise.blank(raw_total):
                continue
            try:
                given = normalise.integer(raw_total)
            except ValueError:
                f.add(n, key, raw_total, "a whole number in the 合計 row")
                continue
            total = sum(r[key] for r in part if isinstance(r.get(key), int))
            if given != total:
                f.add(n, key, raw_total, f"the sum of the {of}rows above ({total})")
    return rows


def _parse(col, value, n, year, ref, f, row):
    """One cell's clean value (None if blank or bad; bad ones are reported)."""
    if col.kind == "ignore":
        return None
    if col.kind == "grant":
        return _grant(value, n, year, ref, f)
    if normalise.blank(value):
        if col.required and col.kind not in ("points", "value"):
            f.add(n, col.key, value, "a value (blank is missing, never zero)")
        return None
    if col.kind in TEXT_KINDS and formulas.formula_like(value):
        f.add(n, col.key, value, formulas.EXPECTED)
        return None
    if col.kind == "label":
        return None
    try:
        if col.kind == "year":
            y = normalise.integer(value)
            if y != year:
                f.add(n, col.key, value, f"fiscal year {year} (the file's year)")
            return y
        if col.kind == "pref_code":
            return normalise.pref_code(value)
        if col.kind == "pref_name":
            code = ref.pref_by_name.get(normalise.text(value).replace(" ", ""))
            if code is None:
                raise ValueError("a prefecture name (e.g. 東京都 or 東京)")
            return code
        if col.kind == "muni_code":
            return normalise.muni_code(value, row.get("pref_code"))
        if col.kind == "text":
            return normalise.text(value)
        if col.kind == "item":
            return str(value).strip()
        if col.kind == "value":
            return normalise.number(value)
        if col.kind == "points":
            mark = normalise.flag(value)
            return mark if mark is not None else normalise.integer(value)
        x = normalise.integer(value)
        if x < 0:
            raise ValueError("a number zero or above (negative values are not allowed)")
        return x
    except ValueError as exc:
        f.add(n, col.key, value, str(exc))
        return None


def _grant(value, n, year, ref, f) -> str | None:
    """A row's grant: one the year scores; a blank cell is the year's only grant (an error if it has two)."""
    scored = ref.grants(year)
    if normalise.blank(value):
        if len(scored) == 1:
            return scored[0]
        f.add(n, "grant", value, f"a grant, 推進 or 支援: fiscal year {year} scores {_grants_text(scored)} "
                                 "(blank is missing)")
        return None
    try:
        grant = normalise.grant(value)
    except ValueError as exc:
        f.add(n, "grant", value, str(exc))
        return None
    if grant not in scored:
        f.add(n, "grant", value, f"a grant fiscal year {year} scores ({_grants_text(scored)}; years.{year}.grants), "
                                 f"not {normalise.grant_text(grant)}")
        return None
    return grant


def _grants_text(grants) -> str:
    """Grants as messages list them.

    >>> _grants_text(["promotion", "support"])
    'promotion 推進 and support 支援'
    """
    return " and ".join(map(normalise.grant_text, grants))


def _entity_prefecture(rows, f, ref) -> None:
    """pref_code from the name where only the name is given; a name that names another code is an error."""
    for r in rows:
        name_code = r.pop("pref_name", None)
        if r.get("pref_code") is None and name_code is not None:
            r["pref_code"] = name_code
        elif name_code is not None and r["pref_code"] is not None and name_code != r["pref_code"]:
            f.add(r["_row"], "pref_name", ref.pref_names[name_code],
                  f"the name of prefecture {r['pref_code']} ({ref.pref_names[r['pref_code']]})")


def _duplicates(rows, keys, f, what) -> None:
    first = {}
    for r in rows:
        k = tuple(r.get(x) for x in keys)
        if None in k:
            continue
        if k in first:
            f.add(r["_row"], keys[-1], "/".join(map(str, k)), f"one row per {what}; row {first[k]} has it already")
        else:
            first[k] = r["_row"]


def _one_row_each(rows, key, two, f) -> None:
    """One row per entity (``key``: its code's column) and, in a year of two grants, per grant."""
    _duplicates(rows, [key, "grant"] if two else [key], f, ENTITIES[key] + (" and grant" if two else ""))


def _unread(rows: list[int], where: str = "") -> str:
    """What a "missing" message adds when some rows could not be identified: one of them may be it.

    >>> _unread([]), _unread([5])
    ('', ' (unless it is row 5, which could not be identified)')
    >>> _unread([2, 3, 4, 5, 6, 7], " of first_insured_2019")
    ' (unless it is one of rows 2, 3, 4, 5, 6 and 1 more of first_insured_2019, which could not be identified)'
    """
    if not rows:
        return ""
    shown = ", ".join(map(str, rows[:5])) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
    return f" (unless it is {'row' if len(rows) == 1 else 'one of rows'} {shown}{where}, which could not be identified)"


def _missing_prefectures(rows, f, ref) -> None:
    have = {r.get("pref_code") for r in rows}
    note = _unread([r["_row"] for r in rows if r.get("pref_code") is None])
    for code, name in ref.pref_names.items():
        if code not in have:
            f.add(None, "pref_code", code, f"a row for every prefecture; {code} {name} is missing{note}")


def _configured(value, year, f, expected):
    """``value``, reporting its absence from the year's configuration."""
    if value is None:
        f.add(None, None, str(year), expected)
    return value


def _prefecture_grant_rows(rows, year, f, ref):
    """Rows of prefectures (totals, requests): one per prefecture and grant the year scores, every prefecture with
    a row of each grant (one wholly missing is named once); without a 交付金 column, the year's only grant."""
    grants = ref.grants(year)
    two = len(grants) > 1
    for r in rows:
        r.setdefault("grant", grants[0])
    _entity_prefecture(rows, f, ref)
    _one_row_each(rows, "pref_code", two, f)
    _missing_prefectures(rows, f, ref)
    if two:
        have = {r.get("pref_code") for r in rows}
        _every_grant(rows, year, grants, f, "pref_code", {c: f"{c} {n}" for c, n in ref.pref_names.items() if c in have})


def _check_prefecture_items(rows, year, ref, f):
    items = _configured(ref.items(year), year, f, "a prefectural catalogue for this year in the configuration")
    if items is None:
        return None
    _entity_prefecture(rows, f, ref)
    cat = items.set_index("item")
    ids = {normalise.text(i): i for i in cat.index}          # I-① is written I-1 after NFKC
    out, unread = [], [r["_row"] for r in rows if r.get("pref_code") is None]
    for r in rows:
        n, item = r["_row"], r.get("item")
        item = ids.get(normalise.text(item), item)
        if item is None or item not in cat.index:          # None: blank or a formula, reported by _parse
            if item is not None:
                f.add(n, "item", item, f"an item of the {year} catalogue")
            unread.append(n)
            continue
        spec = cat.loc[item]
        level = value = None
        if spec.input in DERIVED_INPUTS:
            f.add(n, "item", item, "no row: this item is derived from the municipal results")
            continue
        if spec.input == "value":
            value = r.get("value")
            if value is None:
                f.add(n, "value", None, f"a value for {item} (ranked to give its points; blank is missing)")
        else:
            level = _level_index(r.get("points"), spec, n, f)
        out.append({"_row": n, "fiscal_year": year, "pref_code": r.get("pref_code"), "item": item,
                    "level": level, "value": value})
    _duplicates(out, ["pref_code", "item"], f, "prefecture and item")
    given = {(r["pref_code"], r["item"]) for r in out}
    inputs = items[~items.input.isin(DERIVED_INPUTS)]["item"]
    note = _unread(sorted(set(unread)))
    for code, name in ref.pref_names.items():
        absent = [i for i in inputs if (code, i) not in given]
        if len(absent) == len(inputs):
            f.add(None, "pref_code", code, f"rows for every prefecture; {code} {name} is missing{note}")
        elif absent:
            f.add(None, "item", ", ".join(absent), f"every item for {code} {name}{note}")
    return _frame(out, ["fiscal_year", "pref_code", "item", "level", "value"])


def _level_index(points, spec, n, f):
    """Index of the given points among the item's levels (○/× for an item of two levels)."""
    levels = spec.levels
    if points is None:
        f.add(n, "points", None, f"points for {spec.name} (one of {_levels_text(levels)}; blank is missing)")
        return None
    if isinstance(points, bool):
        if len(levels) != 2:
            f.add(n, "points", "○" if points else "×", f"points for graded item {spec.name}: one of {_levels_text(levels)}")
            return None
        return 1 if points else 0
    if len(levels) == 2 and levels[0] == 0 and levels[1] != 1 and points == 1:
        return 1                                   # 1/0 for 該当/非該当
    if points < min(levels[0], 0):
        f.add(n, "points", str(points), "a number zero or above (negative values are not allowed)")
    elif points > spec.max_points:
        f.add(n, "points", str(points), f"at most the item maximum {spec.max_points} of {spec.name}")
    elif points not in levels:
        f.add(n, "points", str(points), f"one of the levels of {spec.name}: {_levels_text(levels)}")
    else:
        return levels.index(points)
    return None


def _levels_text(levels) -> str:
    return ", ".join(map(str, levels))


def _check_prefecture_totals(rows, year, ref, f):
    grants = ref.grants(year)
    two = len(grants) > 1
    tops = {g: ref.prefecture_max(year, g) for g in grants}
    for g in (g for g, top in tops.items() if top is None):          # the build scores totals against it
        f.add(None, None, str(year), "a prefectural maximum" + (f" of {normalise.grant_text(g)}" if two else "")
              + f" for this year in the configuration (years.{year}.prefecture_max_points, or a prefecture_catalogue)")
    _prefecture_grant_rows(rows, year, f, ref)
    for r in rows:
        top = tops.get(r["grant"])
        if r.get("score") is not None and top is not None and r["score"] > top:
            of = f" of {normalise.grant_text(r['grant'])}" if two else ""
            f.add(r["_row"], "score", str(r["score"]), f"at most the {year} maximum {top}{of}")
    return _frame(rows, ["fiscal_year", "grant", "pref_code", "score"])


def _check_requests(rows, year, ref, f):
    _prefecture_grant_rows(rows, year, f, ref)
    return _frame(rows, ["fiscal_year", "grant", "pref_code", "request_thousand_yen"])


def _muni_prefecture(rows, f, ref):
    for r in rows:
        code = r.get("muni_code")
        if code is None:
            continue
        pref = code[1:3] if code.startswith("S") else code[:2]
        if pref not in ref.pref_names:
            f.add(r["_row"], "muni_code", code, "a municipal code whose first two digits are a prefecture (01–47)")
        elif r.get("pref_code") is not None and r["pref_code"] != pref:
            f.add(r["_row"], "pref_code", r["pref_code"],
                  f"prefecture {pref} ({ref.pref_names[pref]}), where municipality {code} lies")
        r["pref_code"] = pref
    synthetic = [r for r in rows if str(r.get("muni_code") or "").startswith("S")]
    if synthetic:
        f.add(synthetic[0]["_row"], "muni_code", synthetic[0]["muni_code"],
              f"a 6-digit 全国地方公共団体コード: {len(synthetic)} row(s) carry kofukin's synthetic codes (S…, 合成データ); "
              "they are read as real results, and never compared with synthetic years as the same municipalities",
              severity="warning")


def _check_municipal(rows, year, ref, f):
    grants = ref.grants(year)
    two = len(grants) > 1
    maxima = {g: _configured(ref.municipal_max(year, g), year, f, "municipal category maxima"
                             + (f" of {normalise.grant_text(g)}" if two else "")
                             + " for this year (published, or in the configuration)") for g in grants}
    if None in maxima.values():
        return None
    for r in rows:
        r.setdefault("grant", grants[0])           # no 交付金 column: the year's only grant
    _muni_prefecture(rows, f, ref)
    _one_row_each(rows, "muni_code", two, f)
    for r in rows:
        top = maxima.get(r["grant"], {})
        for c, most in top.items():
            if r.get(c) is not None and r[c] > most:
                of = f" of {normalise.grant_text(r['grant'])}" if two else ""
                f.add(r["_row"], c, str(r[c]), f"at most the category {c} maximum {most}{of}")
        parts = [r.get(c) for c in MUNI_CATEGORIES]
        if r.get("total") is not None and None not in parts and sum(parts) != r["total"]:
            f.add(r["_row"], "total", str(r["total"]), f"the sum of the categories ({' + '.join(map(str, parts))} = {sum(parts)})")
    if two:
        names = {r["muni_code"]: f"{r['muni_code']} {r.get('muni_name') or ''}".rstrip() for r in rows if r.get("muni_code")}
        _every_grant(rows, year, grants, f, "muni_code", names)
    return _frame(rows, ["fiscal_year", "grant", "muni_code", "pref_code", "muni_name", *MUNI_CATEGORIES])


def _every_grant(rows, year, grants, f, key, names) -> None:
    """A row of each grant the year scores for every entity of ``names`` (code → how a message names it; ``key``:
    the code's column), each one missing named."""
    have = {(r.get(key), r["grant"]) for r in rows}
    what = ENTITIES[key]

    def unread(code, grant):          # rows that may be it: the entity's or the grant's could not be read
        return _unread([r["_row"] for r in rows if (r.get(key), r["grant"]) in
                        ((code, None), (None, grant), (None, None))])

    for g in grants:
        if not any(grant == g for _, grant in have):
            f.add(None, "grant", g, f"rows of each grant fiscal year {year} scores ({_grants_text(grants)}); "
                                    f"none is of {normalise.grant_text(g)}"
                                    + _unread([r["_row"] for r in rows if r["grant"] is None]))
            continue
        for code, who in names.items():
            if (code, g) not in have:
                f.add(None, key, code, f"a row of each grant for every {what}; {who} has none of "
                                       f"{normalise.grant_text(g)}{unread(code, g)}")


def _check_first_insured(rows, year, ref, f):
    _muni_prefecture(rows, f, ref)
    _duplicates(rows, ["muni_code"], f, "municipality")
    for r in rows:
        if None not in (r.get("population"), r.get("first_insured")) and r["first_insured"] > r["population"]:
            f.add(r["_row"], "first_insured", str(r["first_insured"]), f"at most the population ({r['population']})")
    have = {r.get("pref_code") for r in rows}
    note = _unread([r["_row"] for r in rows if r.get("muni_code") is None])
    for code, name in ref.pref_names.items():
        if code not in have:
            f.add(None, "pref_code", code, f"municipalities of every prefecture; {code} {name} has none{note}")
    return _frame(rows, ["fiscal_year", "muni_code", "muni_name", "pref_code", "population", "first_insured"])


def _frame(rows, columns) -> pd.DataFrame:
    """Clean rows with their row numbers in the file (``_row``)."""
    columns = ["_row", *columns]
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


CHECKS = {"prefecture_items": _check_prefecture_items, "prefecture_totals": _check_prefecture_totals,
          "municipal_categories": _check_municipal, "first_insured": _check_first_insured, "requests": _check_requests}


def _cross_check(result: Intake, ref: Reference, complete: bool) -> None:
    """Municipal results against the municipalities of the same year (names, codes, coverage)."""
    for (level, year), scores in [*result.frames.items(), *result.partial.items()]:
        if level != "municipal_categories":
            continue
        munis = result.frames.get(("first_insured", year), result.partial.get(("first_insured", year)))
        path = scores.attrs["path"]
        if munis is None:
            if complete and ("first_insured", year) not in result.given:
                result.problems.append(Problem(path, None, None, None,
                                               f"first_insured_{year} beside it (the municipalities and their 第1号被保険者数)"))
            continue
        f = _File(Path(path), {}, result.problems, level)
        known = munis.dropna(subset="muni_code").drop_duplicates("muni_code").set_index("muni_code")["muni_name"]
        unread_munis = _unread(list(munis._row[munis.muni_code.isna()]), f" of first_insured_{year}")
        for n, code, name in zip(scores._row, scores.muni_code, scores.muni_name):
            if pd.isna(code):
                continue                                   # reported already
            if code not in known.index:
                f.add(n, "muni_code", code, f"a municipality of first_insured_{year}{unread_munis}")
            elif isinstance(name, str) and isinstance(known[code], str) and normalise.text(name) != known[code]:
                f.add(n, "muni_name", name, f"the name of {code} in first_insured_{year} ({known[code]})")
        note = _unread(list(scores._row[scores.muni_code.isna()]))
        for code in known.index.difference(scores.muni_code.dropna()):
            f.add(None, "muni_code", code,
                  f"a row for every municipality of first_insured_{year}; {code} {known[code]} is missing{note}")
        if f.failed:
            result.frames.pop((level, year), None)
    if complete:
        for (level, year), frame in result.frames.items():
            if level == "first_insured" and ("municipal_categories", year) not in result.given:
                result.problems.append(Problem(frame.attrs["path"], None, None, None,
                                               f"municipal_categories_{year} beside it (the municipal results)"))
