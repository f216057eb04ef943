"""Showing things in a report notebook: figures as fixed PNGs, escaped HTML tables, headings, key figures."""

import html
import io
import re

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Image, display

_NUMBER = re.compile(r"^[+\-−±]?[\d,]+(\.\d+)?%?$|^[+\-]?\d+ / \d+$")


def figure(fig, caption: str = "") -> None:
    """Display a figure as a PNG (fixed dpi, no metadata: the same bytes every build), its title as alt text,
    and its ``caption`` (the 合成データ note) beneath it; None (a chart with nothing to show) displays nothing.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("例")
    >>> figure(fig)
    <IPython.core.display.Image object>
    """
    if fig is None:
        return
    title = fig._suptitle.get_text() if fig._suptitle else fig.axes[0].get_title()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    display(Image(data=buf.getvalue(), format="png", metadata={"alt": title}))
    synthetic_caption(caption)


def synthetic_caption(text: str) -> None:
    """The 合成データ note beside a chart or table (escaped); nothing when ``text`` is empty.

    >>> synthetic_caption("※ 合成データです。")
    <IPython.core.display.HTML object>
    """
    if text:
        display(HTML(f'<p class="note synthetic-caption">{html.escape(text)}</p>'))


def table_html(df: pd.DataFrame) -> str:
    """An HTML table with every header and cell escaped; numbers right-aligned.

    >>> table_html(pd.DataFrame({"都道府県": ["<北海道>"], "得点": ["12.5"]}))
    '<table><thead><tr><th>都道府県</th><th>得点</th></tr></thead><tbody><tr><td>&lt;北海道&gt;</td><td class="num">12.5</td></tr></tbody></table>'
    """
    def cell(tag, value):
        text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        cls = ' class="num"' if _NUMBER.match(text) else ""
        return f"<{tag}{cls}>{html.escape(text)}</{tag}>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(cell("td", v) for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def table(df: pd.DataFrame, empty: str | None = None, caption: str = "") -> None:
    """Display a table (see table_html) and its ``caption`` (the 合成データ note) beneath it; a table without
    rows shows ``empty`` instead, when given.

    >>> table(pd.DataFrame(), empty="データはありません。")
    <IPython.core.display.HTML object>
    """
    if df.empty and empty is not None:
        note(empty)
    else:
        display(HTML(table_html(df)))
        synthetic_caption(caption)


def heading(text: str, level: int = 2) -> None:
    """A section heading whose text may come from data (escaped).

    >>> heading("合計点 & 順位")
    <IPython.core.display.HTML object>
    """
    display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


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
