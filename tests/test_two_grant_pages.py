"""The municipal edition of a two-grant year (issue 17): FY2099's municipal pages, 鳥取県's municipal index and the
national municipal page show 推進 and 支援 side by side — each grant's score, maximum, rate, ranks and 市町村分,
both grants' 市町村分 together — and the penalty only for the grant whose catalogue has it (推進's III-②)."""

import json
import re

import pandas as pd
import pytest

from new_year import MUNICIPAL_BUDGETS, MUNICIPAL_MAX, PAGES_OF, THRESHOLD, YEAR

LABELS = {"promotion": "推進", "support": "支援"}
MAXIMA = {g: sum(m.values()) for g, m in MUNICIPAL_MAX.items()}          # 700 and 400


@pytest.fixture(scope="module")
def ranks(year_2099) -> pd.DataFrame:
    r = pd.read_csv(year_2099 / "data" / "processed" / "municipal_ranks.csv", dtype={"pref_code": str})
    return r[r.fiscal_year == YEAR]


def _page(year_2099, name: str) -> str:
    return (year_2099 / "reports" / "html" / f"{name}.html").read_text(encoding="utf-8")


def _tables(html: str) -> list[list[list[str]]]:
    """Every table of a page: its body rows as cell texts (links unwrapped)."""
    return [[[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
             for row in re.findall(r"<tr>(.*?)</tr>", table) if "<td" in row]
            for table in re.findall(r"<table[^>]*>(.*?)</table>", html)]


def _cells(html: str) -> list[list[str]]:
    """The body rows of every table of a page."""
    return [row for table in _tables(html) for row in table]


def test_the_grant_maxima_are_those_of_the_configuration(ranks):
    assert ranks.groupby("grant")["max_points"].unique().map(list).to_dict() == {"promotion": [700], "support": [400]}


def test_each_grant_splits_its_municipal_budget_exactly(ranks, year_2099):
    assert ranks.groupby("grant")["amount_thousand_yen"].sum().astype(int).to_dict() == MUNICIPAL_BUDGETS
    nation = next(row for row in _cells(_page(year_2099, "municipal")) if row[0] == "全国")
    assert nation[4] == f"{MUNICIPAL_BUDGETS['promotion']:,}" and nation[7] == f"{MUNICIPAL_BUDGETS['support']:,}"
    assert nation[8] == f"{sum(MUNICIPAL_BUDGETS.values()):,}" and nation[1] == f"{len(ranks) // 2:,}"


@pytest.mark.parametrize("code", ["S31001", "S31002", "S31019"])
def test_a_municipal_page_shows_both_grants_their_ranks_amounts_and_their_sum(year_2099, ranks, code):
    html = _page(year_2099, f"municipal/31/{code}")
    own = ranks[ranks.muni_code == code].set_index("grant")
    assert list(own.index) == ["promotion", "support"]
    tables = _tables(html)
    rows = {row[0]: row for row in tables[0]}                  # the first table: each grant and both side by side
    for grant, r in own.iterrows():
        assert f"{r.score} / {MAXIMA[grant]}点" in html                      # key figure
        assert rows[LABELS[grant]] == [
            LABELS[grant], str(r.score), str(MAXIMA[grant]), f"{100 * r.score_rate:.1f}%",
            f"{r.rank_in_prefecture} / {r.n_in_prefecture}", f"{r.rank_national} / {r.n_national}",
            f"{r.rank_in_size_class} / {r.n_in_size_class}（{r.size_class}）", f"{int(r.amount_thousand_yen):,}",
            f"{1000 * r.amount_thousand_yen / r.first_insured:,.1f}"]
        assert f"区分別の得点率（{LABELS[grant]}）" in html and f"鳥取県の市町村の合計点（{YEAR}年度・{LABELS[grant]}）" in html
    both = int(own["amount_thousand_yen"].sum())
    first = int(own["first_insured"].iloc[0])
    assert rows["計"][-2:] == [f"{both:,}", f"{1000 * both / first:,.1f}"]
    assert f"{both:,}千円" in html and "市町村分交付額（推進・支援の計）" in html
    bundle = json.loads((year_2099 / "data" / "processed" / "municipal" / "31" / f"{code}.json").read_text(encoding="utf-8"))
    assert bundle["combined"]["amount_thousand_yen"] == sum(g["total"]["amount_thousand_yen"] for g in bundle["grants"]) == both
    # peers: the same municipalities, with both grants' scores
    peers = tables[-1]
    assert len(peers) == 6 and peers[0][0] == bundle["muni_name"] and [p[0] for p in peers[1:]] == [p["muni_name"] for p in bundle["peers"]]
    assert [peers[0][3], peers[0][6]] == [str(own.at["promotion", "score"]), str(own.at["support", "score"])]


def test_the_penalty_is_stated_for_the_grant_with_the_penalty_item_only(year_2099, ranks):
    page = _page(year_2099, "municipal/31/S31001")
    assert "都道府県分（推進）の評価指標 III-② が-5点になります" in page and page.count('class="strip-line"') == 1
    assert "都道府県分（支援）" not in page and "支援の得点率" not in page
    index = _page(year_2099, "municipal/31/index")
    assert "<th>得点率35%以下（推進）</th>" in index and "（支援）</th>" not in index
    national = _page(year_2099, "municipal")
    assert "（都道府県分（推進） III-② −5点）" in national and "都道府県分（支援）" not in national
    assert "得点率35%以下の市町村（推進）" in national and "得点率35%以下の市町村（支援）" not in national
    scores = pd.read_csv(year_2099 / "data" / "processed" / "municipal_scores.csv", dtype={"pref_code": str})
    total = scores[(scores.fiscal_year == YEAR) & (scores.category == "TOTAL")]
    listed = {row[1] for row in _cells(national) if len(row) == 6 and re.fullmatch(r"S\d{5}", row[1])}
    promotion = set(total[(total.grant == "promotion") & total.penalty_level.astype(bool)].muni_code)
    support = total[total.grant == "support"]
    low = set(support.loc[support.score_rate <= THRESHOLD, "muni_code"])
    assert listed == promotion and len(promotion) > 0 and low - promotion          # 支援's low scorers are not listed
    assert (total.loc[total.muni_code.isin(promotion) & (total.grant == "promotion"), "score_rate"] <= THRESHOLD).all()
    assert support.penalty_level.isna().all()        # no penalty rule for 支援: blank, never False
    profile = _page(year_2099, "profile_31_support")
    assert "得点率35%以下の市町村" not in profile and "得点率35%以下の市町村" in _page(year_2099, "profile_31")


def test_the_index_lists_every_municipality_with_both_grants(year_2099, ranks):
    html = _page(year_2099, "municipal/31/index")
    mine = ranks[ranks.pref_code == PAGES_OF[0]]
    assert mine.muni_code.nunique() == 19
    rows = [row for row in _cells(html) if re.fullmatch(r"S31\d{3}", row[0])]
    assert sorted((row[0], row[2]) for row in rows) == sorted((c, LABELS[g]) for c, g in zip(mine.muni_code, mine.grant))
    got = {(row[0], row[2]): row for row in rows}
    for r in mine.itertuples():
        row = got[(r.muni_code, LABELS[r.grant])]
        assert row[3:6] == [str(r.score), f"{100 * r.score_rate:.1f}%", f"{r.rank_in_prefecture} / {r.n_in_prefecture}"]
        assert row[7] == f"{int(r.amount_thousand_yen):,}"
    both = mine.groupby("muni_code")["amount_thousand_yen"].sum()
    assert {row[0]: row[8] for row in rows if row[2] == "推進"} == {c: f"{int(v):,}" for c, v in both.items()}
    assert sorted(set(re.findall(r'href="(S31\d{3})\.html"', html))) == sorted(mine.muni_code.unique())


def test_the_national_municipal_page_shows_both_grants(year_2099, ranks):
    html = _page(year_2099, "municipal")
    assert f"市町村版：{YEAR}年度 都道府県別市町村得点（推進・支援）" in html
    for grant, label in LABELS.items():
        assert f"満点（{label}）" in html and f"{MAXIMA[grant]}点" in html
        assert f'alt="{YEAR}年度 都道府県別市町村得点（{label}・満点{MAXIMA[grant]}点）。' in html
        assert f'alt="{YEAR}年度 都道府県内の市町村得点の分布（{label}）。' in html
    tottori = next(row for row in _cells(html) if row[0] == "鳥取県")
    mine = ranks[ranks.pref_code == "31"].groupby("grant")
    amounts = mine["amount_thousand_yen"].sum().astype(int)
    assert tottori[1] == "19" and [tottori[4], tottori[7], tottori[8]] == [
        f"{amounts['promotion']:,}", f"{amounts['support']:,}", f"{amounts.sum():,}"]
    assert [tottori[2], tottori[5]] == [f"{mine['score'].mean()[g]:.1f}" for g in ("promotion", "support")]
    assert "推進 約200億円・支援 約150億円" in html


def test_a_profile_is_found_by_its_grant_name_and_a_grant_the_year_does_not_score_is_refused(year_2099, built):
    from kofukin.pages import profile
    first = profile.load(YEAR, "31", None, year_2099)
    assert profile.load(YEAR, "31", "promotion", year_2099) == first and first["grant"] == "promotion"
    assert profile.load(YEAR, "31", "support", year_2099)["grant"] == "support"
    with pytest.raises(ValueError, match="not support"):
        profile.load(2019, "31", "support", built["_dir"].parents[1])
