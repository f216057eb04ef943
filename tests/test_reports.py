"""Report pages: thin notebooks, offline HTML with the 合成データ notice, charts with Japanese glyphs, PDFs."""

import re
import subprocess
import sys
import warnings

import jupytext
import nbformat
import pandas as pd
import papermill
import pytest
from pypdf import PdfReader

from kofukin import report
from kofukin.report import charts, display, profile as profiles

from kofukin.model import paths
from kofukin.build.pdf import html_to_pdf, merge
from kofukin.build.render import build_page, to_html
from kofukin.build.pages import national_pages, profile_pages
from kofukin.build.toc import write_index
from kofukin.model.vintage import notice

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("*.py"))


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_and_no_logic(source):
    nb = jupytext.read(source)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"^\s*(def|class) |import pandas|groupby|\.merge\(", code, re.M), "logic belongs in kofukin"


def test_pages_pass_only_parameters_their_notebooks_declare(tmp_path):
    for page in national_pages(2019, 2018) + profile_pages(2019)[:1]:
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
    national = national_pages(2019, 2018)[0]
    build_page(str(national.source), {**national.parameters, "processed_dir": str(processed),
                                      "raw_dir": str(root / "data" / "raw"), "config_path": str(root / "config" / "kofukin.yaml")},
               str(out / "national.html"), str(out / "national.ipynb"), national.title,
               str(processed / "vintage.json"), [str(processed / "vintage.json")], "test", national.shows, national.years)
    profile = profile_pages(2019)[12]
    build_page(str(profile.source), {**profile.parameters, "profiles_dir": str(processed / "profiles")},
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
    alts = re.findall(r'<img alt="([^"]*)"', page)
    assert len(alts) == page.count("<img") and all(alts) and "No description" not in page
    assert "<script" not in page and "jp-InputArea" not in page.split("<main>")[0]
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


def test_every_chart_renders_japanese_without_missing_glyphs(built):
    root = built["_dir"].parents[1]
    r = report.load(built["_dir"], root / "data" / "raw", root / "config" / "kofukin.yaml")
    b = profiles.load(built["_dir"] / "profiles" / "01.json")
    figures = [lambda: charts.prefecture_stack(r), lambda: charts.allocation_bars(r), lambda: charts.rank_scatter(r),
               lambda: charts.municipal_stack(r, 2019), lambda: charts.municipal_distribution(r, 2019),
               lambda: charts.rate_change(r), lambda: charts.frame_bars(r), lambda: charts.published_rates(r), lambda: charts.profile_categories(b),
               lambda: charts.profile_municipal(b)]
    figures += [lambda c=c: charts.item_averages(r, c) for c in r.items["category"].unique()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for make in figures:
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
    national, profs = national_pages(2019, 2018), profile_pages(2019)
    write_index(tmp_path / "index.html", built["_dir"] / "manifest.json", national, profs)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    for p in national + profs:
        assert f'href="{p.name}.html"' in page
    assert "合成データ" in page and "評価年度 2019" in page and "http" not in page


def test_doit_list_reads_as_a_table_of_contents():
    out = subprocess.run([sys.executable, "-m", "doit", "list"], cwd=paths.ROOT, capture_output=True, text=True, check=True)
    tasks = dict(line.split(None, 1) for line in out.stdout.strip().splitlines())
    assert set(tasks) == {"data", "national", "profile", "tables", "scenario_table", "scenario", "api", "index", "pdf", "pdf_national"}
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", doc) for doc in tasks.values())


def test_a_page_built_twice_is_byte_identical_in_html_and_pdf(built, pages, tmp_path):
    """Same inputs, same bytes: no timestamps or random ids in the HTML, fixed PDF metadata."""
    processed = built["_dir"]
    profile = profile_pages(2019)[12]
    build_page(str(profile.source), {**profile.parameters, "profiles_dir": str(processed / "profiles")},
               str(tmp_path / "again.html"), str(tmp_path / "again.ipynb"), profile.title,
               str(processed / "profiles" / "13.json"), [str(processed / "profiles" / "13.json")], "test", {}, profile.years)
    assert (tmp_path / "again.html").read_bytes() == (pages / "profile_13.html").read_bytes()
    html_to_pdf(str(pages / "profile_13.html"), str(tmp_path / "a.pdf"))
    html_to_pdf(str(tmp_path / "again.html"), str(tmp_path / "b.pdf"))
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    merge([str(tmp_path / "a.pdf")] * 2, str(tmp_path / "m1.pdf"))
    merge([str(tmp_path / "b.pdf")] * 2, str(tmp_path / "m2.pdf"))
    assert (tmp_path / "m1.pdf").read_bytes() == (tmp_path / "m2.pdf").read_bytes()


def test_workbook_opens_and_its_sheets_equal_the_csv_tables(built, tmp_path):
    from openpyxl import load_workbook

    from kofukin.report.exports import build_report_tables
    from kofukin.build.pages import TABLE_SHEETS

    processed = built["_dir"]
    root = processed.parents[1]
    build_report_tables(str(processed), str(root / "data" / "raw"), str(root / "config" / "kofukin.yaml"),
                        str(tmp_path / "tables"), str(tmp_path / "k.xlsx"))
    wb = load_workbook(tmp_path / "k.xlsx")
    assert wb.sheetnames == ["注記", *TABLE_SHEETS]
    assert wb["注記"]["A2"].value.startswith("合成データ")
    for name in TABLE_SHEETS:
        ws = wb[name]
        rows = list(ws.values)
        sheet = pd.DataFrame(rows[1:], columns=rows[0])
        csv = pd.read_csv(tmp_path / "tables" / f"{name}.csv", dtype={"都道府県コード": str, "市町村コード": str})
        assert ws.freeze_panes == "A2" and ws["A1"].font.bold
        pd.testing.assert_frame_equal(sheet, csv, check_dtype=False, obj=name)
        for j, header in enumerate(rows[0], start=1):
            if "（千円）" in header:
                assert ws.cell(2, j).number_format == "#,##0", (name, header)
    amounts = pd.DataFrame(list(wb["交付額"].values)[1:], columns=list(wb["交付額"].values)[0])
    assert amounts["交付額（千円）"].sum() == built["prefecture_allocation"]["amount_thousand_yen"].sum()
