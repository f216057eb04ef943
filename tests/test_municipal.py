"""Municipal edition: ranks (prefecture, nation, size class), bundles, pages and the municipal index."""

import re

import pandas as pd
import pytest

from kofukin.make.pages import municipal_index_pages, municipal_pages
from kofukin.make.render import build_page
from kofukin.model.config import load_config
from kofukin.model.errors import KofukinDataError
from kofukin.model.ranks import SizeClass, classify, municipal_ranks, size_classes
from kofukin.pages import municipality

CLASSES = [SizeClass("小", 0, 10000), SizeClass("中", 10000, 50000), SizeClass("大", 50000, None)]


def _totals(rows):
    t = pd.DataFrame(rows, columns=["muni_code", "pref_code", "score"]).assign(fiscal_year=2019, grant="promotion", max_points=692,
                                                                                 synthetic=False)
    t["score_rate"] = t.score / t.max_points
    return t


def test_ties_share_the_best_rank_in_every_ranking():
    t = _totals([("A", "01", 400), ("B", "01", 400), ("C", "01", 300), ("D", "02", 500)])
    first = pd.Series({"A": 5000, "B": 6000, "C": 7000, "D": 8000})
    r = municipal_ranks(t, first, pd.Series(dtype="float64"), CLASSES).set_index("muni_code")
    assert r["rank_in_prefecture"].to_dict() == {"A": 1, "B": 1, "C": 3, "D": 1}
    assert r["rank_national"].to_dict() == {"A": 2, "B": 2, "C": 4, "D": 1}
    assert r["rank_in_size_class"].to_dict() == {"A": 2, "B": 2, "C": 4, "D": 1}
    assert r["n_in_size_class"].tolist() == [4, 4, 4, 4]
    assert r["amount_thousand_yen"].isna().all()          # no budget: blank, never zero


def test_a_one_municipality_prefecture_and_an_empty_size_class():
    t = _totals([("A", "01", 100), ("B", "02", 200), ("C", "02", 250)])
    r = municipal_ranks(t, pd.Series({"A": 60000, "B": 100, "C": 70000}), pd.Series({"A": 10, "B": 20, "C": 30}), CLASSES)
    r = r.set_index("muni_code")
    assert (r.at["A", "rank_in_prefecture"], r.at["A", "n_in_prefecture"]) == (1, 1)
    assert set(r["size_class"]) == {"小", "大"}           # nobody in 中: no rank there, no error
    assert (r.at["A", "rank_in_size_class"], r.at["A", "n_in_size_class"]) == (2, 2)
    assert r["amount_thousand_yen"].tolist() == [10, 20, 30]


def test_size_class_bounds_are_lower_inclusive():
    assert classify(pd.Series([9999, 10000, 49999, 50000]), CLASSES).tolist() == ["小", "中", "中", "大"]


@pytest.mark.parametrize("bands, problem", [
    ([[5000, "小"], [5000, "大"], [None, "特大"]], "upper bounds must rise"),
    ([[5000, "小"], [10000, "中"]], "the last must be null"),
    ([[5000, "小"], [None, "小"]], "labels must be given and distinct"),
    ("5000", "a list of [upper bound or null, label] pairs"),
])
def test_bad_size_classes_name_the_key(bands, problem):
    with pytest.raises(KofukinDataError, match=re.escape(problem)) as err:
        size_classes({"municipal": {"size_classes": bands}}, "kofukin.yaml")
    assert "municipal.size_classes" in str(err.value)


