"""The configuration: every key the build reads without a default must be there, named when missing."""

import pytest
import yaml

from kofukin.model import paths
from kofukin.model.config import REQUIRED, load_config
from kofukin.model.errors import KofukinDataError


@pytest.mark.parametrize("key", ["scoring.outcome_category", "scoring.penalty_points", "allocation.frame.file",
                                 "allocation.frame.year", "synthetic.years", "synthetic.item_noise"])
def test_a_missing_key_is_named_with_the_file(tmp_path, key):
    cfg = yaml.safe_load(paths.CONFIG.read_text(encoding="utf-8"))
    *parents, last = key.split(".")
    section = cfg
    for part in parents:
        section = section[part]
    del section[last]
    path = tmp_path / "kofukin.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KofukinDataError) as err:
        load_config(path)
    assert err.value.path == str(path) and err.value.problems == [f"missing key {key!r}"]


def test_the_project_configuration_has_every_required_key():
    cfg = load_config()
    assert cfg["scoring"]["outcome_category"] == "III" and cfg["allocation"]["frame"]["year"] == 2025
    assert len(REQUIRED) == len(set(REQUIRED))
