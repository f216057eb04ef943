"""The report kit every page shares (a page's own tables, sentences and charts are in ``kofukin.pages.<page>``): the
processed tables loaded (``load``), the penalty, shared charts, display, the tile map, the house style and CSS, units,
writing CSV and Excel. Uses the model and scenarios; never a page.

``load`` and ``Report`` are one import away: ``from kofukin import report; r = report.load()``.
"""

from importlib import import_module


def __getattr__(name: str):
    if name in ("load", "load_grants", "Report"):
        return getattr(import_module("kofukin.report.data"), name)
    raise AttributeError(f"module 'kofukin.report' has no attribute {name!r}")
