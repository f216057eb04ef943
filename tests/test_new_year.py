"""A new fiscal year is data and configuration, not code: FY2099 (plainly synthetic) built end to end."""

import os
import subprocess
import sys

import pytest
import yaml

from kofukin import cli

from kofukin.model import paths

from kofukin import report
from kofukin.report import tables
from new_year import BUDGET, COMPARE, FRAME_YEAR, PENALTY, THRESHOLD, YEAR, add_year, project_copy


@pytest.fixture(scope="module")
def year_2099(built, tmp_path_factory):
    """A copy of the project's data, configuration and notebooks with FY2099 added, built by `doit`
    with the project's own dodo.py and the installed kofukin."""
    root = project_copy(tmp_path_factory.mktemp("fy2099"))
    add_year(root, built["_dir"] / "inputs")
    env = {**os.environ, "KOFUKIN_ROOT": str(root)}
    run = subprocess.run([sys.executable, "-m", "doit", "-f", str(paths.ROOT / "dodo.py"), "-d", str(root)],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    return root


def test_the_new_year_needs_no_code_in_the_project_copy(year_2099):
    assert not (year_2099 / "kofukin").exists() and not (year_2099 / "dodo.py").exists()


def test_its_report_set_is_complete(year_2099):
    html = {p.stem for p in (year_2099 / "reports" / "html").glob("*.html")}
    assert {"index", "national", "items", "municipal", "yoy", "allocation"} <= html
    assert {f"profile_{c:02d}" for c in range(1, 48)} <= html
    assert {p.stem for p in (year_2099 / "reports" / "pdf").glob("*.pdf")} >= html - {"index"}
    assert (year_2099 / "reports" / f"kofukin_{YEAR}.xlsx").exists()


def test_its_pages_show_its_own_catalogue_and_compare_the_right_years(year_2099):
    pages = year_2099 / "reports" / "html"
    yoy = (pages / "yoy.html").read_text(encoding="utf-8")
    assert f"年度比較：{COMPARE}年度→{YEAR}年度" in yoy
    assert "都道府県分 741点→195点" in yoy
    assert "評価指標の対応表による比較です" in yoy and "ハードルを引き上げ" in yoy
    items = (pages / "items.html").read_text(encoding="utf-8")
    assert "IV 新しい区分" in items and "II-2A" not in items
    assert f"{YEAR}年度 都道府県分" in (pages / "national.html").read_text(encoding="utf-8")


def test_its_pages_state_its_own_budget_penalty_and_frame(year_2099):
    pages = year_2099 / "reports" / "html"
    national = (pages / "national.html").read_text(encoding="utf-8")
    assert "（都道府県分 約12億円）" in national and "約10億円" not in national
    assert "（得点率35%以下）がある」ことによる減点（−5点）" in national and "3割" not in national and "−10点" not in national
    municipal = (pages / "municipal.html").read_text(encoding="utf-8")
    assert "（得点率35%以下）があると、その都道府県は都道府県分の評価で5点減点されます" in municipal
    assert "得点率が35%以下の市町村と、その所在都道府県です（都道府県分 III-② −5点）" in municipal
    assert "得点率35%以下の市町村" in municipal and "3割" not in municipal
    allocation = (pages / "allocation.html").read_text(encoding="utf-8")
    assert "令和9年度の配分枠" in allocation and "令和7年度の配分枠" not in allocation
    assert "令和9年度 試験推進交付金・試験支援交付金の配分枠" in allocation             # the chart's title (alt text)
    assert "試験推進交付金：試験基本枠（60%）・試験追加枠（40%）。試験支援交付金：試験基本枠（100%）。" in allocation
    assert "厚生労働省資料" not in allocation          # no published budget of FY2027 to match
    profile = (pages / "profile_13.html").read_text(encoding="utf-8")
    assert "得点率35%以下の市町村" in profile and "3割" not in profile
    frame = (year_2099 / "reports" / "tables" / "令和7年度配分枠（全国）.csv").read_text(encoding="utf-8")
    assert "試験推進交付金" in frame and "保険者機能強化推進交付金" not in frame
    split = (year_2099 / "reports" / "tables" / "令和7年度配分枠.csv").read_text(encoding="utf-8").splitlines()[0]
    assert split.endswith("試験推進交付金・試験基本枠（千円）,試験推進交付金・試験追加枠（千円）,試験支援交付金・試験基本枠（千円）")


def test_its_scores_follow_its_penalty_rule(year_2099):
    r = report.load(year_2099 / "data" / "processed", year_2099 / "data" / "raw", year_2099 / "config" / "kofukin.yaml")
    assert (r.scoring.penalty_threshold, r.scoring.penalty_points, r.budget, r.frame_year) == (THRESHOLD, PENALTY, BUDGET, FRAME_YEAR)
    total = r.municipal[(r.municipal.fiscal_year == YEAR) & (r.municipal.category == "TOTAL")]
    assert total.penalty_level.astype(bool).equals(total.score_rate <= THRESHOLD) and total.penalty_level.sum() > 0
    penalised = r.item_scores[r.item_scores["item"] == "III-②"].set_index("pref_code")["points"]
    assert set(penalised) == {0, PENALTY}
    assert set(penalised[penalised < 0].index) == set(total[total.penalty_level].pref_code)
    assert r.frame.amount_thousand_yen.sum() == 20_300_000


def test_its_results_validate_and_its_scores_use_its_catalogue(year_2099):
    assert cli.main(["--config", str(year_2099 / "config" / "kofukin.yaml"), "--raw", str(year_2099 / "data" / "raw"),
                     "validate", str(year_2099 / "data" / "raw" / "results")]) == 0
    r = report.load(year_2099 / "data" / "processed", year_2099 / "data" / "raw", year_2099 / "config" / "kofukin.yaml")
    assert (r.year, r.compare_year) == (YEAR, COMPARE)
    assert len(r.items) == 9 and r.item_scores.item.nunique() == 9 and len(r.compare_items) == 73
    total = r.scores[(r.scores.fiscal_year == YEAR) & (r.scores.category == "TOTAL")]
    assert (total.max_points == 195).all() and len(total) == 47
    assert r.allocation.amount_thousand_yen.sum() <= 1_200_000


def test_without_a_crosswalk_the_comparison_stays_at_categories_and_totals(year_2099):
    config = year_2099 / "config" / "kofukin.yaml"
    cfg = yaml.safe_load(config.read_text(encoding="utf-8"))
    del cfg["years"][YEAR]["crosswalk"]
    bare = year_2099 / "config" / "no_crosswalk.yaml"
    bare.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    r = report.load(year_2099 / "data" / "processed", year_2099 / "data" / "raw", bare)
    assert r.crosswalk is None and tables.crosswalk_table(r).empty
    assert "年度比較は区分と合計点に限ります" in tables.crosswalk_note(r)
    assert list(tables.category_yoy(r)["区分"]) == ["I", "II-1", "III", "TOTAL"]
