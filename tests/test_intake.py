"""Intake and validation of result files: every bad file gets its exact error; messy good files read clean."""

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from conftest import copy_project
from kofukin import cli
from kofukin.intake import normalise
from kofukin.intake.read import read_sheet
from kofukin.intake.validate import validate_files

HERE = Path(__file__).parent / "intake"
BAD = sorted(p for p in (HERE / "bad").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> dict[str, Path]:
    """The project's raw data and configuration, its 2019 catalogue cut to four items (tests/intake/catalogue_items.csv)."""
    where = copy_project(tmp_path_factory.mktemp("intake"))
    shutil.copy(HERE / "catalogue_items.csv", where["raw"] / "catalogue" / "test_items.csv")
    cfg = yaml.safe_load(where["config"].read_text(encoding="utf-8"))
    cfg["years"][2019]["prefecture_catalogue"] = "catalogue/test_items.csv"
    where["config"].write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return where


def problems(folder: Path, project) -> list[str]:
    files = sorted(p for p in folder.iterdir() if p.name != "expected.txt")
    result = validate_files(files, project["config"], project["raw"], complete=True)
    return [str(p).replace(f"{folder}/", "") for p in result.problems]


def expected(case: Path) -> list[str]:
    """The messages a bad case folder expects (its expected.txt), at least one."""
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines, f"{case.name}: a bad case expects at least one problem"
    return lines


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_each_bad_file_gets_its_exact_error(case, project):
    assert problems(case, project) == expected(case)


def test_good_files_have_no_problems(project):
    assert problems(HERE / "good", project) == []


def test_messy_files_read_the_same_as_clean_ones(project):
    """cp932 and BOM, full-width digits, thousands separators, names without 県, ○/×, codes as numbers,
    an Excel sheet with title rows above its header."""
    clean = validate_files(sorted((HERE / "good").iterdir()), project["config"], project["raw"], complete=True)
    messy = validate_files(sorted((HERE / "variants").iterdir()), project["config"], project["raw"], complete=True)
    assert messy.problems == []
    for name, table in clean.tables().items():
        pd.testing.assert_frame_equal(messy.tables()[name], table, check_dtype=False, obj=name)


def test_encoding_is_detected_and_reported():
    assert read_sheet(HERE / "variants" / "requests_2019.csv").encoding == "cp932"
    assert read_sheet(HERE / "variants" / "prefecture_items_2019.csv").encoding == "utf-8-sig"
    assert read_sheet(HERE / "good" / "requests_2019.csv").encoding == "utf-8"


def test_an_explicit_encoding_is_used_and_a_wrong_one_is_an_error(project):
    path = HERE / "variants" / "requests_2019.csv"
    assert validate_files([path], project["config"], project["raw"], encoding="cp932").problems == []
    wrong = validate_files([path], project["config"], project["raw"], encoding="utf-8").problems
    assert len(wrong) == 1 and wrong[0].expected.startswith("text in the encoding given (utf-8)")


@pytest.mark.parametrize("code, pref, expected", [
    ("011002", None, "011002"), ("11002", "01", "011002"), ("13101", None, "131016"), ("１３１０１６", None, "131016"),
    (131016.0, None, "131016"), ("S01001", None, "S01001"), ("1100", None, "011002"),
])
def test_municipal_codes_are_normalised(code, pref, expected):
    assert normalise.muni_code(code, pref) == expected


def test_real_check_digits_hold():
    """Codes of the 47 prefectural capitals' first municipality as published (総務省 全国地方公共団体コード)."""
    for code in ["011002", "022012", "032018", "041009", "131016", "271004", "401307", "472018"]:
        assert normalise.check_digit(code[:5]) == code[5], code


def test_cli_validate_exits_non_zero_and_names_the_problem(project, capsys):
    case = HERE / "bad" / "negative_amount"
    rc = cli.main(["--config", str(project["config"]), "--raw", str(project["raw"]), "validate", str(case)])
    out = capsys.readouterr()
    assert rc == 1
    assert "row 6, column 所要見込額（千円）: '-5' — expected a number zero or above" in out.out
    assert "1 error(s)" in out.err
    assert cli.main(["--config", str(project["config"]), "--raw", str(project["raw"]), "validate", str(HERE / "good")]) == 0


@pytest.mark.parametrize("level", ["prefecture_items", "requests", "first_insured"])
def test_templates_are_read_back_as_blank_forms(level, project, tmp_path):
    """A blank template is recognised as its level; its only errors are the blanks to fill in."""
    args = ["--config", str(project["config"]), "--raw", str(project["raw"])]
    assert cli.main([*args, "template", "--level", level, "--year", "2019", "--out", str(tmp_path)]) == 0
    for path in sorted(tmp_path.iterdir()):
        found = validate_files([path], project["config"], project["raw"]).problems
        assert found and all("blank" in p.expected or "every prefecture" in p.expected for p in found), found[:3]


@pytest.mark.parametrize("cell, grant", [
    ("推進", "promotion"), ("支援", "support"), ("promotion", "promotion"), ("Support", "support"), ("ｓｕｐｐｏｒｔ", "support"),
    ("保険者機能強化推進交付金", "promotion"), ("介護保険保険者努力支援交付金", "support"), (" 介護保険 保険者努力支援交付金 ", "support"),
])
def test_grants_are_read_by_key_short_or_full_name(cell, grant):
    assert normalise.grant(cell) == grant


@pytest.mark.parametrize("spelling, grant", [("promotion", "promotion"), ("推進", "promotion"), ("保険者機能強化推進交付金", "promotion"),
                                             ("support", "support"), ("支援", "support"), ("介護保険保険者努力支援交付金", "support")])
def test_every_grant_is_read_from_each_of_its_spellings(spelling, grant):
    assert normalise.grant(spelling) == grant


def test_a_grant_of_no_known_spelling_is_refused():
    with pytest.raises(ValueError, match="推進"):
        normalise.grant("強化交付金")


def test_a_two_grant_year_is_one_row_per_municipality_and_grant(project):
    """The good FY2023 file: both grants for each municipality, read into one table with a grant column."""
    files = [HERE / "good" / "municipal_categories_2023.csv", HERE / "good" / "first_insured_2023.csv"]
    t = validate_files(files, project["config"], project["raw"], complete=True).tables()["municipal_category_results"]
    assert t.columns.tolist() == ["fiscal_year", "grant", "muni_code", "pref_code", "category", "score", "synthetic"]
    assert t.groupby("grant").size().to_dict() == {"promotion": 47 * 3, "support": 47 * 3}
    one = t[(t.muni_code == "011002")].set_index(["grant", "category"])["score"].to_dict()
    assert one == {("promotion", "I"): 80, ("promotion", "II"): 500, ("promotion", "III"): 100,
                   ("support", "I"): 10, ("support", "II"): 300, ("support", "III"): 10}
    single = validate_files([HERE / "good" / "municipal_categories_2019.csv"], project["config"], project["raw"]).tables()
    assert single["municipal_category_results"].grant.unique().tolist() == ["promotion"]     # no column: the only grant


@pytest.mark.parametrize("year, grant_column", [(2019, False), (2023, True)])
def test_the_municipal_template_has_a_grant_column_for_a_two_grant_year(year, grant_column, project, tmp_path):
    args = ["--config", str(project["config"]), "--raw", str(project["raw"])]
    assert cli.main([*args, "template", "--level", "municipal_categories", "--year", str(year), "--out", str(tmp_path)]) == 0
    csv_headers = read_sheet(tmp_path / f"municipal_categories_{year}.csv").headers
    xlsx_headers = read_sheet(tmp_path / f"municipal_categories_{year}.xlsx").headers
    assert csv_headers == xlsx_headers and ("交付金" in csv_headers) == grant_column
    notes = {r[0]: r[1] for r in load_workbook(tmp_path / f"municipal_categories_{year}.xlsx")["説明"].iter_rows(values_only=True)}
    assert notes.get("交付金") == ("必須" if grant_column else None)


LEADING = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]
NAME_COLUMNS = {"requests_2019.csv": "都道府県名", "prefecture_totals_2018.csv": "都道府県名",
                "prefecture_items_2019.csv": "都道府県名", "municipal_categories_2019.csv": "市町村名",
                "first_insured_2019.csv": "市町村名"}


