"""The report index (reports/html/index.html): every page with its PDF, the municipal indexes, the data vintage
and the sources — the one page no notebook builds."""

import html
import json
from pathlib import Path

from kofukin import __version__

from kofukin.model import paths
from kofukin.model.io import write_bytes_atomic
from kofukin.model.schemas import GRANT_NAMES
from kofukin.model.sources import citations
from kofukin.pages.page import Page, prefectures
from kofukin.report.css import CSS
from kofukin.report.units import fiscal_year_label
from kofukin.model.vintage import REAL_INPUTS, notice, real_inputs_shown, shown_synthetic, years_label


def write_index(path: Path, manifest_path: Path, national: list[Page], profiles: list[Page], scenarios: list[Page] = (),
                raw: Path = paths.RAW, municipal: list[Page] = (), current_vintage: Path | None = None) -> None:
    """The table of contents: every page with its PDF, the municipal indexes, the data vintage, real or synthetic —
    the current structure's years too, from ``current_vintage`` (data/processed/current_vintage.json) if given.

    >>> from kofukin.make.pages import national_pages
    >>> from kofukin.pages import profile
    >>> from kofukin.pages.page import Edition
    >>> write_index(tmp / "index.html", processed / "manifest.json", national_pages(2019, 2018, 2025), profile.declare(Edition(2019, 2018, 2025))[:1])
    >>> "個別の数値: 2018年度・2019年度は合成データ" in (tmp / "index.html").read_text(encoding="utf-8")
    True
    >>> write_index(tmp / "index.html", processed / "manifest.json", national_pages(2019, 2018, 2025, 2023), profile.declare(Edition(2019, 2018, 2025))[:1])
    >>> text = (tmp / "index.html").read_text(encoding="utf-8")
    >>> "個別の数値: 2018年度・2019年度・2023年度は合成データ" in text, "洞爺湖町「令和5年度保険者機能強化推進交付金・介護保険保険者努力支援交付金」（2023年度の全国平均）" in text
    (True, True)
    >>> flags = tmp / "current_vintage.json"
    >>> _ = flags.write_text(json.dumps({"sources": {"2024": "synthetic", "2025": "synthetic", "2026": "ministry_municipal_2026.xlsx"}}))
    >>> write_index(tmp / "index.html", processed / "manifest.json", national_pages(2019, 2018, 2025), [], current_vintage=flags)
    >>> text = (tmp / "index.html").read_text(encoding="utf-8")
    >>> "現行の評価構造（令和6〜8年度、委員会資料と kofukin_current.xlsx）の個別の数値: 2024年度・2025年度は合成データ、2026年度は実データ（ministry_municipal_2026.xlsx）。" in text
    True
    >>> "現行の評価構造（令和6〜8年度）：2024年度・2025年度の数値は合成データです（厚生労働省の集計表が" in text    # the header too
    True
    """
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    years = tuple(sorted({manifest["compare_year"], manifest["report_year"], *(y for p in national for y in p.years)}))
    synthetic = shown_synthetic(manifest["synthetic"], manifest["synthetic"], years)
    real = [y for y in years if y not in synthetic]
    text = notice(synthetic, years)
    e = html.escape
    items = "".join(f'<li><a href="{e(p.name)}.html">{e(p.title)}</a>（<a href="../pdf/{e(p.name)}.pdf">PDF</a>）</li>'
                    for p in national)
    pref = {p["pref_code"]: p for p in prefectures(raw)}
    by_grant = {}
    for p in profiles:
        row = pref[p.parameters["pref_code"]]
        by_grant.setdefault(p.grant, {}).setdefault(row["region"], []).append(f'<li><a href="{e(p.name)}.html">{e(row["pref_name"])}</a></li>')
    scenario_items = "".join(
        f'<li><a href="{e(p.name)}.html">{e(p.title)}</a>（<a href="../pdf/{e(p.name)}.pdf">PDF</a>、'
        f'<a href="../scenarios/{e(p.name.removeprefix("scenario_"))}.csv">CSV</a>、'
        f'<a href="../scenarios/{e(p.name.removeprefix("scenario_"))}.xlsx">Excel</a>）</li>' for p in scenarios)
    muni_by_region = {}
    for p in municipal:
        row = pref[p.parameters["pref_code"]]
        muni_by_region.setdefault(row["region"], []).append(f'<li><a href="{e(p.name)}.html">{e(row["pref_name"])}</a></li>')
    muni_regions = "".join(f"<h3>{e(region)}</h3><ul class=\"toc toc-grid\">{''.join(links)}</ul>"
                           for region, links in muni_by_region.items())
    regions = "".join(("" if grant is None else f"<h3>{e(GRANT_NAMES[grant][1])}（{e(GRANT_NAMES[grant][0])}）</h3>")
                      + "".join(f"<h{3 if grant is None else 4}>{e(region)}</h{3 if grant is None else 4}>"
                                f"<ul class=\"toc toc-grid\">{''.join(links)}</ul>" for region, links in by_region.items())
                      for grant, by_region in by_grant.items())
    if not profiles:             # a municipal-only report year (FY2023): no prefectural results
        absent = (f"<p>{manifest['report_year']}年度は都道府県分の評価結果がない年度（市町村分のみ）のため、"
                  "都道府県別のページはありません。</p>")
        regions, scenario_items = absent, "<li>都道府県分の得点がないため、シナリオの比較はありません。</li>"
    vintage = _vintage(synthetic, {y: "" for y in real}) + "。" + real_inputs_shown(
        Path(manifest_path).parent, dict.fromkeys(REAL_INPUTS, [manifest["report_year"]]), manifest["synthetic"])
    current, current_text = _current(current_vintage) if current_vintage is not None else ("", "")
    if text and current_text:       # which years each notice speaks of
        text = f"{years_label(years)}（年次レポート）：{text}"
    status = (f'<div class="synthetic-notice"><strong>合成データ</strong> {e(" ".join(filter(None, (text, current_text))))}</div>'
              if text or current_text else "<p>個別の数値は、data/raw/results/ に置かれた実際の評価結果から作成しています。</p>")
    digest = e(", ".join(f"{k}: {v[:8]}" for k, v in sorted(manifest["raw_md5"].items())))
    page = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>kofukin 年次レポート {manifest['report_year']}年度</title><style>{CSS}</style>
