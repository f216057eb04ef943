"""Showing things in a report notebook: figures as fixed PNGs, escaped HTML tables, headings, key figures."""

import html
import io
import re

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Image, display

from kofukin.report import alttext

_NUMBER = re.compile(r"^[+\-−±]?[\d,]+(\.\d+)?%?$|^[+\-]?\d+ / \d+$")


def figure(fig, caption: str = "") -> None:
    """Display a figure as a PNG (fixed dpi, no metadata: the same bytes every build), its title and the figures
    its maker attached (``alttext.describe``) as alt text, and its ``caption`` (the 合成データ note) beneath it; None (a chart with nothing to show) displays nothing.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("例")
    >>> figure(fig)
    <IPython.core.display.Image object>
    """
    if fig is None:
        return
    text = alttext.alt(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    display(Image(data=buf.getvalue(), format="png", metadata={"alt": text}))
    synthetic_caption(caption)


def synthetic_caption(text: str) -> None:
    """The 合成データ note beside a chart or table (escaped); nothing when ``text`` is empty.

    >>> synthetic_caption("※ 合成データです。")
    <IPython.core.display.HTML object>
    """
    if text:
        display(HTML(f'<p class="note synthetic-caption">{html.escape(text)}</p>'))


def table_html(df: pd.DataFrame, links: list[str] | None = None, link_column: int = 1) -> str:
    """An HTML table with every header and cell escaped; numbers right-aligned; with ``links`` (one href per
    row) the cells of column ``link_column`` link to them.

    >>> table_html(pd.DataFrame({"都道府県": ["<北海道>"], "得点": ["12.5"]}))
    '<table><thead><tr><th>都道府県</th><th>得点</th></tr></thead><tbody><tr><td>&lt;北海道&gt;</td><td class="num">12.5</td></tr></tbody></table>'
    >>> table_html(pd.DataFrame({"市町村": ["甲町"]}), links=["a.html"], link_column=0)
    '<table><thead><tr><th>市町村</th></tr></thead><tbody><tr><td><a href="a.html">甲町</a></td></tr></tbody></table>'
    """
    def cell(value, href=None):
        text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        cls = ' class="num"' if _NUMBER.match(text) else ""
        inner = html.escape(text) if href is None else f'<a href="{html.escape(href)}">{html.escape(text)}</a>'
        return f"<td{cls}>{inner}</td>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(cell(v, links[r] if links is not None and i == link_column else None)
                                    for i, v in enumerate(row)) + "</tr>"
                   for r, row in enumerate(df.itertuples(index=False)))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def table(df: pd.DataFrame, empty: str | None = None, caption: str = "", links: list[str] | None = None,
          sortable: bool = False, link_column: int = 1) -> None:
    """Display a table (see table_html, ``links`` on its ``link_column``) in a box that scrolls sideways on a narrow
    screen (``table_box``), and its ``caption`` (the 合成データ note) beneath it; a table without rows shows ``empty``
    instead, when given. ``sortable``: the page's script lets a reader sort it by any column.

    >>> table(pd.DataFrame(), empty="データはありません。")
    <IPython.core.display.HTML object>
    """
    if df.empty and empty is not None:
        note(empty)
    else:
        display(HTML(table_box(table_html(df, links, link_column), sortable)))
        synthetic_caption(caption)


def table_box(markup: str, sortable: bool = False) -> str:
    """A table in its own box (class ``table-box`` in page.css): at 420 px it scrolls inside it, not the page;
    focusable, so a keyboard can scroll it. ``sortable`` marks the table for the page's script (kofukin.js).

    >>> table_box("<table><tr><td>1</td></tr></table>", sortable=True)
    '<div class="table-box" tabindex="0"><table class="sortable"><tr><td>1</td></tr></table></div>'
    """
    if sortable:
        markup = markup.replace("<table>", '<table class="sortable">', 1)
    return f'<div class="table-box" tabindex="0">{markup}</div>'


def details(summary: str, df: pd.DataFrame) -> None:
    """A long table folded under its ``summary`` (a click opens it; printed open); nothing for no rows.

    >>> details("すべての枝番", pd.DataFrame({"枝番": ["ア"]}))
    <IPython.core.display.HTML object>
    """
    if not df.empty:
        display(HTML(f'<details class="long"><summary>{html.escape(summary)}（{len(df)}件）</summary>{table_box(table_html(df))}</details>'))


def chart(markup: str) -> None:
    """Display an HTML chart made by ``kofukin.report.htmlcharts`` (its text already escaped there).

    >>> chart('<figure class="hchart"></figure>')
    <IPython.core.display.HTML object>
    """
    display(HTML(markup))


def link(text: str, href: str) -> None:
    """A paragraph with one link (both escaped).

    >>> link("市町村別の一覧", "municipal/13/index.html")
    <IPython.core.display.HTML object>
    """
    display(HTML(f'<p><a href="{html.escape(href)}">{html.escape(text)}</a></p>'))


def links(pairs: list[tuple[str, str]]) -> None:
    """A paragraph per (text, href) link; nothing for none.

    >>> links([("市町村別の一覧", "municipal/13/index.html")])
    <IPython.core.display.HTML object>
    """
    for text, href in pairs:
        link(text, href)


def heading(text: str, level: int = 2) -> None:
    """A section heading whose text may come from data (escaped).

    >>> heading("合計点 & 順位")
    <IPython.core.display.HTML object>
    """
    display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


def paragraph(text: str) -> None:
    """A paragraph of the page's text written from data (a page module's sentences), escaped.

    >>> paragraph("減点（−10点）です。")
    <IPython.core.display.HTML object>
    """
    display(HTML(f"<p>{html.escape(text)}</p>"))


def note(text: str) -> None:
    """A muted explanatory paragraph (escaped).

    >>> note("合成データです。")
    <IPython.core.display.HTML object>
    """
    display(HTML(f'<p class="note">{html.escape(text)}</p>'))


def key_figures(pairs: list[tuple[str, str]]) -> None:
    """A row of key figures: (label, value) pairs, both escaped.

    >>> key_figures([("合計点", "584点")])
    <IPython.core.display.HTML object>
    """
    cells = "".join(f'<div><span class="v">{html.escape(v)}</span><span class="l">{html.escape(k)}</span></div>'
                    for k, v in pairs)
    display(HTML(f'<div class="kpi">{cells}</div>'))
