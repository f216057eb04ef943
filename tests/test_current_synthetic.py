"""The current structure (FY2024+): synthetic stand-ins meet every published figure of the shipped reference
(data/raw/catalogue/municipal_current_branches.csv, data/raw/published/current_national_figures.csv)."""

import numpy as np
import pandas as pd
import pytest

from kofukin.model import paths
from kofukin.model.config import load_config
from kofukin.model.current import branch_rates, score_year
from kofukin.model.current_catalogue import published_branches, published_subtotals, read_figures, read_reference
from kofukin.model.current_synthetic import synthetic_years

YEARS = [2024, 2025, 2026]


@pytest.fixture(scope="module")
def cfg():
    return load_config(paths.CONFIG)


@pytest.fixture(scope="module")
def results(cfg):
    return synthetic_years(cfg)


@pytest.fixture(scope="module")
def scores(cfg, results):
    return {y: score_year(r, cfg) for y, r in results.items()}


@pytest.fixture(scope="module")
def reference(cfg):
    return read_reference(cfg)


def _total(scores):
    return scores[scores["level"] == "total"].set_index("muni_code")["score"]


@pytest.mark.parametrize("year", YEARS)
def test_exactly_the_published_number_of_municipalities_scores_each_branch(results, reference, year):
    pub = published_branches(reference, year).set_index(["grant", "branch_id"])
    got = branch_rates(results[year]).set_index(["grant", "branch_id"])
    assert (got["n_scoring"] == pub["municipalities_scoring"].astype(int)).all()
    assert np.abs(got["national_mean"] - pub["national_mean"]).max() < 0.01


@pytest.mark.parametrize("year", YEARS)
def test_goal_grant_and_total_means_are_the_published_ones(scores, reference, year):
    s = scores[year]
    sub = published_subtotals(reference, year)
    for row in sub.itertuples():
        if row.grant == "total":
            got = _total(s).mean()
            assert abs(got - row.national_mean) < 0.05
            continue
        level = "grant" if pd.isna(row.goal) else ("goal" if pd.isna(row.group) else "group")
        mask = (s["grant"] == row.grant) & (s["level"] == level)
        if level != "grant":
            mask &= s["goal"] == row.goal
        if level == "group":
            mask &= s["group"] == row.group
        assert abs(s.loc[mask, "score"].mean() - row.national_mean) < 0.1, row


@pytest.mark.parametrize("year", YEARS)
def test_total_sd_within_10_percent_and_median_within_5_points(scores, reference, year):
    total = published_subtotals(reference, year).query("grant == 'total'").iloc[0]
    t = _total(scores[year])
    assert abs(t.std(ddof=0) / total["sd"] - 1) < 0.10
    assert abs(t.median() - total["national_median"]) <= 5


def test_fy2026_means_by_size_class_and_kaso_within_2_points(cfg, results, scores):
    figures = read_figures(cfg)
    fig = figures[figures["fiscal_year"] == 2026].set_index(["metric", "subset"])["value"]
    t = _total(scores[2026])
    munis = results[2026].municipalities.set_index("muni_code").reindex(t.index)
    by_class = t.groupby(munis["size_class"].astype(int)).mean()
    for k in range(1, 6):
        assert abs(by_class[k] - fig[("mean_by_size_class", str(k))]) < 2, k
    kaso = munis["kaso"].astype(bool)
    assert kaso.sum() == fig[("municipalities_by_kaso", "kaso")]
    assert abs(t[kaso].mean() - fig[("mean_by_kaso", "kaso")]) < 2
    assert abs(t[~kaso].mean() - fig[("mean_by_kaso", "not_kaso")]) < 2


@pytest.mark.parametrize("year", YEARS)
def test_unions_are_the_published_numbers_and_members_have_no_insurer_number(cfg, results, year):
    figures = read_figures(cfg).query("fiscal_year == @year").set_index("metric")["value"]
    r = results[year]
    assert len(r.unions) == figures["unions"] and r.unions["members"].sum() == figures["union_members"]
    members = r.municipalities["union_no"].notna()
    assert members.sum() == figures["union_members"]
    assert r.municipalities.loc[members, "insurer_no"].isna().all()
    assert r.municipalities.loc[~members, "insurer_no"].str.len().eq(5 if year == 2024 else 6).all()


def test_goals_correlate_and_years_correlate(scores):
    s = scores[2026]
    goals = s[s["level"] == "goal"].pivot_table(index="muni_code", columns=["grant", "goal"], values="score")
    corr = goals.corr().to_numpy()
    assert corr[np.triu_indices_from(corr, 1)].mean() > 0.2
    assert _total(scores[2025]).corr(_total(scores[2026])) > 0.6


def test_rank_band_branches_are_nested_and_goal_iv_alternatives_exclusive(results):
    r = results[2026].scores
    wide = r[r["grant"] == "promotion"].pivot(index="muni_code", columns="branch_id", values="points") > 0
    for top, lower in (("II(ii)1エ", "II(ii)1ウ"), ("II(ii)1ウ", "II(ii)1イ"), ("IV2エ", "IV2ア"), ("IV1ア④", "IV1ア①")):
        assert (wide[lower] | ~wide[top]).all(), (top, lower)
    assert not (wide["IV1ア①"] & wide["IV1イ①"]).any()


def test_goal_iv_counts_in_both_grants_and_the_total_is_their_sum(scores):
    s = scores[2026]
    goal = s[s["level"] == "goal"].pivot_table(index="muni_code", columns=["grant", "goal"], values="score")
    assert (goal[("promotion", "IV")] == goal[("support", "IV")]).all()
    top = s[s["level"].isin(["grant", "total"])].pivot_table(index="muni_code", columns="grant", values="score")
    assert (top["promotion"] + top["support"] == top["total"]).all()
    assert s.loc[s["level"] == "total", "max_points"].eq(800).all()


def test_ranks_share_the_best_rank_and_run_over_1741(scores):
    s = scores[2026]
    t = s[s["level"] == "total"]
    assert t["rank_national"].min() == 1 and t["rank_national"].max() <= 1741
    tied = t.groupby("score")["rank_national"].nunique()
    assert (tied == 1).all()
    best = t.loc[t["score"] == t["score"].max(), "rank_national"]
    assert (best == 1).all()
    assert t.groupby("pref_code")["rank_in_prefecture"].min().eq(1).all()


def test_the_synthetic_years_are_deterministic(cfg, results):
    again = synthetic_years(cfg, [2025])[2025]
    pd.testing.assert_frame_equal(again.scores, results[2025].scores)
