"""The built tables: contract, back test against the published aggregates, honesty flags, safety."""

import json
import os

import pandas as pd
import pytest

from conftest import GROUND_TRUTH, copy_project, write_result_files
from kofukin.model import io as kofukin_io
from kofukin.model.errors import KofukinDataError
from kofukin.make.data import build
from kofukin.make.render import synthetic_shown
from kofukin.make.pages import national_pages

CONTRACT = {
    "prefecture_item_scores": ["fiscal_year", "grant", "pref_code", "category", "item", "points", "max_points"],
    "prefecture_scores": ["fiscal_year", "grant", "pref_code", "pref_name", "category", "score", "max_points", "score_rate", "rank"],
    "municipal_scores": ["fiscal_year", "grant", "muni_code", "pref_code", "category", "score", "max_points", "score_rate"],
    "prefecture_allocation": ["fiscal_year", "grant", "pref_code", "amount_thousand_yen"],
    "budget_frame": ["grant", "level", "pot", "amount_thousand_yen"],
    "source_consistency": ["check", "scope", "published", "computed", "difference"],
}


@pytest.mark.parametrize("table, columns", CONTRACT.items())
def test_processed_tables_have_the_contract_columns(built, table, columns):
    assert built[table].columns[: len(columns)].tolist() == columns


def test_item_scores_cover_47_prefectures_and_73_items(built):
    items = built["prefecture_item_scores"]
    assert len(items) == 47 * 73 and items["pref_code"].nunique() == 47


def test_every_item_mean_rounds_to_the_published_average(built):
    items = pd.read_csv(built["_dir"].parents[1] / "data" / "raw" / "catalogue" / "prefecture_2019_items.csv")
    means = built["prefecture_item_scores"].groupby("item")["points"].mean()
    for row in items.itertuples():
        digits = 2 if row.item == "III-②" else 1
        assert round(means[row.item], digits) == pytest.approx(row.national_average), row.item


def test_category_means_match_the_seed_except_where_the_seed_contradicts_itself(built, ground_truth):
    scores = built["prefecture_scores"]
    means = scores[scores.fiscal_year == 2019].groupby("category")["score"].mean()
    truth = ground_truth[(ground_truth.fiscal_year == 2019) & (ground_truth.level == "prefecture")]
    off = {r.category for r in truth.itertuples() if round(means[r.category], 1) != pytest.approx(r.national_average)}
    assert off == {"II-5", "TOTAL"}
    assert means["II-5"] == pytest.approx(3989 / 47)         # the items' own averages sum to 84.9
    assert means["TOTAL"] == pytest.approx(584.3 - 86.9 + 3989 / 47, abs=0.06)


def test_municipal_means_match_the_seed(built, ground_truth):
    muni = built["municipal_scores"]
    for row in ground_truth[ground_truth.level == "municipal"].itertuples():
        mean = muni[(muni.fiscal_year == row.fiscal_year) & (muni.category == row.category)]["score"].mean()
        digits = 0 if row.fiscal_year == 2018 else 1
        assert round(mean, digits) == pytest.approx(row.national_average), (row.fiscal_year, row.category)
    assert muni[muni.category == "TOTAL"].groupby(["fiscal_year", "grant"])["muni_code"].nunique().to_dict() == {
        (2018, "promotion"): 1741, (2019, "promotion"): 1741, (2023, "promotion"): 1741, (2023, "support"): 1741}


def test_municipalities_per_prefecture_are_the_real_counts(built):
    munis = built["inputs/municipalities"]
    per_year = munis.groupby(["fiscal_year", "pref_code"]).size()
    assert per_year[(2018, "01")] == per_year[(2019, "01")] == 179 and per_year[(2019, "13")] == 62
    assert munis["muni_code"].str.match(r"^S\d{5}$").all() and munis["muni_name"].str.startswith("合成市町村").all()


def test_fy2018_prefecture_facts(built):
    tot = built["prefecture_scores"]
    tot = tot[(tot.fiscal_year == 2018) & (tot.category == "TOTAL")].set_index("pref_code")
    assert round(tot["score"].mean()) == 638 and tot["max_points"].eq(730).all()
    assert tot.loc["13", "score"] == 730 and tot.loc["27", "score"] == 730
    assert tot["score"].idxmin() == "12" and tot["score"].min() == 425 and (tot["score"] == 425).sum() == 1


def test_fy2018_municipal_prefecture_averages(built):
    muni = built["municipal_scores"]
    avg = muni[(muni.fiscal_year == 2018) & (muni.category == "TOTAL")].groupby("pref_code")["score"].mean()
    assert avg.idxmax() == "44" and round(avg["44"], 1) == 509.8
    assert avg.idxmin() == "08" and round(avg["08"], 1) == 314.5


@pytest.mark.parametrize("year, munis, prefs", [(2018, 31, 8), (2019, 22, 4)])
def test_penalty_level_municipalities(built, year, munis, prefs):
    muni = built["municipal_scores"]
    flagged = muni[(muni.fiscal_year == year) & (muni.category == "TOTAL") & muni.penalty_level]
    assert len(flagged) == munis and flagged["pref_code"].nunique() == prefs
    assert (flagged["score_rate"] <= 0.30).all()


