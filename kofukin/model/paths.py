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

# The tables the data build writes (data/processed/inputs/ and data/processed/): a contract.
INPUT_TABLES = ["municipalities", "municipal_category_results", "prefecture_item_results",
                "prefecture_total_results", "prefecture_requests"]
PROCESSED_TABLES = ["prefecture_item_scores", "prefecture_scores", "municipal_scores", "prefecture_allocation",
                    "prefecture_item_stakes", "prefecture_category_stakes", "municipal_allocation",
                    "municipal_category_stakes", "municipal_ranks", "prefecture_frame_2025", "budget_frame_2025", "source_consistency"]


def raw_files(folder: Path = RAW) -> list[Path]:
    """Every table file under ``folder`` the build may read (CSV and Excel), sorted.

    >>> [p.name for p in raw_files(RAW / "catalogue")][:2]
    ['municipal_categories.csv', 'prefecture_2019_categories.csv']
    """
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".csv", ".xlsx"))


def project_copy(dest: Path) -> dict[str, Path]:
    """A scratch copy of the raw data and configuration under ``dest`` (for trying things out without
    touching the project): the ``config``, ``raw`` and ``processed`` paths that ``kofukin.build.data.build`` takes.

    >>> where = project_copy(tmp)
    >>> sorted(where), where["config"].exists()
    (['config', 'processed', 'raw'], True)
    """
    import shutil

    dest = Path(dest)
    shutil.copytree(RAW, dest / "data" / "raw", dirs_exist_ok=True)
    (dest / "config").mkdir(parents=True, exist_ok=True)
    shutil.copy(CONFIG, dest / "config" / "kofukin.yaml")
    return {"config": dest / "config" / "kofukin.yaml", "raw": dest / "data" / "raw", "processed": dest / "data" / "processed"}
