"""Result files of years that score two grants (issue 17).

Real FY2023 results of both grants: one municipal_categories file with a 交付金 column beside its first_insured
file replaces the synthetic FY2023 rows, flagged real, and builds end to end. FY2099 (tests/new_year.py), two
grants with a prefectural catalogue: prefecture_totals and requests files with a 交付金 column, each bad one with
its exact messages (tests/intake/two_grants/bad/), good ones from CSV and Excel, templates filled in and built
with each grant's requests as its caps.
"""

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import copy_project, real_looking, write_result_files
from kofukin import cli
from kofukin.make.data import build
from kofukin.intake.read import read_sheet
from kofukin.intake.validate import validate_files
from kofukin.model import paths
from kofukin.model.errors import KofukinDataError
from kofukin.model.schemas import read_table
from new_year import BUDGETS, MAXIMA, add_year, project_copy
from test_intake import HERE, expected, problems


@pytest.fixture(scope="module")
def real_2023(built, tmp_path_factory) -> dict:
    """A build with real-looking FY2023 results of both grants (交付金 written 推進/支援), FY2018/FY2019 synthetic."""
    where = copy_project(tmp_path_factory.mktemp("real_2023"))
    inputs = real_looking({n.split("/")[1]: built[n] for n in built if n.startswith("inputs/")})
    files = write_result_files(inputs, where["raw"] / "results", years=(2023,))
    scores = next(p for p in files if p.name == "municipal_categories_2023.csv")
    df = pd.read_csv(scores, dtype=str)
    df["交付金"] = df["交付金"].map({"promotion": "推進", "support": "支援"})
    df.to_csv(scores, index=False)
    build(**where)
    out = {p.stem: pd.read_csv(p, dtype={"pref_code": str, "muni_code": str}) for p in where["processed"].glob("*.csv")}
    out.update({f"inputs/{p.stem}": pd.read_csv(p, dtype={"pref_code": str, "muni_code": str})
                for p in (where["processed"] / "inputs").glob("*.csv")})
    out["vintage"] = json.loads((where["processed"] / "vintage.json").read_text(encoding="utf-8"))
    return {"where": where, "files": files, "given": inputs, "tables": out}


def test_the_files_are_one_row_per_municipality_and_grant(real_2023):
    names = sorted(p.name for p in real_2023["files"])
    assert names == ["first_insured_2023.csv", "municipal_categories_2023.csv"]
    df = pd.read_csv(real_2023["where"]["raw"] / "results" / "municipal_categories_2023.csv", dtype=str)
    assert df.columns.tolist() == ["年度", "市町村コード", "交付金", "I", "II", "III"]
    assert df.groupby("交付金").size().to_dict() == {"推進": 1741, "支援": 1741}


def test_real_fy2023_rows_replace_the_synthetic_ones(real_2023):
    t, given = real_2023["tables"], real_2023["given"]["municipal_category_results"]
    results = t["inputs/municipal_category_results"]
    y23 = results[results.fiscal_year == 2023]
    assert not y23.synthetic.any() and y23.muni_code.str.fullmatch(r"\d{6}").all()
    expected = given[given.fiscal_year == 2023].drop(columns="synthetic")
    key = ["grant", "muni_code", "category"]
    pd.testing.assert_frame_equal(y23.drop(columns="synthetic").sort_values(key).reset_index(drop=True),
                                  expected.sort_values(key).reset_index(drop=True), check_dtype=False)
    earlier = results[results.fiscal_year != 2023]
    assert earlier.synthetic.all() and earlier.muni_code.str.startswith("S").all()
    munis = t["inputs/municipalities"]
    assert not munis[munis.fiscal_year == 2023].synthetic.any() and munis[munis.fiscal_year != 2023].synthetic.all()


