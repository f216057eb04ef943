"""The committee paper (策定委員会・運営協議会資料) of one municipality, latest current-structure year (issue 27):
its declaration, its data bundles (written by ``write_bundles``, read back by ``load``), and its tables, sentences
and charts — shown by notebooks/committee.py and committee_index.py, and written to Word by kofukin.pages.committee_docx.

Every figure comes from kofukin.model.committee (the processed current_* tables); every page and document says
合成データ where the year is synthetic.
"""

import json
from pathlib import Path

import pandas as pd

from kofukin.model import committee as model
from kofukin.model import paths
from kofukin.model.config import load_config
from kofukin.model.io import write_all_atomic
from kofukin.model.schemas import read_table
from kofukin.report import htmlcharts
from kofukin.model.paths import PREFECTURES

# Declaration
NAME = "committee"
NOTEBOOK = "committee.py"
INDEX_NOTEBOOK = "committee_index.py"
TABLES = tuple(model.TABLES)
BUNDLES = "committee"             # data/processed/committee/<pref>/<muni_code>.json and index.json
WORKBOOK = "厚生労働省「評価指標に係る該当状況調査票集計表」（全国集計・市町村分）"
SYNTHETIC_SOURCE = ("合成データ：公表された全国平均・該当率等に合わせて kofukin が決定論的に生成した数値です。"
                    "厚生労働省の評価結果ではありません。")


def title(bundle: dict) -> str:
    """The page's title.

    >>> title({"muni_name": "甲町", "pref_name": "北海道", "year": 2026})
    '委員会資料：甲町（北海道・2026年度）'
    """
    return f"委員会資料：{bundle['muni_name']}（{bundle['pref_name']}・{bundle['year']}年度）"


def index_title(view: dict) -> str:
    """The prefecture's page title (section 7)."""
    return f"委員会資料：{view['pref_name']}の市町村（{view['year']}年度）"


def bundle_dir(processed: Path | str = paths.PROCESSED) -> Path:
    return Path(processed) / BUNDLES


# Data bundles

def bundles(processed: Path | str, raw: Path | str, cfg: dict) -> dict[Path, bytes]:
    """Every municipality's bundle (sections 1–6), every prefecture's (section 7) and their pages' list
    (``pages``), as file → bytes."""
    tables = model.load_tables(processed)
    c = model.prepare(tables, cfg)
    prefs = read_table("prefectures", Path(raw) / PREFECTURES).set_index("pref_code")["pref_name"]
    folder = bundle_dir(processed)
    out = {folder / CATALOGUE: _dumps({"year": c.year, "branches": c.records})}
    listing = []
    for code in c.wide.loc[c.year].index:
        p = compact(model.sections(c, code)) | {"source": source(c.synthetic[c.year], c.year)}
        p["pref_name"] = prefs[p["pref_code"]]
        out[folder / p["pref_code"] / f"{code}.json"] = _dumps(p)
        listing.append([p["pref_code"], code, title(p), p.get("synthetic_years") or []])
    for pref in sorted(c.wide.loc[c.year]["pref_code"].unique()):
        view = model.prefecture_view(c, pref) | {"pref_name": prefs[pref], "source": source(c.synthetic[c.year], c.year)}
        out[folder / pref / "index.json"] = _dumps(view)
        listing.append([pref, "index", index_title(view), view["synthetic_years"]])
    out[folder / PAGES] = _dumps({"pages": sorted(listing, key=lambda page: (page[0], f"{page[1]}.json"))})
    return out


def write_bundles(processed: str = str(paths.PROCESSED), raw: str = str(paths.RAW), config: str = str(paths.CONFIG)) -> None:
    """Write every bundle at once (nothing half-written) and their list (``pages.json``, what doit reads to list the
    pages); bundles of municipalities gone from the data removed."""
    files = bundles(processed, raw, load_config(config))
    write_all_atomic(files)
    for stale in set(bundle_dir(processed).glob("*/*.json")) - set(files):
        stale.unlink()


CATALOGUE = "branches.json"       # the paper year's branches, shared by every bundle (which holds only its points)
PAGES = "pages.json"              # every bundle's page: doit lists 1,788 pages without reading 1,788 bundles
BRANCH_LISTS = [("branches", "missed"), ("branches", "missed_outcome"), ("branches", "strengths"), ("trend", "gained"),
                ("trend", "lost"), ("trend", "zero_all")]


