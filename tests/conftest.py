import shutil
from pathlib import Path

import pandas as pd
import pytest

from kofukin import paths
from kofukin.pipeline import build

GROUND_TRUTH = Path(__file__).parent / "ground_truth" / "published_aggregates.csv"


def copy_project(dest: Path) -> dict[str, Path]:
    """A throw-away copy of the project's raw data and configuration under ``dest``."""
    shutil.copytree(paths.RAW, dest / "data" / "raw")
    (dest / "config").mkdir(parents=True)
    shutil.copy(paths.CONFIG, dest / "config" / "kofukin.yaml")
    return {"config": dest / "config" / "kofukin.yaml", "raw": dest / "data" / "raw",
            "processed": dest / "data" / "processed"}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Processed tables built once from the project's raw data into a temporary folder."""
    where = copy_project(tmp_path_factory.mktemp("project"))
    build(**where)
    out = {p.stem: pd.read_csv(p, dtype={"pref_code": str}) for p in where["processed"].glob("*.csv")}
    out.update({f"inputs/{p.stem}": pd.read_csv(p, dtype={"pref_code": str}) for p in (where["processed"] / "inputs").glob("*.csv")})
    out["_dir"] = where["processed"]
    return out


@pytest.fixture(scope="session")
def ground_truth() -> pd.DataFrame:
    return pd.read_csv(GROUND_TRUTH)
