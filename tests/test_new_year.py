"""A new fiscal year is data and configuration, not code: FY2099 (plainly synthetic, two grants) built end to end."""

import shutil

import pandas as pd
import pytest
import yaml

from kofukin import cli, report
from kofukin.model.catalogue import year_catalogue
from kofukin.model.config import load_config
from kofukin.model.errors import KofukinDataError
from kofukin.pages import yoy
from new_year import BUDGETS, COMPARE, FRAME_YEAR, MAXIMA, PAGES_OF, PENALTY, SHARED, THRESHOLD, YEAR


def _load(root, grant=None):
    return report.load(root / "data" / "processed", root / "data" / "raw", root / "config" / "kofukin.yaml", grant=grant)


def test_the_new_year_needs_no_code_in_the_project_copy(year_2099):
    assert not (year_2099 / "kofukin").exists() and not (year_2099 / "dodo.py").exists()


def test_its_report_set_is_complete_for_both_grants(year_2099):
    html = {p.stem for p in (year_2099 / "reports" / "html").glob("*.html")}
    assert {"index", "national", "items", "municipal", "yoy", "allocation", "municipal_yoy", "municipal_frame",
            "national_support", "items_support", "allocation_support"} <= html
    assert "yoy_support" not in html                  # FY2019 scored no 支援: nothing to compare it with
    assert {f"profile_{c:02d}" for c in range(1, 48)} | {f"profile_{c:02d}_support" for c in range(1, 48)} <= html
    assert {p.stem for p in (year_2099 / "reports" / "pdf").glob("*.pdf")} >= html - {"index"}
    assert (year_2099 / "reports" / f"kofukin_{YEAR}.xlsx").exists()
    municipal = year_2099 / "reports" / "html" / "municipal"
    assert sorted(p.name for p in municipal.iterdir()) == PAGES_OF and len(list((municipal / "31").glob("S*.html"))) == 19


def test_an_item_counting_for_both_grants_adds_its_points_to_both(year_2099):
    promotion, support = _load(year_2099), _load(year_2099, "support")
    assert (promotion.grant, support.grant, support.grants) == ("promotion", "support", ["promotion", "support"])
    points = {g: r.item_scores.pivot(index="pref_code", columns="item", values="points") for g, r in
              (("promotion", promotion), ("support", support))}
    for item in SHARED[::2]:                         # I-①, IV-②: one result, the same points in each grant
        assert points["promotion"][item].equals(points["support"][item]), item
    for g, r in (("promotion", promotion), ("support", support)):       # III-①: from that grant's municipal results
        rates = r.municipal[(r.municipal.fiscal_year == YEAR) & (r.municipal.category == "TOTAL")].groupby("pref_code")["score_rate"].mean()
        assert set(r.municipal.grant) == {g}
        assert points[g]["III-①"].equals((rates.rank(method="min", ascending=False) <= 24).astype("int64").mul(20).rename("III-①")), g
    assert "II-1-イ" not in points["promotion"] and "II-1-ア" not in points["support"] and "III-②" not in points["support"]
    for g, r in (("promotion", promotion), ("support", support)):
        total = r.scores_of(YEAR, "TOTAL").set_index("pref_code")
        assert (total["max_points"] == MAXIMA[g]).all() and len(total) == 47
        assert total["score"].equals(points[g].sum(axis=1).rename("score")), g
    four = support.scores_of(YEAR, "IV").set_index("pref_code")["score"]
    assert four.equals((points["support"]["IV-①"] + points["support"]["IV-②"]).rename("score"))


def test_each_grant_splits_its_own_budget_and_frame(year_2099):
    for grant, budget in BUDGETS.items():
        r = _load(year_2099, grant)
        assert r.budget == budget and r.allocation.share_thousand_yen.sum() == budget
        assert r.allocation.amount_thousand_yen.sum() <= budget and set(r.allocation.grant) == {grant}
    frame = pd.read_csv(year_2099 / "data" / "processed" / "prefecture_frame.csv", dtype={"pref_code": str})
    assert frame.groupby("grant")["amount_thousand_yen"].sum().to_dict() == {"promotion": 600_000, "support": 700_000}
    support = _load(year_2099, "support").scores_of(YEAR, "TOTAL").set_index("pref_code")["score"]
    base = frame[(frame.grant == "support") & (frame.pot == "base")].set_index("pref_code")["amount_thousand_yen"]
    assert ((base - 700_000 * support / support.sum()).abs() < 1).all()          # 支援's pots by 支援's scores


