"""The exploratory notebooks run top to bottom (papermill), in temporary folders."""

import papermill

from kofukin.model import paths

EXPLORATORY = paths.ROOT / "notebooks" / "exploratory"


def _run(name, tmp_path, **parameters):
    import jupytext
    import nbformat

    nb = jupytext.read(EXPLORATORY / f"{name}.py")
    source = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, source)
    return papermill.execute_notebook(str(source), str(tmp_path / f"{name}.out.ipynb"), parameters=parameters,
                                      kernel_name="python3", cwd=str(paths.ROOT), progress_bar=False)


def _text(nb) -> str:
    return "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_getting_started_runs_on_a_build(built, tmp_path):
    root = built["_dir"].parents[1]
    nb = _run("getting_started", tmp_path, processed_dir=str(built["_dir"]), raw_dir=str(root / "data" / "raw"),
              config_path=str(root / "config" / "kofukin.yaml"))
    out = _text(nb)
    assert "2019年度（比較: 2018年度）、合成データ: True" in out
    assert "予算 1,200,000千円 → 得点による配分 1,200,000千円" in out


def test_bring_your_own_data_reports_the_blank_then_builds_with_real_requests(tmp_path):
    nb = _run("bring_your_own_data", tmp_path, workdir=str(tmp_path / "work"))
    out = _text(nb)
    assert "row 14, column 所要見込額（千円）: — expected a value (blank is missing, never zero)" in out
    assert "問題はありません" in out
    assert "'inputs/prefecture_requests': []" in out and "'prefecture_allocation': [2019]" in out
    assert (tmp_path / "work" / "data" / "processed" / "prefecture_allocation.csv").exists()
