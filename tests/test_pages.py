"""The rooms of kofukin/pages/: every notebook is a declared page kind's, and the report set is found from them."""

import ast
from pathlib import Path

import pytest

from kofukin.make import pages as report_pages
from kofukin.model import paths
from kofukin.pages.page import Edition, Page

PAGES = paths.PACKAGE / "pages"
NOT_PAGES = {"__init__", "page", "index", "committee_docx"}     # the declarations, the report index, a Word writer


def _constants(module: Path) -> dict[str, str]:
    """A page module's top-level string constants (NOTEBOOK, INDEX_NOTEBOOK)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {t.id: node.value.value for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for t in node.targets if isinstance(t, ast.Name) and t.id.endswith("NOTEBOOK")}


def test_every_notebook_is_a_page_kinds_and_every_page_module_names_its_notebook():
    declared = {}
    for module in sorted(PAGES.glob("*.py")):
        if module.stem in NOT_PAGES:
            continue
        found = _constants(module)
        assert found.get("NOTEBOOK"), f"{module.name}: a page module names its notebook (NOTEBOOK)"
        declared |= {nb: module.stem for nb in found.values()}
    notebooks = {p.name for p in (paths.ROOT / "notebooks").glob("*.py")}
    assert notebooks == set(declared), (notebooks ^ set(declared))
    assert declared["municipal_years.py"] == "municipal_years" and declared["committee_index.py"] == "committee"


def test_the_national_pages_are_found_in_reading_order_and_a_name_twice_stops():
    e = Edition(2099, 2019, 2027, 2099, {2099: ["promotion", "support"]})
    assert [p.name for p in report_pages.pages_of(e, "national")][:6] == [
        "national", "items", "municipal", "yoy", "allocation", "national_support"]
    found = report_pages.declarations() + (lambda e: [Page("national", "national.py", "x")],)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report_pages, "declarations", lambda: found)
        with pytest.raises(ValueError, match=r"declare a page named \['national'\]"):
            report_pages.pages_of(e, "national")
