"""The ministry's results workbooks 「評価指標に係る該当状況調査票集計表」 as input: 市町村分 (FY2024–) and 都道府県分.

``read_municipal_workbook`` returns the year's results (``YearResults``, CONTRACT_current.md) after the workbook has
checked itself (``kofukin.intake.workbook_checks``); ``read_prefectural_workbook`` the prefectural equivalent;
``inspect_*`` return the problems instead of raising. An analyst saves a workbook unchanged as
data/raw/results/ministry_municipal_<year>.xlsx or ministry_prefecture_<year>.xlsx (``kofukin import``);
``workbooks_present`` lists them. Columns nobody has described are left out and listed once in the log.
"""

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kofukin.intake import normalise
from kofukin.intake.validate import Problem
from kofukin.intake.workbook_checks import (check_catalogue, check_ranks, check_statistics, indicator_scores, shown,
                                            subtotal_values)
from kofukin.intake.workbook_layout import TITLE_ROW, Column, classify, find_statistics, year_of_title
from kofukin.intake.xlsx_sheet import Sheet, UnsafeWorkbook, open_sheet
from kofukin.model import paths
from kofukin.model.errors import KofukinDataError
from kofukin.model.schemas import read_table
from kofukin.model.paths import PREFECTURES

from kofukin.model.current import YearResults
from kofukin.model.current_catalogue import GROUP_TAGS

log = logging.getLogger(__name__)
LEVELS = {"municipal": ("全国集計(市町村)",), "prefecture": ("全国集計(都道府県)",)}
FILE_NAME = re.compile(r"^ministry_(?P<level>municipal|prefecture)_(?P<year>\d{4})\.xlsx$")
INSURER_DIGITS = {2024: 5}                        # 保険者番号 as printed: 5 digits in FY2024, 6 from FY2025
REQUIRED = {"municipal": ("muni_name", "insurer_no"), "prefecture": ()}


def workbooks_present(raw: Path = paths.RAW) -> list[tuple[str, int, Path]]:
    """The ministry workbooks in data/raw/results/: (level, year, path), sorted.

    >>> workbooks_present(tmp)
    []
    """
    folder = Path(raw) / paths.RESULTS
    found = [(m["level"], int(m["year"]), p) for p in folder.glob("ministry_*.xlsx") if (m := FILE_NAME.match(p.name))]
    return sorted(found)


def level_of_workbook(sheet: Sheet) -> str | None:
    """municipal or prefecture, from the sheet's name or title (市町村 / 都道府県)."""
    text = normalise.text(f"{sheet.name} {sheet.cell(TITLE_ROW, 1) or ''}")
    return "municipal" if "市町村" in text else "prefecture" if "都道府県" in text else None


@dataclass
class Parsed:
    """What a workbook says, before the checks: its sheet, columns, statistics rows, data rows, year."""

    sheet: Sheet
    year: int | None
    columns: list[Column]
    stats: dict[str, int]
    data_rows: list[int]
    problems: list[Problem] = field(default_factory=list)

    def of(self, kind: str) -> list[Column]:
        return [c for c in self.columns if c.kind == kind]

    def attribute(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.kind == "attribute" and c.key == key), None)


