"""Project folders, resolved from this file (or from the KOFUKIN_ROOT environment variable)."""

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]      # kofukin/
ROOT = Path(os.environ.get("KOFUKIN_ROOT") or PACKAGE.parent)
CONFIG = ROOT / "config" / "kofukin.yaml"
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
INPUTS = PROCESSED / "inputs"
REPORTS = ROOT / "reports"
SCENARIOS = ROOT / "scenarios"
BUILD = ROOT / "build"                             # scratch and executed notebooks; ignored by git

# The tables the data build writes (data/processed/inputs/ and data/processed/): a contract.
# raw files that every year shares, relative to data/raw/: each named here once
PREFECTURES = Path("reference") / "prefectures.csv"
MUNICIPAL_CATEGORIES = Path("catalogue") / "municipal_categories.csv"
PUBLISHED_FIGURES = Path("published") / "published_figures.csv"
RESULTS = Path("results")        # real results: data/raw/results/<level>_<year>.csv/.xlsx, the ministry's workbooks
INPUT_TABLES = ["municipalities", "municipal_category_results", "prefecture_item_results",
                "prefecture_total_results", "prefecture_requests"]
PROCESSED_TABLES = ["prefecture_item_scores", "prefecture_scores", "municipal_scores", "prefecture_allocation",
                    "prefecture_item_stakes", "prefecture_category_stakes", "municipal_allocation",
                    "municipal_category_stakes", "municipal_ranks", "prefecture_frame", "municipal_frame",
                    "municipal_frame_pots", "budget_frame", "source_consistency"]
# the current structure (FY2024+), a step of its own (kofukin.make.data.build_current): kofukin.model.current_tables
CURRENT_TABLES = ["current_catalogue", "current_municipalities", "current_unions", "current_branch_scores",
                  "current_scores", "current_branch_rates", "current_allocation"]


def raw_files(folder: Path = RAW) -> list[Path]:
    """Every table file under ``folder`` the build may read (CSV and Excel), sorted.

    >>> [p.name for p in raw_files(RAW / "catalogue")][:2]
    ['municipal_categories.csv', 'municipal_current_branches.csv']
    """
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".csv", ".xlsx"))


def project(root: Path | str | None = None) -> dict[str, Path]:
    """The ``config``, ``raw`` and ``processed`` paths of a project folder — this project's when ``root`` is None,
    whatever the working directory; a relative ``root`` is read from the working directory (notebook parameters).

    >>> project()["config"] == CONFIG, project(tmp)["processed"] == tmp / "data" / "processed"
    (True, True)
    """
    root = ROOT if root is None else Path(root).resolve()
    return {"config": root / "config" / "kofukin.yaml", "raw": root / "data" / "raw", "processed": root / "data" / "processed"}


def grant_suffix(grant: str | None, grants: list[str]) -> str:
    """What the pages and bundles of one grant add to their names: nothing for the year's first grant (or
    None), ``_support`` for another — a one-grant year's pages keep their names.

    >>> grant_suffix("promotion", ["promotion", "support"]), grant_suffix("support", ["promotion", "support"])
    ('', '_support')
    """
    return "" if grant is None or grant == grants[0] else f"_{grant}"


PROFILE_BUNDLES = "profiles"         # under data/processed/: <pref_code>[_<grant>].json, one per profile page
MUNICIPAL_BUNDLES = "municipal"      # under data/processed/: <pref_code>/<muni_code>.json and <pref_code>/index.json


def bundle(pref_code: str, root: Path | str | None = None, grant: str | None = None, grants: list[str] | None = None) -> Path:
    """A prefecture's profile bundle in a project folder (``project(root)``), of the report year's first grant or
    of ``grant`` (``profiles/13_support.json``); given the year's ``grants``, the first one's has no suffix
    (``grant_suffix``).

    >>> bundle("13") == PROCESSED / "profiles" / "13.json", bundle("13", grant="support").name
    (True, '13_support.json')
    >>> bundle("13", grant="promotion", grants=["promotion", "support"]).name
    '13.json'
    """
    suffix = grant_suffix(grant, grants) if grants else ("" if grant is None else f"_{grant}")
    return project(root)["processed"] / PROFILE_BUNDLES / f"{pref_code}{suffix}.json"


def municipal_bundles(root: Path | str | None = None) -> Path:
    """The folder of the municipal bundles in a project folder (``project(root)``): <pref_code>/<muni_code>.json.

    >>> municipal_bundles() == PROCESSED / "municipal"
    True
    """
    return project(root)["processed"] / MUNICIPAL_BUNDLES


def scenario_files(name: str, root: Path | str | None = None) -> tuple[Path, Path]:
    """A scenario's file (scenarios/<name>.yaml) and the comparison table the build writes for it, in a project
    folder (``project(root)``: this project's when ``root`` is None).

    >>> [p.relative_to(ROOT).as_posix() for p in scenario_files("frame")], scenario_files("frame", tmp)[0] == tmp / "scenarios" / "frame.yaml"
    (['scenarios/frame.yaml', 'reports/scenarios/frame.csv'], True)
    """
    scenarios, reports = (SCENARIOS, REPORTS) if root is None else (Path(root).resolve() / "scenarios", Path(root).resolve() / "reports")
    return scenarios / f"{name}.yaml", reports / "scenarios" / f"{name}.csv"


def skip_results(folder: str, names: list[str]) -> list[str]:
    """For ``shutil.copytree(RAW, …, ignore=skip_results)``: everything inside data/raw/results/ is left out.

    >>> skip_results(str(RAW / RESULTS), ["requests_2019.csv"]), skip_results(str(RAW / "budget"), ["a.csv"])
    (['requests_2019.csv'], [])
    """
    return names if Path(folder) == RAW / RESULTS else []


def project_copy(dest: Path, results: bool = False) -> dict[str, Path]:
    """A scratch copy of the raw data and configuration under ``dest`` (for trying things out without
    touching the project): the ``config``, ``raw`` and ``processed`` paths that ``kofukin.make.data.build`` takes.
    Without ``results=True`` the real result files of data/raw/results/ are left out (a pristine copy: the
    synthetic stand-ins, whatever an analyst has dropped in).

    >>> where = project_copy(tmp)
    >>> sorted(where), where["config"].exists()
    (['config', 'processed', 'raw'], True)
    """
    import shutil

    where = project(dest)
    shutil.copytree(RAW, where["raw"], dirs_exist_ok=True, ignore=None if results else skip_results)
    where["config"].parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONFIG, where["config"])
    return where
