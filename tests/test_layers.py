"""The layers of kofukin/ hold: import-linter's contracts in pyproject.toml are kept, and a wrong-way
import (the model importing the report) breaks them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kofukin.model import paths

LINT = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()", "--no-cache"]


def _lint(root: Path) -> subprocess.CompletedProcess:
    """import-linter on the kofukin package found under ``root`` (with ``root``'s pyproject.toml)."""
    return subprocess.run(LINT, cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root)})


def test_the_package_keeps_its_layers():
    done = _lint(paths.ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 2 kept, 0 broken." in done.stdout


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    shutil.copytree(paths.PACKAGE, tmp_path / "kofukin", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(paths.ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "kofukin" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return tmp_path


def test_a_model_module_importing_the_report_breaks_the_layers(tmp_path):
    done = _lint(_copy_with(tmp_path, "model/scoring.py", "from kofukin.report import charts  # noqa"))
    assert done.returncode == 1
    assert "kofukin.model.scoring -> kofukin.report.charts" in done.stdout


def test_the_report_reading_result_files_breaks_its_contract(tmp_path):
    done = _lint(_copy_with(tmp_path, "report/data.py", "from kofukin.intake import validate  # noqa"))
    assert done.returncode == 1
    assert "The report shows built data: it does not read result files BROKEN" in done.stdout


def test_intake_and_scenarios_do_not_import_each_other(tmp_path):
    done = _lint(_copy_with(tmp_path, "intake/validate.py", "from kofukin.scenarios import rules  # noqa"))
    assert done.returncode == 1
    assert "kofukin.intake.validate -> kofukin.scenarios.rules" in done.stdout


def _written_paths() -> set[tuple[str, str]]:
    """Every dotted ``kofukin.…`` path written in the README, docs/, the notebooks and the package's docstrings."""
    import re

    files = [paths.ROOT / "README.md", *(paths.ROOT / "docs").glob("*.md"), *(paths.ROOT / "notebooks").rglob("*.py"),
             *paths.PACKAGE.rglob("*.py")]
    found = set()
    for f in files:
        for m in re.finditer(r"\bkofukin(?:\.[A-Za-z_][A-Za-z0-9_]*)+", f.read_text(encoding="utf-8")):
            found.add((str(f.relative_to(paths.ROOT)), m.group(0)))
    return found


def test_every_dotted_path_written_exists():
    import importlib

    missing = []
    for where, dotted in sorted(_written_paths()):
        parts = dotted.split(".")
        if parts[-1] in ("yaml", "html", "py", "md", "js", "xlsx", "json", "css"):   # file names such as config/kofukin.yaml
            continue
        for cut in range(len(parts), 0, -1):                  # the longest importable module, then attributes
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
                break
            except ModuleNotFoundError:
                continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            missing.append(f"{where}: {dotted}")
    assert not missing, missing
    assert ("README.md", "kofukin.model.scoring") in _written_paths()


def test_a_kit_module_importing_a_page_breaks_the_layers(tmp_path):
    """The kit (report/) serves every page and knows none of them (pages over report)."""
    done = _lint(_copy_with(tmp_path, "report/display.py", "from kofukin.pages import committee  # noqa"))
    assert done.returncode == 1
    assert "kofukin.report.display -> kofukin.pages.committee" in done.stdout


def _page_imports() -> dict[str, set[str]]:
    """Each module of kofukin/pages/ → the kofukin.pages modules it imports."""
    import ast

    found = {}
    for f in sorted((paths.PACKAGE / "pages").glob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kofukin.pages"):
                names |= {node.module} if node.module != "kofukin.pages" else {f"kofukin.pages.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                names |= {a.name for a in node.names if a.name.startswith("kofukin.pages.")}
        found[f.stem] = names
    return found


def test_a_page_module_imports_no_other_page():
    """One room per page: a page module uses the kit, the model and ``kofukin.pages.page`` (the declarations), never
    another page (the committee paper's Word writer is that page's own second module)."""
    imports = _page_imports()
    assert {"national", "profile", "municipality", "committee", "page", "index"} <= set(imports)
    allowed = {"kofukin.pages.page"}
    wrong = {m: sorted(i - allowed) for m, i in imports.items() if i - allowed and not (m == "committee_docx" and i - allowed == {"kofukin.pages.committee"})}
    assert not wrong, wrong