def parse(path: Path | str, level: str, year: int | None = None, sheet: Sheet | None = None) -> Parsed:
    """Open, bound-check and lay out a workbook (UnsafeWorkbook if refused before parsing); ``sheet``: already open."""
    sheet = sheet or open_sheet(path, LEVELS[level])
    where = sheet.where
    problems = []
    title = " ".join(str(sheet.cell(TITLE_ROW, c) or "") for c in range(1, 4))
    titled = year_of_title(title)
    if year and titled and year != titled:
        problems.append(Problem(where, TITLE_ROW, "A", title.strip(), f"the year given ({year}); the title says {titled}"))
    year = year or titled
    if year is None:
        problems.append(Problem(where, TITLE_ROW, "A", title.strip() or None,
                                "a title naming the fiscal year (令和８年度…), or the year given (--year)"))
    columns = classify(sheet)
    first_detail = min((c.number for c in columns if c.kind in ("detail", "subtotal")), default=1)
    labels = [c.number for c in columns if c.number < first_detail]
    name_col = next((c.number for c in columns if c.kind == "attribute" and c.key in ("muni_name", "pref_name")
                     and (level == "municipal") == (c.key == "muni_name")), None)
    stats = find_statistics(sheet, labels, min(len(sheet.rows) + 1, 40))
    after = max(stats.values(), default=8) + 1
    data_rows = [r for r in range(after, len(sheet.rows) + 1) if name_col and sheet.cell(r, name_col) is not None]
    parsed = Parsed(sheet, year, columns, stats, data_rows, problems)
    for key in (*REQUIRED[level], "pref_name"):
        if parsed.attribute(key) is None and not (key == "pref_name" and parsed.attribute("pref_no")):
            from kofukin.intake.workbook_layout import ATTRIBUTES
            problems.append(Problem(where, 2, None, None, f"a column {ATTRIBUTES[key][0]} in header rows 2–8"))
    if not parsed.of("detail"):
        problems.append(Problem(where, 2, None, None, "detail columns under a 交付金, 目標 and 指標番号 in header rows 2–8"))
    if "points" not in stats:
        problems.append(Problem(where, None, None, None, "a statistics row 配点 (its label in an attribute column)"))
    unknown = parsed.of("unknown")
    if unknown:
        shown_cols = ", ".join(c.named for c in unknown[:8]) + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else "")
        log.warning("%s: %d column(s) match nothing known and are left out: %s", where, len(unknown), shown_cols)
    return parsed


def _number(sheet: Sheet, r: int, col: Column, out: list[Problem], what: str, blank_ok: bool = False):
    """A number cell: None if blank (an error unless ``blank_ok``); text or a formula never calculated refused."""
    v = sheet.cell(r, col.number)
    if (r, col.number) in sheet.uncalculated:
        out.append(Problem(sheet.where, r, col.named, sheet.uncalculated[(r, col.number)],
                           f"{what}, not a formula: formulas are never evaluated, and this one was never calculated "
                           "(open and save the workbook in Excel, or paste its values)"))
        return None
    if v is None or (isinstance(v, str) and normalise.blank(v)):
        if not blank_ok:
            out.append(Problem(sheet.where, r, col.named, None, f"{what} (blank is never zero)"))
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        try:
            return normalise.number(v)
        except ValueError:
            out.append(Problem(sheet.where, r, col.named, str(v), what))
            return None
    return float(v)


def _catalogue(parsed: Parsed, shipped: pd.DataFrame | None) -> pd.DataFrame:
    sheet, out = parsed.sheet, parsed.problems
    rows = []
    for c in parsed.of("detail"):
        points = _number(sheet, parsed.stats["points"], c, out, "the branch's 配点, a number") if "points" in parsed.stats else None
        rows.append(dict(fiscal_year=parsed.year, grant=c.grant, goal=c.goal, goal_name=c.goal_name, group=c.group,
                         indicator=c.indicator, indicator_name=c.indicator_name, branch=c.branch,
                         branch_id=f"{c.goal}{GROUP_TAGS.get(c.group, '')}{c.indicator}{'' if c.branch == '－' else c.branch}",
                         points=points, column_letter=c.letter, label=c.label))
    cat = pd.DataFrame(rows)
    if shipped is not None and len(shipped) == len(cat):
        cat["indicator_cap"] = shipped["indicator_cap"].to_numpy(float)
        cat["may_be_blank"] = shipped["may_be_blank"].to_numpy(bool)
    else:
        cat["indicator_cap"] = _inferred_caps(cat, parsed)
        cat["may_be_blank"] = False
    return cat