def test_real_fy2023_is_scored_ranked_and_allocated_per_grant(real_2023):
    t = real_2023["tables"]
    m = t["municipal_scores"]
    y23 = m[m.fiscal_year == 2023]
    assert not y23.synthetic.any()
    published = read_table("municipal_categories", real_2023["where"]["raw"] / "catalogue" / "municipal_categories.csv")
    published = published[published.fiscal_year == 2023].set_index(["grant", "category"])["national_average"]
    assert len(published) == 8       # the real rows are the synthetic ones under real codes: the same eight averages
    assert y23.groupby(["grant", "category"])["score"].mean().round(2).to_dict() == published.to_dict()
    r = t["municipal_ranks"]
    r23 = r[r.fiscal_year == 2023]
    assert not r23.synthetic.any() and r23.groupby("grant").size().to_dict() == {"promotion": 1741, "support": 1741}
    assert r23.groupby("grant")["amount_thousand_yen"].sum().to_dict() == {"promotion": 19_000_000, "support": 19_000_000}
    assert t["vintage"]["synthetic"]["municipal_scores"] == [2018, 2019]
    assert t["vintage"]["synthetic"]["inputs/municipal_category_results"] == [2018, 2019]


def test_the_same_results_without_a_grant_column_are_an_error(real_2023, tmp_path):
    path = tmp_path / "municipal_categories_2023.csv"
    df = pd.read_csv(real_2023["where"]["raw"] / "results" / path.name, dtype=str)
    df.drop(columns="交付金").to_csv(path, index=False)
    found = [str(p) for p in validate_files([path], real_2023["where"]["config"], real_2023["where"]["raw"]).problems]
    assert found == [f"error: {path}, row 1: — expected a column 交付金 naming each row's grant (推進 or 支援): "
                     "fiscal year 2023 scores promotion 推進 and support 支援 (years.2023.grants)"]


# --- FY2099: prefectural totals and requests per grant

TWO = HERE / "two_grants"
BAD_2099 = sorted(p for p in (TWO / "bad").iterdir() if p.is_dir())
CODES = [f"{c:02d}" for c in range(1, 48)]


def with_2099(dest: Path, built) -> dict[str, Path]:
    """A project copy under ``dest`` with FY2099 added (catalogue, results, configuration), not built."""
    root = project_copy(dest)
    add_year(root, built["_dir"] / "inputs")
    return paths.project(root)


@pytest.fixture(scope="module")
def project_2099(built, tmp_path_factory) -> dict[str, Path]:
    return with_2099(tmp_path_factory.mktemp("intake_2099"), built)


def cli_args(where: dict[str, Path]) -> list[str]:
    return ["--config", str(where["config"]), "--raw", str(where["raw"])]


@pytest.mark.parametrize("case", BAD_2099, ids=[p.name for p in BAD_2099])
def test_each_bad_prefectural_file_of_two_grants_gets_its_exact_error(case, project_2099):
    assert problems(case, project_2099) == expected(case)


def test_good_prefectural_files_of_two_grants_are_one_row_per_prefecture_and_grant(project_2099):
    """Requests (with a 合計 row per grant) and totals of FY2099, and FY2019 requests whose 交付金 is 推進 or blank."""
    assert problems(TWO / "good", project_2099) == []
    tables = validate_files(sorted((TWO / "good").iterdir()), project_2099["config"], project_2099["raw"]).tables()
    req = tables["prefecture_requests"]
    assert req.columns.tolist() == ["fiscal_year", "grant", "pref_code", "request_thousand_yen", "synthetic"]
    assert req.groupby(["fiscal_year", "grant"]).size().to_dict() == {(2019, "promotion"): 47, (2099, "promotion"): 47,
                                                                      (2099, "support"): 47}
    amounts = req.set_index(["fiscal_year", "grant", "pref_code"])["request_thousand_yen"]
    assert (amounts[2099, "promotion", "13"], amounts[2099, "support", "13"], amounts[2019, "promotion", "13"]) == (24043, 14249, 13000)
    totals = tables["prefecture_total_results"].set_index(["grant", "pref_code"])["score"]
    assert totals.groupby("grant").max().to_dict() == {"promotion": 140, "support": 135} == MAXIMA
    assert (totals["promotion", "01"], totals["support", "01"]) == (67, 61)


