"""Real results beside synthetic ones: each year's own municipalities, and a 合成データ notice that says exactly
which years are synthetic — page by page, table by table, in the index and the workbook.

Four builds: (a) real FY2019 for every level, FY2018 synthetic; (b) real FY2018 (totals and municipal results),
FY2019 synthetic; (c) all real; (d) all synthetic (the stand-ins as today)."""

import json
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import copy_project, real_looking, write_result_files
from kofukin import report
from kofukin.model import paths
from kofukin.make.data import build
from kofukin.make.pages import national_pages
from kofukin.pages import profile as profile_page, scenario as scenario_page
from kofukin.pages.page import Edition
from kofukin.make.deps import shown_rows
from kofukin.make.render import _real_inputs_note, build_page, synthetic_shown
from kofukin.pages.index import write_index
from kofukin.model.vintage import SYNTHETIC_NOTICE, notice
from kofukin.make.tables import build_report_tables
from kofukin.pages.national import map_figures
from kofukin.pages.yoy import yoy_note

NATIONAL = national_pages(2019, 2018, 2025)
PROFILES = profile_page.declare(Edition(2019, 2018, 2025))
SCENARIOS = scenario_page.declare(Edition(2019, 2018, 2025))
CASES = {"real_2019": (2019,), "real_2018": (2018,), "all_real": (2018, 2019), "all_synthetic": ()}


@pytest.fixture(scope="module", params=list(CASES))
def case(request, built, tmp_path_factory):
    """One build of a case: its folders, the real municipalities written, the loaded report, notices per page."""
    name = request.param
    where = copy_project(tmp_path_factory.mktemp(name))
    inputs = real_looking({n.split("/")[1]: built[n] for n in built if n.startswith("inputs/")})
    files = write_result_files(inputs, where["raw"] / "results", years=CASES[name]) if CASES[name] else []
    build(**where)
    processed = where["processed"]
    shown = {p.name: synthetic_shown(processed / "vintage.json", p.shows, p.years) for p in NATIONAL + SCENARIOS}
    shown |= {p.name: synthetic_shown(processed / "profiles" / f"{p.parameters['pref_code']}.json", [], p.years)
              for p in PROFILES}
    notices = {p.name: notice(shown[p.name], p.years) for p in NATIONAL + SCENARIOS + PROFILES}
    r = report.load(processed, where["raw"], where["config"])
    return {"name": name, "where": where, "files": files, "synthetic_munis": built["inputs/municipalities"], "shown": shown, "notices": notices, "r": r}


EXPECTED_SHOWN = {   # page → synthetic years it shows; profiles and scenarios as one
    "real_2019": {"national": [2018], "items": [], "municipal": [], "yoy": [2018], "allocation": [], "profile": [2018], "scenario": []},
    "real_2018": {"national": [2019], "items": [2019], "municipal": [2019], "yoy": [2019], "allocation": [2019],
                  "profile": [2019], "scenario": [2019]},
    "all_real": {p: [] for p in ("national", "items", "municipal", "yoy", "allocation", "profile", "scenario")},
    "all_synthetic": {"national": [2018, 2019], "items": [2019], "municipal": [2019], "yoy": [2018, 2019],
                      "allocation": [2019], "profile": [2018, 2019], "scenario": [2019]},
}


def test_every_page_shows_exactly_the_synthetic_years(case):
    expected = EXPECTED_SHOWN[case["name"]]
    for page, years in case["shown"].items():
        assert years == expected[page.split("_")[0]], page


def test_every_notice_says_what_is_synthetic_in_plain_japanese(case):
    pages = {p.name: p for p in NATIONAL + SCENARIOS + PROFILES}
    for page, text in case["notices"].items():
        years, shown = case["shown"][page], pages[page].years
        if not years:
            assert text == "", page
        elif set(shown) <= set(years):
            assert text == SYNTHETIC_NOTICE, page
        else:
            (fake,), (real,) = years, set(shown) - set(years)
            assert text.startswith(f"{fake}年度の数値は合成データです") and f"{real}年度の数値は data/raw/results/" in text, page
            assert "このページの個別の数値" not in text, page