def test_built_ranks_agree_with_a_recomputation_from_municipal_scores(built):
    ranks, scores = built["municipal_ranks"], built["municipal_scores"]
    total = scores[scores.category == "TOTAL"].set_index(["fiscal_year", "grant", "muni_code"])["score"]
    r = ranks.set_index(["fiscal_year", "grant", "muni_code"])
    assert (r["score"] == total.reindex(r.index)).all()
    assert ranks.groupby(["fiscal_year", "grant"]).size().to_dict() == {
        (2018, "promotion"): 1741, (2019, "promotion"): 1741, (2023, "promotion"): 1741, (2023, "support"): 1741}
    for year, g in ranks.groupby(["fiscal_year", "grant"]):
        assert (g["rank_national"] == g["score"].rank(method="min", ascending=False)).all()
        assert (g["rank_in_prefecture"] == g.groupby("pref_code")["score"].rank(method="min", ascending=False)).all()
        assert (g["rank_in_size_class"] == g.groupby("size_class")["score"].rank(method="min", ascending=False)).all()
        assert (g["n_in_prefecture"] == g.groupby("pref_code")["muni_code"].transform("size")).all()
        assert int(g["amount_thousand_yen"].sum()) == 19_000_000        # the 市町村分 budget, conserved to the 千円
    cfg = load_config()
    bands = {c.label: c for c in size_classes(cfg)}
    for row in ranks.itertuples():
        c = bands[row.size_class]
        assert c.lower <= row.first_insured and (c.upper is None or row.first_insured < c.upper)


def test_a_renamed_municipality_changes_only_the_bundles_that_show_its_name(built):
    """Pages rebuild when their bundle's bytes change (``kofukin.pages.municipality.municipal_bundles``). A new name changes the
    municipality's own bundle, its prefecture's index and the bundles of the municipalities that list it
    among their peers (their pages show its name) — no other municipality's; 市町村分 figures unchanged."""
    from kofukin.pages.municipal_index import municipal_index_bundles
    from kofukin.pages.municipality import municipal_bundles
    from kofukin.report.bundle import dumps
    from kofukin.model.compute import load_raw

    cfg = load_config()
    src = load_raw(cfg)
    tables = {k: v for k, v in built.items() if k != "_dir"}
    munis = tables["inputs/municipalities"]
    renamed = {**tables, "inputs/municipalities": munis.assign(
        muni_name=munis.muni_name.where((munis.muni_code != "S31005") | (munis.fiscal_year != 2019), "新名町"))}
    before, after = (municipal_bundles(2019, 2018, src, t, cfg) for t in (tables, renamed))
    changed = {code for code in before if dumps(before[code]) != dumps(after[code])}
    listing = {code for code, b in before.items() if "S31005" in [p["muni_code"] for p in b["peers"]]}
    assert changed == {"S31005"} | listing and 0 < len(listing) < 20
    assert after["S31005"]["muni_name"] == "新名町" and after["S31005"]["total"] == before["S31005"]["total"]
    index_before, index_after = (municipal_index_bundles(2019, 2018, src, t, cfg) for t in (tables, renamed))
    assert {p for p in index_before if dumps(index_before[p]) != dumps(index_after[p])} == {"31"}


def test_report_year_grant_equals_the_municipal_allocation(built):
    ranks = built["municipal_ranks"][built["municipal_ranks"].fiscal_year == 2019].set_index("muni_code")
    alloc = built["municipal_allocation"].set_index("muni_code")
    assert (ranks["amount_thousand_yen"] == alloc["amount_thousand_yen"].reindex(ranks.index)).all()


@pytest.fixture(scope="module")
def municipal_pages_built(built, tmp_path_factory):
    """One municipality of a small prefecture (鳥取県) and one of a large one (北海道), and 鳥取県's index."""
    out = tmp_path_factory.mktemp("municipal")
    folder = built["_dir"] / "municipal"
    pages = {p.parameters["muni_code"]: p for p in municipal_pages(2019, folder)}
    chosen = [pages["S31001"], pages["S01100"]]
    for page in chosen:
        bundle = str(next(folder.glob(f"*/{page.parameters['muni_code']}.json")))
        build_page(str(page.source), {**page.parameters, "project_dir": str(folder.parents[2])}, str(out / f"{page.parameters['muni_code']}.html"),
                   str(out / f"{page.parameters['muni_code']}.ipynb"), page.title, bundle, [bundle], "test", page.shows, list(page.years), page.index_href)
    index = municipal_index_pages(2019)[30]
    build_page(str(index.source), {**index.parameters, "project_dir": str(folder.parents[2])}, str(out / "index.html"),
               str(out / "index.ipynb"), index.title, str(folder / "31" / "index.json"), [str(folder / "31" / "index.json")], "test",
               index.shows, list(index.years), index.index_href)
    return out, folder


