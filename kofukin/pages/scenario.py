"""シナリオ: one allocation rule of scenarios/<name>.yaml beside the configured one, prefecture by prefecture
(notebooks/scenario.py)."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.model import paths
from kofukin.model.compute import load_raw
from kofukin.model.config import load_config
from kofukin.model.io import write_all_atomic
from kofukin.model.paths import INPUT_TABLES
from kofukin.model.schemas import GRANT_NAMES, check_table, read_table
from kofukin.model.vintage import REAL_INPUTS, caption, notice, real_inputs_shown
from kofukin.pages.page import Edition, Page
from kofukin.report import style
from kofukin.report.alttext import correlation, describe, extremes
from kofukin.report.charts import point_labels
from kofukin.report.exports import excel_csv, workbook_bytes
from kofukin.report.units import yen
from kofukin.scenarios.compare import comparison
from kofukin.scenarios.rules import Scenario, baseline_of, load_scenario

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


def load(scenario: str, project_dir: Path | str | None = None) -> tuple[Scenario, pd.DataFrame]:
    """The page's scenario (scenarios/<scenario>.yaml, read with the configuration) and its comparison with the
    configured rule (reports/scenarios/<scenario>.csv, doit task ``scenario_table``), in the project folder
    ``project_dir`` (None: this one).

    >>> for name in ("scenarios/weight_first_insured.yaml", "config/kofukin.yaml"):
    ...     _ = (tmp / name).parent.mkdir(exist_ok=True), (tmp / name).write_bytes(Path(name).read_bytes())
    >>> build_comparison(str(tmp / "scenarios" / "weight_first_insured.yaml"), "config/kofukin.yaml", "data/raw", str(processed / "inputs"), *(str(tmp / "reports" / "scenarios" / f"weight_first_insured.{x}") for x in ("csv", "xlsx")))
    >>> s, c = load("weight_first_insured", tmp)
    >>> s.label, len(c), int(c["scenario_thousand_yen"].sum())
    ('第1号被保険者数で重み付け', 47, 696855)
    """
    scenario_path, comparison_path = paths.scenario_files(scenario, project_dir)
    return (load_scenario(scenario_path, load_config(paths.project(project_dir)["config"])),
            read_table("scenario_comparison", comparison_path))


def scenario_caption(c: pd.DataFrame, project_dir: Path | str | None = None) -> str:
    """The 合成データ note beside a scenario's charts and tables: its figures are of one year, real or not; where
    they are synthetic beside real requests (所要見込額) of the project ``project_dir``, it says so as its page's
    notice does.

    >>> scenario_caption(pd.DataFrame({"fiscal_year": [2019], "synthetic": [False]}))
    ''
    """
    years = sorted(int(y) for y in c["fiscal_year"].unique())
    if not c["synthetic"].any():
        return ""
    return caption(years, years) + requests_note(paths.project(project_dir)["processed"], years)


def requests_note(processed: Path, years: list[int]) -> str:
    """What the notes of a scenario of ``years`` add where its amounts are synthetic but the requests that cap them
    are real: the sentence of its page's notice (``vintage.real_inputs_shown``, vintage.json's flags), "" otherwise.

    >>> requests_note(processed, [2019])
    ''
    """
    return real_inputs_shown(processed, dict.fromkeys(REAL_INPUTS, years))


def scenario_note(s: Scenario, c: pd.DataFrame, project_dir: Path | str | None = None) -> str:
    """The note under a scenario's title: its description, then ``totals_note``."""
    return s.description + totals_note(s, c, load_config(paths.project(project_dir)["config"]))


def totals_note(s: Scenario, c: pd.DataFrame, cfg: dict) -> str:
    """What each side (the configured rule, the scenario ``s``) leaves of its budget unpaid, and why where the rules
    say so (requests cap a prefecture and what is above a cap goes to no one): "" where both pay all of it.

    >>> s = load_scenario(paths.SCENARIOS / "weight_first_insured.yaml", load_config())
    >>> totals_note(s, pd.DataFrame({"baseline_thousand_yen": [1000000], "scenario_thousand_yen": [1000000]}), load_config())
    ''
    >>> totals_note(s, pd.DataFrame({"baseline_thousand_yen": [1000000], "scenario_thousand_yen": [700000]}), load_config())
    'シナリオでは予算 1,000,000 千円のうち 300,000 千円が交付されません（所要見込額を上限とし、上限を超えた分を再配分しないため）。'
    """
    parts = []
    for side, rule, paid in (("基準", baseline_of(cfg, s.grant), c["baseline_thousand_yen"].sum()),
                             ("シナリオ", s, c["scenario_thousand_yen"].sum())):
        if (left := int(rule.budget - paid)) > 0:
            why = "（所要見込額を上限とし、上限を超えた分を再配分しないため）" if rule.caps and not rule.redistribute else ""
            parts.append(f"{side}では予算 {yen(rule.budget)} 千円のうち {yen(left)} 千円が交付されません{why}。")
    return "".join(parts)


