"""The committee paper as an editable Word document (python-docx): the page's sections as real Word tables,
its chart as an image, its sources; one .docx per municipality under reports/docx/<pref>/<muni_code>.docx.

Tables are written as WordprocessingML rows in one parse (python-docx's cell API costs milliseconds a cell), so
a prefecture's documents take seconds; the chart is drawn once per process on one reused matplotlib figure.
"""

import io
from datetime import datetime
from functools import cache
from pathlib import Path
from unicodedata import east_asian_width
from xml.sax.saxutils import escape

import pandas as pd
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from kofukin.model.io import BUILD_TIME, write_bytes_atomic, zip_fixed_times
from kofukin.pages import committee as page

FONT = "IPAexGothic"


def _cell(text: str, header: bool, numeric: bool, width: int) -> str:
    props = '<w:shd w:val="clear" w:color="auto" w:fill="E8ECEF"/>' if header else ""
    bold = "<w:b/>" if header else ""
    align = '<w:jc w:val="right"/>' if numeric and not header else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{props}</w:tcPr><w:p><w:pPr><w:spacing w:before="0" w:after="0"/>'
            f'{align}</w:pPr><w:r><w:rPr>{bold}<w:sz w:val="16"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>')


TEXT_WIDTH = 10205                  # twips (1/20 pt) between the margins: A4 less 2 × 15 mm
HALF, PADDING = 84, 300             # twips of a half-width character at 8 pt, and of a cell's padding and border (LibreOffice's too)


def _chars(text: str) -> int:
    """Width in half-width characters: a wide or ambiguous one (漢字, Ⅰ, ・) counts two in a Japanese font."""
    return sum(2 if east_asian_width(ch) in "WFA" else 1 for ch in text)


def column_widths(columns: list[str], rows: list[list[str]], total: int = TEXT_WIDTH) -> list[int]:
    """Each column's width in twips: its longest cell or heading, if the table fits; else the narrow columns keep
    theirs and the wide ones (e.g. an indicator's name, which wraps) share what is left equally.

    >>> column_widths(["目標", "指標名", "得点"], [["推進Ⅰ", "介護予防・日常生活支援総合事業の" * 8, "4"]])
    [804, 8765, 636]
    """
    natural = [PADDING + HALF * max([_chars(c)] + [_chars(r[i]) for r in rows]) for i, c in enumerate(columns)]
    widths, left = [0] * len(columns), total
    for k, i in enumerate(sorted(range(len(columns)), key=natural.__getitem__)):
        widths[i] = min(natural[i], left // (len(columns) - k))
        left -= widths[i]
    return widths


def _numeric(text: str) -> bool:
    return bool(text) and text.lstrip("+-").replace(",", "").replace(".", "").replace("%", "").replace(" / ", "").isdigit()


def add_table(doc, df: pd.DataFrame, empty: str = "") -> None:
    """A Word table (style Table Grid, header row repeated on every sheet) of ``df``'s text, parsed in one go and
    placed at the document's end; ``empty`` for no rows."""
    if df is None or df.empty:
        if empty:
            doc.add_paragraph(empty)
        return
    columns = [str(c) for c in df.columns]
    rows = [["" if v is None else str(v) for v in row] for row in df.itertuples(index=False)]
    widths = column_widths(columns, rows)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = ("<w:tr><w:trPr><w:tblHeader/></w:trPr>" + "".join(_cell(c, True, False, w) for c, w in zip(columns, widths))
            + "</w:tr>")
    body = "".join("<w:tr>" + "".join(_cell(v, False, _numeric(v), w) for v, w in zip(row, widths)) + "</w:tr>" for row in rows)
    tbl = parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{_table_style(doc)}"/>'
                    f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
                    f'<w:tblLook w:val="04A0" w:firstRow="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{head}{body}</w:tbl>')
    doc.element.body.insert(len(doc.element.body) - 1, tbl)          # before the section properties, last


def _table_style(doc) -> str:
    return doc.styles["Table Grid"].style_id


CHART_SERIES = [("この市町村", "#D55E00", 0.27), ("都道府県平均", "#0072B2", 0.0), ("全国平均", "#9E9E9E", -0.27)]


