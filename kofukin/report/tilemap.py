"""A tile-grid map of Japan: one square per prefecture, drawn offline with matplotlib (no tiles, no shapes)."""

import matplotlib as mpl
import pandas as pd

# (column, row) of each prefecture, row 0 at the top: Hokkaido top right, Okinawa bottom left.
TILES = {
    "01": (12, 0), "02": (12, 1), "05": (11, 2), "03": (12, 2), "17": (8, 3), "16": (9, 3), "15": (10, 3),
    "06": (11, 3), "04": (12, 3), "32": (2, 4), "31": (3, 4), "28": (4, 4), "26": (5, 4), "25": (6, 4),
    "18": (7, 4), "21": (8, 4), "20": (9, 4), "10": (10, 4), "09": (11, 4), "07": (12, 4), "40": (0, 5),
    "35": (1, 5), "34": (2, 5), "33": (3, 5), "27": (4, 5), "29": (5, 5), "24": (6, 5), "23": (7, 5),
    "19": (8, 5), "11": (9, 5), "08": (10, 5), "41": (0, 6), "44": (1, 6), "38": (2, 6), "37": (3, 6),
    "30": (4, 6), "22": (7, 6), "14": (8, 6), "13": (9, 6), "12": (10, 6), "42": (0, 7), "43": (1, 7),
    "39": (2, 7), "36": (3, 7), "46": (0, 8), "45": (1, 8), "47": (0, 9),
}


def short_name(name: str) -> str:
    """Tile label: the name without 都/府/県 (北海道 stays).

    >>> short_name("東京都"), short_name("北海道"), short_name("神奈川県")
    ('東京', '北海道', '神奈川')
    """
    return name if name == "北海道" else name[:-1]


def draw(ax, values: pd.Series, names: pd.Series, *, title: str, unit: str, cmap: str = "viridis",
         fmt: str = "{:.1f}", reverse: bool = False, center: float | None = None) -> None:
    """Fill each prefecture's tile by ``values`` (indexed by pref_code) with a colour bar naming ``unit``;
    ``center`` makes a diverging scale around it; a blank value leaves its tile grey.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> values = pd.Series({code: int(code) for code in TILES})
    >>> from kofukin.pages.page import prefectures
    >>> names = pd.Series({p["pref_code"]: p["pref_name"] for p in prefectures()})
    >>> draw(ax, values, names, title="都道府県コード", unit="コード", fmt="{:.0f}")
    >>> len(ax.patches)
    47
    """
    lo, hi = float(values.min()), float(values.max())
    if center is not None:
        span = max(abs(lo - center), abs(hi - center)) or 1.0
        norm = mpl.colors.TwoSlopeNorm(vcenter=center, vmin=center - span, vmax=center + span)
    else:
        norm = mpl.colors.Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1)
    colours = mpl.colormaps[cmap + ("_r" if reverse else "")]
    for code, (x, y) in TILES.items():
        v = values.get(code)
        fill = "#DDDDDD" if v is None or pd.isna(v) else colours(norm(v))
        ax.add_patch(mpl.patches.Rectangle((x, -y), 0.94, 0.94, facecolor=fill, edgecolor="white"))
        dark = v is not None and not pd.isna(v) and sum(mpl.colors.to_rgb(fill)) < 1.5
        ax.text(x + 0.47, -y + 0.6, short_name(names[code]), ha="center", va="center", fontsize=6.5,
                color="white" if dark else "black")
        ax.text(x + 0.47, -y + 0.28, "—" if v is None or pd.isna(v) else fmt.format(v), ha="center", va="center",
                fontsize=6, color="white" if dark else "black")
    ax.set_xlim(-0.2, 13.2)
    ax.set_ylim(-9.2, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)
    bar = ax.figure.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=colours), ax=ax, shrink=0.6, location="bottom",
                             pad=0.02)
    bar.set_label(unit)