def scenario_summary(c: pd.DataFrame) -> list[tuple[str, str]]:
    """Key figures of a scenario comparison: totals paid, winners, losers, largest moves.

    >>> c = pd.DataFrame({"baseline_thousand_yen": [10, 20], "scenario_thousand_yen": [15, 15], "difference_thousand_yen": [5, -5]})
    >>> scenario_summary(c)[:3]
    [('交付総額：基準', '30千円'), ('交付総額：シナリオ', '30千円'), ('増える都道府県', '1')]
    """
    gain, loss = c[c.difference_thousand_yen > 0], c[c.difference_thousand_yen < 0]
    return [("交付総額：基準", f"{yen(c.baseline_thousand_yen.sum())}千円"),
            ("交付総額：シナリオ", f"{yen(c.scenario_thousand_yen.sum())}千円"),
            ("増える都道府県", f"{len(gain)}"), ("減る都道府県", f"{len(loss)}"),
            ("最大の増加", f"{yen(gain.difference_thousand_yen.max()) if len(gain) else 0}千円"),
            ("最大の減少", f"{yen(loss.difference_thousand_yen.min()) if len(loss) else 0}千円")]


def scenario_table(c: pd.DataFrame, rows: int | None = None, losers: bool = False) -> pd.DataFrame:
    """都道府県別の交付額: baseline, scenario, difference (千円, %), biggest winners first (or losers).

    >>> c = pd.DataFrame({"pref_code": ["01", "02"], "pref_name": ["北海道", "青森県"], "baseline_thousand_yen": [10, 20], "scenario_thousand_yen": [15, 15], "difference_thousand_yen": [5, -5], "difference_pct": [50.0, -25.0]})
    >>> scenario_table(c).iloc[0].tolist()
    ['北海道', '10', '15', '+5', '+50.0%']
    """
    c = c.sort_values(["difference_thousand_yen", "pref_code"], ascending=[losers, True])
    if rows is not None:
        c = c[(c.difference_thousand_yen < 0) if losers else (c.difference_thousand_yen > 0)].head(rows)
    return pd.DataFrame({"都道府県": c.pref_name, "基準（千円）": c.baseline_thousand_yen.map(yen),
                         "シナリオ（千円）": c.scenario_thousand_yen.map(yen),
                         "差（千円）": c.difference_thousand_yen.map(lambda x: f"{x:+,}"),
                         "差（%）": c.difference_pct.map(lambda x: "—" if pd.isna(x) else f"{x:+.1f}%")}).reset_index(drop=True)


def scenario_bars(c: pd.DataFrame, label: str):
    """差（千円） per prefecture under a scenario, largest gain at the top; gains blue, losses orange.

    >>> c = pd.DataFrame({"pref_code": ["01", "02"], "pref_name": ["北海道", "青森県"], "difference_thousand_yen": [5, -5]})
    >>> scenario_bars(c, "例").axes[0].get_title()
    'シナリオ「例」と基準の差'
    """
    c = c.sort_values(["difference_thousand_yen", "pref_code"], ascending=[False, True])
    fig, ax = plt.subplots(figsize=(9, 10))
    colours = [style.PALETTE[0] if d >= 0 else style.HIGHLIGHT for d in c.difference_thousand_yen]
    ax.barh(np.arange(len(c)), c.difference_thousand_yen, color=colours, height=0.75)
    ax.set_yticks(np.arange(len(c)), c.pref_name)
    ax.set_ylim(len(c) - 0.5, -0.5)
    ax.axvline(0, color=style.AVERAGE, linewidth=0.8)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("基準との差（千円）")
    ax.set_title(f"シナリオ「{label}」と基準の差")
    d = c.difference_thousand_yen
    return describe(fig, f"増える都道府県{int((d > 0).sum())}、減る都道府県{int((d < 0).sum())}。"
                         f"{extremes(d, c.pref_name, '{:+,.0f}千円', high='増加の大きい順に', low='減少の大きい順に')}。"
                         "すべての値はこのページの表にあります。")