def test_each_year_holds_its_own_municipalities_once(case):
    munis = case["r"].municipalities
    assert not munis.duplicated(["fiscal_year", "muni_code"]).any()
    assert munis.groupby("fiscal_year").size().to_dict() == {2018: 1741, 2019: 1741, 2023: 1741}
    assert munis[munis.fiscal_year == 2023]["synthetic"].all()          # FY2023 (two grants) is never given here
    for year in (2018, 2019):
        mine = munis[munis.fiscal_year == year]
        real = year in CASES[case["name"]]
        assert mine["muni_code"].str.startswith("S").sum() == (0 if real else 1741), year
        assert (~mine["synthetic"]).all() if real else mine["synthetic"].all(), year


def test_per_prefecture_first_insured_sums_are_the_years_own_file(case):
    """The map's 円 per first-insured person and the 市町村分 sum exactly that year's municipalities."""
    r, year = case["r"], 2019
    if 2019 in CASES[case["name"]]:
        file = pd.read_csv(next(f for f in case["files"] if f.name == "first_insured_2019.csv"), dtype={"市町村コード": str})
        expected = file.groupby(file["市町村コード"].str[:2])["第1号被保険者数"].sum()
    else:
        synthetic = case["synthetic_munis"]
        expected = synthetic[synthetic.fiscal_year == year].groupby("pref_code")["first_insured"].sum()
    alloc = pd.read_csv(case["where"]["processed"] / "municipal_allocation.csv", dtype={"pref_code": str})
    pd.testing.assert_series_equal(alloc.groupby("pref_code")["first_insured"].sum(), expected, check_names=False)
    tokyo = r.allocation.set_index("pref_code").at["13", "amount_thousand_yen"]
    assert map_figures(r).at["13", "yen_per_first_insured"] == pytest.approx(1000 * tokyo / expected["13"])


def test_vintage_and_bundles_record_synthetic_years_per_table(case):
    processed = case["where"]["processed"]
    flags = json.loads((processed / "vintage.json").read_text(encoding="utf-8"))["synthetic"]
    synthetic_years = {2018, 2019} - set(CASES[case["name"]])
    for table, years in flags.items():
        assert set(years) <= synthetic_years | {2023}, table
    assert flags["inputs/municipalities"] == sorted(synthetic_years | {2023})
    assert flags["prefecture_scores"] == sorted(synthetic_years)
    bundle = json.loads((processed / "profiles" / "13.json").read_text(encoding="utf-8"))
    assert bundle["synthetic_years"] == sorted(synthetic_years)


def test_the_year_over_year_comparison_of_municipalities_says_why_it_stays_aggregate(case):
    note = yoy_note(case["r"])
    mixed = case["name"] in ("real_2019", "real_2018")
    assert ("同じ団体ではないため、市町村の年度比較は全国と都道府県の集計値" in note) == mixed
    if case["name"] == "real_2019":
        assert "2018年度は合成データ、2019年度は実データ" in note