def _inferred_caps(cat: pd.DataFrame, parsed: Parsed) -> list[float]:
    """Caps where no shipped catalogue says: in a group (goal Ⅳ: its goal) whose 配点 is below its branches' sum, the
    indicators of sub-branches under several letters that score their best letter, chosen so the excess is exactly
    accounted for (goal Ⅳ's ア/イ; 支援Ⅰ(ⅱ)9); none where no single choice fits (the checks then name the subtotal)."""
    from itertools import combinations
    caps = pd.Series(np.nan, index=cat.index)
    points_row = parsed.stats.get("points", 0)
    for (grant, goal, group), g in cat.groupby(["grant", "goal", "group"], sort=False):
        level = "goal" if group == "outcome" else "group"
        sub = next((c for c in parsed.of("subtotal") if c.level == level and (c.grant, c.goal) == (grant, goal)
                    and (level == "goal" or c.group == group)), None)
        top = parsed.sheet.cell(points_row, sub.number) if sub else None
        if not isinstance(top, (int, float)) or g.points.sum() <= top:
            continue
        options = {}
        for ind, gi in g.groupby("indicator", sort=False):
            letters = gi.branch.str[0]
            if (gi.branch.str.len() > 1).any() and letters.nunique() > 1:
                best = gi.groupby(letters).points.sum().max()
                options[ind] = (gi.index, best, gi.points.sum() - best)
        excess = g.points.sum() - top
        fits = [c for k in range(1, len(options) + 1) for c in combinations(options, k)
                if sum(options[i][2] for i in c) == excess]
        if len(fits) == 1:
            for i in fits[0]:
                caps[options[i][0]] = options[i][1]
    return caps.tolist()


def shipped_catalogue(year: int, config: Path = paths.CONFIG, raw: Path = paths.RAW) -> pd.DataFrame | None:
    """The shipped catalogue of a year (kofukin.model.current_catalogue), None where there is none."""
    try:
        from kofukin.model.config import load_config
        from kofukin.model.current_catalogue import catalogue, read_reference
        cfg = load_config(config)
        return catalogue(read_reference(cfg, raw), year, cfg)
    except (ImportError, KeyError, KofukinDataError, FileNotFoundError):
        return None


def _prefectures(raw: Path) -> pd.DataFrame:
    return read_table("prefectures", Path(raw) / PREFECTURES)


def _pref_code(sheet, r, parsed, prefs, out) -> str | None:
    by_name = {s: c for c, n in zip(prefs.pref_code, prefs.pref_name) for s in normalise.pref_spellings(n)}
    name_col, no_col = parsed.attribute("pref_name"), parsed.attribute("pref_no")
    name = normalise.text(sheet.cell(r, name_col.number)) if name_col else ""
    code = by_name.get(name) if name else None
    if no_col and (v := sheet.cell(r, no_col.number)) is not None:
        try:
            by_no = normalise.pref_code(v)
        except ValueError:
            out.append(Problem(sheet.where, r, no_col.named, str(v), "a prefecture number 1–47"))
            return code
        if code and by_no != code:
            out.append(Problem(sheet.where, r, no_col.named, str(v), f"{int(code)}, the number of {name}"))
        code = code or by_no
    if code is None:
        out.append(Problem(sheet.where, r, name_col.named if name_col else None, name or None, "a prefecture's name"))
    return code


@dataclass
class MunicipalWorkbook:
    """A municipal workbook read and checked: its results (None when it has errors) and every problem found."""

    path: Path
    year: int | None
    problems: list[Problem]
    results: YearResults | None
    catalogue: pd.DataFrame | None
    unknown_columns: list[str]


