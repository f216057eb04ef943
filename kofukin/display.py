"""Showing things in a report notebook: figures as fixed PNGs, escaped HTML tables, headings, key figures."""

import html
import io
import re

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Image, display

_NUMBER = re.compile(r"^[+\-−±]?[\d,]+(\.\d+)?%?$|^[+\-]?\d+ / \d+$")


def figure(fig) -> None:
    """Display a figure as a PNG (fixed dpi, no metadata: the same bytes every build), its title as alt text;
    None (a chart with nothing to show) displays nothing."""
    if fig is None:
        return
    title = fig._suptitle.get_text() if fig._suptitle else fig.axes[0].get_title()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    display(Image(data=buf.getvalue(), format="png", metadata={"alt": title}))


def table_html(df: pd.DataFrame) -> str:
    """An HTML table with every header and cell escaped; numbers right-aligned."""
    def cell(tag, value):
        text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        cls = ' class="num"' if _NUMBER.match(text) else ""
        return f"<{tag}{cls}>{html.escape(text)}</{tag}>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(cell("td", v) for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def table(df: pd.DataFrame, empty: str | None = None) -> None:
    """Display a table (see table_html); a table without rows shows ``empty`` instead, when given."""
    if df.empty and empty is not None:
        note(empty)
    else:
        display(HTML(table_html(df)))


def heading(text: str, level: int = 2) -> None:
    """A section heading whose text may come from data (escaped)."""
    display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


def note(text: str) -> None:
    """A muted explanatory paragraph (escaped)."""
    display(HTML(f'<p class="note">{html.escape(text)}</p>'))


def key_figures(pairs: list[tuple[str, str]]) -> None:
    """A row of key figures: (label, value) pairs, both escaped."""
    cells = "".join(f'<div><span class="v">{html.escape(v)}</span><span class="l">{html.escape(k)}</span></div>'
                    for k, v in pairs)
    display(HTML(f'<div class="kpi">{cells}</div>'))
