"""PDF pages printed from the HTML pages by WeasyPrint, with the IPAexGothic font embedded."""

import gc
import html
import io
import os
import re
from contextlib import contextmanager
from pathlib import Path

import lxml.html                   # installed with python-docx and nbconvert
from pypdf import PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from kofukin.report.fonts import font_path
from kofukin.model.io import BUILD_EPOCH, write_bytes_atomic

PRINT_CSS = f"""
@font-face {{ font-family: "kofukin-ja"; src: url("{Path(font_path()).as_uri()}"); }}
@page {{ size: A4; margin: 14mm 12mm 16mm;
  @bottom-right {{ content: counter(page) " / " counter(pages); font-family: "kofukin-ja"; font-size: 8pt; color: #5f6b76; }} }}
body {{ font-family: "kofukin-ja", sans-serif !important; }}
.strip svg.dots {{ position: absolute; left: 0; top: 0; overflow: visible; }}
.kpi {{ display: block !important; }} .kpi > div {{ display: inline-block; vertical-align: top; margin: 0 6px 6px 0; }}
.hb-row {{ display: table !important; width: 100%; }} .hb-row > * {{ display: table-cell !important; vertical-align: middle; }}
"""
# The key figures and the bar charts' rows as inline blocks and table rows, not flex boxes: the same look printed,
# and WeasyPrint's flex layout cost a tenth of a municipal page's printing time.
# A user stylesheet: the page's own CSS (its @media print rules, kofukin/report/page.css) wins over it, except
# where !important. Layout for print belongs there; here only the font and the sheet.


# Links between pages (e.g. a profile's link to its municipal index) resolve against this fixed base, not the
# HTML file's folder: the same page gives the same PDF bytes wherever it was built (pages embed their images).
BASE_URL = "file:///kofukin/reports/html/"


def html_to_pdf(html_path: str, pdf_path: str) -> None:
    """One PDF from one HTML page (A4, Japanese font embedded), written atomically.

    >>> _ = (tmp / "p.html").write_text("<h1>交付額</h1>", encoding="utf-8")
    >>> html_to_pdf(tmp / "p.html", tmp / "p.pdf")
    >>> (tmp / "p.pdf").read_bytes()[:5]
    b'%PDF-'
    """
    fonts = FontConfiguration()
    doc = HTML(string=dots_as_svg(Path(html_path).read_text(encoding="utf-8")), base_url=BASE_URL).render(
        stylesheets=[CSS(string=PRINT_CSS, font_config=fonts)], font_config=fonts)
    with _fixed_font_timestamp():
        pdf = doc.write_pdf()
    write_bytes_atomic(pdf_path, pdf)


# The font subset's 'head.modified' is BUILD_EPOCH: without HarfBuzz's subsetter WeasyPrint subsets
# with fontTools, which otherwise stamps the current second into the font and so into the PDF's bytes.


