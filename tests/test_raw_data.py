"""The transcribed raw data equals the seeds and carries its provenance."""

import pandas as pd
import pytest
import yaml

from kofukin.model import paths
from kofukin.model.catalogue import category_max, load_categories, load_items
from kofukin.model.io import md5
from kofukin.model.schemas import read_table

ITEMS = paths.RAW / "catalogue" / "prefecture_2019_items.csv"


@pytest.mark.parametrize("csv", sorted(p for p in paths.RAW.rglob("*.csv") if "results" not in p.relative_to(paths.RAW).parts),
                         ids=lambda p: p.name)
def test_every_raw_file_has_a_sidecar_whose_md5_matches(csv):
    """Transcribed sources carry a sidecar; an analyst's result files in data/raw/results/ need none (their md5
    is recorded in data/processed/manifest.json by the build)."""
    meta = yaml.safe_load(csv.with_suffix(".meta.yaml").read_text(encoding="utf-8"))
    for key in ("title", "source", "citation", "publisher", "published", "accessed", "transcribed", "md5"):
        assert meta.get(key), f"{csv.name}: sidecar lacks {key}"
    assert meta["md5"] == md5(csv)


def test_catalogue_holds_the_73_items_of_seed_000_in_12_categories():
    items = load_items(ITEMS)
    assert len(items) == 73
    assert list(items["category"].unique()) == ["I", "II-1", "II-2A", "II-2B", "II-3", "II-4", "II-5", "II-6", "II-7",
                                                "II-8", "II-9", "III"]
    counts = items.groupby("category", sort=False).size().to_dict()
    assert counts == {"I": 6, "II-1": 3, "II-2A": 9, "II-2B": 4, "II-3": 8, "II-4": 8, "II-5": 13,
                      "II-6": 2, "II-7": 6, "II-8": 7, "II-9": 1, "III": 6}


@pytest.mark.parametrize("item, points, average", [
    ("I-①", 36, 32.7), ("I-⑤", 15, 13.4), ("II-1-イ", 11, 5.6), ("II-2A-ケ", 12, 6.1), ("II-2B-エ", 15, 7.7),
    ("II-3-キ", 10, 9.6), ("II-4-ウ", 12, 10.5), ("II-5-ス", 12, 6.1), ("II-6-イ", 12, 9.8), ("II-7-オ", 10, 5.3),
    ("II-8-②ア", 12, 4.9), ("II-9-①", 10, 6.5), ("III-①", 20, 10.2), ("III-④", 15, 9.9), ("III-⑥", 15, 10.2),
])
def test_item_points_and_averages_are_the_seeds(item, points, average):
    row = load_items(ITEMS).set_index("item").loc[item]
    assert (row.max_points, row.national_average) == (points, average)


def test_penalty_item_takes_minus_ten_and_averages_minus_0_85():
    row = load_items(ITEMS).set_index("item").loc["III-②"]
    assert row.rule == "penalty" and row.levels == (-10, 0) and row.national_average == -0.85


def test_item_maxima_add_up_to_the_published_category_maxima(ground_truth):
    truth = ground_truth[(ground_truth.fiscal_year == 2019) & (ground_truth.level == "prefecture")]
    implied = category_max(load_items(ITEMS))
    assert implied.to_dict() == truth.set_index("category")["max_points"].to_dict()


def test_category_table_matches_ground_truth(ground_truth):
    cats = load_categories(paths.RAW / "catalogue" / "prefecture_2019_categories.csv").set_index("category")
    truth = ground_truth[(ground_truth.fiscal_year == 2019) & (ground_truth.level == "prefecture")].set_index("category")
    pd.testing.assert_frame_equal(cats[["max_points", "national_average", "score_rate_pct"]],
                                  truth[["max_points", "national_average", "score_rate_pct"]], check_dtype=False)


def test_prefectures_are_the_47_with_census_population_and_1741_municipalities():
    pref = read_table("prefectures", paths.RAW / "reference" / "prefectures.csv")
    assert list(pref["pref_code"]) == [f"{i:02d}" for i in range(1, 48)]
    assert pref["population_2020_census"].sum() == 126_146_099
    assert pref["municipalities_2019"].sum() == 1741
    assert pref.set_index("pref_code").loc["44", "pref_name"] == "大分県"


def test_budget_frame_2025_is_seed_001_to_the_thousand_yen():
    frame = read_table("budget_frame", paths.RAW / "budget" / "budget_frame_2025.csv")
    cells = frame.set_index(["grant", "level", "pot"])["amount_thousand_yen"].to_dict()
    assert cells[("promotion", "prefecture", "outcome_oriented")] == 27_586
    assert cells[("promotion", "municipal", "outcome_oriented")] == 524_149
    sums = frame.groupby(["grant", "level"])["amount_thousand_yen"].sum().to_dict()
    assert sums == {("promotion", "prefecture"): 502_586, ("promotion", "municipal"): 9_549_149,
                    ("support", "prefecture"): 1_000_000, ("support", "municipal"): 19_000_000}
    by_pot = frame.groupby("pot")["amount_thousand_yen"].sum().to_dict()
    assert by_pot["base"] == 26_600_000 and by_pot["additional"] == 2_900_000   # 266億円, 29億円
