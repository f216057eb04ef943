"""Two grants (issue 17): FY2023 is a municipal-only year scored for 推進 (promotion) and 支援 (support),
its synthetic results reproducing the eight published national averages; grants come from configuration."""

import hashlib

import pandas as pd
import pytest
import yaml

from kofukin.make.data import build
from kofukin.make.pages import national_pages
from kofukin.make.render import build_page
from kofukin.model.config import load_config
from kofukin.model.errors import KofukinDataError
from kofukin.model.schemas import read_table
from tests.conftest import copy_project

# shared/reference/municipal_score_structure_by_year.csv (S2): national municipal averages of FY2023
PUBLISHED_2023 = {("promotion", "I"): 84.18, ("promotion", "II"): 557.58, ("promotion", "III"): 101.18,
                  ("promotion", "TOTAL"): 742.94, ("support", "I"): 19.93, ("support", "II"): 376.28,
                  ("support", "III"): 16.71, ("support", "TOTAL"): 412.92}
MAXIMA_2023 = {"promotion": 1355, "support": 830}


def test_fy2023_reproduces_the_eight_published_averages(built):
    m = built["municipal_scores"]
    got = m[m.fiscal_year == 2023].groupby(["grant", "category"])["score"].mean().round(2).to_dict()
    assert got == PUBLISHED_2023
    totals = m[(m.fiscal_year == 2023) & (m.category == "TOTAL")]
    assert totals.groupby("grant")["max_points"].unique().map(list).to_dict() == {g: [v] for g, v in MAXIMA_2023.items()}
    assert totals.groupby("grant").size().to_dict() == {"promotion": 1741, "support": 1741}
    assert bool(totals.synthetic.all())
    assert totals.penalty_level.isna().all()          # no FY2023 penalty rule: blank, never False
    assert m.loc[m.fiscal_year == 2019, "penalty_level"].notna().all()


def test_the_published_averages_are_checked_in_source_consistency(built):
    c = built["source_consistency"]
    rows = c[c.scope.str.startswith("2023 municipal") & (c.check == "mean_vs_published_average")]
    assert len(rows) == 8 and bool(rows.consistent.all()) and rows.difference.abs().max() < 0.005


def test_fy2023_results_follow_fy2019_and_each_other(built):
    m = built["municipal_scores"]
    rates = m[m.category == "TOTAL"].pivot_table(index="muni_code", columns=["fiscal_year", "grant"], values="score_rate")
    corr = rates.corr()
    assert corr.loc[(2023, "promotion"), (2023, "support")] > 0.5
    assert corr.loc[(2019, "promotion"), (2023, "promotion")] > 0.5 and corr.loc[(2019, "promotion"), (2023, "support")] > 0.5


# md5 of each processed table as built before the grant dimension (commit 2941abf, FY2018/FY2019 only), read
# as text and written back without index: FY2018/FY2019 rows must stay exactly these, less the grant column.
BEFORE_GRANTS = {
    "budget_frame": "77188ce8f68c74a8571b8c4777c477b1", "inputs/municipal_category_results": "7d31b2cd0983e5d4b94b8ac35269a4b2",
    "inputs/municipalities": "d8fe9293e155294a4349b13c305cc489", "inputs/prefecture_item_results": "2963be974a3685e6fbb2a80de23e8c90",
    "inputs/prefecture_requests": "9787075b1d80c81f841ef9ea81e23100", "inputs/prefecture_total_results": "76eebb6b5ea56abccc794f4cc7bc29cf",
    "municipal_allocation": "8ce9a5a391810d85911bded6c01da30a", "municipal_category_stakes": "61c14387e8cd4ff33eb59245722648c1",
    "municipal_ranks": "466911ab8e6c217a8a205b24920542c2", "municipal_scores": "6f1773926ac40b8255e9009f3d0284ee",
    "prefecture_allocation": "617d356b7018a1e45474ae0d80f28d21", "prefecture_category_stakes": "c1f1e881985fbf5247af5bebef3c1a3a",
    "prefecture_frame": "90774511f8aebbed7892e8ed25c56050", "prefecture_item_scores": "04260edad6906401c4ee35dde7cfb0af",
    "prefecture_item_stakes": "aa3bc7be3bd89224e68c48f3457edf4b", "prefecture_scores": "e8c5264492c426e9c304b6b335a9602b",
}