def test_its_pages_show_its_own_catalogue_grant_and_compare_the_right_years(year_2099):
    pages = year_2099 / "reports" / "html"
    yoy = (pages / "yoy.html").read_text(encoding="utf-8")
    assert f"年度比較：{COMPARE}年度→{YEAR}年度（推進）" in yoy
    assert "都道府県分 741点→140点" in yoy
    assert "評価指標の対応表による比較です" in yoy and "配点を変更" in yoy
    items = (pages / "items.html").read_text(encoding="utf-8")
    assert "IV 新しい区分" in items and "II-2A" not in items and "II-1-イ" not in items
    assert "II-1-イ" in (pages / "items_support.html").read_text(encoding="utf-8")
    assert f"{YEAR}年度 都道府県分の評価結果（推進）" in (pages / "national.html").read_text(encoding="utf-8")
    assert f"{YEAR}年度 都道府県分の評価結果（支援）" in (pages / "national_support.html").read_text(encoding="utf-8")
    profile = (pages / "profile_13_support.html").read_text(encoding="utf-8")
    assert f"東京都（{YEAR}年度・支援）" in profile and "/ 135点" in profile and 'href="profile_13.html"' in profile
    assert 'href="profile_13_support.html"' in (pages / "profile_13.html").read_text(encoding="utf-8")


def test_its_pages_state_its_own_budgets_penalty_and_frame(year_2099):
    pages = year_2099 / "reports" / "html"
    national = (pages / "national.html").read_text(encoding="utf-8")
    assert "（都道府県分 約12億円）" in national and "約10億円" not in national
    assert "（都道府県分 約8億円）" in (pages / "national_support.html").read_text(encoding="utf-8")
    assert "（得点率35%以下）がある」ことによる減点（−5点）" in national and "3割" not in national and "−10点" not in national
    allocation = (pages / "allocation.html").read_text(encoding="utf-8")
    assert "令和9年度の配分枠" in allocation and "令和7年度の配分枠" not in allocation
    assert "令和9年度 試験推進交付金・試験支援交付金の配分枠" in allocation             # the chart's title (alt text)
    assert "試験推進交付金：試験基本枠（60%）・試験追加枠（40%）。試験支援交付金：試験基本枠（100%）。" in allocation
    assert "厚生労働省資料" not in allocation          # no published budget of FY2027 to match
    profile = (pages / "profile_13.html").read_text(encoding="utf-8")
    assert "得点率35%以下の市町村" in profile and "3割" not in profile


def test_its_scores_follow_its_penalty_rule(year_2099):
    r = _load(year_2099)
    assert (r.scoring.penalty_threshold, r.scoring.penalty_points, r.frame_year) == (THRESHOLD, PENALTY, FRAME_YEAR)
    total = r.municipal[(r.municipal.fiscal_year == YEAR) & (r.municipal.category == "TOTAL")]
    assert set(total.grant) == {"promotion"}
    assert total.penalty_level.astype(bool).equals(total.score_rate <= THRESHOLD) and total.penalty_level.sum() > 0
    penalised = r.item_scores[r.item_scores["item"] == "III-②"].set_index("pref_code")["points"]
    assert set(penalised) == {0, PENALTY}
    assert set(penalised[penalised < 0].index) == set(total[total.penalty_level].pref_code)
    assert r.frame.amount_thousand_yen.sum() == 20_300_000


