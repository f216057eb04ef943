"""Scenarios: checked files, comparisons that conserve money and reproduce the baseline."""

import pandas as pd
import pytest

from kofukin.model import paths
from kofukin.model.config import load_config
from kofukin.model.errors import KofukinDataError
from kofukin.model.compute import load_raw
from kofukin.scenarios.compare import amounts, comparison
from kofukin.scenarios.rules import baseline, load_scenario
from kofukin.model.schemas import read_table

CFG = load_config()


@pytest.fixture(scope="module")
def data(built):
    inputs = {n: read_table(n, built["_dir"] / "inputs" / f"{n}.csv") for n in paths.INPUT_TABLES}
    return load_raw(CFG), inputs


def scenario(tmp_path, text: str):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path, CFG)


@pytest.mark.parametrize("text, message", [
    ("label: x\nbudjet_thousand_yen: 5\n", "key 'budjet_thousand_yen': unknown"),
    ("label: x\nbudget_thousand_yen: -100\n", "key 'budget_thousand_yen': -100 is not a whole number of 千円, zero or more"),
    ("label: x\nbudget_thousand_yen: 1.5\n", "key 'budget_thousand_yen': 1.5 is not a whole number"),
    ("label: x\npenalty_threshold: 1.5\n", "key 'penalty_threshold': 1.5 must be a score rate between 0 and 1"),
    ("label: x\npenalty_threshold: 0\n", "key 'penalty_threshold': 0 must be a score rate between 0 and 1"),
    ("label: x\nweight: households\n", "key 'weight': 'households' is not one of none, first_insured, population"),
    ("label: x\npots: {base: 0.8, additional: 0.3}\n", "must be zero or more and sum to 1"),
    ("label: x\npots: {base: 1.0, bonus: 0.0}\n", "key 'pots'"),
    ("label: x\neligibility: {additional_top_share: 2}\n", "key 'eligibility.additional_top_share': 2 must be a share"),
    ("label: x\ncaps: perhaps\n", "key 'caps': 'perhaps' is not true or false"),
    ("label: x\npots: {base: 1.0}\nredistribute: true\n", "key 'redistribute': not supported together with 'pots'"),
    ("description: no label\n", "key 'label': required"),
    ("label: x\npot_budgets_thousand_yen: {base: -5}\n", "key 'pot_budgets_thousand_yen'"),
    ("label: x\npot_budgets_thousand_yen: {base: 5}\nbudget_thousand_yen: 5\n", "give it alone"),
    ("label: [unclosed\n", "cannot read as YAML"),
    ('label: "=HYPERLINK(1)"\n', "key 'label': '=HYPERLINK(1)' — expected a name, not a formula"),
    ("label: x\ndescription: ＠SUM(1)\n", "key 'description': '＠SUM(1)' — expected a name, not a formula"),
])
def test_bad_scenario_files_name_the_file_and_key(tmp_path, text, message):
    with pytest.raises(KofukinDataError) as err:
        scenario(tmp_path, text)
    assert "s.yaml" in str(err.value) and message in str(err.value)


def test_baseline_reproduces_the_built_allocation(built, data):
    src, inputs = data
    built_amounts = built["prefecture_allocation"].set_index("pref_code")["amount_thousand_yen"]
    assert (amounts(baseline(CFG), CFG, src, inputs) == built_amounts).all()


def test_a_scenario_of_the_baseline_rules_changes_nothing(tmp_path, data):
    c = comparison(scenario(tmp_path, "label: 同じ\n"), CFG, *data)
    assert (c.difference_thousand_yen == 0).all() and len(c) == 47


def test_without_caps_every_scenario_spends_its_budget_exactly(tmp_path, data):
    for text in ["label: a\ncaps: false\nweight: population\nbudget_thousand_yen: 1234567\n",
                 "label: b\ncaps: false\npots: {base: 0.75, additional: 0.2, outcome_oriented: 0.05}\nbudget_thousand_yen: 999999\n"]:
        s = scenario(tmp_path, text)
        assert amounts(s, CFG, *data).sum() == s.budget


def test_pot_budgets_in_thousand_yen_are_paid_to_the_thousand_yen(tmp_path, data):
    s = scenario(tmp_path, "label: x\ncaps: false\npot_budgets_thousand_yen: {base: 700001, outcome_oriented: 50000}\n")
    assert s.budget == 750001 and amounts(s, CFG, *data).sum() == 750001


def test_shipped_scenarios_load_and_the_frame_pays_only_eligible_prefectures_extra(data):
    shipped = sorted((paths.ROOT / "scenarios").glob("*.yaml"))
    assert [p.stem for p in shipped] == ["frame", "weight_first_insured"]
    frame = load_scenario(shipped[0], CFG)
    c = comparison(frame, CFG, *data)
    assert c.scenario_thousand_yen.sum() <= frame.budget
    assert (c.difference_thousand_yen > 0).any() and (c.difference_thousand_yen < 0).any()
    assert pd.api.types.is_integer_dtype(c.scenario_thousand_yen)


def test_a_higher_penalty_threshold_lowers_the_penalised_prefectures(tmp_path, data):
    base = amounts(scenario(tmp_path, "label: 基準\ncaps: false\n"), CFG, *data)
    strict = amounts(scenario(tmp_path, "label: 厳しい減点\npenalty_threshold: 0.6\ncaps: false\n"), CFG, *data)
    assert strict.sum() == base.sum() and (strict != base).any()
