"""Small charts drawn in HTML and CSS (classes in kofukin/report/page.css): light enough for a page per
municipality, crisp in print, their text real text in the page's font. Every chart has a text alternative."""

import html

SERIES_CLASSES = ("own", "pref", "size", "nation")      # bar colours, in order


def rate_bars(groups: list[tuple[str, list[tuple[str, float]]]], title: str) -> str:
    """Horizontal bars of score rates (0–1), one group per category, one bar per series.

    >>> page = rate_bars([("I", [("市", 0.5), ("全国", 0.25)])], "区分別の得点率")
    >>> 'style="width:50.0%"' in page, 'aria-label="区分別の得点率' in page
    (True, True)
    """
    alt = "; ".join(f"{g}: " + ", ".join(f"{s} {100 * v:.1f}%" for s, v in series) for g, series in groups)
    rows = []
    for group, series in groups:
        bars = "".join(
            f'<div class="hb-row"><span class="hb-series">{html.escape(s)}</span><span class="hb-track">'
            f'<span class="hb-bar {SERIES_CLASSES[i % len(SERIES_CLASSES)]}" style="width:{100 * min(max(v, 0), 1):.1f}%">'
            f'</span></span><span class="hb-val">{100 * v:.1f}%</span></div>'
            for i, (s, v) in enumerate(series))
        rows.append(f'<div class="hb-group"><div class="hb-name">{html.escape(group)}</div>{bars}</div>')
    return (f'<figure class="hchart" role="img" aria-label="{html.escape(title)}: {html.escape(alt)}">'
            f'<figcaption>{html.escape(title)}</figcaption>{"".join(rows)}</figure>')


def strip(scores: list[int], own: int, max_points: int, line: int | None, title: str, line_label: str) -> str:
    """One municipality's score among its neighbours': a dot per municipality on a 0–max scale, the
    municipality highlighted, an optional vertical line (e.g. the penalty level).

    >>> page = strip([100, 300, 300], 300, 600, 180, "県内の分布", "得点率3割")
    >>> page.count('class="dot"'), page.count('class="dot own"'), 'left:30.0%' in page
    (2, 1, True)
    """
    others = list(scores)
    if own in others:
        others.remove(own)
    def x(v):
        return f"{100 * min(max(v, 0), max_points) / max_points:.1f}%"
    dots = "".join(f'<span class="dot" style="left:{x(v)}"></span>' for v in others)
    mark = (f'<span class="strip-line" style="left:{x(line)}"><span>{html.escape(line_label)}</span></span>'
            if line is not None else "")
    alt = f"{len(scores)}団体の得点（0〜{max_points}点）のうち、この団体は{own}点"
    return (f'<figure class="hchart" role="img" aria-label="{html.escape(title)}: {html.escape(alt)}">'
            f'<figcaption>{html.escape(title)}</figcaption><div class="strip">{dots}{mark}'
            f'<span class="dot own" style="left:{x(own)}"></span></div>'
            f'<div class="strip-scale"><span>0点</span><span>{max_points}点</span></div></figure>')
