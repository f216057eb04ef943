"""Formula injection: no text from any input becomes a formula in a file kofukin writes."""

import shutil
import subprocess
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import copy_project
from kofukin.make.data import build
from kofukin.model.config import load_config
from kofukin.model.errors import KofukinDataError
from kofukin.model.schemas import check_table
from kofukin.report.exports import workbook_bytes, write_tables
from test_intake import LEADING, NAME_COLUMNS, formula_file

EXPECTED = "expected a name, not a formula"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project copy built once; each test drops result files in and takes them out again."""
    where = copy_project(tmp_path_factory.mktemp("formulas"))
    build(**where)
    return where


def files(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("lead", LEADING, ids=[repr(c) for c in LEADING])
@pytest.mark.parametrize("name", NAME_COLUMNS)
def test_the_build_refuses_a_formula_like_name_and_writes_nothing(name, lead, project):
    before = files(project["processed"])
    results = project["raw"] / "results"
    try:
        path, value = formula_file(name, lead, results)
        with pytest.raises(KofukinDataError) as err:
            build(**project)
        assert f"{path}, row 2, column {NAME_COLUMNS[name]}: {value!r} — {EXPECTED}" in str(err.value)
        assert files(project["processed"]) == before
    finally:
        shutil.rmtree(results, ignore_errors=True)


LABELS = [lead + 'HYPERLINK("http://example.invalid","開く")' for lead in LEADING]
STORED = LABELS      # openpyxl writes with lxml (python-docx needs it), which keeps a carriage return (_x000D_)


def injected() -> dict[str, pd.DataFrame]:
    """Tables as the exporters would get them if formula-like text slipped through."""
    return {"表": pd.DataFrame({"市町村": LABELS, "差（千円）": [-5] * len(LABELS), "差（%）": [-1.5] * len(LABELS)}),
            "＝見出し": pd.DataFrame({"@列": ["-1", "東京都"], "順位の変化": [-3, 2]})}


def test_workbook_stores_formula_like_text_as_string_cells(tmp_path):
    write_tables(injected(), tmp_path, tmp_path / "t.xlsx", notice="合成データです。", title="=タイトル")
    wb = load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames == ["注記", "表", "＝見出し"]
    assert (wb["注記"]["A1"].data_type, wb["注記"]["A1"].value) == ("s", "=タイトル")
    ws = wb["表"]
    assert [(c.data_type, c.value) for c in ws["A"][1:]] == [("s", label) for label in STORED]
    assert [(c.data_type, c.value) for c in ws["B"][1:3]] == [("n", -5), ("n", -5)]
    assert (ws["C2"].data_type, ws["C2"].value) == ("n", -1.5)
    header = wb["＝見出し"]
    assert [(c.data_type, c.value) for c in header[1]] == [("s", "@列"), ("s", "順位の変化")]
    assert (header["A2"].data_type, header["A2"].value, header["B2"].value) == ("s", "-1", -3)
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        assert not [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def test_csv_prefixes_formula_like_text_with_a_quote_and_leaves_numbers(tmp_path):
    write_tables(injected(), tmp_path, tmp_path / "t.xlsx", notice="合成データです。", title="t")
    table = pd.read_csv(tmp_path / "表.csv", keep_default_na=False)
    assert list(table["市町村"]) == ["'" + label for label in LABELS]
    assert list(table["差（千円）"]) == [-5] * len(LABELS) and table["差（千円）"].dtype == "int64"
    assert table["差（%）"].iloc[0] == -1.5
    other = pd.read_csv(tmp_path / "＝見出し.csv", dtype={"'@列": str})
    assert list(other.columns) == ["'@列", "順位の変化"]
    assert list(other["'@列"]) == ["'-1", "東京都"] and list(other["順位の変化"]) == [-3, 2]


def test_the_workbook_equals_the_csv_tables_once_the_quotes_are_read_as_spreadsheets_read_them(tmp_path):
    write_tables(injected(), tmp_path, tmp_path / "t.xlsx", notice="", title="t")
    wb = load_workbook(tmp_path / "t.xlsx")
    for name, df in injected().items():
        rows = list(wb[name].values)
        sheet = pd.DataFrame(rows[1:], columns=rows[0])
        csv = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        csv = csv.rename(columns=lambda c: c.removeprefix("'")).map(lambda v: v.removeprefix("'"))
        pd.testing.assert_frame_equal(sheet.astype(str), csv, obj=name)
        pd.testing.assert_frame_equal(sheet, df, obj=name)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook_with_no_formula(tmp_path):
    """LibreOffice would show a formula's result (開く, 2); it shows the text."""
    tables = {"表": pd.DataFrame({"市町村": LABELS + ["@SUM(1+1)"], "差（千円）": [-5] * (len(LABELS) + 1)})}
    (tmp_path / "t.xlsx").write_bytes(workbook_bytes(tables, notice="合成データです。", title="=1+1"))
    # 44,34,UTF8,1,,0,false,true,false,false,false,-1: comma, quote, UTF-8, every sheet to its own file
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "t.xlsx")], check=True, capture_output=True, timeout=180)
    notes = (tmp_path / "out" / "t-注記.csv").read_text(encoding="utf-8")
    assert notes.startswith("=1+1")
    shown = pd.read_csv(tmp_path / "out" / "t-表.csv", dtype={"市町村": str}, keep_default_na=False)
    assert list(shown["市町村"]) == STORED + ["@SUM(1+1)"]
    assert list(shown["差（千円）"]) == [-5] * (len(LABELS) + 1)


def test_configuration_text_may_not_be_a_formula(tmp_path):
    path = tmp_path / "kofukin.yaml"
    text = open("config/kofukin.yaml", encoding="utf-8").read()
    path.write_text(text.replace("prefecture_catalogue: catalogue/prefecture_2019_items.csv",
                                 "prefecture_catalogue: ＝HYPERLINK(1)"), encoding="utf-8")
    with pytest.raises(KofukinDataError) as err:
        load_config(path)
    assert "key 'years.2019.prefecture_catalogue': '＝HYPERLINK(1)' — expected a name, not a formula" in str(err.value)


def test_schemas_refuse_formula_like_text_in_every_table():
    """Catalogue text and built tables: a label that begins like a formula fails the schema check."""
    df = pd.DataFrame({"fiscal_year": [2019], "muni_code": ["011002"], "muni_name": ["@SUM(1+1)"], "pref_code": ["01"],
                       "population": [10], "first_insured": [3], "synthetic": [False]})
    with pytest.raises(KofukinDataError) as err:
        check_table("municipalities", df, "municipalities.csv")
    assert "row 2, field 'muni_name': value '@SUM(1+1)' fails text_not_a_formula" in str(err.value)