def inspect_municipal(path: Path | str, year: int | None = None, shipped="auto", raw: Path = paths.RAW,
                      config: Path = paths.CONFIG, sheet: Sheet | None = None) -> MunicipalWorkbook:
    """Read and check a municipal workbook; ``shipped``: the catalogue to compare with ("auto": the shipped one of
    its year, None: none). Problems are returned, never raised (except UnsafeWorkbook: refused before parsing)."""
    path = Path(path)
    parsed = parse(path, "municipal", year, sheet)
    sheet, out, where = parsed.sheet, parsed.problems, parsed.sheet.where
    unknown = [c.named for c in parsed.of("unknown")]
    if out:
        return MunicipalWorkbook(path, parsed.year, out, None, None, unknown)
    year = parsed.year
    if isinstance(shipped, str):
        shipped = shipped_catalogue(year, config, raw)
    cat = _catalogue(parsed, shipped)
    check_catalogue(where, cat, shipped, year, out, parsed.stats.get("points"))
    details, subs = parsed.of("detail"), parsed.of("subtotal")
    rank_col = next(iter(parsed.of("rank")), None)
    A = {c.key: c for c in parsed.of("attribute")}
    prefs = _prefectures(raw)
    digits = INSURER_DIGITS.get(year, 6)

    munis, unions, matrix, rows, union = [], [], [], [], None
    bad_cols: set[int] = set()
    formulas, blank_ok = bool(sheet.uncalculated), cat.may_be_blank.tolist()
    idx, width = [c.number - 1 for c in details], max(c.number for c in parsed.columns)
    top = [np.inf if pd.isna(p) else p for p in cat.points]
    for r in parsed.data_rows:
        insurer = sheet.cell(r, A["insurer_no"].number)
        line = sheet.rows[r - 1] + [None] * (width - len(sheet.rows[r - 1]))
        values = [line[i] for i in idx]
        pref = _pref_code(sheet, r, parsed, prefs, out)
        name = normalise.text(sheet.cell(r, A["muni_name"].number))
        insurer_text = _insurer(insurer, digits, sheet, r, A["insurer_no"], out)
        if insurer is not None and all(v is None for v in values) and not any(
                (r, c.number) in sheet.uncalculated for c in details):
            union = dict(fiscal_year=year, pref_code=pref, union_no=insurer_text, union_name=name, members=0, _row=r)
            unions.append(union)
            continue
        if insurer is None:
            if union is None or union["pref_code"] != pref:
                out.append(Problem(where, r, A["insurer_no"].named, None,
                                   f"a 保険者番号, or a 広域連合's row above this member ({name}): a member without its union"))
            else:
                union["members"] += 1
        else:
            union = None
        row_values = values
        if formulas or not all(type(v) is float for v in values):        # the slow path only where a cell needs it
            row_values = []
            for c, v, m in zip(details, values, blank_ok):
                if type(v) is not float or (r, c.number) in sheet.uncalculated:
                    n_before = len(out)
                    v = _number(sheet, r, c, out, f"points of {c.grant} {c.goal}-{c.indicator}{c.branch}, a number", m)
                    if len(out) > n_before:
                        bad_cols.add(c.number)
                row_values.append(v)
        bad = [(c, v, p) for c, v, p in zip(details, row_values, top) if v is not None and not 0 <= v <= p]
        for c, v, p in bad:
            out.append(Problem(where, r, c.named, shown(v), f"points from 0 to the branch's 配点 {shown(p)}"))
            bad_cols.add(c.number)
        matrix.append([np.nan if v is None else v for v in row_values])
        rows.append(r)
        munis.append(dict(fiscal_year=year, pref_code=pref, muni_name=name, insurer_no=insurer_text,
                          union_no=union["union_no"] if union and insurer is None else None,
                          union_name=union["union_name"] if union and insurer is None else None,
                          population=_attr_int(sheet, r, A.get("population"), out),
                          first_insured=_attr_int(sheet, r, A.get("first_insured"), out),
                          size_class=_attr_int(sheet, r, A.get("size_class"), out),
                          kaso=_kaso(sheet, r, A.get("kaso"), out) if "kaso" in A else None, _row=r))
    for u in unions:
        if u["members"] == 0:
            out.append(Problem(where, u["_row"], A["insurer_no"].named, u["union_no"],
                               f"scores, or member municipalities below this 広域連合 ({u['union_name']}); it has neither"))
    complete = _coverage(where, munis, prefs, parsed, out)
    X = np.array(matrix, dtype=float) if matrix else np.zeros((0, len(details)))
    ind = indicator_scores(cat, np.nan_to_num(X))
    for s in subs:
        computed = subtotal_values(ind, s)
        for r, want in zip(rows, computed):
            got = sheet.cell(r, s.number)
            if type(got) is not float or formulas:
                got = _number(sheet, r, s, out, f"the subtotal {s.label}, a number")
            if got is not None and got != want:
                out.append(Problem(where, r, s.named, shown(got), f"{shown(want)}, the sum of its details"))
    total_col = next((s for s in subs if s.level == "total"), None)
    if rank_col and total_col and rows:
        totals = subtotal_values(ind, total_col)
        check_ranks(where, rank_col, totals, [sheet.cell(r, rank_col.number) for r in rows], rows, out)
    if complete:
        pts = dict(zip(cat.column_letter, cat.points))
        cols = [(c, X[:, i], pts[c.letter]) for i, c in enumerate(details) if c.number not in bad_cols]
        cols += [(s, subtotal_values(ind, s), sheet.cell(parsed.stats.get("points", 0), s.number)) for s in subs]
        check_statistics(where, parsed.stats, sheet.cell, cols, out)
    else:
        out.append(Problem(where, None, None, None, "statistics rows compared once every municipality is in "
                                                    "(not compared: the data rows are incomplete)", "warning"))
    results = None
    if not [p for p in out if p.severity == "error"]:
        results = _results(path, year, cat, munis, unions, X)
    return MunicipalWorkbook(path, year, out, results, cat.drop(columns="label"), unknown)