@pytest.mark.parametrize("table", list(BEFORE_GRANTS))
def test_fy2018_fy2019_outputs_are_unchanged_but_for_the_grant_column(built, table):
    df = pd.read_csv(built["_dir"] / f"{table}.csv", dtype=str, keep_default_na=False)
    if "fiscal_year" in df:
        df = df[df.fiscal_year.isin(["2018", "2019"])]
    if "grant" in df and table not in ("budget_frame", "prefecture_frame"):
        assert set(df["grant"]) == {"promotion"}
        df = df.drop(columns="grant")
    assert hashlib.md5(df.to_csv(index=False).encode()).hexdigest() == BEFORE_GRANTS[table]


def test_fy2019_rows_are_of_the_promotion_grant_only(built):
    for name in ("municipal_scores", "municipal_ranks", "municipal_allocation", "municipal_category_stakes"):
        t = built[name]
        assert t.loc[t.fiscal_year.isin([2018, 2019]), "grant"].unique().tolist() == ["promotion"], name


def test_each_grant_is_ranked_and_its_budget_split_exactly(built):
    r = built["municipal_ranks"]
    y23 = r[r.fiscal_year == 2023]
    assert y23.groupby("grant")["amount_thousand_yen"].sum().to_dict() == {"promotion": 19_000_000, "support": 19_000_000}
    assert y23.groupby("grant")["rank_national"].min().to_dict() == {"promotion": 1, "support": 1}
    best = y23.loc[y23.groupby("grant")["score"].idxmax()]
    assert best["rank_national"].tolist() == [1, 1]
    # each grant ranks its own scores: a municipality's two ranks differ somewhere
    wide = y23.pivot(index="muni_code", columns="grant", values="rank_national")
    assert (wide["promotion"] != wide["support"]).any()


def _config_with(tmp_path, edit) -> dict:
    where = copy_project(tmp_path)
    cfg = yaml.safe_load(where["config"].read_text(encoding="utf-8"))
    edit(cfg)
    where["config"].write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return where


@pytest.mark.parametrize("edit, key", [
    (lambda c: c["years"][2023]["municipal_budget_thousand_yen"].pop("support"),
     "years.2023.municipal_budget_thousand_yen.support"),
    (lambda c: c["years"][2023].update(grants=["promotion", "bonus"]), "years.2023.grants"),
    (lambda c: c["years"][2019].update(grants=["promotion", "support"]), "years.2019.municipal_budget_thousand_yen"),
])
def test_a_grant_without_budget_or_unknown_names_the_file_and_key(tmp_path, edit, key):
    where = _config_with(tmp_path, edit)
    with pytest.raises(KofukinDataError) as err:
        load_config(where["config"])
    assert str(where["config"]) in str(err.value) and f"'{key}" in str(err.value)


def test_a_category_row_of_an_unknown_grant_names_the_file_and_row(tmp_path):
    where = copy_project(tmp_path)
    path = where["raw"] / "catalogue" / "municipal_categories.csv"
    text = path.read_text(encoding="utf-8").replace("2023,support,I,", "2023,bonus,I,")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KofukinDataError) as err:
        read_table("municipal_categories", path)
    row = text.splitlines().index(next(line for line in text.splitlines() if line.startswith("2023,bonus"))) + 1
    assert f"row {row}, field 'grant': value 'bonus'" in str(err.value) and str(path) in str(err.value)


def test_without_fy2023_in_the_configuration_nothing_of_it_is_built(tmp_path):
    where = _config_with(tmp_path, lambda c: c["years"].pop(2023))
    build(**where)
    m = pd.read_csv(where["processed"] / "municipal_scores.csv")
    assert sorted(m.fiscal_year.unique()) == [2018, 2019] and m.grant.unique().tolist() == ["promotion"]
    assert pd.read_csv(where["processed"] / "municipal_frame_pots.csv").empty     # nothing to split the pots by
    assert [p.name for p in national_pages(2019, 2018, 2025)][-1] == "allocation"       # and no page for it


# seed 001: the FY2025 市町村分 pots of each grant (千円)
MUNICIPAL_POTS_2025 = {("promotion", "base"): 7_220_000, ("promotion", "additional"): 1_805_000,
                       ("promotion", "outcome_oriented"): 524_149, ("support", "base"): 18_050_000,
                       ("support", "additional"): 950_000}


