"""Report pages: thin notebooks, offline HTML with the 合成データ notice, charts with Japanese glyphs, PDFs."""

import ast
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import papermill
import pytest
from pypdf import PdfReader

from kofukin import report
from kofukin.report import charts, display

from kofukin.model import paths
from kofukin.model.compute import raw_read
from kofukin.model.config import load_config
from kofukin.model.sources import citations_of
from kofukin.make.data import current_raw_files
from kofukin.make.pdf import html_to_pdf, merge
from kofukin.make.render import build_page, to_html
from kofukin.make.pages import national_pages
from kofukin.pages import profile as profile_page, scenario as scenario_page
from kofukin.pages.page import Edition
from kofukin.pages.index import write_index
from kofukin.model.vintage import notice

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("*.py"))


# What a report notebook's code may do: import from kofukin, name results, call kofukin (a function of an
# imported module, or a method of the Report), loop over what kofukin returns, format with f-strings.
FORBIDDEN = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.If, ast.IfExp, ast.While, ast.With,
             ast.Try, ast.BinOp, ast.BoolOp, ast.Compare, ast.UnaryOp, ast.AugAssign, ast.Slice, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
             ast.Global, ast.Delete)
REPORT_METHODS = {n for n in dir(report.Report) if not n.startswith("_") and callable(getattr(report.Report, n))}


def logic_in(code: str) -> list[str]:
    """What in a notebook's code is computation rather than load, call kofukin, show (one line each)."""
    tree = ast.parse(code)
    kofukin_names = set()
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            if module.split(".")[0] != "kofukin":
                problems.append(f"line {node.lineno}: imports {module}")
            else:
                kofukin_names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    for node in ast.walk(tree):
        if isinstance(node, FORBIDDEN):
            problems.append(f"line {node.lineno}: {type(node).__name__}")
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in kofukin_names:
                continue
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and (
                    f.value.id in kofukin_names or f.attr in REPORT_METHODS):
                continue
            problems.append(f"line {node.lineno}: calls {ast.unparse(f)}")
    return problems


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_and_no_logic(source):
    nb = jupytext.read(source)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert logic_in("\n".join(c.source for c in nb.cells if c.cell_type == "code")) == []


def test_the_notebook_check_catches_computation():
    assert sorted(logic_in("""from kofukin import report
r = report.load()
muni = r.municipal.query("fiscal_year == @fiscal_year and category == 'TOTAL'")
x = f"{muni['score'].mean():.1f}点 {int(muni['penalty_level'].sum())} {muni.loc[muni.penalty_level, 'pref_code'].nunique()}"
d = r.total - r.average
import pandas as pd
codes = [c for c in r.categories["category"] if c != "TOTAL"]
def f(): pass
""")) == ["line 3: calls r.municipal.query", "line 4: calls int", "line 4: calls muni.loc[muni.penalty_level, 'pref_code'].nunique",
           "line 4: calls muni['penalty_level'].sum", "line 4: calls muni['score'].mean", "line 5: BinOp",
           "line 6: imports pandas", "line 7: Compare", "line 7: ListComp", "line 8: FunctionDef"]


def test_pages_pass_only_parameters_their_notebooks_declare(tmp_path):
    for page in national_pages(2019, 2018, 2025) + profile_page.declare(Edition(2019, 2018, 2025))[:1] + scenario_page.declare(Edition(2019, 2018, 2025))[:1]:
        nb = jupytext.read(page.source)
        nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
        path = tmp_path / f"{page.name}.ipynb"
        nbformat.write(nb, path)
        declared = papermill.inspect_notebook(str(path))
        assert set(page.parameters) <= set(declared), page.name


