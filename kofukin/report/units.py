"""Number formats of report text (千円 with thousands separators, ratios as percentages) and the mark of synthetic rows."""

# a table's last column on every row of synthetic figures (a CSV travels alone: each row says what it is)
KIND_COLUMN, SYNTHETIC = "データの種類", "合成データ"


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


def rate_label(x: float) -> str:
    """A score rate as the ministry words it: whole tenths as 割, anything else as a percentage.

    >>> rate_label(0.3), rate_label(0.25), rate_label(0.35), rate_label(0.325)
    ('3割', '25%', '35%', '32.5%')
    """
    tenths = round(10 * x, 9)
    if tenths.is_integer():
        return f"{int(tenths)}割"
    return pct(x, 0) if round(100 * x, 9).is_integer() else pct(x)


def points(x: int) -> str:
    """Points with their sign, a minus as a minus sign (−), e.g. the penalty.

    >>> points(-10), points(5), points(0)
    ('−10点', '+5点', '0点')
    """
    return f"{x:+d}点".replace("-", "−") if x else "0点"


def oku_yen(thousand_yen: int) -> str:
    """An amount in 千円 as the ministry rounds it in prose: 約N億円 (1億円 = 100,000千円).

    >>> oku_yen(1_000_000), oku_yen(1_200_000), oku_yen(19_000_000), oku_yen(502_586)
    ('約10億円', '約12億円', '約190億円', '約5億円')
    """
    return f"約{thousand_yen / 100_000:,.0f}億円"


def fiscal_year_label(year: int) -> str:
    """A fiscal year in the era the budget documents use (令和, from FY2019).

    >>> fiscal_year_label(2025), fiscal_year_label(2019)
    ('令和7年度', '令和元年度')
    """
    if year < 2019:
        raise ValueError(f"{year}: before 令和 — give a fiscal year from 2019")
    n = year - 2018
    return f"令和{'元' if n == 1 else n}年度"
