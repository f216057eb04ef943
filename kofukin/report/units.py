"""Number formats of report text: 千円 with thousands separators, ratios as percentages."""


def yen(x: float) -> str:
    """Thousands-separated integer, e.g. 1,234,567.

    >>> yen(1234567)
    '1,234,567'
    """
    return f"{x:,.0f}"


def pct(x: float, digits: int = 1) -> str:
    """A ratio as a percentage string, e.g. 0.789 → '78.9%'.

    >>> pct(0.8743), pct(0.02215, 2)
    ('87.4%', '2.21%')
    """
    return f"{100 * x:.{digits}f}%"