@pytest.fixture(scope="module")
def pages(built, tmp_path_factory):
    """The national page and one profile, executed from the test build into a temporary folder."""
    out = tmp_path_factory.mktemp("pages")
    processed = built["_dir"]
    root = processed.parents[1]
    national = national_pages(2019, 2018, 2025)[0]
    build_page(str(national.source), {**national.parameters, "project_dir": str(root)},
               str(out / "national.html"), str(out / "national.ipynb"), national.title,
               str(processed / "vintage.json"), [str(processed / "vintage.json")], "test", national.shows, national.years)
    profile = profile_page.declare(Edition(2019, 2018, 2025))[12]
    build_page(str(profile.source), {**profile.parameters, "project_dir": str(root)},
               str(out / "profile_13.html"), str(out / "profile_13.ipynb"), profile.title,
               str(processed / "profiles" / "13.json"), [str(processed / "profiles" / "13.json")], "test", {}, profile.years)
    return out


@pytest.mark.parametrize("name", ["national", "profile_13"])
def test_html_page_is_offline_titled_and_marked_synthetic(pages, name):
    page = (pages / f"{name}.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page
    assert "<title>" in page and "<h1>" in page
    assert page.count("<strong>合成データ</strong>") == 2               # header and footer
    assert page.count('src="data:image/png;base64,') >= 2
    captions = re.findall(r'<p class="note synthetic-caption">([^<]*)</p>', page)           # beside charts and tables
    assert len(captions) >= 4 and set(captions) == {"※ 合成データです（厚生労働省の評価結果ではありません）。"}
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', page)
    assert len(alts) == page.count("<img") and all(alts) and "No description" not in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="assets/kofukin.js" defer>']    # ours alone: search, sorting
    assert "jp-InputArea" not in page.split("<main>")[0]
    assert "md5" in page and "kofukin 0.1.0" in page


@pytest.mark.parametrize("name", ["national", "profile_13"])
def test_executed_notebook_has_no_errors_or_glyph_warnings(pages, name):
    nb = nbformat.read(pages / f"{name}.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "Glyph" not in stderr and "missing from" not in stderr


def test_profile_page_shows_the_prefecture(pages):
    page = (pages / "profile_13.html").read_text(encoding="utf-8")
    assert "東京都" in page and "達成していない評価指標" in page


def test_pdf_has_pages_and_embeds_a_japanese_font(pages, tmp_path):
    html_to_pdf(str(pages / "profile_13.html"), str(tmp_path / "p.pdf"))
    reader = PdfReader(tmp_path / "p.pdf")
    assert len(reader.pages) >= 2
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            if "/FontFile2" in descendant["/FontDescriptor"]:
                fonts.add(str(font["/BaseFont"]))
    assert any("kofukin-ja" in f for f in fonts)


def test_every_chart_renders_japanese_without_missing_glyphs(built, tmp_path):
    import inspect

    import pkgutil
    from importlib import import_module

    from kofukin import pages
    from kofukin.pages import allocation, items, municipal, municipal_frame, municipal_years, national, scenario, yoy
    from kofukin.model.schemas import read_table

    root = built["_dir"].parents[1]
    where = paths.project(root)
    r = report.load(built["_dir"], root / "data" / "raw", root / "config" / "kofukin.yaml")
    b = profile_page.read(built["_dir"] / "profiles" / "01.json")
    csv = tmp_path / "w.csv"
    scenario.build_comparison(str(paths.SCENARIOS / "weight_first_insured.yaml"), str(where["config"]), str(where["raw"]),
                             str(where["processed"] / "inputs"), str(csv), str(tmp_path / "w.xlsx"))
    c = read_table("scenario_comparison", csv)
    figures = {"prefecture_stack": [lambda: national.prefecture_stack(r)], "allocation_bars": [lambda: charts.allocation_bars(r)],
               "rank_scatter": [lambda: yoy.rank_scatter(r)], "municipal_stack": [lambda: municipal.municipal_stack(r, 2019)],
               "municipal_distribution": [lambda: municipal.municipal_distribution(r, 2019)], "rate_change": [lambda: yoy.rate_change(r)],
               "frame_bars": [lambda: allocation.frame_bars(r)], "published_rates": [lambda: yoy.published_rates(r)],
               "profile_categories": [lambda: profile_page.profile_categories(b)],
               "profile_municipal": [lambda: profile_page.profile_municipal(b)],
               "japan_maps": [lambda: national.japan_maps(r)], "scenario_bars": [lambda: scenario.scenario_bars(c, "シナリオ")],
               "scenario_scatter": [lambda: scenario.scenario_scatter(c, "シナリオ")],
               "item_averages": [lambda cat=cat: items.item_averages(r, cat) for cat in r.items["category"].unique()],
               "rate_scatter": [lambda: municipal_years.rate_scatter(municipal_years.load(2023, 2019, root))],
               "per_person_chart": [lambda: municipal_frame.per_person_chart(municipal_frame.load(root))]}
    # every chart: each public function of kofukin.report.charts and of every page module that draws a figure
    modules = [charts] + [import_module(f"kofukin.pages.{m.name}") for m in pkgutil.iter_modules(pages.__path__)]
    assert set(figures) == {n for module in modules for n, f in inspect.getmembers(module, inspect.isfunction)
                            if f.__module__ == module.__name__ and not n.startswith("_") and "plt.subplots(" in inspect.getsource(f)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for make in (m for makes in figures.values() for m in makes):
            fig = make()
            fig.canvas.draw()
            display.plt.close(fig)


def test_table_html_escapes_strings_from_data():
    import pandas as pd
    out = display.table_html(pd.DataFrame({"名称<b>": ["<script>alert(1)</script>", "1,234"]}))
    assert "<script>" not in out and "&lt;script&gt;" in out and "名称&lt;b&gt;" in out
    assert '<td class="num">1,234</td>' in out


def test_synthetic_notice_disappears_with_real_data(pages):
    nb = nbformat.read(pages / "profile_13.ipynb", as_version=4)
    real = to_html(nb, "t", notice="", inputs=[pages / "profile_13.ipynb"], data_label="real")
    fake = to_html(nb, "t", notice=notice([2018], [2018, 2019]), inputs=[pages / "profile_13.ipynb"], data_label="real")
    assert "<strong>合成データ</strong>" not in real and "<strong>合成データ</strong>" in fake
    assert fake.count("2018年度の数値は合成データです") == 2 and "このページの個別の数値は" not in fake


def test_index_links_every_page_and_states_the_data(built, tmp_path):
    national, profs = national_pages(2019, 2018, 2025), profile_page.declare(Edition(2019, 2018, 2025))
    write_index(tmp_path / "index.html", built["_dir"] / "manifest.json", national, profs)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    for p in national + profs:
        assert f'href="{p.name}.html"' in page
    assert "合成データ" in page and "評価年度 2019" in page and "http" not in page


def test_the_index_is_rebuilt_when_a_citation_changes():
    """The index lists every sidecar's citation (model.sources): each sidecar is a dependency of its task."""
    code = "import json, runpy; print(json.dumps(runpy.run_path('dodo.py')['task_index']()['file_dep']))"
    out = subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, capture_output=True, text=True, check=True)
    sidecars = {str(p) for p in paths.RAW.rglob("*.meta.yaml")}
    assert len(sidecars) >= 8 and sidecars <= set(json.loads(out.stdout))


def test_a_page_cites_the_sources_of_its_own_data():
    """The footer's 出典 are the sidecars' citations of the raw files a page's data come from: the FY2019 documents
    and the census on the report's pages, the ministry's 集計表 (not the FY2019 documents) on the committee paper's;
    a task passes them to its page and is rebuilt when they change (config_changed)."""
    cfg = load_config()
    report, current = citations_of(raw_read(cfg)), citations_of(current_raw_files(cfg))
    assert report[:2] == ["厚生労働省老健局「保険者機能強化推進交付金 <参考資料>」（令和元年9月27日）", "総務省統計局 令和2年国勢調査"]
    assert "厚生労働省老健局「令和7年度当初予算案」" in report and not any("集計表" in c for c in report)
    assert any("集計表" in c for c in current) and not any("参考資料" in c or "予算案" in c for c in current)
    code = ("import json, runpy; d = runpy.run_path('dodo.py'); t = next(d['task_national']()); "
            "print(json.dumps([t['actions'][0][1][-1], t['uptodate'][0].config['sources'], d['COMMITTEE_SOURCES']]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [report, report, current]


def test_doit_list_reads_as_a_table_of_contents():
    out = subprocess.run([sys.executable, "-m", "doit", "list"], cwd=paths.ROOT, capture_output=True, text=True, check=True)
    tasks = dict(line.split(None, 1) for line in out.stdout.strip().splitlines())
    assert set(tasks) == {"data", "current_data", "municipal_data", "national", "profile", "municipal", "municipal_index", "municipal_pdf",
                          "tables", "current_tables", "scenario_table", "scenario", "api", "index", "assets", "pdf", "pdf_national",
                          "committee_data", "committee", "municipal_docx"}
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", doc) for doc in tasks.values())


def test_a_page_built_twice_is_byte_identical_in_html_and_pdf(built, pages, tmp_path):
    """Same inputs, same bytes: no timestamps or random ids in the HTML, fixed PDF metadata."""
    processed = built["_dir"]
    profile = profile_page.declare(Edition(2019, 2018, 2025))[12]
    build_page(str(profile.source), {**profile.parameters, "project_dir": str(processed.parents[1])},
               str(tmp_path / "again.html"), str(tmp_path / "again.ipynb"), profile.title,
               str(processed / "profiles" / "13.json"), [str(processed / "profiles" / "13.json")], "test", {}, profile.years)
    assert (tmp_path / "again.html").read_bytes() == (pages / "profile_13.html").read_bytes()
    html_to_pdf(str(pages / "profile_13.html"), str(tmp_path / "a.pdf"))
    html_to_pdf(str(tmp_path / "again.html"), str(tmp_path / "b.pdf"))
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    merge([str(tmp_path / "a.pdf")] * 2, str(tmp_path / "m1.pdf"))
    merge([str(tmp_path / "b.pdf")] * 2, str(tmp_path / "m2.pdf"))
    assert (tmp_path / "m1.pdf").read_bytes() == (tmp_path / "m2.pdf").read_bytes()


def test_a_page_does_not_depend_on_the_pages_run_before_it_in_the_build_process(built, pages, tmp_path):
    """A build process runs its pages in its own IPython shell (its namespace cleared between them). The fixture
    built national, then profile_13; here a new shell runs profile_13 first, then items and municipal, then national."""
    from kofukin.make import render

    render._shell.cache_clear()
    processed = built["_dir"]
    params = {"project_dir": str(processed.parents[1])}
    flags = str(processed / "vintage.json")
    profile = profile_page.declare(Edition(2019, 2018, 2025))[12]
    build_page(str(profile.source), {**profile.parameters, **params}, str(tmp_path / "profile_13.html"),
               str(tmp_path / "profile_13.ipynb"), profile.title, str(processed / "profiles" / "13.json"),
               [str(processed / "profiles" / "13.json")], "test", {}, profile.years)
    national, items, municipal = national_pages(2019, 2018, 2025)[:3]
    for page in (items, municipal, national):
        build_page(str(page.source), {**page.parameters, **params}, str(tmp_path / f"{page.name}.html"),
                   str(tmp_path / f"{page.name}.ipynb"), page.title, flags, [flags], "test", page.shows, page.years)
    for name in ("profile_13", "national"):
        assert (tmp_path / f"{name}.html").read_bytes() == (pages / f"{name}.html").read_bytes(), name


def test_names_a_page_defined_are_gone_for_the_next_page(tmp_path):
    """The shell's namespace is cleared between pages: a name the first notebook set (and one it imported) is
    undefined in the second, while the shell's own names still work."""
    from kofukin.make import render

    first, second = tmp_path / "first.py", tmp_path / "second.py"
    first.write_text("# %%\nleftover = 1\nimport json as also_left\n", encoding="utf-8")
    second.write_text("# %%\nprint(sorted({'leftover', 'also_left'} & set(dir())), callable(get_ipython))\n",
                      encoding="utf-8")
    render._execute(first, {}, tmp_path / "first.ipynb")
    nb = render._execute(second, {}, tmp_path / "second.ipynb")
    assert nb.cells[-1].outputs[0]["text"] == "[] True\n"


FONTTOOLS_ADVISORY = "Using fontTools instead of HarfBuzz-Subset"   # README "Reproducible bytes"


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_a_pdf_has_the_same_bytes_whichever_font_subsetter_and_clock(pages, tmp_path, monkeypatch, caplog, subsetter):
    """Without libharfbuzz-subset WeasyPrint subsets the font with fontTools, which stamps the clock into it."""
    import time

    import weasyprint.pdf.fonts

    if subsetter == "harfbuzz" and weasyprint.pdf.fonts.harfbuzz_subset is None:
        pytest.skip("libharfbuzz-subset is not installed")
    if subsetter == "fonttools":
        monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    html_to_pdf(str(pages / "profile_13.html"), str(tmp_path / "a.pdf"))
    later = time.time() + 86_400 * 400
    monkeypatch.setattr(time, "time", lambda: later)
    html_to_pdf(str(pages / "profile_13.html"), str(tmp_path / "b.pdf"))
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    used_fonttools = any(FONTTOOLS_ADVISORY in rec.getMessage() for rec in caplog.records)
    assert used_fonttools == (subsetter == "fonttools")


def test_building_a_page_and_its_pdf_logs_no_warning_or_error(built, tmp_path, caplog, monkeypatch):
    """Libraries' warnings count even where their loggers are silent during a build (issue 13 §4). One
    advisory is allowed: WeasyPrint's note that it subsets fonts with fontTools, whose timestamp
    kofukin fixes (the test above); shown here by forcing that path."""
    import logging

    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    loggers = ["weasyprint", "papermill", "nbconvert", "matplotlib", "fontTools", "pypdf", "traitlets"]
    for name in loggers:
        caplog.set_level(logging.WARNING, logger=name)
    processed = built["_dir"]
    root = processed.parents[1]
    yoy = national_pages(2019, 2018, 2025)[3]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build_page(str(yoy.source), {**yoy.parameters, "project_dir": str(root)},
                   str(tmp_path / "yoy.html"), str(tmp_path / "yoy.ipynb"), yoy.title,
                   str(processed / "vintage.json"), [str(processed / "vintage.json")], "test", yoy.shows, yoy.years)
        html_to_pdf(str(tmp_path / "yoy.html"), str(tmp_path / "yoy.pdf"))
    records = [f"{r.name} {r.levelname}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.WARNING]
    advisory = [r for r in records if r.startswith("weasyprint WARNING: " + FONTTOOLS_ADVISORY)]
    assert advisory and [r for r in records if r not in advisory] == []
    assert [f"{w.category.__name__}: {w.message}" for w in caught] == []
    nb = nbformat.read(tmp_path / "yoy.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"] == []
    page = (tmp_path / "yoy.html").read_text(encoding="utf-8")
    assert "アウトカム指標の上位10のうち順位が上がった都道府県（本データ）" in page and "得点のばらつき" in page


def test_a_workbook_has_the_same_bytes_at_another_time(monkeypatch):
    import io
    import time
    import zipfile

    from kofukin.report.exports import workbook_bytes

    tables = {"交付額": pd.DataFrame({"都道府県": ["東京都"], "交付額（千円）": [21_276]})}
    first = workbook_bytes(tables, notice="合成データです。", title="例")
    later = time.time() + 86_400 * 400
    monkeypatch.setattr(time, "time", lambda: later)
    assert workbook_bytes(tables, notice="合成データです。", title="例") == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {m.date_time for m in archive.infolist()} == {(2020, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert core.count("2020-01-01T00:00:00Z") == 2, core


def test_api_reference_has_the_same_bytes_whatever_the_hash_seed(tmp_path, monkeypatch):
    """pdoc prints set-valued defaults (the dash, yes and no words of intake.normalise) in hash order."""
    from kofukin.make.apidocs import build_api_docs

    built = {}
    for seed in ("1", "2"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        build_api_docs(tmp_path / seed)
        built[seed] = {p.relative_to(tmp_path / seed): p.read_bytes() for p in (tmp_path / seed).rglob("*") if p.is_file()}
    assert built["1"] == built["2"]
    assert "非該当" in built["1"][Path("kofukin/intake/normalise.html")].decode()     # the sets are printed


def test_a_failing_cell_names_its_file_cell_and_line_and_the_process_is_left_as_it_was(tmp_path):
    """A cell that raises stops its page with a PageError naming the notebook, the cell as numbered in the file,
    the exception and the line of the page's code; nothing is written, and stdout, the working folder, IPython's
    current shell and matplotlib's figures are as before the page."""
    import os

    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell

    from kofukin.make import render

    page = tmp_path / "fails.py"
    page.write_text("# %% [markdown]\n# 見出し\n\n# %%\nimport matplotlib.pyplot as plt\nfig = plt.figure()\n"
                    "print('before')\n\n# %%\ndef lookup(table):\n    return table['missing']\n\n\nlookup({})\n",
                    encoding="utf-8")
    stdout, cwd, shell, figures = sys.stdout, os.getcwd(), InteractiveShell._instance, plt.get_fignums()
    with pytest.raises(render.PageError) as failed:
        render._execute(page, {}, tmp_path / "fails.ipynb")
    message = str(failed.value)
    assert message.startswith("fails.py, cell 3 of the file ('def lookup(table):'): KeyError: 'missing'"), message
    assert "return table['missing']" in message and isinstance(failed.value.__cause__, KeyError)
    assert not (tmp_path / "fails.ipynb").exists()
    assert (sys.stdout, os.getcwd(), InteractiveShell._instance) == (stdout, cwd, shell)
    assert plt.get_fignums() == figures


def test_a_page_leaves_no_figure_result_or_terminal_width_to_the_next(tmp_path, monkeypatch):
    """A figure one page left open is closed before the next page draws; the last result of a page is not kept
    (no Out cache); what a page prints is 80 columns wide whatever the terminal; images from _repr_png_ are
    stored base64 as a kernel stores them."""
    import matplotlib.pyplot as plt

    from kofukin.make import render

    monkeypatch.setenv("COLUMNS", "250")
    figures = plt.get_fignums()          # the test process's own (other tests may have left some): kept
    first, second = tmp_path / "first.py", tmp_path / "second.py"
    first.write_text("# %%\nimport matplotlib.pyplot as plt\n_ = plt.figure()\n'secret of the first page'\n", encoding="utf-8")
    second.write_text("# %%\nimport matplotlib.pyplot as plt\nimport pandas as pd\n"
                      "class Png:\n    def _repr_png_(self):\n        return b'\\x89PNG'\n"
                      "display(Png())\nprint(plt.get_fignums(), __name__, dict(Out))\n"
                      "print(pd.DataFrame({f'column_{i}': [i] for i in range(12)}))\n", encoding="utf-8")
    render._execute(first, {}, tmp_path / "first.ipynb")
    outputs = render._execute(second, {}, tmp_path / "second.ipynb").cells[-1].outputs
    assert outputs[0]["data"]["image/png"] == "iVBORw=="
    text = outputs[1]["text"].splitlines()
    assert text[0] == f"{figures} __kofukin_page__ {{}}"
    assert max(len(line) for line in text[1:]) <= 80 and any(line.endswith("\\") for line in text[1:]), text


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGALRM"), reason="no alarm signal (Windows): no cell time limit")
def test_a_cell_running_over_the_time_limit_stops_its_page(tmp_path, monkeypatch):
    """Even where the page catches every Exception, the limit stops it."""
    from kofukin.make import render

    monkeypatch.setattr(render, "CELL_TIMEOUT", 1)
    page = tmp_path / "slow.py"
    page.write_text("# %%\nimport time\ntry:\n    time.sleep(5)\nexcept Exception:\n    pass\n", encoding="utf-8")
    with pytest.raises(render.PageError, match=r"slow.py, cell 1 of the file \('import time'\): CellTimeout: the cell ran over 1 s"):
        render._execute(page, {}, tmp_path / "slow.ipynb")