def test_fy2025_municipal_pots_are_split_by_fy2023_scores_and_conserved(built):
    pots = built["municipal_frame_pots"].set_index(["grant", "pot"])
    assert pots["amount_thousand_yen"].to_dict() == MUNICIPAL_POTS_2025
    assert (pots["allocated_thousand_yen"] + pots["unallocated_thousand_yen"]).to_dict() == MUNICIPAL_POTS_2025
    amounts = built["municipal_frame"]
    paid = amounts.groupby(["grant", "pot"])["amount_thousand_yen"].sum()
    assert paid.reindex(pots.index, fill_value=0).to_dict() == pots["allocated_thousand_yen"].to_dict()
    # nobody is known to run an outcome-oriented programme: that pot is shown unallocated, not dropped
    assert pots.at[("promotion", "outcome_oriented"), "unallocated_thousand_yen"] == 524_149
    assert pots.at[("promotion", "outcome_oriented"), "eligible"] == 0
    assert set(amounts.fiscal_year) == {2023} and bool(amounts.synthetic.all())
    assert pots.loc[("promotion", "base"), "eligible"] == 1741 and 0 < pots.loc[("support", "additional"), "eligible"] < 1741


def test_the_base_pot_follows_score_times_first_insured(built):
    amounts = built["municipal_frame"]
    base = amounts[(amounts.grant == "support") & (amounts.pot == "base")].set_index("muni_code")["amount_thousand_yen"]
    scores = built["municipal_scores"]
    total = scores[(scores.fiscal_year == 2023) & (scores.grant == "support") & (scores.category == "TOTAL")].set_index("muni_code")["score"]
    munis = built["inputs/municipalities"]
    first = munis[munis.fiscal_year == 2023].set_index("muni_code")["first_insured"]
    exact = 18_050_000 * total * first / (total * first).sum()
    assert (base - exact.reindex(base.index)).abs().max() < 1


def test_listed_outcome_oriented_insurers_share_that_pot(tmp_path):
    listed = ["S13001", "S27001", "S01002"]
    where = _config_with(tmp_path, lambda c: c["allocation"]["municipal_frame"].update(outcome_oriented_municipalities=listed))
    build(**where)
    amounts = pd.read_csv(where["processed"] / "municipal_frame.csv")
    oriented = amounts[amounts.pot == "outcome_oriented"]
    assert sorted(oriented.muni_code) == sorted(listed) and oriented.amount_thousand_yen.sum() == 524_149
    pots = pd.read_csv(where["processed"] / "municipal_frame_pots.csv")
    assert pots.unallocated_thousand_yen.sum() == 0


def test_the_frame_page_states_pots_rules_unallocated_and_synthetic(built, tmp_path):
    processed = built["_dir"]
    page = national_pages(2019, 2018, 2025, 2023)[-1]
    build_page(str(page.source), {**page.parameters, "project_dir": str(processed.parents[1])}, str(tmp_path / "p.html"),
               str(tmp_path / "p.ipynb"), page.title, str(processed / "vintage.json"), [], "test", page.shows, page.years)
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "令和7年度 市町村分の配分枠：2023年度の得点による試算（推進・支援）" in html
    assert html.count("<strong>合成データ</strong>") == 2 and html.count("※ 合成データです") == 3
    assert "524,149千円は未配分" in html and "1,741市町村を単位" in html and "7,220,000" in html and "18,050,000" in html
    assert '<img src="data:image/png;base64,' in html and 'alt="令和7年度 市町村分の配分額の分布（2023年度の得点による試算）。第1号被保険者1人あたり配分額：' in html


def test_the_municipal_comparison_page_compares_rates_and_states_the_new_maxima(built, tmp_path):
    processed = built["_dir"]
    page = next(p for p in national_pages(2019, 2018, 2025, 2023) if p.name == "municipal_yoy")
    build_page(str(page.source), {**page.parameters, "project_dir": str(processed.parents[1])}, str(tmp_path / "p.html"),
               str(tmp_path / "p.ipynb"), page.title, str(processed / "vintage.json"), [], "test", page.shows, page.years)
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "満点は2019年度の692点（推進のみ）から、2023年度は推進1,355点・支援830点に変わり" in html
    for published in ("428.6", "742.94", "412.92", "84.18", "16.71"):
        assert f">{published}<" in html, published
    assert ">54.8%<" in html and ">49.7%<" in html            # 742.94 / 1,355 and 412.92 / 830
    assert html.count("<strong>合成データ</strong>") == 2 and html.count("※ 合成データです") == 2
    assert "※ 満点と全国平均（公表）は公表値です。得点率は合成データです" in html       # published figures not called synthetic
    assert "相関係数" not in html          # the generator's calibration is not a finding


def test_a_listed_code_that_is_no_municipality_names_the_configuration_key(tmp_path):
    where = _config_with(tmp_path, lambda c: c["allocation"]["municipal_frame"].update(outcome_oriented_municipalities=["999999"]))
    with pytest.raises(KofukinDataError) as err:
        build(**where)
    assert str(where["config"]) in str(err.value)
    assert "allocation.municipal_frame.outcome_oriented_municipalities: ['999999'] are not municipalities of 2023" in str(err.value)
