"""doit tasks: `doit` rebuilds data/processed/ (and, later, the reports) — only what changed.

`doit list` is the table of contents of the build.
"""

from pathlib import Path

from kofukin import paths
from kofukin.pipeline import INPUT_TABLES, PROCESSED_TABLES, build

DOIT_CONFIG = {"default_tasks": ["data"], "verbosity": 2, "dep_file": str(paths.ROOT / ".doit.db")}

PACKAGE = sorted(str(p) for p in (paths.ROOT / "kofukin").glob("*.py"))
RAW = sorted(str(p) for p in paths.RAW.rglob("*.csv"))


def task_data():
    """処理済みデータ: 得点・得点率・順位・交付額・整合性チェック (data/processed/*.csv)"""
    targets = [paths.PROCESSED / f"{n}.csv" for n in PROCESSED_TABLES]
    targets += [paths.INPUTS / f"{n}.csv" for n in INPUT_TABLES]
    targets.append(paths.PROCESSED / "manifest.json")
    return {
        "actions": [(build, [], {})],
        "file_dep": RAW + PACKAGE + [str(paths.CONFIG)],
        "targets": [str(t) for t in targets],
        "clean": True,
    }