def formula_file(name: str, lead: str, folder: Path, column: str | None = None) -> tuple[Path, str]:
    """A good result file whose first row's name (or ``column``) begins with ``lead``; the value written."""
    column = column or NAME_COLUMNS[name]
    df = pd.read_csv(HERE / "good" / name, dtype=str, keep_default_na=False)
    if column not in df:
        df.insert(2, column, "")
    value = lead + (df.at[0, column] or "北海道")
    df.at[0, column] = value
    folder.mkdir(parents=True, exist_ok=True)
    df.to_csv(folder / name, index=False, quoting=csv.QUOTE_ALL)          # a lone CR needs quotes
    return folder / name, value


@pytest.mark.parametrize("lead", LEADING, ids=[repr(c) for c in LEADING])
@pytest.mark.parametrize("name", NAME_COLUMNS)
def test_a_name_beginning_like_a_formula_is_an_error(name, lead, project, tmp_path, capsys):
    path, value = formula_file(name, lead, tmp_path)
    message = (f"error: {path}, row 2, column {NAME_COLUMNS[name]}: {value!r} — expected a name, not a formula "
               "(text may not begin with = + - @, a tab or a carriage return, half- or full-width)")
    assert [str(p) for p in validate_files([path], project["config"], project["raw"]).problems] == [message]
    assert cli.main(["--config", str(project["config"]), "--raw", str(project["raw"]), "validate", str(path)]) == 1
    assert message in capsys.readouterr().out


@pytest.mark.parametrize("column", ["項目", "項目名"])
def test_an_item_or_its_label_beginning_like_a_formula_is_an_error(column, project, tmp_path):
    path, value = formula_file("prefecture_items_2019.csv", "=", tmp_path, column)
    found = [str(p) for p in validate_files([path], project["config"], project["raw"]).problems]
    assert found[0] == (f"error: {path}, row 2, column {column}: {value!r} — expected a name, not a formula "
                        "(text may not begin with = + - @, a tab or a carriage return, half- or full-width)")
    # the item row cannot be identified, so its prefecture's item is missing, with the reason
    assert found[1:] == ([f"error: {path}, column 項目: 'I-①' — expected every item for 01 北海道 (unless it is row 2, "
                          "which could not be identified)"] if column == "項目" else [])


def test_an_xlsx_formula_never_calculated_is_refused_as_a_formula_not_read_as_a_blank(tmp_path):
    """A workbook written by a program holds formulas without saved values: each is named like a CSV formula."""
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["年度", "市町村コード", "市町村名", "I", "II", "III", "合計"])
    wb.active.append([2019, "011002", '=HYPERLINK("http://x","a")', 10, 20, 5, "=D2+E2+F2"])
    path = tmp_path / "municipal_categories_2019.xlsx"
    wb.save(path)
    rows = read_sheet(path).rows
    assert rows == [(2, [2019, "011002", '=HYPERLINK("http://x","a")', 10, 20, 5, "=D2+E2+F2"])]
