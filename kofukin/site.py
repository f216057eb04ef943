"""The report set: its pages, where they are built, and the table of contents (index.html)."""

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__, paths
from .io import write_bytes_atomic
from .render import CSS
from .report import SYNTHETIC_NOTICE
from .schemas import read_table

HTML_DIR = paths.REPORTS / "html"
PDF_DIR = paths.REPORTS / "pdf"
EXECUTED_DIR = paths.ROOT / "build" / "executed"
NOTEBOOKS = paths.ROOT / "notebooks"


@dataclass(frozen=True)
class Page:
    """One report page: its notebook, parameters and title."""

    name: str
    notebook: str
    title: str
    parameters: dict = field(default_factory=dict)

    @property
    def html(self) -> Path:
        return HTML_DIR / f"{self.name}.html"

    @property
    def pdf(self) -> Path:
        return PDF_DIR / f"{self.name}.pdf"

    @property
    def executed(self) -> Path:
        return EXECUTED_DIR / f"{self.name}.ipynb"

    @property
    def source(self) -> Path:
        return NOTEBOOKS / self.notebook


def national_pages(year: int, compare_year: int) -> list[Page]:
    """The national pages, in reading order."""
    years = {"fiscal_year": year, "compare_year": compare_year}
    return [
        Page("national", "national.py", f"全国版：{year}年度 都道府県分の評価結果", years),
        Page("municipal", "municipal.py", f"市町村版：{year}年度 都道府県別市町村得点", years),
        Page("yoy", "yoy.py", f"年度比較：{compare_year}年度→{year}年度", years),
        Page("allocation", "allocation.py", f"交付額：{year}年度 都道府県分と令和7年度の配分枠", years),
    ]


def prefectures(raw: Path = paths.RAW) -> pd.DataFrame:
    """The 47 prefectures (code, name, region)."""
    return read_table("prefectures", raw / "reference" / "prefectures.csv")


def profile_pages(year: int, raw: Path = paths.RAW) -> list[Page]:
    """One profile page per prefecture."""
    return [Page(f"profile_{p.pref_code}", "profile.py", f"都道府県別プロファイル：{p.pref_name}（{year}年度）",
                 {"fiscal_year": year, "pref_code": p.pref_code}) for p in prefectures(raw).itertuples()]


def write_index(path: Path, manifest_path: Path, national: list[Page], profiles: list[Page], raw: Path = paths.RAW) -> None:
    """The table of contents: every page with its PDF, the data vintage, real or synthetic."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    synthetic = any(manifest["synthetic"].values())
    e = html.escape
    items = "".join(f'<li><a href="{e(p.name)}.html">{e(p.title)}</a>（<a href="../pdf/{e(p.name)}.pdf">PDF</a>）</li>'
                    for p in national)
    pref = prefectures(raw).set_index("pref_code")
    by_region = {}
    for p in profiles:
        code = p.parameters["pref_code"]
        by_region.setdefault(pref.at[code, "region"], []).append(
            f'<li><a href="{e(p.name)}.html">{e(pref.at[code, "pref_name"])}</a></li>')
    regions = "".join(f"<h3>{e(region)}</h3><ul class=\"toc toc-grid\">{''.join(links)}</ul>" for region, links in by_region.items())
    status = (f'<div class="synthetic-notice"><strong>合成データ</strong> {e(SYNTHETIC_NOTICE)}</div>' if synthetic
              else "<p>個別の数値は、data/raw/results/ に置かれた実際の評価結果から作成しています。</p>")
    digest = e(",".join(f"{k}:{v[:8]}" for k, v in sorted(manifest["raw_md5"].items())))
    page = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>kofukin 年次レポート {manifest['report_year']}年度</title><style>{CSS}</style></head>
<body><header class="page-header"><p class="kicker">kofukin · 保険者機能強化推進交付金・介護保険保険者努力支援交付金</p>
<h1>年次レポート {manifest['report_year']}年度（{manifest['compare_year']}年度との比較）</h1>{status}</header>
<main>
<h2>全国</h2><ul class="toc">{items}<li><a href="../pdf/national_pages.pdf">全国版のページをまとめたPDF</a></li></ul>
<h2>都道府県別プロファイル</h2>{regions}
<h2>データ</h2>
<p>評価年度 {manifest['report_year']}、比較年度 {manifest['compare_year']}。個別の数値: {'合成データ' if synthetic else '実データ'}。
出典: 厚生労働省老健局「保険者機能強化推進交付金 &lt;参考資料&gt;」（令和元年9月27日）、同「令和7年度当初予算案」、総務省統計局 令和2年国勢調査。</p>
<p class="note">入力ファイル（md5の先頭8桁）: {digest}</p>
</main>
<footer class="page-footer"><p>kofukin {e(__version__)}</p></footer></body></html>
"""
    write_bytes_atomic(path, page.encode("utf-8"))