def test_the_same_four_prefectures_carry_the_minus_ten(built):
    muni = built["municipal_scores"]
    flagged = set(muni[(muni.fiscal_year == 2019) & muni.penalty_level]["pref_code"])
    items = built["prefecture_item_scores"]
    penalised = items[(items.item == "III-②") & (items.points == -10)]
    assert set(penalised["pref_code"]) == flagged
    assert round(items[items.item == "III-②"]["points"].mean(), 2) == -0.85


def test_allocation_spends_at_most_the_budget_and_caps_bind_somewhere(built):
    alloc = built["prefecture_allocation"]
    assert alloc["share_thousand_yen"].sum() == 1_000_000
    assert alloc["amount_thousand_yen"].sum() <= 1_000_000
    assert (alloc["amount_thousand_yen"] == alloc[["share_thousand_yen", "cap_thousand_yen"]].min(axis=1)).all()
    assert 0 < alloc["capped"].sum() < 47


def test_every_table_built_from_synthetic_inputs_says_so(built):
    for name, df in built.items():
        if name != "_dir" and "synthetic" in getattr(df, "columns", []):
            assert df["synthetic"].all(), name
    assert "synthetic" not in built["budget_frame"].columns


def test_consistency_report_finds_the_seeds_contradiction(built):
    checks = built["source_consistency"]
    seed = checks[checks.check.isin(["item_average_sum_vs_category_average", "item_max_sum_vs_category_max",
                                      "average_over_max_vs_score_rate", "category_average_sum_vs_total",
                                      "pots_vs_budget", "pots_vs_published_total", "penalty_average_vs_count"])]
    assert len(seed) >= 40
    assert seed[~seed.consistent]["scope"].tolist() == ["2019 prefecture II-5"]
    row = seed[~seed.consistent].iloc[0]
    assert (row.published, row.computed) == (86.9, 84.9)


def test_seed_findings_are_reproduced_and_checked(built):
    """Seed 000 p.2: 9 of the top 10 in the outcome indicators rose in total rank; the spread did not widen."""
    truth = pd.read_csv(GROUND_TRUTH.with_name("published_findings.csv")).set_index("finding")["value"]
    total = built["prefecture_scores"].query("category == 'TOTAL'")
    rank = total.pivot(index="pref_code", columns="fiscal_year", values="rank")
    score = total.pivot(index="pref_code", columns="fiscal_year", values="score")[2019]
    items = built["prefecture_item_scores"]
    outcome = items[items["item"].isin(["III-③", "III-④", "III-⑤", "III-⑥"])].groupby("pref_code")["points"].sum()
    ten = sorted(outcome.index, key=lambda code: (-outcome[code], -score[code], code))[:10]
    assert (rank.loc[ten, 2019] < rank.loc[ten, 2018]).sum() == truth["outcome_top10_rank_up"]
    rates = total.pivot(index="pref_code", columns="fiscal_year", values="score_rate")
    assert (rates[2019].std() > rates[2018].std()) == bool(truth["score_spread_widened"])
    checks = built["source_consistency"].set_index("check")
    assert checks.loc["outcome_top_rank_up", "computed"] == truth["outcome_top10_rank_up"]
    assert checks.loc["score_spread_change", "computed"] == pytest.approx(100 * (rates[2019].std() - rates[2018].std()), abs=1e-4)
    assert checks.loc[["outcome_top_rank_up", "score_spread_change"], "consistent"].all()


def test_two_builds_are_byte_identical(built, tmp_path):
    again = copy_project(tmp_path)
    build(**again)
    for path in sorted(built["_dir"].rglob("*.csv")) + [built["_dir"] / "manifest.json"]:
        twin = again["processed"] / path.relative_to(built["_dir"])
        assert path.read_bytes() == twin.read_bytes(), path.name


def test_bad_raw_file_names_file_row_and_field_and_writes_nothing(tmp_path):
    where = copy_project(tmp_path)
    build(**where)
    before = {p: p.read_bytes() for p in where["processed"].rglob("*") if p.is_file()}
    items = where["raw"] / "catalogue" / "prefecture_2019_items.csv"
    text = items.read_text(encoding="utf-8").replace("II-1,II-1-イ,市町村へのアドバイザー派遣事業,11,5.6",
                                                     "II-1,II-1-イ,市町村へのアドバイザー派遣事業,-11,5.6")
    items.write_text(text, encoding="utf-8")
    with pytest.raises(KofukinDataError) as err:
        build(**where)
    assert "prefecture_2019_items.csv" in str(err.value)
    assert "row 9, field 'max_points': value -11 fails greater_than_or_equal_to(0)" in str(err.value)
    after = {p: p.read_bytes() for p in where["processed"].rglob("*") if p.is_file()}
    assert after == before


