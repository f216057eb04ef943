"""doit tasks: `doit` rebuilds the annual report — only what changed. `doit list` is its table of contents.

data → national pages and 47 prefecture profiles (HTML) → index.html → PDFs.
Actions import their heavy modules (the renderer, WeasyPrint) only when they run; the pages are declared by their
modules, so dodo.py itself imports pandas, matplotlib and pandera (about 2 s of `doit list`, README Performance).
"""

import os
import shutil
import sys
from pathlib import Path
from importlib.metadata import version

os.environ["MPLBACKEND"] = "Agg"        # the build draws into files: no window toolkit in its forked workers

from doit import create_after
from doit.tools import config_changed

from kofukin.model import paths
from kofukin.model.config import load_config, municipal_page_prefectures
from kofukin.model.schemas import PREF_CODES
from kofukin.model.compute import raw_read
from kofukin.model.vintage import REAL_INPUTS
from kofukin.report.data import raw_files as report_raw
from kofukin.model.sources import citations_of, sidecars
from kofukin.make.data import CURRENT_VINTAGE, current_raw_files
from kofukin.make.deps import code_digest, module_files, notebook_files
from kofukin.make.pages import HTML_DIR, PDF_DIR, TABLES_DIR, municipal_index_pages, municipal_pages, report_set
from kofukin.make.sheets import table_sheets
from kofukin.make.current_tables import CURRENT_SHEETS

DOIT_CONFIG = {"default_tasks": ["data", "current_data", "municipal_data", "national", "profile", "municipal", "municipal_index", "tables", "current_tables", "scenario_table", "scenario", "api", "index", "assets",
                                 "pdf", "pdf_national", "committee_data", "committee"],
               "verbosity": 2, "num_process": 2, "dep_file": str(paths.ROOT / ".doit.db")}

CFG = load_config()
YEAR, COMPARE = CFG["report_year"], CFG["compare_year"]
RAW = [str(p) for p in paths.raw_files()]
PROCESSED = [str(paths.PROCESSED / f"{n}.csv") for n in paths.PROCESSED_TABLES]
INPUTS = [str(paths.INPUTS / f"{n}.csv") for n in paths.INPUT_TABLES]
CURRENT = [str(paths.PROCESSED / f"{n}.csv") for n in paths.CURRENT_TABLES]
CURRENT_FLAGS = str(paths.PROCESSED / CURRENT_VINTAGE)     # each current year's source: its workbook, or synthetic
MANIFEST = str(paths.PROCESSED / "manifest.json")
VINTAGE = str(paths.PROCESSED / "vintage.json")
REPORT_RAW = [str(p) for p in report_raw(CFG)]      # what a page built on kofukin.report.load reads
TEMPLATE = [str(paths.PACKAGE / "make" / "templates" / "kofukin" / "index.html.j2"), str(paths.PACKAGE / "report" / "page.css")]
NATIONAL, PROFILES, SCENARIOS = report_set(CFG)      # per grant; a municipal-only report year has no prefectural pages
MUNICIPAL_INDEXES = [p for p in municipal_index_pages(YEAR)
                     if p.parameters["pref_code"] in municipal_page_prefectures(CFG, PREF_CODES)]
SOURCES = citations_of(raw_read(CFG))        # the footer's 出典 of the pages built from the report's data
TOOLS = {name: version(name) for name in ("pandas", "matplotlib", "papermill", "nbconvert", "jupytext", "weasyprint")}


def bundle(page) -> str:
    """A profile page's bundle."""
    return str(paths.bundle(page.parameters["pref_code"], grant=page.parameters.get("grant")))


def _data_step(name: str, **kwargs):
    """Run kofukin.make.data's step ``name``; a KofukinDataError (naming file, row and field, or the configuration
    key) is printed as it is, without a traceback, and fails the task."""
    from kofukin.make import data
    from kofukin.model.errors import KofukinDataError
    try:
        getattr(data, name)(**kwargs)
    except KofukinDataError as exc:
        print(exc, file=sys.stderr)
        return False


def build_data():
    """The data step: the tables and profile bundles."""
    return _data_step("build", municipal=False, current=False)


def build_current_data():
    """The current structure's tables."""
    return _data_step("build_current")


def build_municipal_data():
    """The municipal edition's bundles, from the processed tables."""
    return _data_step("build_municipal")


