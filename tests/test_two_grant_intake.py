"""Real FY2023 results of both grants (issue 17): one municipal_categories file with a 交付金 column beside its
first_insured file replaces the synthetic FY2023 rows, flagged real, and builds end to end."""

import json

import pandas as pd
import pytest

from conftest import copy_project, real_looking, write_result_files
from kofukin.build.data import build
from kofukin.intake.validate import validate_files
from kofukin.model.schemas import read_table


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