def scenario_scatter(c: pd.DataFrame, label: str):
    """Baseline against scenario amount (千円) per prefecture; the diagonal is no change.

    >>> c = pd.DataFrame({"pref_name": ["北海道", "青森県"], "baseline_thousand_yen": [10, 20], "scenario_thousand_yen": [15, 15], "difference_thousand_yen": [5, -5]})
    >>> scenario_scatter(c, "例").axes[0].get_xlabel()
    '基準の交付額（千円）'
    """
    fig, ax = plt.subplots(figsize=(6.5, 6))
    ax.scatter(c.baseline_thousand_yen, c.scenario_thousand_yen, color=style.PALETTE[0], s=22)
    top = max(c.baseline_thousand_yen.max(), c.scenario_thousand_yen.max()) * 1.05
    ax.plot([0, top], [0, top], color=style.NEUTRAL, linestyle="--", linewidth=1)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    movers = c.reindex(c.difference_thousand_yen.abs().sort_values(ascending=False).index).head(6)
    point_labels(ax, list(zip(movers.baseline_thousand_yen, movers.scenario_thousand_yen, movers.pref_name)))
    ax.set_xlabel("基準の交付額（千円）")
    ax.set_ylabel("シナリオの交付額（千円）")
    ax.set_title(f"基準とシナリオの交付額\n「{label}」")       # a long label on a line of its own
    far = c.reindex(c.difference_thousand_yen.abs().sort_values(ascending=False, kind="stable").index).head(3)
    return describe(fig, f"基準とシナリオの交付額の{correlation(c.baseline_thousand_yen, c.scenario_thousand_yen)}。"
                         "対角線から最も離れているのは"
                         + "、".join(f"{row.pref_name}（{yen(row.baseline_thousand_yen)}→{yen(row.scenario_thousand_yen)}千円）"
                                    for row in far.itertuples()) + "。")


def build_comparison(scenario_path: str, config: str, raw: str, inputs_dir: str, out_csv: str, out_xlsx: str) -> None:
    """The comparison table of one scenario as CSV and a one-sheet workbook (doit task ``scenario_table``).

    >>> build_comparison("scenarios/weight_first_insured.yaml", "config/kofukin.yaml", "data/raw", str(processed / "inputs"), str(tmp / "w.csv"), str(tmp / "w.xlsx"))
    >>> c = pd.read_csv(tmp / "w.csv")
    >>> c.shape, int(c["baseline_thousand_yen"].sum()), int(c["scenario_thousand_yen"].sum())
    ((47, 9), 984709, 696855)
    """
    cfg = load_config(config)
    s = load_scenario(scenario_path, cfg)
    inputs = {n: read_table(n, Path(inputs_dir) / f"{n}.csv") for n in INPUT_TABLES}
    table = check_table("scenario_comparison", comparison(s, cfg, load_raw(cfg, Path(raw)), inputs), out_csv)
    synthetic = [cfg["report_year"]] if table.synthetic.any() else []
    real = requests_note(Path(inputs_dir).parent, synthetic) if synthetic else ""     # inputs_dir: data/processed/inputs
    write_all_atomic({Path(out_csv): excel_csv(table),
                      Path(out_xlsx): workbook_bytes({"比較": _japanese(table)}, notice=notice(synthetic, [cfg["report_year"]]) + real,
                                                     title=f"シナリオ：{s.label}", legend=totals_note(s, table, cfg),
                                                     csv=f"シート「比較」の数値は reports/scenarios/{Path(out_csv).name} と同じです（CSV の見出しは英語）。",
                                                     notes_by_sheet={"比較": caption(synthetic, [cfg["report_year"]]) + real})})


def _japanese(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison with Japanese headers and units (for pages and the workbook)."""
    return pd.DataFrame({"都道府県コード": table.pref_code, "都道府県": table.pref_name,
                         "基準の交付額（千円）": table.baseline_thousand_yen, "シナリオの交付額（千円）": table.scenario_thousand_yen,
                         "差（千円）": table.difference_thousand_yen, "差（%）": table.difference_pct})
