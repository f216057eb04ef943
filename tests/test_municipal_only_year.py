"""A municipal-only report year (FY2023: no prefectural results are public) builds its municipal edition, and
says where prefectural figures would be instead of failing."""

import os
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
import yaml

from kofukin.model import paths
from new_year import project_copy


@pytest.fixture(scope="module")
def year_2023(tmp_path_factory):
    """The project with report_year 2023 (compared with 2019), municipal pages of 鳥取県 only, built by doit."""
    root = project_copy(tmp_path_factory.mktemp("fy2023"))
    config = root / "config" / "kofukin.yaml"
    cfg = yaml.safe_load(config.read_text(encoding="utf-8"))
    cfg.update(report_year=2023, compare_year=2019)
    cfg["municipal"]["pages"] = ["31"]
    config.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "doit", "-f", str(paths.ROOT / "dodo.py"), "-d", str(root)],
                         env={**os.environ, "KOFUKIN_ROOT": str(root)}, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    return root


def test_it_builds_the_municipal_pages_alone_and_says_why(year_2023):
    html = year_2023 / "reports" / "html"
    assert sorted(p.name for p in html.glob("*.html")) == ["index.html", "municipal.html", "municipal_frame.html",
                                                           "municipal_yoy.html"]
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "2023年度は都道府県分の評価結果がない年度（市町村分のみ）のため、都道府県別のページはありません。" in index
    assert "市町村版：2023年度 都道府県別市町村得点（推進・支援）" in index and "市町村分の年度比較：2019年度→2023年度" in index
    assert len(list((html / "municipal" / "31").glob("S*.html"))) == 19


def test_its_tables_hold_no_prefectural_rows_and_each_grant_its_budget(year_2023):
    processed = year_2023 / "data" / "processed"
    for name in ("prefecture_allocation", "prefecture_item_stakes", "prefecture_category_stakes", "prefecture_frame"):
        assert pd.read_csv(processed / f"{name}.csv").empty, name
    assert 2023 not in set(pd.read_csv(processed / "prefecture_scores.csv").fiscal_year)
    alloc = pd.read_csv(processed / "municipal_allocation.csv")
    assert alloc.groupby(["fiscal_year", "grant"])["amount_thousand_yen"].sum().to_dict() == {
        (2023, "promotion"): 19_000_000, (2023, "support"): 19_000_000}
    scores = pd.read_csv(processed / "municipal_scores.csv")
    assert scores[scores.fiscal_year == 2023].penalty_level.isna().all()
    sheets = openpyxl.load_workbook(year_2023 / "reports" / "kofukin_2023.xlsx", read_only=True).sheetnames
    assert "都道府県別得点" not in sheets and "市町村分交付額" in sheets and "令和7年度市町村分の配分枠" in sheets


def test_its_municipal_pages_show_both_grants_and_no_penalty_rule(year_2023):
    page = (year_2023 / "reports" / "html" / "municipal" / "31" / "S31001.html").read_text(encoding="utf-8")
    assert "/ 1355点" in page and "/ 830点" in page
    assert "この年度には、市町村の得点による都道府県分の減点の規定がありません。" in page