def build_page(*args):
    from kofukin.make.render import build_page as build
    build(*args)


def write_index(*args):
    from kofukin.pages.index import write_index as write
    write(*args)


def html_to_pdf(*args):
    from kofukin.make.pdf import html_to_pdf as convert
    convert(*args)


def combine_pdf(*args):
    from kofukin.make.pdf import merge
    merge(*args)


def task_data():
    """処理済みデータ: 得点・得点率・順位・交付額・整合性チェック (data/processed/)"""
    return {
        "actions": [build_data],
        "file_dep": RAW + module_files("make.data") + [str(paths.CONFIG)],
        "targets": PROCESSED + INPUTS + [MANIFEST, VINTAGE] + [bundle(p) for p in PROFILES],
        "clean": True,
    }


def task_current_data():
    """現行の評価構造（令和6年度〜）のデータ: 枝番ごとの得点、目標・指標群・交付金ごとの得点と順位、該当率、交付額
    （data/processed/current_*.csv。省の集計表 data/raw/results/ministry_municipal_<年度>.xlsx があればその年度は実データ）"""
    return {
        "actions": [build_current_data],
        "file_dep": [str(p) for p in current_raw_files(CFG)] + module_files("make.data") + [str(paths.CONFIG)],
        "targets": CURRENT + [CURRENT_FLAGS],
        "clean": True,
    }


def task_municipal_data():
    """市町村別のページのデータ: 市町村ごとの bundle と都道府県ごとの一覧（data/processed/municipal/）"""
    from kofukin.make.data import MUNICIPAL_TABLES
    return {
        "actions": [build_municipal_data],
        "file_dep": [str(paths.PROCESSED / f"{n}.csv") for n in MUNICIPAL_TABLES] + [str(paths.CONFIG)]
        + [f for f in RAW if not f.startswith(str(paths.RAW / paths.RESULTS))] + module_files("make.data"),
        "targets": [municipal_bundle(p.parameters["pref_code"], "index") for p in MUNICIPAL_INDEXES],
        "task_dep": ["data"],
        "clean": True,
    }


class ShownRows:
    """doit uptodate: a national page is current while the rows it shows — its tables' rows of its years,
    `synthetic` flags included — are unchanged (kofukin.make.deps.shown_rows)."""

    def __init__(self, page):
        self.shows, self.years, self.names = page.shows, list(page.years), page.shows_names

    def __call__(self, task, values):
        from kofukin.make.deps import shown_rows
        digest = shown_rows(paths.PROCESSED, self.shows, self.years, self.names)
        task.value_savers.append(lambda: {"shown_rows": digest})
        return values.get("shown_rows") == digest


def page_code(page) -> str:
    """The digest of what a page is built with: the kofukin modules its notebook imports (transitively), the
    renderer and the template — read from the code, so that no list of modules is kept by hand."""
    if page.notebook not in _CODE:
        _CODE[page.notebook] = code_digest(notebook_files(page.source, "make.render") + TEMPLATE)
    return _CODE[page.notebook]


_CODE = {}


def _page_task(page, inputs, flags, data_label, uptodate=(), name=None, after="data", years=None, sources=SOURCES):
    """A page's task, current while its inputs, parameters, title, tools, code (``page_code``) and cited sources
    are; ``years``: the years its 合成データ notice covers (the page's own years unless given)."""
    code = page_code(page)
    return {
        "name": name or page.name,
        "doc": page.title,
        "actions": [(build_page, [str(page.source), page.parameters, str(page.html), str(page.executed), page.title,
                                  flags, inputs, data_label, page.shows, list(page.years if years is None else years), page.index_href,
                                  page.shows_names, sources])],
        "file_dep": [str(page.source)] + inputs,
        "targets": [str(page.html), str(page.executed)],
        "uptodate": [config_changed({"parameters": page.parameters, "title": page.title, "tools": TOOLS, "code": code,
                                    "sources": sources}),
                     *uptodate],
        "task_dep": [after],
        "clean": True,
    }


def task_national():
    """全国版のページ（全国・市町村・年度比較・交付額、2交付金の年度があれば市町村分の年度比較と令和7年度の配分枠）"""
    for page in NATIONAL:
        # Its data are the rows of its tables of its years (ShownRows), `synthetic` flags included — what its
        # notice says (read from vintage.json, which records the same flags per table and year): a page rebuilds
        # exactly when its figures or its notice change.
        inputs = [str(paths.CONFIG)] + REPORT_RAW
        yield _page_task(page, inputs, VINTAGE, f"{page.years[-1]}年度 処理済みデータ（{'・'.join(page.tables)}）",
                         [ShownRows(page)])