def _inputs(built) -> dict[str, pd.DataFrame]:
    return {name.split("/")[1]: built[name] for name in built if name.startswith("inputs/")}


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_real_results_replace_synthetic_ones_without_code_change(built, tmp_path, xlsx):
    """The synthetic inputs written back as an analyst's result files (CSV or Excel) rebuild the same
    figures, now flagged real in every table, bundle and page."""
    where = copy_project(tmp_path)
    write_result_files(_inputs(built), where["raw"] / "results", years=(2018, 2019), xlsx=xlsx)
    build(**where)
    for name in ["prefecture_scores", "prefecture_item_scores", "municipal_scores", "prefecture_allocation", "prefecture_item_stakes"]:
        real = pd.read_csv(where["processed"] / f"{name}.csv", dtype={"pref_code": str})
        given = real.fiscal_year.isin([2018, 2019])
        assert not real.loc[given, "synthetic"].any() and real.loc[~given, "synthetic"].all(), name
        before = built[name][built[name].fiscal_year.isin([2018, 2019])].reset_index(drop=True)
        pd.testing.assert_frame_equal(real[given].reset_index(drop=True).drop(columns="synthetic"),
                                      before.drop(columns="synthetic"), obj=name)
    vintage = json.loads((where["processed"] / "vintage.json").read_text(encoding="utf-8"))
    assert {table: years for table, years in vintage["synthetic"].items() if years} == {   # FY2023 is not given: still synthetic
        table: [2023] for table in ("inputs/municipalities", "inputs/municipal_category_results", "municipal_scores", "municipal_ranks",
                                    "municipal_frame", "municipal_frame_pots")}
    assert not any(synthetic_shown(where["processed"] / "profiles" / f"{code:02d}.json", [], [2018, 2019]) for code in range(1, 48))


def test_the_notice_stays_on_exactly_the_pages_that_still_use_synthetic_data(built, tmp_path):
    """Real FY2019 prefecture items and municipal results, synthetic requests and FY2018 totals."""
    where = copy_project(tmp_path)
    inputs = _inputs(built)
    write_result_files(inputs, where["raw"] / "results", years=(2018, 2019))
    for stale in ["requests_2019.csv", "prefecture_totals_2018.csv"]:
        (where["raw"] / "results" / stale).unlink()
    build(**where)
    flags = {p.name: synthetic_shown(where["processed"] / "vintage.json", p.shows, p.years) for p in national_pages(2019, 2018, 2025)}
    assert flags == {"national": [2018, 2019], "items": [], "municipal": [], "yoy": [2018], "allocation": [2019]}


def test_a_bad_result_file_stops_the_build_before_anything_is_written(built, tmp_path):
    where = copy_project(tmp_path)
    build(**where)
    before = {p: p.read_bytes() for p in where["processed"].rglob("*") if p.is_file()}
    files = write_result_files(_inputs(built), where["raw"] / "results", years=(2018, 2019))
    requests = next(f for f in files if f.name == "requests_2019.csv")
    requests.write_text(requests.read_text(encoding="utf-8").replace("2019,13,", "2019,13,-"), encoding="utf-8")
    with pytest.raises(KofukinDataError) as err:
        build(**where)
    assert "requests_2019.csv, row 14, column 所要見込額（千円）: '-" in str(err.value)
    assert {p: p.read_bytes() for p in where["processed"].rglob("*") if p.is_file()} == before


def test_a_build_that_fails_while_writing_leaves_the_previous_outputs(tmp_path, monkeypatch):
    where = copy_project(tmp_path)
    build(**where)
    before = {p: p.read_bytes() for p in where["processed"].rglob("*") if p.is_file()}
    (where["config"]).write_text(where["config"].read_text(encoding="utf-8").replace("seed: 20190927", "seed: 1"),
                                 encoding="utf-8")
    calls, chmod = [], os.chmod

    def failing_chmod(path, mode):
        calls.append(path)
        if len(calls) == 20:
            raise OSError(28, "No space left on device")
        chmod(path, mode)

    monkeypatch.setattr(kofukin_io.os, "chmod", failing_chmod)
    with pytest.raises(OSError, match="No space left"):
        build(**where)
    assert len(calls) == 20                       # 19 new files staged, none renamed over the old ones
    assert {p: p.read_bytes() for p in where["processed"].rglob("*") if p.is_file()} == before


def test_frame_split_by_fy2019_scores_pays_every_pot_to_the_thousand_yen(built):
    frame = built["prefecture_frame"]
    sums = frame.groupby(["grant", "pot"])["amount_thousand_yen"].sum().to_dict()
    assert sums == {("promotion", "base"): 380_000, ("promotion", "additional"): 95_000,
                    ("promotion", "outcome_oriented"): 27_586, ("support", "base"): 950_000, ("support", "additional"): 50_000}
    paid = frame[frame.amount_thousand_yen > 0].groupby(["grant", "pot"]).size()
    assert paid[("promotion", "base")] == 47 and paid[("promotion", "outcome_oriented")] < paid[("promotion", "additional")] < 47
