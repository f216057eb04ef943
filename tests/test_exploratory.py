"""The exploratory notebooks run top to bottom with their defaults from their own folder, as in JupyterLab
(KOFUKIN_ROOT points the defaults at the test build), writing nothing beside themselves."""

import jupytext
import papermill

from kofukin.model import paths

EXPLORATORY = paths.ROOT / "notebooks" / "exploratory"


def _run(name, tmp_path, **parameters):
    nb = jupytext.read(EXPLORATORY / f"{name}.py")
    before = sorted(p.name for p in EXPLORATORY.iterdir())
    out = papermill.execute_notebook(nb, str(tmp_path / f"{name}.out.ipynb"), parameters=parameters,
                                     kernel_name="python3", cwd=str(EXPLORATORY), progress_bar=False)
    assert sorted(p.name for p in EXPLORATORY.iterdir()) == before
    return out


def _text(nb) -> str:
    return "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_getting_started_runs_on_a_build(built, tmp_path, monkeypatch):
    monkeypatch.setenv("KOFUKIN_ROOT", str(built["_dir"].parents[1]))
    out = _text(_run("getting_started", tmp_path))
    assert "2019年度（比較: 2018年度）、合成データ: True" in out
    assert "予算 1,200,000千円 → 得点による配分 1,200,000千円" in out


def test_bring_your_own_data_reports_the_blank_then_builds_with_real_requests_in_build(built, tmp_path, monkeypatch):
    root = built["_dir"].parents[1]
    monkeypatch.setenv("KOFUKIN_ROOT", str(root))
    out = _text(_run("bring_your_own_data", tmp_path))
    assert "row 14, column 所要見込額（千円）: — expected a value (blank is missing, never zero)" in out
    assert "問題はありません" in out
    assert "'inputs/prefecture_requests': []" in out and "'prefecture_allocation': [2019]" in out
    assert (root / "build" / "byod" / "data" / "processed" / "prefecture_allocation.csv").exists()


def test_a_relative_project_folder_is_read_from_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.project("copy")["raw"] == tmp_path / "copy" / "data" / "raw"
    assert paths.project()["config"] == paths.CONFIG