def _insurer(v, digits, sheet, r, col, out) -> str | None:
    if v is None:
        return None
    text = normalise.text(v)
    if not text.isdigit() or len(text) > digits:
        out.append(Problem(sheet.where, r, col.named, text, f"a 保険者番号 of {digits} digits"))
        return text
    return text.zfill(digits)


def _attr_int(sheet, r, col, out) -> int | None:
    if col is None or (v := sheet.cell(r, col.number)) is None:
        return None
    try:
        return normalise.integer(v)
    except ValueError:
        out.append(Problem(sheet.where, r, col.named, str(v), "a whole number"))
        return None


def _kaso(sheet, r, col, out) -> bool | None:
    v = sheet.cell(r, col.number)
    if v is None:
        return False
    mark = normalise.flag(v)
    if mark is None:
        out.append(Problem(sheet.where, r, col.named, str(v), "○ or blank"))
    return mark


def _coverage(where, munis, prefs, parsed, out) -> bool:
    """Every prefecture's municipalities, each one missing named by the 通し番号 gap where there is one."""
    have = pd.Series([m["pref_code"] for m in munis]).value_counts()
    ok = True
    serial = parsed.attribute("serial")
    gaps = []
    if serial:
        numbers = [parsed.sheet.cell(r, serial.number) for r in parsed.data_rows]
        numbers = [int(n) for n in numbers if isinstance(n, (int, float))]
        gaps = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
    for code, name, n in zip(prefs.pref_code, prefs.pref_name, prefs.municipalities_2019):
        got = int(have.get(code, 0))
        if got != n:
            ok = False
            gap = f" (通し番号 {', '.join(map(str, gaps[:5]))} absent)" if gaps and got < n else ""
            out.append(Problem(where, None, None, f"{got} municipalities of {code} {name}",
                               f"all {n} municipalities of {code} {name}: {'missing' if got < n else 'extra'} "
                               f"{abs(n - got)}{gap}"))
    return ok


def muni_code(pref_code: str, muni_name: str) -> str:
    """A real municipality's code in kofukin: the same every year for the same prefecture and name (the workbooks
    give a 保険者番号 to few of them — a 広域連合's members have none — and their row order may change), so a
    municipality's years are matched by it; "M", the prefecture and 6 hex digits of the name's md5.

    >>> muni_code("13", "千代田区"), muni_code("13", "千代田区") == muni_code("13", " 千代田区 ")
    ('M13b5eac2', True)
    """
    digest = hashlib.md5(f"{pref_code}:{unicodedata.normalize('NFKC', muni_name).strip()}".encode("utf-8")).hexdigest()
    return f"M{pref_code}{digest[:6]}"