def task_profile():
    """都道府県別プロファイル（47都道府県、1ページずつ）"""
    for page in PROFILES:
        source = bundle(page)
        yield _page_task(page, [source], source, f"profiles/{Path(source).name}")


MUNICIPAL_BUNDLES = str(paths.municipal_bundles())


def municipal_bundle(pref: str, name: str) -> str:
    return f"{MUNICIPAL_BUNDLES}/{pref}/{name}.json"


@create_after(executed="municipal_data")
def task_municipal():
    """市町村別のページ（市町村ごとに1ページ。どの市町村があるかはデータの作成後に決まる）"""
    for page in municipal_pages(YEAR, prefectures=[p.parameters["pref_code"] for p in MUNICIPAL_INDEXES]):
        _, pref, muni = page.name.split("/")
        source = municipal_bundle(pref, muni)
        yield _page_task(page, [source], source, f"municipal/{pref}/{muni}.json", name=muni, after="municipal_data")


def task_municipal_index():
    """都道府県ごとの市町村一覧（各市町村のページへのリンク）"""
    for page in MUNICIPAL_INDEXES:
        pref = page.parameters["pref_code"]
        source = municipal_bundle(pref, "index")
        yield _page_task(page, [source], source, f"municipal/{pref}/index.json", name=pref, after="municipal_data")


def print_book(*args):
    from kofukin.make.pdf import book_to_pdf
    book_to_pdf(*args)


@create_after(executed="municipal_data")
def task_municipal_pdf():
    """都道府県ごとの市町村別PDF（一覧と管内全市町村のページ。委員会資料は含まない: 印刷・編集用は Word 版 doit municipal_docx）。既定の doit では作らない: doit municipal_pdf / municipal_pdf:13"""
    by_pref = {}
    for page in municipal_pages(YEAR, prefectures=[p.parameters["pref_code"] for p in MUNICIPAL_INDEXES]):
        by_pref.setdefault(page.name.split("/")[1], []).append(page)
    for index in MUNICIPAL_INDEXES:
        pref = index.parameters["pref_code"]
        pages = [index] + by_pref.get(pref, [])
        yield {
            "name": pref,
            "doc": f"{index.title}（PDF）",
            "actions": [(print_book, [[str(p.html) for p in pages], str(PDF_DIR / "municipal" / f"{pref}.pdf"), index.title])],
            "file_dep": [str(p.html) for p in pages] + module_files("make.pdf"),
            "targets": [str(PDF_DIR / "municipal" / f"{pref}.pdf")],
            "uptodate": [config_changed({"tools": TOOLS})],
            "clean": True,
        }


WORKBOOK = paths.REPORTS / f"kofukin_{YEAR}.xlsx"


def build_tables(*args):
    from kofukin.make.tables import build_report_tables
    build_report_tables(*args)


def task_tables():
    """報告書の表: reports/tables/*.csv と Excel ブック reports/kofukin_<年度>.xlsx"""
    return {
        "actions": [(build_tables, [str(paths.PROCESSED), str(paths.RAW), str(paths.CONFIG), str(TABLES_DIR), str(WORKBOOK)])],
        "file_dep": PROCESSED + INPUTS + [VINTAGE, str(paths.CONFIG)] + REPORT_RAW + module_files("make.tables"),
        "targets": [str(WORKBOOK)] + [str(TABLES_DIR / f"{s.name}.csv") for s in table_sheets(CFG)],
        "clean": True,
    }


def build_current_tables(*args):
    from kofukin.make.current_tables import build_current_tables as build
    build(*args)


CURRENT_WORKBOOK = paths.REPORTS / "kofukin_current.xlsx"


def task_current_tables():
    """現行の評価構造の表: reports/tables/current/（市町村別合計得点・市町村別目標別得点・評価指標別該当率）と reports/kofukin_current.xlsx"""
    return {
        "actions": [(build_current_tables, [str(paths.PROCESSED), str(paths.RAW), str(TABLES_DIR / "current"), str(CURRENT_WORKBOOK)])],
        "file_dep": CURRENT + [str(paths.RAW / paths.PREFECTURES)] + module_files("make.current_tables"),
        "targets": [str(CURRENT_WORKBOOK)] + [str(TABLES_DIR / "current" / f"{name}.csv") for name in CURRENT_SHEETS],
        "clean": True,
    }