@contextmanager
def _fixed_font_timestamp():
    """fontTools reads SOURCE_DATE_EPOCH (reproducible-builds.org) for the timestamp it writes."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(BUILD_EPOCH)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


# A strip chart's dots (kofukin.report.htmlcharts.strip: one translucent <span> a municipality) printed as one
# SVG of circles: WeasyPrint lays out each span as an absolute box and writes each translucent one as a
# transparency group of its own, which was half of a municipal page's printing time and 80% of its PDF bytes.
DOTS = re.compile(r'(?:<span class="dot" style="left:[0-9.]+%"></span>)+')
DOT_LEFT = re.compile(r'left:([0-9.]+)%')


def dots_as_svg(page: str) -> str:
    """``page`` with every run of strip dots as one SVG drawing the same circles (the strip's CSS: 8 px, 4 px up).

    >>> dots_as_svg('<div class="strip"><span class="dot" style="left:1.5%"></span><span class="dot" style="left:20%"></span></div>')
    '<div class="strip"><svg class="dots" width="100%" height="30" fill="#8a959e" fill-opacity="0.6"><circle cx="1.5%" cy="22" r="4"/><circle cx="20%" cy="22" r="4"/></svg></div>'
    """
    def svg(run: re.Match) -> str:
        circles = "".join(f'<circle cx="{x}%" cy="22" r="4"/>' for x in DOT_LEFT.findall(run.group(0)))
        return f'<svg class="dots" width="100%" height="30" fill="#8a959e" fill-opacity="0.6">{circles}</svg>'
    return DOTS.sub(svg, page)


HIDDEN = ("jp-InputPrompt", "jp-OutputPrompt", "jp-Collapser")    # display: none in page.css


def unwrapped(body: str) -> str:
    """A page's body without nbconvert's wrappers: each div of a jp-* class replaced by its contents, the hidden
    ones (prompts, collapsers) dropped, so the book prints a fifth fewer boxes (page.css styles none of the others
    for print).

    >>> unwrapped('<div class="jp-Cell"><div class="jp-Collapser"></div><div class="jp-OutputArea"><p>表</p></div></div>')
    '<p>表</p>'
    """
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    for div in root.xpath('.//div[starts-with(@class, "jp-")]'):
        if set(div.get("class").split()) & set(HIDDEN):
            div.drop_tree()
        else:
            div.drop_tag()
    return lxml.html.tostring(root, encoding="unicode")[len("<div>"):-len("</div>")]


BOOK_CSS = PRINT_CSS + """
@page { @bottom-right { content: string(doc); } }
.running-title { string-set: doc content(); height: 0; margin: 0; overflow: hidden; }
main > section:first-child { break-before: auto !important; }
"""
BOOK_CHUNK = 20          # pages printed per WeasyPrint document: its memory grows with the document


def book_to_pdf(html_paths: list[str], pdf_path: str, title: str) -> None:
    """One PDF of several pages (a prefecture's municipal index and pages): each page from a new sheet, its
    title at the foot of every sheet; printed BOOK_CHUNK pages at a time and merged, so memory stays small.

    >>> for n in (1, 2):
    ...     _ = (tmp / f"{n}.html").write_text(f"<html><head><title>市{n}</title></head><body><main><h1>市{n}</h1></main></body></html>", encoding="utf-8")
    >>> book_to_pdf([tmp / "1.html", tmp / "2.html"], tmp / "book.pdf", "市町村")
    >>> from pypdf import PdfReader
    >>> [page.extract_text().split()[-1] for page in PdfReader(tmp / "book.pdf").pages]
    ['市1', '市2']
    """
    pages = [Path(p).read_text(encoding="utf-8") for p in html_paths]
    head = pages[0].split("<main>", 1)[0]
    sections = []
    for page in pages:
        name = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
        body = page.split("<main>", 1)[1].split("</main>", 1)[0]
        sections.append(f'<section style="break-before: page"><p class="running-title">{html.escape(name)}</p>'
                        f'{dots_as_svg(unwrapped(body))}</section>')
    writer = PdfWriter()
    for start in range(0, len(sections), BOOK_CHUNK):
        book = head + "<main>" + "".join(sections[start:start + BOOK_CHUNK]) + "</main></body></html>"
        fonts = FontConfiguration()
        doc = HTML(string=book, base_url=BASE_URL).render(
            stylesheets=[CSS(string=BOOK_CSS, font_config=fonts)], font_config=fonts)
        with _fixed_font_timestamp():
            writer.append(io.BytesIO(doc.write_pdf()))
        del doc, fonts
        gc.collect()                 # WeasyPrint keeps cycles: free each chunk before the next
    writer.add_metadata({"/Title": title})
    buf = io.BytesIO()
    writer.write(buf)
    write_bytes_atomic(pdf_path, buf.getvalue())


def merge(pdf_paths: list[str], pdf_path: str) -> None:
    """One PDF of several page PDFs, in order (no re-rendering).

    >>> _ = (tmp / "p.html").write_text("<p>1</p>", encoding="utf-8")
    >>> html_to_pdf(tmp / "p.html", tmp / "p.pdf")
    >>> merge([tmp / "p.pdf", tmp / "p.pdf"], tmp / "both.pdf")
    >>> from pypdf import PdfReader
    >>> len(PdfReader(tmp / "both.pdf").pages)
    2
    """
    writer = PdfWriter()
    for path in pdf_paths:
        writer.append(path)
    buf = io.BytesIO()
    writer.write(buf)
    write_bytes_atomic(pdf_path, buf.getvalue())


if __name__ == "__main__":          # python -m kofukin.make.pdf PAGE.html PAGE.pdf
    import sys

    html_to_pdf(sys.argv[1], sys.argv[2])
