"""The data step of the build: data/raw/ → data/processed/ (real results where given, else 合成データ),
written all at once or not at all."""

import json
from pathlib import Path

import pandas as pd

from kofukin import __version__
from kofukin.intake.validate import validate_files
from kofukin.intake.workbook import FILE_NAME as WORKBOOK_NAME, read_municipal_workbook, workbooks_present
from kofukin.model import paths
from kofukin.model.compute import compute, load_raw
from kofukin.model.config import load_config
from kofukin.model.current import YearResults
from kofukin.model.current_catalogue import current_config
from kofukin.model.current_tables import current_tables
from kofukin.model.errors import KofukinConfigError, KofukinDataError, KofukinInputError
from kofukin.model.io import csv_bytes, md5, write_all_atomic
from kofukin.model.paths import INPUT_TABLES, raw_files
from kofukin.model.schemas import check_table, empty, read_table
from kofukin.model.synthetic import generate, stand_in_years, synthetic_coverage
from kofukin.model.vintage import synthetic_years
from kofukin.pages import municipal_index, municipality, profile
from kofukin.report.bundle import dumps


def _result_files(raw: Path = paths.RAW) -> list[Path]:
    """Real result files dropped into data/raw/results/ (``<level>_<year>.csv`` or ``.xlsx``; the ministry's
    workbooks ``ministry_<level>_<year>.xlsx`` are read by ``_workbook_years``)."""
    return [p for p in raw_files(raw / paths.RESULTS) if not WORKBOOK_NAME.match(p.name)]


def _workbook_years(raw: Path = paths.RAW, config: Path = paths.CONFIG) -> dict[int, YearResults]:
    """The current-structure years of which the ministry's municipal workbook is in data/raw/results/, read and
    checked (kofukin.intake.workbook): those years are real, the others stay 合成データ."""
    return {year: read_municipal_workbook(path, year, raw=raw, config=config) for year, path in _municipal_workbooks(raw)}


def _municipal_workbooks(raw: Path = paths.RAW) -> list[tuple[int, Path]]:
    """The ministry's municipal workbooks in data/raw/results/: (year, path)."""
    return [(year, path) for level, year, path in workbooks_present(raw) if level == "municipal"]


def _load_inputs(cfg: dict, src: dict, raw: Path = paths.RAW, config: Path = paths.CONFIG) -> dict[str, pd.DataFrame]:
    """Real results from data/raw/results/ where present, validated as `kofukin validate` does; for
    the years the synthetic stand-ins cover (``synthetic.years``), synthetic rows where no real ones are given."""
    files = _result_files(raw)
    real = {}
    if files:
        intake = validate_files(files, config, raw, complete=True)
        intake.raise_errors(raw / paths.RESULTS)
        real = intake.tables()
    covered = {name: set(df["fiscal_year"]) for name, df in real.items()}
    coverage = synthetic_coverage(cfg, src["municipal_categories"])
    missing = any(not years <= covered.get(name, set()) for name, years in coverage.items())
    if not missing or not all(y in cfg["years"] for y in stand_in_years(cfg)):
        return {name: real.get(name, empty(name)) for name in INPUT_TABLES}
    items = src["catalogues"][stand_in_years(cfg)[1]][0]
    synthetic = generate(cfg, items, src["prefectures"], src["municipal_categories"], src["figures"])
    return {name: _merge_real(real.get(name), synthetic[name]) for name in INPUT_TABLES}


def _merge_real(real: pd.DataFrame | None, synthetic: pd.DataFrame) -> pd.DataFrame:
    """Real rows, plus the synthetic rows of the years the real ones do not cover: a year is wholly real or
    wholly synthetic, never both (so each year's municipalities are that year's, real or synthetic).

    >>> real = pd.DataFrame({"fiscal_year": [2019], "muni_code": ["011002"], "synthetic": [False]})
    >>> synthetic = pd.DataFrame({"fiscal_year": [2018, 2019], "muni_code": ["S01001", "S01001"], "synthetic": True})
    >>> _merge_real(real, synthetic).values.tolist()
    [[2019, '011002', False], [2018, 'S01001', True]]
    """
    if real is None:
        return synthetic
    return pd.concat([real, synthetic[~synthetic["fiscal_year"].isin(real["fiscal_year"].unique())]], ignore_index=True)