def test_the_same_files_from_excel_read_the_same(project_2099):
    """Title rows, rows grouped by grant, full grant names or keys, names without 府/県, codes as numbers,
    thousands separators, a 計 row per grant; FY2019 requests without a 交付金 column."""
    read = {kind: validate_files(sorted((TWO / kind).iterdir()), project_2099["config"], project_2099["raw"])
            for kind in ("good", "variants")}
    assert read["variants"].problems == []
    assert sorted(p.suffix for p in (TWO / "variants").iterdir()) == [".csv", ".xlsx", ".xlsx"]
    for name, table in read["good"].tables().items():
        key = ["fiscal_year", "grant", "pref_code"]
        pd.testing.assert_frame_equal(read["variants"].tables()[name].sort_values(key, ignore_index=True),
                                      table.sort_values(key, ignore_index=True), check_dtype=False, obj=name)


def test_a_one_grant_years_files_need_no_grant_column(project_2099):
    files = [HERE / "good" / "requests_2019.csv", HERE / "good" / "prefecture_totals_2018.csv"]
    result = validate_files(files, project_2099["config"], project_2099["raw"])
    assert result.problems == []
    tables = result.tables()
    for name, column, first in (("prefecture_requests", "request_thousand_yen", 10000), ("prefecture_total_results", "score", 500)):
        assert tables[name].grant.tolist() == ["promotion"] * 47, name
        assert tables[name].pref_code.tolist() == CODES and int(tables[name][column].iloc[0]) == first, name


@pytest.mark.parametrize("level, note", [("requests", "所要見込額は交付金ごと"), ("prefecture_totals", "合計得点はその交付金の得点")])
def test_prefectural_templates_of_a_two_grant_year_have_a_row_per_grant(level, note, project_2099, tmp_path):
    assert cli.main([*cli_args(project_2099), "template", "--level", level, "--year", "2099", "--out", str(tmp_path)]) == 0
    for suffix in ("csv", "xlsx"):
        sheet = read_sheet(tmp_path / f"{level}_2099.{suffix}")
        assert sheet.headers[:4] == ["年度", "都道府県コード", "都道府県名", "交付金"], suffix
        assert [r[3] for _, r in sheet.rows] == ["推進", "支援"] * 47, suffix
        assert [str(r[1]) for _, r in sheet.rows[:4]] == ["01", "01", "02", "02"], suffix
    notes = {r[0]: r[1:] for r in load_workbook(tmp_path / f"{level}_2099.xlsx")["説明"].iter_rows(values_only=True)}
    required, text = notes["交付金"]
    assert required == "必須" and "都道府県ごとに交付金ごとの1行" in text and note in text
    assert cli.main([*cli_args(project_2099), "template", "--level", level, "--year", "2019", "--out", str(tmp_path / "19")]) == 0
    assert "交付金" not in read_sheet(tmp_path / "19" / f"{level}_2019.csv").headers       # a one-grant year: no column


def test_the_prefecture_items_template_says_why_it_has_no_grant_column(project_2099, tmp_path):
    assert cli.main([*cli_args(project_2099), "template", "--level", "prefecture_items", "--year", "2099", "--out", str(tmp_path)]) == 0
    assert "交付金" not in read_sheet(tmp_path / "prefecture_items_2099.csv").headers
    lines = [r[0] for r in load_workbook(tmp_path / "prefecture_items_2099.xlsx")["説明"].iter_rows(values_only=True)]
    assert lines[-1] == ("交付金の列はありません。項目ごとに結果は1行で、カタログ（grants 列）がその項目を数える交付金を定めます"
                         "（両方の交付金に数える項目: I-①、IV-②）。")


def test_a_template_never_replaces_a_file(project_2099, tmp_path):
    (tmp_path / "requests_2099.csv").write_text("filled in", encoding="utf-8")
    assert cli.main([*cli_args(project_2099), "template", "--level", "requests", "--year", "2099", "--out", str(tmp_path)]) == 2
    assert (tmp_path / "requests_2099.csv").read_text(encoding="utf-8") == "filled in"
    assert not (tmp_path / "requests_2099.xlsx").exists()


