"""House style of every chart: Japanese font shipped with matplotlib-fontja, palette, sizes."""

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager

from kofukin.report.fonts import font_path

FONT_PATH = font_path()
FONT_NAME = font_manager.FontProperties(fname=FONT_PATH).get_name()

# Okabe–Ito (colour-blind safe) then its lighter tints: 12 categories stay distinguishable.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#CC79A7", "#F0E442", "#000000",
           "#7FB8D8", "#F2CF7F", "#7FCEB9", "#E6AE7F"]
HIGHLIGHT = "#D55E00"
NEUTRAL = "#9E9E9E"
AVERAGE = "#333333"


def apply() -> None:
    """Set the house style for matplotlib and seaborn (idempotent).

    >>> apply()
    >>> import matplotlib.pyplot as plt
    >>> plt.rcParams["font.family"] == [FONT_NAME]
    True
    """
    font_manager.fontManager.addfont(FONT_PATH)
    sns.set_theme(style="whitegrid", palette=PALETTE, font=FONT_NAME)
    plt.rcParams.update({
        "font.family": FONT_NAME, "axes.unicode_minus": False, "figure.dpi": 110, "savefig.dpi": 150,
        "figure.figsize": (9, 4.5), "axes.titlesize": 12, "axes.labelsize": 10, "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5, "legend.fontsize": 8.5, "axes.titleweight": "normal",
        "figure.constrained_layout.use": True,
    })


apply()
