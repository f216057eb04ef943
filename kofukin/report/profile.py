"""One prefecture's profile page: its bundle (written by ``kofukin.make.bundles``) read back and
turned into the page's Japanese display tables."""

import json
from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.model.config import load_config, year_grants
from kofukin.model.vintage import caption as synthetic_caption
from kofukin.report.units import pct, rate_label, yen


def load(path: Path | str, year: int | None = None, grant: str | None = None) -> dict:
    """Read a bundle written by the data build; ``year`` and ``grant``, when given, must be its report year and
    its grant.

    >>> b = load(processed / "profiles" / "13.json", year=2019, grant="promotion")
    >>> b["pref_name"], b["total"]["max_points"]
    ('東京都', 741)
    """
    bundle = json.loads(Path(path).read_text(encoding="utf-8"))
    if year is not None and bundle["year"] != year:
        raise ValueError(f"{path} is the {bundle['year']} profile, not {year}: run doit for {year}")
    if grant is not None and bundle["grant"] != grant:
        raise ValueError(f"{path} is the profile of {bundle['grant']}, not {grant}: {year or bundle['year']} does not score {grant}")
    return bundle


def of(pref_code: str, year: int, grant: str | None = None, root: Path | str | None = None) -> dict:
    """A prefecture's profile bundle of ``year`` and ``grant`` (None: the year's first) in a project folder
    (``paths.project(root)``), checked as ``load`` does.

    >>> of("13", 2019, "promotion", root=processed.parents[1])["pref_name"]
    '東京都'
    """
    grants = year_grants(load_config(paths.project(root)["config"]), year)
    if grant is not None and grant not in grants:
        raise ValueError(f"fiscal year {year} scores {', '.join(grants)}, not {grant} (years.{year}.grants)")
    return load(paths.bundle(pref_code, root, grant, grants), year=year, grant=grant)


def key_figures(b: dict) -> list[tuple[str, str]]:
    """The page's key figures: total, score rate, rank, distance to the national average, grant.

    >>> key_figures(b)[2]
    ('順位', '14位 / 47')
    """
    t = b["total"]
    return ([("交付金", b["grant_label"])] if b.get("grant_label") else []) + [
        ("合計点", f"{t['score']} / {t['max_points']}点"), ("得点率", pct(t["score_rate"])),
        ("順位", f"{t['rank']}位 / {b['n_prefectures']}"), ("全国平均との差", f"{t['score'] - t['national_average']:+.1f}点"),
        ("交付額", f"{yen(b['allocation']['amount_thousand_yen'])}千円")]


def links(b: dict) -> list[tuple[str, str]]:
    """The page's links: its municipalities' index (where their pages are built) and its profile of the year's
    other grant.

    >>> links(b)
    [('東京都の市町村別の結果（各市町村のページ）', 'municipal/13/index.html')]
    """
    out = [(f"{b['pref_name']}の市町村別の結果（各市町村のページ）", f"municipal/{b['pref_code']}/index.html")] if b["municipal_index"] else []
    return out + [(f"{b['pref_name']}の{o['label']}のプロファイル", o["page"]) for o in b["other_grants"]]


def caption(b: dict, years: list[int] | None = None) -> str:
    """The 合成データ note beside a chart or table of the bundle showing ``years`` (default: both years).

    >>> caption(b, [b["year"]])
    '※ 合成データです（厚生労働省の評価結果ではありません）。'
    """
    return synthetic_caption(b["synthetic_years"], years or [b["compare_year"], b["year"]])


def headline(b: dict) -> pd.DataFrame:
    """合計点・順位・全国平均との差, this year and the comparison year.

    >>> t = headline(b)
    >>> list(t.columns)
    ['年度', '合計（点）', '満点（点）', '得点率', '順位', '全国平均（点）', '全国平均との差（点）']
    >>> t.iloc[0].to_dict()
    {'年度': 2018, '合計（点）': 730, '満点（点）': 730, '得点率': '100.0%', '順位': '1 / 47', '全国平均（点）': '638.0', '全国平均との差（点）': '+92.0'}
    """
    rows = []
    for key, year in (("before", b["compare_year"]), ("total", b["year"])):
        s = b[key]
        if s is None:
            continue
        rows.append({"年度": year, "合計（点）": s["score"], "満点（点）": s["max_points"], "得点率": pct(s["score_rate"]),
                     "順位": f"{s['rank']} / {b['n_prefectures']}", "全国平均（点）": f"{s['national_average']:.1f}",
                     "全国平均との差（点）": f"{s['score'] - s['national_average']:+.1f}"})
    return pd.DataFrame(rows)


def categories(b: dict) -> pd.DataFrame:
    """区分別の得点・得点率と全国の得点率.

    >>> t = categories(b)
    >>> list(t.columns)
    ['区分', '名称', '得点（点）', '満点（点）', '得点率', '全国の得点率', '差（ポイント）', '順位']
    >>> t.iloc[0].to_dict()
    {'区分': 'I', '名称': '地域課題の把握と支援計画', '得点（点）': 106, '満点（点）': 106, '得点率': '100.0%', '全国の得点率': '93.6%', '差（ポイント）': '+6.4', '順位': 1}
    """
    return pd.DataFrame([{"区分": c["category"], "名称": c["label"], "得点（点）": c["score"], "満点（点）": c["max_points"],
                          "得点率": pct(c["score_rate"]), "全国の得点率": pct(c["national_rate"]),
                          "差（ポイント）": f"{100 * (c['score_rate'] - c['national_rate']):+.1f}", "順位": c["rank"]}
                         for c in b["categories"]])