<script src="assets/kofukin.js" defer></script></head>
<body><header class="page-header"><p class="kicker">kofukin · 保険者機能強化推進交付金・介護保険保険者努力支援交付金</p>
<h1>年次レポート {manifest['report_year']}年度（{manifest['compare_year']}年度との比較）</h1>{status}
<div class="site-search" data-root=""></div></header>
<main>
<h2>全国</h2><ul class="toc">{items}<li><a href="../pdf/national_pages.pdf">全国版のページをまとめたPDF</a></li></ul>
<h2>表（CSV・Excel）</h2><p>報告書の表は数値のまま <a href="../tables/">reports/tables/</a> に CSV で、
<a href="../kofukin_{manifest['report_year']}.xlsx">kofukin_{manifest['report_year']}.xlsx</a> に1つのExcelブック（表ごとに1シート）で出力しています。</p>
<h2>現行の評価構造（令和6年度〜、800点）</h2><p>市町村ごとの委員会資料（得点・目標別・枝番別・取りこぼし・3年間の推移・県内の位置）は、
上の「市町村別」の各都道府県の一覧から開けます（Word 版は <code>doit municipal_docx</code> で reports/docx/ に作ります）。分析用の表は
<a href="../tables/current/">reports/tables/current/</a> と <a href="../kofukin_current.xlsx">kofukin_current.xlsx</a> にあります。</p>
<h2>API リファレンス</h2><p>kofukin をライブラリとして使うための関数の説明（使用例付き）: <a href="../api/kofukin.html">API リファレンス</a></p>
<h2>シナリオ</h2><p>scenarios/ の設定ファイルごとに、基準（設定ファイルの規則）との交付額の差を示します。</p><ul class="toc">{scenario_items}</ul>
<h2>都道府県別プロファイル</h2>{regions}
<h2>市町村別</h2><p>都道府県ごとに、管内のすべての市町村（得点・得点率・県内／全国／規模別の順位・市町村分交付額）を1つの表にまとめ、
各市町村のページにつないでいます。</p>{muni_regions}
<h2>データ</h2>
<p>評価年度 {manifest['report_year']}、比較年度 {manifest['compare_year']}。個別の数値: {e(vintage)}{e(current)}
出典（data/raw/ の各ファイルの .meta.yaml）: {e("、".join(citations(raw)))}。</p>
<p class="note">入力ファイル（md5の先頭8桁）: {digest}</p>
</main>
<footer class="page-footer"><p>kofukin {e(__version__)}</p></footer></body></html>
"""
    write_bytes_atomic(path, page.encode("utf-8"))


def _vintage(synthetic: list[int], real: dict[int, str]) -> str:
    """「2018年度・2019年度は合成データ、2026年度は実データ（<file>）」: each ``real`` year with its source, if named."""
    sources: dict[str, list[int]] = {}
    for year, source in sorted(real.items()):
        sources.setdefault(source, []).append(year)
    return "、".join(([f"{years_label(synthetic)}は合成データ"] if synthetic else [])
                    + [f"{years_label(years)}は実データ{source}" for source, years in sources.items()])


def _current(current_vintage: Path) -> tuple[str, str]:
    """The current structure's years (committee papers, kofukin_current.xlsx) from current_vintage.json: the data
    line's sentence, and the header's notice ("" when none is synthetic)."""
    sources = {int(y): source for y, source in json.loads(Path(current_vintage).read_text(encoding="utf-8"))["sources"].items()}
    fake = [y for y, source in sources.items() if source == "synthetic"]
    era = fiscal_year_label(min(sources)) if len(sources) == 1 else \
        f"{fiscal_year_label(min(sources)).removesuffix('年度')}〜{fiscal_year_label(max(sources)).removeprefix('令和')}"
    line = (f"現行の評価構造（{era}、委員会資料と kofukin_current.xlsx）の個別の数値: "
            + _vintage(fake, {y: f"（{source}）" for y, source in sources.items() if y not in fake}) + "。")
    header = (f"現行の評価構造（{era}）：" + notice(fake, sources).replace("このページの", "委員会資料と kofukin_current.xlsx の")
              if fake else "")
    return line, header