def request_of(code: str, grant: str) -> int:
    """Filled-in requests: 3,000千円 for odd prefectures of 推進 and even ones of 支援 (below their shares), else 100,000."""
    return 3000 if (int(code) % 2 == 1) == (grant == "推進") else 100000


@pytest.fixture(scope="module")
def round_trip(built, tmp_path_factory) -> dict:
    """FY2099 requests from `kofukin template`, filled in (CSV and .xlsx), validated and built in place of add_year's."""
    where = with_2099(tmp_path_factory.mktemp("round_trip"), built)
    forms = tmp_path_factory.mktemp("forms")
    assert cli.main([*cli_args(where), "template", "--level", "requests", "--year", "2099", "--out", str(forms)]) == 0
    df = pd.read_csv(forms / "requests_2099.csv", dtype=str, encoding="utf-8-sig")
    df["所要見込額（千円）"] = [request_of(c, g) for c, g in zip(df["都道府県コード"], df["交付金"])]
    df.to_csv(forms / "requests_2099.csv", index=False)
    wb = load_workbook(forms / "requests_2099.xlsx")
    ws = wb["入力"]
    for row in ws.iter_rows(min_row=4):
        row[4].value = request_of(row[1].value, row[3].value)
    wb.save(forms / "requests_2099.xlsx")
    validated = {p.suffix: cli.main([*cli_args(where), "validate", str(p)]) for p in sorted(forms.iterdir())}
    shutil.copy(forms / "requests_2099.csv", where["raw"] / "results" / "requests_2099.csv")
    validated["folder"] = cli.main([*cli_args(where), "validate", str(where["raw"] / "results")])
    build(**where)
    allocation = pd.read_csv(where["processed"] / "prefecture_allocation.csv", dtype={"pref_code": str})
    return {"where": where, "validated": validated, "allocation": allocation}


def test_a_filled_in_template_validates(round_trip):
    assert round_trip["validated"] == {".csv": 0, ".xlsx": 0, "folder": 0}


def test_the_build_caps_each_grant_by_its_own_requests(round_trip):
    a = round_trip["allocation"]
    a = a[a.fiscal_year == 2099].assign(request=lambda d: [request_of(c, {"promotion": "推進", "support": "支援"}[g])
                                                           for c, g in zip(d.pref_code, d.grant)])
    assert not a.synthetic.any() and a.groupby("grant").size().to_dict() == {"promotion": 47, "support": 47}
    assert (a.cap_thousand_yen == a.request).all() and (a.amount_thousand_yen <= a.request).all()
    assert (a.amount_thousand_yen == a[["share_thousand_yen", "request"]].min(axis=1)).all()
    capped = a[a.capped]
    assert (capped.amount_thousand_yen == 3000).all()
    assert set(capped.grant + capped.pref_code.astype(int).mod(2).astype(str)) == {"promotion1", "support0"}
    assert capped.groupby("grant").size().min() >= 20              # the caps bite for both grants
    assert a.groupby("grant")["share_thousand_yen"].sum().to_dict() == BUDGETS


def md5s(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.md5(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_refused_file_stops_the_build_and_leaves_its_outputs(round_trip, tmp_path):
    """Every problem of the bad file in the error, and the previous build's outputs exactly as they were."""
    root = Path(shutil.copytree(round_trip["where"]["raw"].parents[1], tmp_path / "project"))
    where = paths.project(root)
    case = TWO / "bad" / "prefectural_grants_every_problem_at_once"
    (where["raw"] / "results" / "requests_2099.csv").unlink()
    shutil.copy(case / "requests_2099.xlsx", where["raw"] / "results")
    before = md5s(where["processed"])
    with pytest.raises(KofukinDataError) as err:
        build(**where)
    results = where["raw"] / "results"
    assert err.value.path == str(results)
    assert err.value.problems == [f"error: {results}/{line.removeprefix('error: ')}" for line in expected(case)]
    assert md5s(where["processed"]) == before and len(before) > 20