@cache
def _figure(labels: tuple[str, ...]):
    """The chart's figure, drawn once per process and set of labels: the documents change the bars' widths only."""
    import matplotlib
    matplotlib.use("Agg")
    from kofukin.report import style  # noqa: F401  (the house style: Japanese font)
    import matplotlib.pyplot as plt
    from matplotlib.layout_engine import PlaceHolderLayoutEngine
    fig, ax = plt.subplots(figsize=(6.2, 3.6))
    # Fixed margins, not the house style's constrained layout (a layout pass each savefig): set an engine, as a
    # figure without one takes the style's at its first savefig.
    fig.set_layout_engine(PlaceHolderLayoutEngine(adjust_compatible=True, colorbar_gridspec=True))
    fig.subplots_adjust(left=0.2, right=0.97, top=0.92, bottom=0.13)
    y = range(len(labels))
    bars = [ax.barh([i + off for i in y], [0] * len(labels), height=0.27, color=colour, label=name)
            for name, colour, off in CHART_SERIES]
    ax.set_yticks(list(y), labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("得点率（%）")
    ax.set_title("目標・指標群別の得点率")
    ax.legend(loc="lower right", fontsize=7.5)
    return fig, bars


def goal_chart_png(p: dict) -> bytes:
    """Section 2's chart as a PNG: each goal's and group's score rate beside the prefecture's and the nation's."""
    rows = (p["goals_groups"]["goals"] + p["goals_groups"]["groups"])[::-1]
    fig, bars = _figure(tuple(r["label"].replace("（推進・支援共通）", "（共通）") for r in rows))
    values = [[r["score"] for r in rows], [r["mean_prefecture"] or 0 for r in rows], [r["mean_national"] for r in rows]]
    for series, vals in zip(bars, values):
        for rect, v, r in zip(series, vals, rows):
            rect.set_width(100 * v / r["max_points"])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    return buf.getvalue()


def document(p: dict, citations: list[str]) -> bytes:
    """One municipality's committee paper as .docx bytes: sections 1–6, the chart, the sources (合成データ noted) and
    the ``citations`` of the published tables it is built from (its HTML page's 出典, ``sources.citations_of``)."""
    if not citations:
        raise ValueError("a committee paper cites the published statistics it is built from: no citations given")
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for s in doc.sections:
        s.page_width, s.page_height = Mm(210), Mm(297)          # A4 (python-docx's template is US Letter)
        s.left_margin = s.right_margin = Mm(15)
        s.top_margin = s.bottom_margin = Mm(15)
        s.header_distance = s.footer_distance = Mm(7)
        s.header.paragraphs[0].text = page.title(p) + (f"　{page.notice(p)}" if page.notice(p) else "")   # on every sheet
        s.header.paragraphs[0].runs[0].font.size = Pt(8)
        s.footer.paragraphs[0].alignment = 2                   # right
        s.footer.paragraphs[0]._p.append(parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    doc.add_heading(page.title(p), level=1)
    if page.notice(p):
        doc.add_paragraph(page.notice(p)).runs[0].bold = True
    doc.add_paragraph("　".join(f"{k}：{v}" for k, v in page.key_figures(p)))
    doc.add_heading("1. 全体の位置", level=2)
    doc.add_paragraph(page.standing_sentence(p))
    add_table(doc, page.standing_table(p))
    doc.add_paragraph("")
    add_table(doc, page.means_table(p["standing"]["rows"]))
    doc.add_heading("2. 目標別・指標群別", level=2)
    doc.add_picture(io.BytesIO(goal_chart_png(p)), width=Mm(150))
    units = p["goals_groups"]["goals"] + p["goals_groups"]["groups"]
    add_table(doc, page.unit_table(units))
    doc.add_paragraph("")
    add_table(doc, page.means_table(units))
    doc.add_heading("3. 枝番ごとの結果", level=2)
    doc.add_paragraph(page.missed_sentence(p))
    add_table(doc, page.branch_rows(p["branches"]["missed"]), "取りこぼしはありません。")
    doc.add_heading("成果指標（目標Ⅳ）で0点の枝番", level=3)
    add_table(doc, page.branch_rows(p["branches"]["missed_outcome"]), "ありません。")
    doc.add_heading(page.strengths_heading(p), level=3)
    add_table(doc, page.branch_rows(p["branches"]["strengths"]), "ありません。")
    doc.add_heading("4. 3年間の推移", level=2)
    add_table(doc, page.trend_table(p))
    doc.add_paragraph(page.trend_sentence(p))
    for heading, table in page.trend_lists(p):
        doc.add_heading(heading, level=3)
        add_table(doc, table, "ありません。")
    doc.add_heading("5. 得点の価値", level=2)
    add_table(doc, page.worth_table(p))
    doc.add_paragraph("")
    add_table(doc, page.targets_table(p))
    doc.add_paragraph("")
    add_table(doc, page.yen_table(p))
    doc.add_paragraph(page.yen_sentence(p))
    doc.add_heading("6. 都道府県内の位置", level=2)
    doc.add_paragraph(page.place_sentence(p))
    add_table(doc, page.distribution_table(p["prefecture"]["distribution"], p["prefecture"]["total"]))
    for heading, table in page.neighbour_tables(p):
        doc.add_heading(heading, level=3)
        add_table(doc, table)
    doc.add_heading("付録：すべての枝番", level=2)
    add_table(doc, page.branch_rows(p["branches"]["branches"]))
    doc.add_heading("出典", level=2)
    doc.add_paragraph(p["source"])
    doc.add_paragraph(f"出典（公表統計）：{'、'.join(citations)}。")
    doc.add_paragraph("集計：kofukin（data/processed/current_*.csv から計算。定義は docs/assumptions.md A42–A45）。")
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = page.title(p), "kofukin", "kofukin"
    props.created = props.modified = datetime(*BUILD_TIME)     # the same bundle gives the same bytes
    props.revision, props.comments = 1, ""        # not the template's 「generated by python-docx」
    buf = io.BytesIO()
    doc.save(buf)
    return zip_fixed_times(buf.getvalue())


def write_prefecture(folder: str, pref_code: str, out: str, citations: list[str]) -> None:
    """Every municipality's document of one prefecture (bundles under ``folder``) into ``out``, each atomically,
    citing ``citations``."""
    for bundle in sorted(Path(folder, pref_code).glob("*.json")):
        if bundle.stem == "index":
            continue
        write_bytes_atomic(Path(out) / f"{bundle.stem}.docx", document(page.read(folder, bundle.stem), citations))