@pytest.mark.parametrize("code", ["S31001", "S01100"])
def test_a_municipal_page_shows_its_ranks_grant_and_peers(municipal_pages_built, code):
    out, folder = municipal_pages_built
    page = (out / f"{code}.html").read_text(encoding="utf-8")
    m = municipality.read(folder, code)
    t = m["total"]
    for figure in (f"{t['rank_in_prefecture']} / {t['n_in_prefecture']}位", f"{t['rank_national']} / {t['n_national']}位",
                   f"{t['rank_in_size_class']} / {t['n_in_size_class']}位", f"{t['amount_thousand_yen']:,}千円"):
        assert figure in page
    assert all(p["muni_name"] in page for p in m["peers"]) and len(m["peers"]) == 5
    assert "grants" not in m and "<th>交付金</th>" not in page and "（推進）" not in page     # one grant: none named
    assert page.count('class="strip-line"') == 1 and ("（評価指標 III-②）" in page or "30%を上回っています" in page)
    assert page.count("<strong>合成データ</strong>") == 2
    assert "http://" not in page and "https://" not in page
    assert 'href="../../index.html"' in page and 'href="index.html"' in page
    assert "Traceback" not in page and 'class="error"' not in page


def test_the_municipal_index_links_every_municipality_of_its_prefecture(municipal_pages_built, built):
    out, _ = municipal_pages_built
    page = (out / "index.html").read_text(encoding="utf-8")
    codes = sorted(built["municipal_ranks"].query("fiscal_year == 2019 and pref_code == '31'")["muni_code"])
    assert len(codes) == 19
    assert sorted(re.findall(r'href="(S31\d{3})\.html"', page)) == codes
    assert "<th>交付金</th>" not in page and "<th>得点率30%以下</th>" in page


def test_an_unknown_muni_code_is_a_clear_error(built, tmp_path):
    folder = built["_dir"] / "municipal"
    with pytest.raises(ValueError, match="no municipality S99999 in the 2019 results"):
        municipality.read(folder, "S99999")
    page = municipal_pages(2019, folder)[0]
    with pytest.raises(Exception, match="no municipality S99999"):
        build_page(str(page.source), {**page.parameters, "muni_code": "S99999", "project_dir": str(folder.parents[2])},
                   str(tmp_path / "x.html"), str(tmp_path / "x.ipynb"), page.title, str(folder / "01" / "index.json"), [], "test",
                   page.shows, list(page.years))
    assert not (tmp_path / "x.html").exists()


def test_a_rename_leaves_the_national_pages_that_show_no_names_alone(built, tmp_path):
    """A national or scenario page depends on the rows it shows (ShownRows); municipal names count only for
    pages that show them (市町村版's penalty table), so a renamed municipality rebuilds that page alone."""
    import shutil

    from kofukin.make.deps import shown_rows
    from kofukin.make.pages import national_pages
    from kofukin.pages import scenario as scenario_page
    from kofukin.pages.page import Edition

    after = tmp_path / "processed"
    shutil.copytree(built["_dir"], after)
    munis = after / "inputs" / "municipalities.csv"
    text = munis.read_text(encoding="utf-8")
    munis.write_text(text.replace("合成市町村13-001", "改名した市"), encoding="utf-8")     # every year
    pages = national_pages(2019, 2018, 2025, 2023) + scenario_page.declare(Edition(2019, 2018, 2025))
    changed = {p.name for p in pages if shown_rows(built["_dir"], p.shows, p.years, p.shows_names)
               != shown_rows(after, p.shows, p.years, p.shows_names)}
    assert changed == {"municipal"}
