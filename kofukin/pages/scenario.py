"""シナリオ: one allocation rule of scenarios/<name>.yaml beside the configured one, prefecture by prefecture
(notebooks/scenario.py)."""

from kofukin.model import paths
from kofukin.model.schemas import GRANT_NAMES
from kofukin.pages.page import Edition, Page

NOTEBOOK = "scenario.py"


def declare(e: Edition) -> list[Page]:
    """One page per scenario file (scenarios/*.yaml), titled by its label (and its grant — the file's ``grant``, else
    the year's first — where the year scores two); none in a municipal-only year.

    >>> [(p.name, p.parameters["scenario"]) for p in declare(Edition(2019, 2018, 2025))]
    [('scenario_frame', 'frame'), ('scenario_weight_first_insured', 'weight_first_insured')]
    >>> declare(Edition(2099, 2019, 2027, 2099, {2099: ["promotion", "support"]}))[0].title
    'シナリオ：令和7年度の配分枠（基本75%・追加20%・成果指向型5%）（2099年度・推進の得点）'
    """
    import yaml

    grants = e.prefectural_grants
    pages = []
    for path in sorted(paths.SCENARIOS.glob("*.yaml")) if grants else []:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            label, grant = raw.get("label") or path.stem, raw.get("grant", grants[0])
        except (yaml.YAMLError, AttributeError):
            label, grant = path.stem, grants[0]        # the build reports what is wrong with the file
        of = f"・{GRANT_NAMES[grant][0]}" if len(grants) > 1 and grant in GRANT_NAMES else ""
        pages.append(Page(f"scenario_{path.stem}", NOTEBOOK, f"シナリオ：{label}（{e.year}年度{of}の得点）",
                          {"scenario": path.stem}, tuple(f"inputs/{n}" for n in paths.INPUT_TABLES), (e.year,), part="scenario"))
    return pages
