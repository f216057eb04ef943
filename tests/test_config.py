"""The configuration: every key the build reads without a default must be there, named when missing."""

import pytest
import yaml

from kofukin.model import paths
from kofukin.model.config import REQUIRED, load_config
from kofukin.model.errors import KofukinDataError


@pytest.mark.parametrize("key", ["scoring.outcome_category", "scoring.penalty_points", "allocation.frame.file",
                                 "allocation.frame.year", "synthetic.years", "synthetic.item_noise",
                                 "current.allocation_rule", "committee.missed_rate", "committee.line_sd"])
def test_a_missing_key_is_named_with_the_file(tmp_path, key):
    path = _written(tmp_path, key, None)
    with pytest.raises(KofukinDataError) as err:
        load_config(path)
    assert err.value.path == str(path) and err.value.problems == [f"missing key {key!r}"]


def _written(tmp_path, key: str, value) -> str:
    """The project's configuration with ``key`` set to ``value`` (None: removed), written under ``tmp_path``."""
    cfg = yaml.safe_load(paths.CONFIG.read_text(encoding="utf-8"))
    *parents, last = key.split(".")
    section = cfg
    for part in parents:
        section = section[part]
    if value is None:
        del section[last]
    else:
        section[last] = value
    path = tmp_path / "kofukin.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def test_an_unknown_allocation_rule_is_named(tmp_path):
    """current.allocation_rule is checked where the configuration is read, not when the allocation runs."""
    path = _written(tmp_path, "current.allocation_rule", "score_squared")
    with pytest.raises(KofukinDataError) as err:
        load_config(path)
    assert err.value.problems == ["key 'current.allocation_rule': 'score_squared' is not score_x_first_insured or score"]


def test_the_project_configuration_has_every_required_key():
    cfg = load_config()
    assert cfg["scoring"]["outcome_category"] == "III" and cfg["allocation"]["frame"]["year"] == 2025
    assert len(REQUIRED) == len(set(REQUIRED))