def build_comparison(*args):
    from kofukin.pages.scenario import build_comparison as build
    build(*args)


def task_scenario_table():
    """シナリオごとの比較表 reports/scenarios/<名前>.csv と .xlsx（scenarios/*.yaml）"""
    for page in SCENARIOS:
        source, csv = map(str, paths.scenario_files(page.parameters["scenario"]))
        yield {
            "name": page.name,
            "actions": [(build_comparison, [source, str(paths.CONFIG), str(paths.RAW), str(paths.INPUTS), csv,
                                            csv.replace(".csv", ".xlsx")])],
            "file_dep": [source, str(paths.CONFIG), VINTAGE] + INPUTS + [str(p) for p in raw_read(CFG)] + module_files("pages.scenario"),
            "targets": [csv, csv.replace(".csv", ".xlsx")],
            "clean": True,
        }


def task_scenario():
    """シナリオの比較ページ（基準との差、増える・減る都道府県）"""
    for page in SCENARIOS:
        # its comparison, and the report year's input rows (ShownRows) whose flags its notice reads from vintage.json
        inputs = [str(p) for p in paths.scenario_files(page.parameters["scenario"])[::-1]] + [str(paths.CONFIG)]
        yield _page_task(page, inputs, VINTAGE, f"シナリオ scenarios/{page.parameters['scenario']}.yaml",
                         [ShownRows(page)])


def build_api(*args):
    from kofukin.make.apidocs import build_api_docs
    build_api_docs(*args)


def task_api():
    """API リファレンス reports/api/（kofukin の docstring から pdoc で生成）"""
    return {
        "actions": [(build_api, [str(paths.REPORTS / "api")])],
        "file_dep": sorted(str(p) for p in paths.PACKAGE.rglob("*.py")),
        "targets": [str(paths.REPORTS / "api" / "kofukin.html")],
        "uptodate": [config_changed({"pdoc": version("pdoc")})],
        "clean": [(shutil.rmtree, [str(paths.REPORTS / "api")], {"ignore_errors": True})],
    }


def task_index():
    """目次 reports/html/index.html（データの年度と、実データか合成データか）"""
    return {
        "actions": [(write_index, [HTML_DIR / "index.html", MANIFEST, NATIONAL, PROFILES, SCENARIOS, paths.RAW,
                                   MUNICIPAL_INDEXES, CURRENT_FLAGS])],
        "file_dep": [MANIFEST, CURRENT_FLAGS, str(paths.RAW / paths.PREFECTURES), TEMPLATE[1]] + module_files("pages.index")
        + [str(paths.PROCESSED / f"{t}.csv") for t in REAL_INPUTS]     # whether the requests it names are real
        + [str(p) for p in sidecars()],      # the citations it lists
        "targets": [str(HTML_DIR / "index.html")],
        "uptodate": [config_changed({"pages": [(p.name, p.title) for p in NATIONAL + PROFILES + SCENARIOS + MUNICIPAL_INDEXES]})],
        "clean": True,
    }


def write_assets(*args):
    from kofukin.make.search_index import write_assets as write
    write(*args)


def task_assets():
    """検索の索引と並べ替え reports/html/assets/（search_index.js: 全都道府県・市町村の名前とコード、kofukin.js）"""
    prefs = [p.parameters["pref_code"] for p in MUNICIPAL_INDEXES]
    profiles = {p.parameters["pref_code"]: p.name for p in PROFILES if p.grant in (None, PROFILES[0].grant)}
    return {
        "actions": [(write_assets, [HTML_DIR / "assets", MUNICIPAL_BUNDLES, prefs, profiles])],
        "file_dep": [municipal_bundle(p, "index") for p in prefs] + module_files("make.search_index")
        + [str(paths.PACKAGE / "make" / "assets" / "kofukin.js")],
        "targets": [str(HTML_DIR / "assets" / n) for n in ("search_index.js", "kofukin.js")],
        "uptodate": [config_changed({"prefectures": prefs, "profiles": profiles})],
        "task_dep": ["data"],
        "clean": True,
    }


