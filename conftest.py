"""Names the docstring examples of kofukin use (pytest --doctest-modules): one throw-away build."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    """The project's data built once into a temporary folder; the examples' ``processed``."""
    from kofukin.model import paths
    from kofukin.make.data import build

    where = paths.project_copy(tmp_path_factory.mktemp("examples"))
    build(**where)
    return where["processed"]


@pytest.fixture(scope="session")
def example_names(example_build) -> dict:
    """``r`` (a loaded Report), ``b`` (東京都's profile bundle), ``cfg``, ``src``, ``processed``, ``model``, ``report``, ``m`` (S13001's municipal bundle), ``fs`` (the FY2025 municipal frame split), ``my`` (municipal scores of FY2019 and FY2023), ``ms`` (every municipal score, both grants)."""
    from kofukin import model, report
    from kofukin.model import compute, config, schemas
    from kofukin.pages import municipal_frame, municipal_years, municipality, profile

    root = example_build.parents[1]
    cfg = config.load_config(root / "config" / "kofukin.yaml")
    return dict(pd=pd, np=np, Path=Path, processed=example_build, cfg=cfg, model=model, report=report,
                src=compute.load_raw(cfg, root / "data" / "raw"),
                r=report.load(example_build, root / "data" / "raw", root / "config" / "kofukin.yaml"),
                b=profile.read(example_build / "profiles" / "13.json"),
                m=municipality.read(example_build / "municipal", "S13001"),
                fs=municipal_frame.read(example_build, root / "data" / "raw", root / "config" / "kofukin.yaml"),
                my=municipal_years.read(2019, 2023, example_build, root / "data" / "raw"),
                ms=schemas.read_table("municipal_scores", example_build / "municipal_scores.csv"))


@pytest.fixture(scope="session")
def year_2099(example_build, tmp_path_factory) -> Path:
    """A copy of the project's data, configuration and notebooks with the two-grant FY2099 added
    (tests/new_year.py), built once by `doit` with the project's own dodo.py and the installed kofukin."""
    import os
    import subprocess
    import sys

    from kofukin.model import paths
    from tests.new_year import add_year, project_copy

    root = project_copy(tmp_path_factory.mktemp("fy2099"))
    add_year(root, example_build / "inputs")
    env = {**os.environ, "KOFUKIN_ROOT": str(root)}
    run = subprocess.run([sys.executable, "-m", "doit", "-f", str(paths.ROOT / "dodo.py"), "-d", str(root)],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    return root


@pytest.fixture(scope="session")
def example_two_grants(year_2099) -> dict:
    """The two-grant test year FY2099 (``year_2099``): ``m2`` (S31001's municipal bundle), ``idx2``
    (鳥取県's municipal index) and ``rs2`` (a Report of each grant)."""
    from kofukin import report
    from kofukin.model import paths
    from kofukin.pages import municipal_index, municipality

    where = paths.project(year_2099)
    folder = where["processed"] / "municipal"
    return dict(m2=municipality.read(folder, "S31001"), idx2=municipal_index.read(folder, "31"),
                rs2=[report.load(**where, grant=g) for g in ("promotion", "support")])


@pytest.fixture(autouse=True)
def _examples(request, doctest_namespace, tmp_path):
    """The example names, and ``tmp``: a fresh folder for examples that write files."""
    if isinstance(request.node, pytest.DoctestItem):
        doctest_namespace.update(request.getfixturevalue("example_names"), tmp=tmp_path)
        if "m2" in request.node.dtest.docstring or "rs2" in request.node.dtest.docstring or "idx2" in request.node.dtest.docstring:
            doctest_namespace.update(request.getfixturevalue("example_two_grants"))