def test_index_and_workbook_say_what_is_synthetic(case, tmp_path):
    where, name = case["where"], case["name"]
    write_index(tmp_path / "index.html", where["processed"] / "manifest.json", NATIONAL, PROFILES[:1], SCENARIOS, raw=where["raw"])
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    build_report_tables(str(where["processed"]), str(where["raw"]), str(where["config"]), str(tmp_path / "t"), str(tmp_path / "k.xlsx"))
    wb = load_workbook(tmp_path / "k.xlsx")
    notes = [row[0] for row in wb["注記"].values]
    headers = {ws.title: ws.oddHeader.center.text for ws in wb.worksheets[1:]}
    # the sheets of the latest two-grant year, FY2023, whose figures are synthetic in every case
    two_grant = ["令和7年度市町村分の配分枠", "令和7年度市町村分の配分額", "市町村分の年度比較（区分別）", "市町村分の年度比較（都道府県別）"]
    assert all("合成データです" in headers[sheet] for sheet in two_grant)
    if name == "all_real":
        assert "合成" not in index and notes[1].startswith("合成データ：2023年度の数値は合成データです")
        assert [n for n in notes[2:] if "合成" in str(n)] == [f"シート「{sheet}」：{headers[sheet]}" for sheet in two_grant]
        assert not any(text for sheet, text in headers.items() if sheet not in two_grant)
        assert "個別の数値: 2018年度・2019年度は実データ" in index
    elif name == "all_synthetic":
        assert SYNTHETIC_NOTICE in index and notes[1] == "合成データ：" + SYNTHETIC_NOTICE.replace("このページ", "このブック")
        assert headers["交付額"] == headers["年度比較"] == "※ 合成データです（厚生労働省の評価結果ではありません）。"
        assert headers["令和7年度配分枠（全国）"] is None
    else:
        fake, real = (2018, 2019) if name == "real_2019" else (2019, 2018)
        assert f"個別の数値: {fake}年度は合成データ、{real}年度は実データ" in index
        assert notes[1].startswith(f"合成データ：{fake}年度・2023年度の数値は合成データです")
        assert headers["年度比較"] == f"※ {fake}年度の数値は合成データです（厚生労働省の評価結果ではありません）。"
        assert f"シート「年度比較」：※ {fake}年度の数値は合成データです（厚生労働省の評価結果ではありません）。" in notes
        assert (headers["交付額"] is None) == (name == "real_2019")


def test_built_pages_carry_the_notice_or_none(case, tmp_path):
    """Pages as built: in (a) the FY2019-only allocation page has no notice and 年度比較 names 2018 in its notice
    and beside each chart and table; in (c) no 合成 wording anywhere on the page."""
    if case["name"] not in ("real_2019", "all_real"):
        pytest.skip("pages are executed for the cases (a) and (c)")
    where = case["where"]
    params = {"project_dir": str(where["processed"].parents[1])}
    html = {}
    for page in NATIONAL:
        if page.name in ("allocation", "yoy"):
            build_page(str(page.source), {**page.parameters, **params}, str(tmp_path / f"{page.name}.html"),
                       str(tmp_path / f"{page.name}.ipynb"), page.title, str(where["processed"] / "vintage.json"), [], "test",
                       page.shows, list(page.years))
            html[page.name] = (tmp_path / f"{page.name}.html").read_text(encoding="utf-8")
    if case["name"] == "all_real":
        assert all("合成" not in text for text in html.values())
    else:
        assert "合成" not in html["allocation"]
        yoy = html["yoy"]
        assert yoy.count("の数値は data/raw/results/ の評価結果から作成しています") == 2 and "このページの個別の数値" not in yoy
        captions = re.findall(r'<p class="note synthetic-caption">([^<]*)</p>', yoy)
        assert len(captions) >= 4 and set(captions) == {"※ 2018年度の数値は合成データです（厚生労働省の評価結果ではありません）。"}