def test_its_results_validate_and_its_scores_use_its_catalogue(year_2099):
    assert cli.main(["--config", str(year_2099 / "config" / "kofukin.yaml"), "--raw", str(year_2099 / "data" / "raw"),
                     "validate", str(year_2099 / "data" / "raw" / "results")]) == 0
    r = _load(year_2099)
    assert (r.year, r.compare_year) == (YEAR, COMPARE)
    assert len(r.items) == 7 and r.item_scores.item.nunique() == 7 and len(r.compare_items) == 73
    assert len(_load(year_2099, "support").items) == 5 and _load(year_2099, "support").compare_items is None


def test_without_a_crosswalk_the_comparison_stays_at_categories_and_totals(year_2099):
    config = year_2099 / "config" / "kofukin.yaml"
    cfg = yaml.safe_load(config.read_text(encoding="utf-8"))
    del cfg["years"][YEAR]["crosswalk"]
    bare = year_2099 / "config" / "no_crosswalk.yaml"
    bare.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    r = report.load(year_2099 / "data" / "processed", year_2099 / "data" / "raw", bare)
    assert r.crosswalk is None and yoy.crosswalk_table(r).empty
    assert "年度比較は区分と合計点に限ります" in yoy.crosswalk_note(r)
    assert list(yoy.category_yoy(r)["区分"]) == ["I", "II-1", "III", "TOTAL"]


@pytest.mark.parametrize("file, edit, named, expected", [
    ("items", lambda t: t.replace("assumption,promotion|support\nI,I-②", "assumption,promotion|bonus\nI,I-②"), "items",
     "row 2, field 'grants': unknown grant 'bonus' (known: promotion, support; several separated by |)"),
    ("categories", lambda t: t.replace("support,II-1,", "support,II-2,"), "items",
     "row 5, field 'category': 'II-1' is not a category of support in catalogue/prefecture_2099_categories.csv"),
    ("categories", lambda t: t.replace("support,TOTAL,合計,合計,135,72.7,53.9\n", ""), "categories",
     "field 'grant': no TOTAL row of support"),
    ("categories", lambda t: t.replace("support,TOTAL,", "support,II-9,空の区分,空の区分,5,2.5,50.0\nsupport,TOTAL,"),
     "categories", "row 11, field 'category': no item of support in 'II-9' (catalogue/prefecture_2099_items.csv)"),
])
def test_a_catalogue_tagged_wrongly_names_the_file_and_field(year_2099, tmp_path, file, edit, named, expected):
    raw = tmp_path / "raw"
    shutil.copytree(year_2099 / "data" / "raw" / "catalogue", raw / "catalogue")
    path = raw / "catalogue" / f"prefecture_{YEAR}_{file}.csv"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(KofukinDataError) as err:
        year_catalogue(load_config(year_2099 / "config" / "kofukin.yaml"), YEAR, raw)
    assert str(raw / "catalogue" / f"prefecture_{YEAR}_{named}.csv") in str(err.value) and expected in str(err.value)


@pytest.mark.parametrize("edit, key", [
    (lambda y: y["prefecture_budget_thousand_yen"].pop("support"), "years.2099.prefecture_budget_thousand_yen.support': missing"),
    (lambda y: y.update(prefecture_budget_thousand_yen=2_000_000), "years.2099.prefecture_budget_thousand_yen': one amount per grant"),
    (lambda y: y["municipal_category_max"].pop("promotion"), "years.2099.municipal_category_max.promotion': missing"),
    (lambda y: y["prefecture_budget_thousand_yen"].update(bonus=5), "years.2099.prefecture_budget_thousand_yen.bonus': not a grant"),
    (lambda y: y.update(prefecture_max_points=730), "years.2099.prefecture_max_points': one maximum per grant"),
    (lambda y: y.update(prefecture_max_points={"promotion": 730, "suport": 400}), "years.2099.prefecture_max_points.support': missing"),
])
def test_a_grant_without_its_entry_names_the_file_and_key(year_2099, tmp_path, edit, key):
    cfg = yaml.safe_load((year_2099 / "config" / "kofukin.yaml").read_text(encoding="utf-8"))
    edit(cfg["years"][YEAR])
    path = tmp_path / "kofukin.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KofukinDataError) as err:
        load_config(path)
    assert str(path) in str(err.value) and f"key '{key}" in str(err.value)
