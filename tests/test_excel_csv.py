"""Every CSV a reader gets — reports/tables/, reports/scenarios/, the `kofukin template` forms — is UTF-8 with a
byte-order mark, so Excel on Windows does not read it as Shift_JIS; pandas and LibreOffice read it back unchanged.
The report CSVs are those `doit` built (CI builds them before the tests); LibreOffice is /usr/bin/soffice."""

import codecs
import os
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from kofukin.model import paths
from kofukin.intake.read import LAYOUTS
from kofukin.intake.templates import write_templates
from kofukin.report.exports import KIND_COLUMN, SYNTHETIC, excel_csv


def _built_csvs() -> list:
    found = sorted((paths.REPORTS / "tables").glob("*.csv")) + sorted((paths.REPORTS / "scenarios").glob("*.csv"))
    if not found:
        message = f"no report CSV in {paths.REPORTS}: run `doit` first"
        pytest.fail(message) if os.environ.get("CI") == "true" else pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    out = tmp_path_factory.mktemp("forms")
    return [p for level in LAYOUTS for p in write_templates(level, 2019, out) if p.suffix == ".csv"]


def test_every_report_csv_starts_with_a_bom_and_pandas_reads_it_back(forms):
    for path in _built_csvs() + forms:
        data = path.read_bytes()
        assert data.startswith(codecs.BOM_UTF8), path.name
        table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(table.columns) == data[3:].decode("utf-8").split("\n", 1)[0].replace('"', "").split(","), path.name


def test_report_csvs_showing_synthetic_figures_say_so_on_every_row():
    tables = {p.stem: pd.read_csv(p, encoding="utf-8-sig") for p in _built_csvs() if p.parent.name == "tables"}
    marked = {name for name, t in tables.items() if KIND_COLUMN in t}
    assert "交付額" in marked and "資料の年度比較" not in marked     # built from synthetic results; from published figures
    for name in marked:
        assert (tables[name][KIND_COLUMN] == SYNTHETIC).all() and tables[name].columns[-1] == KIND_COLUMN, name
    scenarios = [pd.read_csv(p, encoding="utf-8-sig") for p in _built_csvs() if p.parent.name == "scenarios"]
    assert all(t["synthetic"].all() for t in scenarios)


@pytest.fixture(scope="module")
def names_csv(tmp_path_factory):
    """Every municipality's name, as the report CSVs write them."""
    _built_csvs()
    munis = pd.read_csv(paths.INPUTS / "municipalities.csv", dtype=str).drop_duplicates("muni_code")
    table = pd.DataFrame({"市町村コード": munis.muni_code, "市町村": munis.muni_name, "都道府県コード": munis.pref_code})
    path = tmp_path_factory.mktemp("names") / "市町村名.csv"
    path.write_bytes(excel_csv(table))
    return path, table


def test_every_municipality_name_round_trips_through_utf8_sig(names_csv):
    path, table = names_csv
    assert len(table) == 1741
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    pd.testing.assert_frame_equal(back, table.reset_index(drop=True).astype(str))


def test_libreoffice_reads_every_csv_as_written(names_csv, forms, tmp_path):
    # headless, LibreOffice has no import dialog to detect the encoding: it is told UTF-8 (76), comma, double quote
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        message = "LibreOffice (soffice) is not installed"
        pytest.fail(message) if os.environ.get("CI") == "true" else pytest.skip(message)
    files = [names_csv[0]] + _built_csvs() + forms
    src = tmp_path / "in"
    src.mkdir()
    copies = [shutil.copy(p, src / f"{i:02d}.csv") for i, p in enumerate(files)]
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "out"), *map(str, copies)], check=True, capture_output=True, timeout=300)
    for original, copy in zip(files, copies):
        rows = list(load_workbook(tmp_path / "out" / f"{os.path.basename(copy)[:-4]}.xlsx").active.values)
        table = pd.read_csv(original, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(rows[0]) == list(table.columns), original.name
        for j, column in enumerate(table.columns):
            if table[column].str.contains(r"[^\x00-\x7f]").any():          # Japanese text: read exactly as written
                assert [str(r[j] or "") for r in rows[1:]] == table[column].tolist(), (original.name, column)


def test_a_workbook_prints_on_a4_one_page_wide_with_its_header_row_on_every_page(tmp_path):
    """Each table sheet: A4, one page wide (landscape past five columns), header row repeated; the notes sheet
    portrait and wrapped, its rows tall enough for their lines; a note too long for Excel's header stops the build."""
    import io

    from kofukin.report.exports import workbook_bytes
    narrow, wide = pd.DataFrame({"都道府県": ["北海道"] * 3}), pd.DataFrame({f"列{i}（千円）": [1] for i in range(8)})
    notice = "都道府県別・市町村別の得点は公表されていないため、このページの個別の数値は合成データです。" * 3
    book = load_workbook(io.BytesIO(workbook_bytes({"狭": narrow, "広": wide}, notice=notice, title="例",
                                                   notes_by_sheet={"広": "※ 合成データです。"})))
    for name, orientation in (("狭", "portrait"), ("広", "landscape"), ("注記", "portrait")):
        ws = book[name]
        assert (int(ws.page_setup.paperSize), ws.page_setup.orientation) == (int(ws.PAPERSIZE_A4), orientation), name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
    assert book["広"].print_title_rows == "$1:$1" and book["広"].oddHeader.center.text == "※ 合成データです。"
    notes = book["注記"]
    assert notes["A2"].value.startswith("合成データ：都道府県別") and "このブックの個別の数値" in notes["A2"].value
    assert notes["A2"].alignment.wrap_text and notes.row_dimensions[2].height == 90      # 282 half-widths, 66 a line: 5 lines
    with pytest.raises(ValueError, match="more than a header's 255"):
        workbook_bytes({"広": wide}, notice="", title="例", notes_by_sheet={"広": "あ" * 256})