def test_real_results_change_the_data_of_exactly_the_pages_they_touch(built, tmp_path):
    """Real FY2018 totals dropped in (same figures, now real): the pages showing FY2018 prefectural scores —
    全国版 and 年度比較 — get new data (their notices change); the FY2019-only pages, the scenarios and the
    profiles (whose FY2018 municipalities stay synthetic) keep theirs, so doit rebuilds only those two."""
    where = copy_project(tmp_path)
    inputs = {n.split("/")[1]: built[n] for n in built if n.startswith("inputs/")}
    write_result_files(inputs, tmp_path / "all", years=(2018,))
    (where["raw"] / "results").mkdir(exist_ok=True)
    (tmp_path / "all" / "prefecture_totals_2018.csv").rename(where["raw"] / "results" / "prefecture_totals_2018.csv")
    build(**where)
    before, after = built["_dir"], where["processed"]
    changed = {p.name for p in NATIONAL + SCENARIOS
               if shown_rows(before, p.shows, p.years) != shown_rows(after, p.shows, p.years)}
    assert changed == {"national", "yoy"}
    bundles = [p.parameters["pref_code"] for p in PROFILES]
    assert all((before / "profiles" / f"{c}.json").read_bytes() == (after / "profiles" / f"{c}.json").read_bytes() for c in bundles)
    assert synthetic_shown(before / "vintage.json", NATIONAL[0].shows, NATIONAL[0].years) == [2018, 2019]
    assert synthetic_shown(after / "vintage.json", NATIONAL[0].shows, NATIONAL[0].years) == [2019]


def test_a_real_year_is_not_compared_municipality_by_municipality_with_a_synthetic_one(case):
    """FY2023 stays synthetic (S… codes): beside a real FY2019 (6-digit codes) the frame split drops its
    several-years ground and the 年度比較 its per-municipality chart, saying so; no empty chart, no NaN."""
    from kofukin.model.municipal_frame import comparable_years
    from kofukin.pages import municipal_frame, municipal_years

    where = case["where"]
    same = 2019 not in CASES[case["name"]]
    my = municipal_years.read(2019, 2023, where["processed"], where["raw"])
    assert comparable_years(my.scores, 2023, "promotion", [2019, 2023]) == ([2019, 2023] if same else [2023])
    assert my.comparable == same and (municipal_years.rate_scatter(my) is None) == (not same)
    assert any("市町村ごとの比較は示しません" in n for n in municipal_years.notes(my)) == (not same)
    fs = municipal_frame.read(**where)
    assert ("保険者機能強化推進交付金は2023年度の結果しか比べられる年度がない" in "".join(municipal_frame.rule_notes(fs))) == (not same)


@pytest.mark.parametrize("frame_synthetic, expected", [([], []), ([2023], [2023])])
def test_the_frame_page_notice_follows_the_split_years_tables_not_the_report_year(tmp_path, frame_synthetic, expected):
    """FY2023 real beside a synthetic FY2019: the FY2025 municipal frame page shows FY2023's split alone (FY2019 is
    not compared with a real year), so it carries no 合成データ notice; while FY2023 is synthetic, it says so."""
    from kofukin.make.pages import report_set
    from kofukin.model.config import load_config

    page = next(p for p in report_set(load_config(paths.CONFIG))[0] if p.name == "municipal_frame")
    synthetic = {"municipal_scores": [2018, 2019, *frame_synthetic], "inputs/municipalities": [2018, 2019, *frame_synthetic],
                 "municipal_frame": frame_synthetic, "municipal_frame_pots": frame_synthetic}
    flags = tmp_path / "vintage.json"
    flags.write_text(json.dumps({"synthetic": synthetic}), encoding="utf-8")
    assert page.years == (2023,) and synthetic_shown(flags, page.shows, page.years) == expected