def compact(p: dict) -> dict:
    """A bundle without the branches' labels: each listed branch as [position, points, before] (``expand``)."""
    p = {**p, "branches": {**p["branches"]}, "trend": {**p["trend"]}}
    p["branches"]["branches"] = [r["points"] for r in p["branches"]["branches"]]
    for part, key in BRANCH_LISTS:
        p[part][key] = [[r["i"], r["points"], r.get("before")] for r in p[part][key]]
    return p


def expand(p: dict, branches: list[dict]) -> dict:
    """The bundle with its branches' labels back (``compact``'s inverse).

    >>> cat = [{"i": 0, "branch_id": "I(i)1ア"}]
    >>> p = {"branches": {"branches": [{"i": 0, "branch_id": "I(i)1ア", "points": 4.0}], "missed": []}, "trend": {}}
    >>> p |= {"branches": {**p["branches"], "missed_outcome": [], "strengths": []}, "trend": {"gained": [], "lost": [], "zero_all": []}}
    >>> expand(compact(p), cat)["branches"]["branches"] == p["branches"]["branches"]
    True
    """
    p["branches"]["branches"] = [{**r, "points": v} for r, v in zip(branches, p["branches"]["branches"])]
    for part, key in BRANCH_LISTS:
        p[part][key] = [{**branches[i], "points": v, "before": b} for i, v, b in p[part][key]]
    return p


