"""Two grants (issue 17): FY2023 is a municipal-only year scored for 推進 (promotion) and 支援 (support),
its synthetic results reproducing the eight published national averages; grants come from configuration."""

import pandas as pd
import pytest
import yaml

from kofukin.build.data import build
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