def _results(path, year, cat, munis, unions, X) -> YearResults:
    m = pd.DataFrame(munis)
    m["muni_code"] = [muni_code(p, n) for p, n in zip(m.pref_code, m.muni_name)]
    clash = m[m.duplicated(["fiscal_year", "muni_code"], keep=False)]
    if len(clash):
        raise KofukinDataError(path, [f"{n} and another municipality of {p} share the code {c}: rename one in the "
                                      "workbook's copy" for p, n, c in zip(clash.pref_code, clash.muni_name, clash.muni_code)])
    m["synthetic"] = False
    m = m.astype({"population": "Int64", "first_insured": "Int64", "size_class": "Int64", "kaso": "boolean"})
    municipalities = m[["fiscal_year", "muni_code", "pref_code", "muni_name", "insurer_no", "union_no", "union_name",
                        "population", "first_insured", "size_class", "kaso", "synthetic"]]
    scores = pd.DataFrame({
        "fiscal_year": year,
        "muni_code": np.repeat(m.muni_code.to_numpy(), len(cat)),
        "grant": np.tile(cat.grant.to_numpy(), len(m)),
        "branch_id": np.tile(cat.branch_id.to_numpy(), len(m)),
        "points": X.reshape(-1),
    })
    u = pd.DataFrame(unions, columns=["fiscal_year", "pref_code", "union_no", "union_name", "members", "_row"])
    catalogue = cat.drop(columns="label")[["fiscal_year", "grant", "goal", "goal_name", "group", "indicator",
                                            "indicator_name", "branch", "branch_id", "points", "indicator_cap",
                                            "may_be_blank", "column_letter"]]
    return YearResults(fiscal_year=year, source=Path(path).name, catalogue=catalogue, municipalities=municipalities,
                       scores=scores, unions=u.drop(columns="_row").astype({"members": int}))


def read_municipal_workbook(path: Path | str, year: int | None = None, **kwargs) -> YearResults:
    """The year's results from a municipal workbook; KofukinDataError listing every error if it fails its checks."""
    book = _refused_as_error(inspect_municipal, path, year, **kwargs)
    errors = [str(p) for p in book.problems if p.severity == "error"]
    if errors:
        raise KofukinDataError(path, errors)
    return book.results


def _refused_as_error(inspect, path, year, **kwargs):
    try:
        return inspect(path, year, **kwargs)
    except UnsafeWorkbook as exc:
        raise KofukinDataError(path, [str(Problem(str(path), None, None, None, str(exc)))]) from None