def test_real_requests_beside_synthetic_scores_are_named_real_in_the_notice(built, tmp_path):
    """Only the requests (所要見込額) given as real: the notice of the pages showing them (全国版, 交付額, a
    profile) still calls its figures 合成データ (the amounts come from synthetic scores) and says the requests
    are the analyst's own; with synthetic requests (the default build) no page says so."""
    assert "real_inputs_note" not in json.loads((built["_dir"] / "profiles" / "05.json").read_text(encoding="utf-8"))
    assert _real_inputs_note(built["_dir"] / "vintage.json", {"inputs/prefecture_requests": [2019]}, [2019]) == ""
    where = copy_project(tmp_path)
    requests = built["inputs/prefecture_requests"]
    (where["raw"] / "results").mkdir(exist_ok=True)
    pd.DataFrame({"年度": requests.fiscal_year, "都道府県コード": requests.pref_code,
                  "所要見込額（千円）": requests.request_thousand_yen}).to_csv(where["raw"] / "results" / "requests_2019.csv", index=False)
    build(**where)
    processed, params = where["processed"], {"project_dir": str(where["processed"].parents[1])}
    pages = [(p, processed / "vintage.json") for p in NATIONAL if p.name in ("national", "allocation")] + [
        (PROFILES[4], processed / "profiles" / "05.json")]        # a scenario page reads vintage.json as these do
    real = ("ただし、2019年度の所要見込額は data/raw/results/ に置かれた実際の値です（交付額は、この所要見込額と合成データの"
            "得点から計算したもので、合成データです）。")
    for page, flags in pages:
        build_page(str(page.source), {**page.parameters, **params}, str(tmp_path / f"{page.name}.html"),
                   str(tmp_path / f"{page.name}.ipynb"), page.title, str(flags), [], "test", page.shows, list(page.years))
        html = (tmp_path / f"{page.name}.html").read_text(encoding="utf-8")
        assert html.count(SYNTHETIC_NOTICE + real) == 2, page.name        # header and footer
        # and the caption beside its table or chart of the requests (national: the allocation chart)
        assert '<p class="note synthetic-caption">※ 合成データです（厚生労働省の評価結果ではありません）。' + real in html, page.name
    # the workbook's 交付額 sheet and its CSV say so too: its note, and each row's データの種類
    build_report_tables(str(processed), str(where["raw"]), str(where["config"]), str(tmp_path / "tables"), str(tmp_path / "k.xlsx"))
    notes = [row[0] for row in load_workbook(tmp_path / "k.xlsx")["注記"].iter_rows(values_only=True) if row[0]]
    assert "シート「交付額」：※ 合成データです（厚生労働省の評価結果ではありません）。" + real in notes
    assert "シート「市町村分交付額」：※ 合成データです（厚生労働省の評価結果ではありません）。" in notes   # shows no request
    amounts = pd.read_csv(tmp_path / "tables" / "交付額.csv", encoding="utf-8-sig")
    assert set(amounts["データの種類"]) == {"合成データ（所要見込額は実際の値）"}
    assert set(pd.read_csv(tmp_path / "tables" / "市町村分交付額.csv", encoding="utf-8-sig")["データの種類"]) == {"合成データ"}
    # the index's data line
    write_index(tmp_path / "index.html", processed / "manifest.json", NATIONAL, PROFILES, raw=where["raw"])
    assert "個別の数値: 2018年度・2019年度は合成データ。" + real in (tmp_path / "index.html").read_text(encoding="utf-8")
    # a scenario's page (captions beside its charts and tables) and its workbook (notice and sheet note)
    root, name = where["processed"].parents[1], SCENARIOS[1].parameters["scenario"]
    source, comparison = paths.scenario_files(name, root)
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(paths.scenario_files(name)[0].read_bytes())
    scenario_page.build_comparison(str(source), str(where["config"]), str(where["raw"]), str(processed / "inputs"),
                                   str(comparison), str(comparison.with_suffix(".xlsx")))
    page = SCENARIOS[1]
    build_page(str(page.source), {**page.parameters, **params}, str(tmp_path / "s.html"), str(tmp_path / "s.ipynb"),
               page.title, str(processed / "vintage.json"), [], "test", page.shows, list(page.years))
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert html.count(SYNTHETIC_NOTICE + real) == 2 and html.count("※ 合成データです（厚生労働省の評価結果ではありません）。" + real) == 5
    notes = [row[0] for row in load_workbook(comparison.with_suffix(".xlsx"))["注記"].iter_rows(values_only=True) if row[0]]
    assert notes[1].endswith(real) and notes[-1] == "シート「比較」：※ 合成データです（厚生労働省の評価結果ではありません）。" + real