def stakes(b: dict) -> pd.DataFrame:
    """達成していない評価指標: points at stake and the grant change if achieved (all else fixed).

    >>> t = stakes(b)
    >>> list(t.columns)
    ['項目', '評価指標', '得点（点）', '配点（点）', '未獲得（点）', '交付額の増加（千円）']
    >>> t.iloc[0].to_dict()                  # 東京都 is capped at its request: achieving more pays nothing
    {'項目': 'III-①', '評価指標': '管内市町村の評価指標の達成状況の平均', '得点（点）': 0, '配点（点）': 20, '未獲得（点）': 20, '交付額の増加（千円）': '714'}
    """
    return _table(b["stakes"], {"項目": lambda s: s["item"], "評価指標": lambda s: s["label"], "得点（点）": lambda s: s["points"],
                                "配点（点）": lambda s: s["max_points"], "未獲得（点）": lambda s: s["points_at_stake"],
                                "交付額の増加（千円）": lambda s: yen(s["amount_change_thousand_yen"])})


def category_stakes(b: dict) -> pd.DataFrame:
    """全国平均に届いていない区分: points to the national average and the grant change (all else fixed).

    >>> t = category_stakes(load(processed / "profiles" / "01.json"))
    >>> list(t.columns)
    ['区分', '名称', '得点（点）', '全国平均（点）', '全国平均までの得点（点）', '交付額の増加（千円）']
    >>> t.iloc[0].to_dict(), len(category_stakes(b))
    ({'区分': 'III', '名称': '市町村の達成状況', '得点（点）': 25, '全国平均（点）': '49.6', '全国平均までの得点（点）': 25, '交付額の増加（千円）': '894'}, 4)
    """
    return _table(b["category_stakes"], {"区分": lambda c: c["category"], "名称": lambda c: c["label"], **_TO_AVERAGE,
                                         "交付額の増加（千円）": lambda c: yen(c["amount_change_thousand_yen"])})


def municipal_stakes(b: dict) -> pd.DataFrame:
    """管内市町村: the categories below the national average worth most in the 市町村分 grant.

    >>> t = municipal_stakes(b)
    >>> list(t.columns)
    ['市町村', '区分', '得点（点）', '全国平均（点）', '全国平均までの得点（点）', '市町村分交付額の増加（千円）']
    >>> t.iloc[0].to_dict()
    {'市町村': '合成市町村13-022', '区分': 'II', '得点（点）': 232, '全国平均（点）': '339.4', '全国平均までの得点（点）': 108, '市町村分交付額の増加（千円）': '21,774'}
    """
    return _table(b["municipal_stakes"], {"市町村": lambda m: m["muni_name"], "区分": lambda m: m["category"], **_TO_AVERAGE,
                                          "市町村分交付額の増加（千円）": lambda m: yen(m["amount_change_thousand_yen"])})


_TO_AVERAGE = {"得点（点）": lambda x: x["score"], "全国平均（点）": lambda x: f"{x['national_average']:.1f}",
               "全国平均までの得点（点）": lambda x: x["points_to_average"]}


def _table(rows: list[dict], spec: dict) -> pd.DataFrame:
    """A display table: one row per bundle entry, one column per (header, cell function) of ``spec``."""
    return pd.DataFrame([{header: cell(row) for header, cell in spec.items()} for row in rows], columns=list(spec))


def municipal(b: dict) -> pd.DataFrame:
    """管内市町村の得点: count, mean, median and penalty-level count against the national figures.

    >>> t = municipal(b)
    >>> list(t.columns)
    ['年度', '市町村数', '平均（点）', '中央値（点）', '全国平均（点）', '満点（点）', '得点率3割以下の市町村']
    >>> t.iloc[0].to_dict()
    {'年度': 2018, '市町村数': 62, '平均（点）': '381.5', '中央値（点）': '405.5', '全国平均（点）': '411.0', '満点（点）': 612, '得点率3割以下の市町村': 6}
    """
    penalty = f"得点率{rate_label(b['penalty']['threshold'])}以下の市町村"
    rows = []
    for year, m in sorted(b["municipal"].items()):
        s = pd.Series(m["scores"])
        rows.append({"年度": int(year), "市町村数": len(s), "平均（点）": f"{s.mean():.1f}", "中央値（点）": f"{s.median():.1f}",
                     "全国平均（点）": f"{m['national']['mean']:.1f}", "満点（点）": m["max_points"],
                     penalty: "—" if m["penalty_level"] is None else m["penalty_level"]})
    table = pd.DataFrame(rows)
    ruled = any(m["penalty_level"] is not None for m in b["municipal"].values())     # a 支援 profile: no penalty rule
    return table if ruled else table.drop(columns=penalty)


def allocation(b: dict) -> pd.DataFrame:
    """交付額: share by score, request (cap) and amount paid, in 千円.

    >>> allocation(b).iloc[0].to_dict()
    {'得点による配分額（千円）': '22,511', '所要見込額（千円）': '34,733', '交付額（千円）': '22,511', '所要見込額で上限': '—', '都道府県分予算に占める割合': '2.25%'}
    """
    a = b["allocation"]
    return pd.DataFrame([{"得点による配分額（千円）": yen(a["share_thousand_yen"]),
                          "所要見込額（千円）": "—" if a["cap_thousand_yen"] is None else yen(a["cap_thousand_yen"]),
                          "交付額（千円）": yen(a["amount_thousand_yen"]), "所要見込額で上限": "○" if a["capped"] else "—",
                          "都道府県分予算に占める割合": pct(a["amount_thousand_yen"] / a["budget"], 2)}])
