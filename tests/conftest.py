from pathlib import Path

import pandas as pd
import pytest

from kofukin.model import paths
from kofukin.intake.normalise import check_digit

GROUND_TRUTH = Path(__file__).parent / "ground_truth" / "published_aggregates.csv"


def copy_project(dest: Path) -> dict[str, Path]:
    """A pristine throw-away copy of the project's raw data and configuration under ``dest``: the synthetic
    stand-ins, whatever an analyst has put in data/raw/results/ (the tests test the code on their own data)."""
    return paths.project_copy(dest)


@pytest.fixture(scope="session")
def built(example_build) -> dict[str, pd.DataFrame]:
    """The processed tables of the session's one build of the project's raw data (the root conftest's
    ``example_build``, which the docstring examples read too)."""
    out = {p.stem: pd.read_csv(p, dtype={"pref_code": str}) for p in example_build.glob("*.csv")}
    out.update({f"inputs/{p.stem}": pd.read_csv(p, dtype={"pref_code": str}) for p in (example_build / "inputs").glob("*.csv")})
    out["_dir"] = example_build
    return out


@pytest.fixture(scope="session")
def ground_truth() -> pd.DataFrame:
    return pd.read_csv(GROUND_TRUTH)


def real_looking(inputs: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The synthetic municipalities under 6-digit codes with check digits and plain names, each with one more
    第1号被保険者 (so that their sums differ from the stand-ins'), as an analyst's real municipalities would be."""
    def code(s: str) -> str:
        five = f"{s[1:3]}{200 + int(s[3:]):03d}"
        return five + check_digit(five)
    munis = inputs["municipalities"].assign(muni_code=lambda d: d.muni_code.map(code))
    munis = munis.assign(muni_name="市町村" + munis.muni_code, first_insured=(munis.first_insured + 1).clip(upper=munis.population))
    scores = inputs["municipal_category_results"].assign(muni_code=lambda d: d.muni_code.map(code))
    return {**inputs, "municipalities": munis, "municipal_category_results": scores}


def write_result_files(inputs: dict[str, pd.DataFrame], results: Path, years=(2019,), xlsx: bool = False) -> list[Path]:
    """Input tables of ``years`` written back as result files in the analysts' layouts (Japanese headers)."""
    results.mkdir(parents=True, exist_ok=True)
    items = inputs["prefecture_item_results"]
    muni = inputs["municipal_category_results"]
    all_munis = inputs["municipalities"]
    files = {}
    for y in years:
        it = items[items.fiscal_year == y]
        if len(it):
            cat = pd.read_csv(paths.RAW / "catalogue" / f"prefecture_{y}_items.csv").set_index("item")
            points = [None if pd.isna(lv) else cat.at[i, "levels"].split("|")[int(lv)] for i, lv in zip(it["item"], it["level"])]
            files[f"prefecture_items_{y}"] = pd.DataFrame({"年度": it.fiscal_year, "都道府県コード": it.pref_code,
                                                           "項目": it["item"], "得点": points, "値": it["value"]})
        m = muni[muni.fiscal_year == y].pivot(index=["muni_code", "grant"], columns="category", values="score").reset_index()
        grant = ["交付金"] if m.grant.nunique() > 1 else []          # a two-grant year: one row per municipality and grant
        files[f"municipal_categories_{y}"] = m.assign(年度=y).rename(columns={"muni_code": "市町村コード", "grant": "交付金"})[
            ["年度", "市町村コード", *grant, "I", "II", "III"]]
        munis = all_munis[all_munis.fiscal_year == y]
        files[f"first_insured_{y}"] = pd.DataFrame({"年度": y, "市町村コード": munis.muni_code, "市町村名": munis.muni_name,
                                                    "人口": munis.population, "第1号被保険者数": munis.first_insured})
    for y, rows in inputs["prefecture_total_results"].groupby("fiscal_year"):
        if y not in years:
            continue
        files[f"prefecture_totals_{y}"] = pd.DataFrame({"年度": y, "都道府県コード": rows.pref_code, "合計得点": rows.score})
    for y, rows in inputs["prefecture_requests"].groupby("fiscal_year"):
        if y not in years:
            continue
        files[f"requests_{y}"] = pd.DataFrame({"年度": y, "都道府県コード": rows.pref_code, "所要見込額（千円）": rows.request_thousand_yen})
    written = []
    for name, df in files.items():
        path = results / f"{name}.{'xlsx' if xlsx else 'csv'}"
        if xlsx:
            df.to_excel(path, index=False)
        else:
            df.to_csv(path, index=False)
        written.append(path)
    return written