def _dumps(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def source(synthetic: bool, year: int) -> str:
    """Where the year's figures come from: the ministry's workbook, or 合成データ."""
    return SYNTHETIC_SOURCE if synthetic else f"出典：{WORKBOOK} {year}年度"


def load(muni_code: str, project_dir: Path | str | None = None) -> dict:
    """A municipality's committee paper in a project folder (None: this one), as its notebook shows it."""
    return read(bundle_dir(paths.project(project_dir)["processed"]), muni_code)


def load_index(pref_code: str, project_dir: Path | str | None = None) -> dict:
    """A prefecture's committee view in a project folder (None: this one), as its notebook shows it."""
    return read_index(bundle_dir(paths.project(project_dir)["processed"]), pref_code)


def read(folder: Path | str, muni_code: str) -> dict:
    """A municipality's bundle under ``folder``; a clear error naming the code if there is none."""
    found = sorted(Path(folder).glob(f"*/{muni_code}.json"))
    if not found:
        raise ValueError(f"no committee paper for {muni_code} in {folder} (run doit committee_data): check muni_code")
    catalogue = json.loads((Path(folder) / CATALOGUE).read_text(encoding="utf-8"))["branches"]
    return expand(json.loads(found[0].read_text(encoding="utf-8")), catalogue)


def read_index(folder: Path | str, pref_code: str) -> dict:
    """A prefecture's view under ``folder``."""
    return json.loads((Path(folder) / pref_code / "index.json").read_text(encoding="utf-8"))


def pages(folder: Path | str = bundle_dir()) -> list[tuple[str, str, str, list[int]]]:
    """(pref_code, muni_code, title, synthetic years) of every bundle written, and ("13", "index", title, years)
    per prefecture: the list ``write_bundles`` wrote beside them; none before it has (``doit list`` or ``doit clean``
    on a fresh clone).

    >>> pages(tmp / "nothing built")
    []
    """
    listing = Path(folder) / PAGES
    if not listing.exists():
        return []
    return [tuple(p) for p in json.loads(listing.read_text(encoding="utf-8"))["pages"]]


# Figures as text

def pts(x) -> str:
    """Points as printed: whole numbers without decimals.

    >>> pts(503.0), pts(48.5), pts(None)
    ('503', '48.5', '－')
    """
    if x is None:
        return "－"
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def mean(x) -> str:
    return "－" if x is None else f"{x:.1f}"


def rank(r, n) -> str:
    return "－" if r is None else f"{r:,} / {n:,}"


def notice(p: dict) -> str:
    """The 合成データ sentence of a bundle ("" for a real year)."""
    years = p.get("synthetic_years") or ([p["year"]] if p["synthetic"] else [])
    return (f"{'・'.join(map(str, years))}年度の数値は合成データです（厚生労働省の評価結果ではありません）。" if years else "")


# Section 1
MEANS = [("mean_national", "全国平均"), ("mean_prefecture", "都道府県平均"), ("mean_size_class", "同区分平均"),
         ("mean_kaso", "過疎平均"), ("mean_non_kaso", "非過疎平均")]


def key_figures(p: dict) -> list[tuple[str, str]]:
    total = p["standing"]["rows"][0]
    return [("合計", f"{pts(total['score'])} / 800点"), ("全国順位", f"{total['rank_national']:,}位（上位{total['top_percent']}%）"),
            ("都道府県内", f"{total['rank_in_prefecture']}位 / {total['n_prefecture']}"),
            ("区分内", "－" if total["rank_in_size_class"] is None else f"{total['rank_in_size_class']}位 / {total['n_size_class']}")]


def standing_table(p: dict) -> pd.DataFrame:
    """Section 1: 合計・推進・支援 with their ranks (the means: ``means_table``)."""
    rows = p["standing"]["rows"]
    return pd.DataFrame({
        "": [r["label"] for r in rows], "得点": [f"{pts(r['score'])} / {pts(r['max_points'])}" for r in rows],
        "全国順位": [rank(r["rank_national"], r["n"]) for r in rows], "上位%": [f"{r['top_percent']}%" for r in rows],
        "都道府県内順位": [rank(r["rank_in_prefecture"], r["n_prefecture"]) for r in rows],
        "区分内順位": [rank(r["rank_in_size_class"], r["n_size_class"]) for r in rows]})


def means_table(rows: list[dict]) -> pd.DataFrame:
    """Sections 1 and 2: each unit's score beside the five means."""
    return pd.DataFrame({"": [r["label"] for r in rows], "得点": [pts(r["score"]) for r in rows],
                         **{label: [mean(r[k]) for r in rows] for k, label in MEANS}})


def standing_sentence(p: dict) -> str:
    s = p["standing"]
    total = s["rows"][0]
    diff = total["score"] - total["mean_national"]
    kaso = {True: "過疎地域", False: "過疎地域以外", None: "過疎の別不明"}[s["kaso"]]
    return (f"{p['year']}年度の合計は {pts(total['score'])} 点（800点満点）で、全国平均 {mean(total['mean_national'])} 点を"
            f"{abs(diff):.1f} 点{'上回り' if diff >= 0 else '下回り'}、全国 {total['n']:,} 市町村中 {total['rank_national']:,} 位"
            f"（上位 {total['top_percent']}%）です。区分 {s['size_class'] or '－'}・{kaso}。")


# Section 2

def unit_table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({"": [r["label"] for r in rows], "得点": [pts(r["score"]) for r in rows],
                         "配点": [pts(r["max_points"]) for r in rows], "得点率": [f"{r['rate']:.1f}%" for r in rows]})


def goal_chart(p: dict) -> str:
    """Section 2's chart: each goal's score rate beside the prefecture's, the size class's and the nation's."""
    def series(r):
        m = r["max_points"]
        return [(p["muni_name"], r["score"] / m), ("都道府県平均", (r["mean_prefecture"] or 0) / m),
                ("同区分平均", (r["mean_size_class"] or 0) / m), ("全国平均", r["mean_national"] / m)]
    rows = goal_group_rows(p)
    return htmlcharts.rate_bars([(r["label"], series(r)) for r in rows], "目標・指標群別の得点率（平均との比較）")


# Section 3

def branch_rows(rows: list[dict], before: list[int] | None = None) -> pd.DataFrame:
    """Branches as a table; ``before``: the earlier years whose points each row holds (section 4's lists)."""
    out = pd.DataFrame({"目標": [r["goal"] for r in rows], "指標群": [r["group"] for r in rows],
                        "指標・枝番": [f"{r['indicator']}{'' if r['branch'] == '－' else r['branch']}" for r in rows],
                        "指標名": [r["indicator_name"] for r in rows]})
    for k, year in enumerate(before or []):
        out[f"{year}年度"] = [pts(r["before"][k]) for r in rows]
    out["得点"] = [pts(r["points"]) for r in rows]
    out["配点"] = [pts(r["max_points"]) for r in rows]
    out["全国該当率"] = [f"{r['rate']:.1f}%" for r in rows]
    return out


def missed_sentence(p: dict) -> str:
    b = p["branches"]
    share = f"{100 * b['missed_rate']:.0f}%"
    if not b["missed"]:
        return f"全国の{share}以上が得点している枝番で、0点の枝番（取りこぼし）はありません（成果指標を除く）。"
    return (f"全国の{share}以上が得点しているのに0点の枝番（取りこぼし）が {len(b['missed'])} 件、その配点の合計は"
            f" {pts(b['stake'])} 点です（成果指標を除く。配点・該当率の高い順）。")


def strengths_heading(p: dict) -> str:
    """The heading of the strengths (強み), stating the configured share (``committee.strength_rate``).

    >>> strengths_heading({"branches": {"strength_rate": 0.5}}), strengths_heading({"branches": {"strength_rate": 0.3}})
    ('強み：満点で、全国の半数未満しか得点していない枝番', '強み：満点で、全国の30%未満しか得点していない枝番')
    """
    rate = p["branches"]["strength_rate"]
    return f"強み：満点で、全国の{'半数' if rate == 0.5 else f'{100 * rate:.0f}%'}未満しか得点していない枝番"


# Section 4

def trend_table(p: dict) -> pd.DataFrame:
    years = p["trend"]["years"]
    units = list(model.UNIT_LABELS)
    data = {"": [model.UNIT_LABELS[u] for u in units]}
    for y in years:
        data[f"{y['year']}年度"] = [pts(y["units"][u]["score"]) for u in units]
        data[f"{y['year']} 全国平均"] = [mean(y["units"][u]["mean_national"]) for u in units]
    return pd.DataFrame(data)


def earlier_years(p: dict) -> list[int]:
    """The years before the paper year that section 4's gained and lost branches show."""
    return [y["year"] for y in p["trend"]["years"][:-1]]


TREND_LISTS = [("gained", "{since}年度以降に得点した枝番"), ("lost", "{since}年度以降に失った枝番"),
               ("zero_all", "{n}年間続けて0点の枝番")]


def trend_changes(p: dict) -> list[tuple[str, pd.DataFrame]]:
    """Section 4's branches gained and lost, as (heading, table), shown open."""
    return [item for item in trend_lists(p) if not item[0].endswith("続けて0点の枝番")]


def trend_zero(p: dict) -> list[tuple[str, pd.DataFrame]]:
    """Section 4's branches at 0 in every year, as (heading, table), shown folded."""
    return [item for item in trend_lists(p) if item[0].endswith("続けて0点の枝番")]


def trend_lists(p: dict) -> list[tuple[str, pd.DataFrame]]:
    """Section 4's three branch lists as (heading, table): gained, lost, zero in every year."""
    t = p["trend"]
    if t["since"] is None:
        return []
    return [(label.format(since=t["since"], n=len(t["years"])),
             branch_rows(t[key], before=earlier_years(p) if key != "zero_all" else None)) for key, label in TREND_LISTS]


def trend_sentence(p: dict) -> str:
    t = p["trend"]
    if t["since"] is None:
        return "比較できる前年度のデータはありません。"
    text = (f"{t['since']}年度から{p['year']}年度にかけて、0点から得点した枝番 {len(t['gained'])} 件、得点から0点になった枝番"
            f" {len(t['lost'])} 件、{len(t['years'])}年間続けて0点の枝番 {len(t['zero_all'])} 件（{t['since']}年度になかった枝番は、"
            "ある最初の年度と比べています）。")
    if t["unmatched"]:
        text += (f" 評価指標の見直しで年度により構成が異なる枝番（{len(t['unmatched'])} 件：{'、'.join(t['unmatched'][:6])}"
                 f"{' ほか' if len(t['unmatched']) > 6 else ''}）は、交付金・枝番号・指標名が同じものだけを同じ枝番として比べています。")
    return text


# Section 5

def worth_table(p: dict) -> pd.DataFrame:
    w = p["worth"]
    return pd.DataFrame({"あと何点": [f"+{r['more']}点" for r in w["ranks"]],
                         "全国順位": [f"{r['rank']:,}位" for r in w["ranks"]]})


def targets_table(p: dict) -> pd.DataFrame:
    w = p["worth"]
    return pd.DataFrame({"目標": [t["label"] for t in w["targets"]], "その得点": [mean(t["value"]) for t in w["targets"]],
                         "必要な点数": [f"{t['needed']:.1f}" if t["needed"] else "到達済み" for t in w["targets"]]})


def yen_table(p: dict) -> pd.DataFrame:
    g = p["worth"]["yen"]["grants"]
    return pd.DataFrame({"交付金": [r["label"] for r in g], "市町村分（試算・千円）": [f"{r['amount']:,}" for r in g],
                         "1点あたり（千円）": [f"{r['per_point']:,}" for r in g]})


def yen_sentence(p: dict) -> str:
    y = p["worth"]["yen"]
    rule = {"score_x_first_insured": "得点 × 第1号被保険者数", "score": "得点"}[y["rule"]]
    return (f"市町村分は {rule} の比で配分する設定（config/kofukin.yaml の current.allocation_rule）による試算です。"
            f"ほかの市町村の得点を変えずに1点増えたときの増額で、目標Ⅳの1点は両交付金に入るため約 {y.get('shared_per_point', 0):,} 千円です。")


# Section 6

def distribution_table(d: dict, own: float | None = None) -> pd.DataFrame:
    rows = [("市町村数", f"{d['n']}"), ("平均", mean(d["mean"])), ("最大", pts(d["max"])), ("第3四分位", mean(d["q3"])),
            ("中央値", mean(d["median"])), ("第1四分位", mean(d["q1"])), ("最小", pts(d["min"]))]
    if own is not None:
        rows.append(("この市町村", pts(own)))
    return pd.DataFrame(rows, columns=["合計得点", "値"])


def place_sentence(p: dict) -> str:
    """Section 6's sentence; it says which other municipalities the section names (none, its union's members, or all).

    >>> p = {"pref_name": "甲県", "prefecture": {"distribution": {"n": 30}, "rank": 4, "above": 26, "named": [], "union": None}}
    >>> place_sentence(p)
    '甲県の 30 市町村のうち 4 位で、26 市町村を上回っています（ほかの市町村名は示していません）。'
    >>> place_sentence({**p, "prefecture": {**p["prefecture"], "union": {"union_name": "乙広域連合"}}}).endswith(
    ...     "上回っています（乙広域連合の構成市町村を除き、ほかの市町村名は示していません）。")
    True
    """
    pp = p["prefecture"]
    which = ("" if pp["named"] else f"（{pp['union']['union_name']}の構成市町村を除き、ほかの市町村名は示していません）"
             if pp["union"] else "（ほかの市町村名は示していません）")
    return f"{p['pref_name']}の {pp['distribution']['n']} 市町村のうち {pp['rank']} 位で、{pp['above']} 市町村を上回っています{which}。"


def goal_group_rows(p: dict) -> list[dict]:
    """Section 2's rows: the goals, then the groups."""
    return p["goals_groups"]["goals"] + p["goals_groups"]["groups"]


def neighbour_tables(p: dict) -> list[tuple[str, pd.DataFrame]]:
    """Section 6's optional tables, each with its heading: the named list (only where the configuration asks for
    it) and the union's members side by side with their mean (only for a union's member)."""
    out = []
    if p["prefecture"]["named"]:
        out.append(("県内の市町村（名前つき）", named_table(p)))
    if p["prefecture"]["union"]:
        out.append((f"広域連合：{p['prefecture']['union']['union_name']}", union_table(p)))
    return out


def named_table(p: dict) -> pd.DataFrame:
    named = p["prefecture"]["named"]
    return pd.DataFrame({"市町村": [("▶ " if r["self"] else "") + r["muni_name"] for r in named], "合計": [pts(r["total"]) for r in named]})


UNION_UNITS = ["total", "promotion", "support"] + list(model.GOAL_UNITS)


def union_table(p: dict) -> pd.DataFrame:
    u = p["prefecture"]["union"]
    rows = [[("▶ " if m["self"] else "") + m["muni_name"]] + [pts(m[k]) for k in UNION_UNITS] for m in u["members"]]
    rows.append(["構成市町村の平均"] + [mean(u["mean"][k]) for k in UNION_UNITS])
    return pd.DataFrame(rows, columns=["市町村"] + [model.UNIT_LABELS[k].replace("（推進・支援共通）", "") for k in UNION_UNITS])


# Section 7 (the prefecture's page)

def prefecture_table(view: dict) -> tuple[pd.DataFrame, list[str]]:
    units = ["total"] + list(model.GOAL_UNITS)
    rows = view["municipalities"]
    df = pd.DataFrame({"市町村": [r["muni_name"] for r in rows],
                       **{model.UNIT_LABELS[u].replace("（推進・支援共通）", ""): [pts(r[u]) for r in rows] for u in units},
                       "基準線未満": ["○" if r["below_line"] else "" for r in rows]})
    means = {"市町村": ["都道府県平均", "全国平均"], "基準線未満": ["", ""]}
    for u in units:
        means[model.UNIT_LABELS[u].replace("（推進・支援共通）", "")] = [mean(view["means"][u]), mean(view["national_means"][u])]
    links = [f"{r['muni_code']}.html" for r in rows] + ["", ""]          # the two mean rows link nowhere
    return pd.concat([df, pd.DataFrame(means)], ignore_index=True), links


def line_sentence(view: dict) -> str:
    return (f"全国平均 − 2 × 標準偏差（{view['year']}年度：{view['line']} 点。厚生労働省の公表値は 279.7 点）を下回る市町村は"
            f" {view['n']} 市町村中 {view['below_line']} です（都道府県分の評価指標 Ⅰ(ⅰ)1オ）。")


PREFECTURE_RESULTS_NOTE = ("都道府県自身の800点満点の評価結果（都道府県分の集計表）は、既定のビルドには取り込まれていないため表示していません。")
