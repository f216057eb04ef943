"""A new current-structure year (FY2027 here, a plainly invented copy of FY2026's statistics) is data only:
its rows in the catalogue CSV and an entry under ``current.years`` — no code changes."""

import shutil

import pandas as pd

from kofukin.model import paths
from kofukin.model.config import load_config
from kofukin.model.current_tables import current_tables


def test_fy2027_added_as_data_is_scored_allocated_and_synthetic(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    cfg = load_config(paths.CONFIG)
    catalogue = raw / cfg["current"]["catalogue"]
    rows = pd.read_csv(catalogue, dtype=str, keep_default_na=False)
    new = rows[rows["fiscal_year"] == "2026"].assign(fiscal_year="2027")
    new.loc[new["column_letter"] == "O", "municipalities_scoring"] = "1700"      # one branch moved
    new.loc[new["column_letter"] == "O", "national_mean"] = str(4 * 1700 / 1741)
    pd.concat([rows, new]).to_csv(catalogue, index=False)
    cfg["current"]["years"] = {2026: cfg["current"]["years"][2026],
                               2027: {"municipal_budget_thousand_yen": {"promotion": 1000, "support": 2000}}}
    tables = current_tables(cfg, raw)
    scores = tables["current_scores"]
    assert sorted(scores["fiscal_year"].unique()) == [2026, 2027]
    rates = tables["current_branch_rates"].set_index(["fiscal_year", "grant", "branch_id"])
    assert rates.loc[(2027, "promotion", "I(i)1ア"), "n_scoring"] == 1700
    assert rates.loc[(2026, "promotion", "I(i)1ア"), "n_scoring"] == 1701
    money = tables["current_allocation"].query("fiscal_year == 2027").groupby("grant")["amount_thousand_yen"].sum()
    assert money.to_dict() == {"promotion": 1000, "support": 2000}
    assert tables["current_scores"]["synthetic"].all()