def task_pdf():
    """PDF（HTMLの各ページから印刷、日本語フォント埋め込み）"""
    for page in NATIONAL + PROFILES + SCENARIOS:
        yield {
            "name": page.name,
            "actions": [(html_to_pdf, [str(page.html), str(page.pdf)])],
            "file_dep": [str(page.html)] + module_files("make.pdf"),
            "targets": [str(page.pdf)],
            "uptodate": [config_changed({"tools": TOOLS})],
            "clean": True,
        }


def task_pdf_national():
    """全国版のページをまとめたPDF reports/pdf/national_pages.pdf"""
    return {
        "actions": [(combine_pdf, [[str(p.pdf) for p in NATIONAL], str(PDF_DIR / "national_pages.pdf")])],
        "file_dep": [str(p.pdf) for p in NATIONAL] + module_files("make.pdf"),
        "targets": [str(PDF_DIR / "national_pages.pdf")],
        "uptodate": [config_changed({"tools": TOOLS})],
        "clean": True,
    }


# The committee paper (委員会資料) of the latest current-structure year: kofukin/pages/committee.py

COMMITTEE_BUNDLES = paths.PROCESSED / "committee"
COMMITTEE_SOURCES = citations_of(current_raw_files(CFG))      # the current structure's, not the FY2019 documents


def write_committee_bundles():
    from kofukin.pages.committee import write_bundles
    write_bundles()


def task_committee_data():
    """委員会資料のデータ（市町村ごと・都道府県ごと、data/processed/committee/）"""
    return {
        "actions": [write_committee_bundles],
        "file_dep": CURRENT + [str(paths.CONFIG), str(paths.RAW / paths.PREFECTURES)]
        + module_files("model.committee", "pages.committee"),
        "targets": [str(COMMITTEE_BUNDLES / "branches.json"), str(COMMITTEE_BUNDLES / "pages.json")],
        "task_dep": ["current_data"],
        "clean": [(shutil.rmtree, [str(COMMITTEE_BUNDLES)], {"ignore_errors": True})],
    }


def committee_pages():
    """The committee pages (a Page per municipality and per prefecture) of the bundles written, each with the
    years its 合成データ notice covers."""
    from kofukin.pages.page import Page
    from kofukin.pages.committee import INDEX_NOTEBOOK, NOTEBOOK, pages
    return [(Page(f"committee/{pref}/{code}", INDEX_NOTEBOOK if code == "index" else NOTEBOOK, title,
                  {"pref_code": pref} if code == "index" else {"muni_code": code}), years)
            for pref, code, title, years in pages(COMMITTEE_BUNDLES)]


@create_after(executed="committee_data")
def task_committee():
    """委員会資料（市町村ごとに1ページ、都道府県ごとに一覧と基準線未満の数）"""
    for page, years in committee_pages():
        name = page.name.split("/", 1)[1]
        source = str(COMMITTEE_BUNDLES / name) + ".json"
        yield _page_task(page, [source, str(COMMITTEE_BUNDLES / "branches.json")], source, f"committee/{name}.json",
                         name=name, after="committee_data", years=years, sources=COMMITTEE_SOURCES)


def write_docx(*args):
    from kofukin.pages.committee_docx import write_prefecture
    write_prefecture(*args)


@create_after(executed="committee_data")
def task_municipal_docx():
    """委員会資料の Word 版（市町村ごと reports/docx/<都道府県>/<コード>.docx）。既定の doit では作らない: doit municipal_docx / municipal_docx:13"""
    for pref in sorted({p.name.split("/")[1] for p, _ in committee_pages()}):
        bundles = sorted(str(p) for p in (COMMITTEE_BUNDLES / pref).glob("*.json"))
        yield {
            "name": pref,
            "actions": [(write_docx, [str(COMMITTEE_BUNDLES), pref, str(paths.REPORTS / "docx" / pref), COMMITTEE_SOURCES])],
            "file_dep": bundles + [str(COMMITTEE_BUNDLES / "branches.json")] + module_files("pages.committee_docx"),
            "uptodate": [config_changed({"sources": COMMITTEE_SOURCES})],
            "targets": [str(paths.REPORTS / "docx" / pref / f"{Path(b).stem}.docx") for b in bundles if not b.endswith("index.json")],
            "task_dep": ["committee_data"],
            "clean": True,
        }