def write_catalogue(catalogue: pd.DataFrame, folder: Path, level: str, year: int) -> Path:
    """The workbook's catalogue as a CSV beside the processed data: <folder>/ministry_<level>_<year>_catalogue.csv."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"ministry_{level}_{year}_catalogue.csv"
    tmp = target.with_suffix(".csv.tmp")
    catalogue.to_csv(tmp, index=False)
    tmp.replace(target)
    return target


@dataclass(frozen=True)
class PrefecturalResults:
    """A prefectural workbook's year: its catalogue (from the workbook itself) and scores (pref_code, grant,
    branch_id, points)."""

    fiscal_year: int
    source: str
    catalogue: pd.DataFrame
    scores: pd.DataFrame


def inspect_prefectural(path: Path | str, year: int | None = None, raw: Path = paths.RAW, sheet: Sheet | None = None,
                        **_) -> tuple:
    """Read and check a prefectural workbook (47 rows): (PrefecturalResults or None, problems)."""
    parsed = parse(path, "prefecture", year, sheet)
    sheet, out, where = parsed.sheet, parsed.problems, parsed.sheet.where
    if out:
        return None, out
    cat = _catalogue(parsed, None)
    check_catalogue(where, cat, None, parsed.year, out, parsed.stats.get("points"))
    details, subs = parsed.of("detail"), parsed.of("subtotal")
    prefs = _prefectures(raw)
    codes, matrix = [], []
    for r in parsed.data_rows:
        codes.append(_pref_code(sheet, r, parsed, prefs, out))
        matrix.append([np.nan if (v := _number(sheet, r, c, out, "points, a number")) is None else v for c in details])
    missing = sorted(set(prefs.pref_code) - set(codes))
    for code in missing:
        out.append(Problem(where, None, None, code, f"a row for every prefecture; {code} is missing"))
    X = np.array(matrix, dtype=float)
    ind = indicator_scores(cat, np.nan_to_num(X))
    for s in subs:
        for r, want in zip(parsed.data_rows, subtotal_values(ind, s)):
            got = _number(sheet, r, s, out, f"the subtotal {s.label}, a number")
            if got is not None and got != want:
                out.append(Problem(where, r, s.named, shown(got), f"{shown(want)}, the sum of its details"))
    rank_col = next(iter(parsed.of("rank")), None)
    total_col = next((s for s in subs if s.level == "total"), None)
    if rank_col and total_col:
        check_ranks(where, rank_col, subtotal_values(ind, total_col),
                    [sheet.cell(r, rank_col.number) for r in parsed.data_rows], parsed.data_rows, out)
    if not missing:
        pts = dict(zip(cat.column_letter, cat.points))
        cols = [(c, X[:, i], pts[c.letter]) for i, c in enumerate(details)]
        cols += [(s, subtotal_values(ind, s), sheet.cell(parsed.stats.get("points", 0), s.number)) for s in subs]
        check_statistics(where, parsed.stats, sheet.cell, cols, out)
    if [p for p in out if p.severity == "error"]:
        return None, out
    scores = pd.DataFrame({"fiscal_year": parsed.year, "pref_code": np.repeat(codes, len(cat)),
                           "grant": np.tile(cat.grant.to_numpy(), len(codes)),
                           "branch_id": np.tile(cat.branch_id.to_numpy(), len(codes)), "points": X.reshape(-1),
                           "synthetic": False})
    return PrefecturalResults(parsed.year, Path(path).name, cat.drop(columns="label"), scores), out


def read_prefectural_workbook(path: Path | str, year: int | None = None, **kwargs) -> PrefecturalResults:
    """The year's prefectural results from a 都道府県分 workbook; KofukinDataError listing every error."""
    results, problems = _refused_as_error(inspect_prefectural, path, year, **kwargs)
    if errors := [str(p) for p in problems if p.severity == "error"]:
        raise KofukinDataError(path, errors)
    return results


def check_workbook(path: Path | str, year: int | None = None, raw: Path = paths.RAW,
                   config: Path = paths.CONFIG) -> tuple[str | None, int | None, list[Problem]]:
    """A ministry workbook's level, year and problems (``kofukin validate`` and ``kofukin import``); the workbook is
    read once."""
    path = Path(path)
    try:
        sheet = open_sheet(path, LEVELS["municipal"] + LEVELS["prefecture"])
        sheet_level = level_of_workbook(sheet)
    except UnsafeWorkbook as exc:
        return None, None, [Problem(str(path), None, None, None, str(exc))]
    if sheet_level is None:
        return None, None, [Problem(str(path), 1, None, None, "a ministry results workbook (市町村分 or 都道府県分) "
                                                            "whose sheet name or title says which")]
    if sheet_level == "municipal":
        book = inspect_municipal(path, year, raw=raw, config=config, sheet=sheet)
        return "municipal", book.year, book.problems
    results, problems = inspect_prefectural(path, year, raw=raw, sheet=sheet)
    return "prefecture", results.fiscal_year if results else year, problems


def import_workbook(path: Path | str, year: int | None = None, raw: Path = paths.RAW,
                    config: Path = paths.CONFIG) -> tuple[Path | None, list[Problem]]:
    """Check a ministry workbook and copy it unchanged (atomically) to data/raw/results/ministry_<level>_<year>.xlsx;
    (None, problems) if it has an error."""
    import shutil
    level, year, problems = check_workbook(path, year, raw, config)
    if level is None or year is None or any(p.severity == "error" for p in problems):
        return None, problems
    target = Path(raw) / paths.RESULTS / f"ministry_{level}_{year}.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    shutil.copyfile(path, tmp)
    tmp.replace(target)
    return target, problems