def build(config: Path = paths.CONFIG, raw: Path = paths.RAW, processed: Path = paths.PROCESSED,
          municipal: bool = True, current: bool = True) -> None:
    """Check, compute and write every processed table; nothing is written unless all of it succeeds. Without
    ``municipal`` the municipal edition's bundles are left to ``build_municipal`` (doit's own task for them, so
    that a change no municipality shows — one prefecture's request — does not rebuild 1,741 bundles); without
    ``current`` the current structure's tables are left to ``build_current`` (doit's own task for them, likewise).

    >>> where = paths.project_copy(tmp)
    >>> build(**where)
    >>> sorted(p.name for p in where["processed"].glob("*.json"))
    ['current_vintage.json', 'manifest.json', 'vintage.json']
    """
    cfg = load_config(config)
    src = load_raw(cfg, raw)
    inputs = _load_inputs(cfg, src, raw, config)
    try:
        tables = compute(cfg, src, inputs)
    except KofukinConfigError as exc:
        raise KofukinDataError(config, [str(exc)]) from None
    except KofukinInputError as exc:
        raise KofukinDataError(raw / paths.RESULTS, [str(exc)]) from None
    outputs = {**{f"inputs/{n}": df for n, df in inputs.items()}, **tables}
    checked = {name: check_table(name.split("/")[-1], df, processed / f"{name}.csv") for name, df in outputs.items()}
    files = {processed / f"{name}.csv": csv_bytes(df) for name, df in checked.items()}
    for code, bundle in profile.bundles(cfg["report_year"], cfg["compare_year"], src, checked, cfg).items():
        files[processed / paths.PROFILE_BUNDLES / f"{code}.json"] = dumps(bundle)
    if municipal:
        files.update(_municipal_files(cfg, src, checked, processed))
    vintage = {
        "report_year": cfg["report_year"],
        "compare_year": cfg["compare_year"],
        "synthetic": {name: synthetic_years(df) for name, df in checked.items() if "synthetic" in df},
    }
    manifest = {**vintage, "kofukin_version": __version__, "config_md5": md5(config),
                "raw_md5": {str(p.relative_to(raw)): md5(p) for p in raw_files(raw)}}
    for name, content in (("vintage.json", vintage), ("manifest.json", manifest)):
        files[processed / name] = (json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    write_all_atomic(files)
    if municipal:
        _remove_stale(files, processed)
    if current:
        build_current(config, raw, processed)


CURRENT_VINTAGE = "current_vintage.json"


def current_raw_files(cfg: dict, raw: Path = paths.RAW) -> list[Path]:
    """The raw files ``build_current`` reads: the current structure's catalogue and published figures, the
    prefectures and the ministry's municipal workbooks present — so that a changed FY2019 result (a prefecture's request)
    does not rebuild the current structure.

    >>> [p.name for p in current_raw_files(load_config(), tmp)]
    ['municipal_current_branches.csv', 'current_national_figures.csv', 'prefectures.csv']
    """
    current = current_config(cfg)
    return [raw / current["catalogue"], raw / current["figures"], raw / paths.PREFECTURES] + [
        path for _, path in _municipal_workbooks(raw)]


def build_current(config: Path = paths.CONFIG, raw: Path = paths.RAW, processed: Path = paths.PROCESSED) -> None:
    """The current structure's (FY2024+) processed tables (``paths.CURRENT_TABLES``) and ``current_vintage.json``
    (each table's synthetic years, each year's source): a year whose ministry workbook is in data/raw/results/ is
    read from it, the others are 合成データ. Written all at once or not at all.

    >>> where = paths.project_copy(tmp)
    >>> build_current(**where)
    >>> json.loads((where["processed"] / CURRENT_VINTAGE).read_text(encoding="utf-8"))["sources"]
    {'2024': 'synthetic', '2025': 'synthetic', '2026': 'synthetic'}
    """
    cfg = load_config(config)
    real = _workbook_years(raw, config)
    try:
        tables = current_tables(cfg, raw, real=real)
    except KofukinConfigError as exc:
        raise KofukinDataError(config, [str(exc)]) from None
    checked = {name: check_table(name, df, processed / f"{name}.csv") for name, df in tables.items()}
    files = {processed / f"{name}.csv": csv_bytes(df) for name, df in checked.items()}
    years = sorted(set(checked["current_scores"]["fiscal_year"]))
    vintage = {"synthetic": {name: synthetic_years(df) for name, df in checked.items()},
               "sources": {str(y): real[y].source if y in real else "synthetic" for y in years}}
    files[processed / CURRENT_VINTAGE] = (json.dumps(vintage, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    write_all_atomic(files)


MUNICIPAL_TABLES = ("municipal_ranks", "municipal_scores", "municipal_category_stakes", "inputs/municipalities")


def build_municipal(config: Path = paths.CONFIG, raw: Path = paths.RAW, processed: Path = paths.PROCESSED) -> None:
    """The municipal edition's bundles (one per municipality, an index per prefecture) from the processed tables
    ``build`` wrote (``MUNICIPAL_TABLES``): the same bytes as ``build`` with ``municipal``.

    >>> where = paths.project_copy(tmp)
    >>> build(**where, municipal=False)
    >>> build_municipal(**where)
    >>> len(list((where["processed"] / "municipal").glob("*/*.json")))
    1788
    """
    cfg = load_config(config)
    tables = {name: read_table(name.split("/")[-1], processed / f"{name}.csv") for name in MUNICIPAL_TABLES}
    for name in ("municipal_ranks", "municipal_scores"):       # as computed, not as rounded in the CSV
        tables[name] = tables[name].assign(score_rate=tables[name]["score"] / tables[name]["max_points"])
    files = _municipal_files(cfg, load_raw(cfg, raw), tables, processed)
    write_all_atomic(files)
    _remove_stale(files, processed)


def _municipal_files(cfg: dict, src: dict, tables: dict, processed: Path) -> dict[Path, bytes]:
    """The municipal bundles' files: data/processed/municipal/<pref>/<muni_code>.json and <pref>/index.json."""
    files, year, compare = {}, cfg["report_year"], cfg["compare_year"]
    for code, bundle in municipality.municipal_bundles(year, compare, src, tables, cfg).items():
        files[processed / paths.MUNICIPAL_BUNDLES / bundle["pref_code"] / f"{code}.json"] = dumps(bundle)
    for pref, bundle in municipal_index.municipal_index_bundles(year, compare, src, tables, cfg).items():
        files[processed / paths.MUNICIPAL_BUNDLES / pref / "index.json"] = dumps(bundle)
    return files


def _remove_stale(files: dict[Path, bytes], processed: Path) -> None:
    """Bundles of municipalities no longer in the data."""
    for stale in set((processed / paths.MUNICIPAL_BUNDLES).glob("*/*.json")) - set(files):
        stale.unlink()
