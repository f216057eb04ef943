"""The report: what the pages show — the processed tables loaded (``load``), numeric figures, display tables,
charts, the tile map, the house style, and exports to CSV and Excel. Uses the model and scenarios.

``load`` and ``Report`` are one import away: ``from kofukin import report; r = report.load()``.
"""

from importlib import import_module


def __getattr__(name: str):
    if name in ("load", "load_grants", "Report"):
        return getattr(import_module("kofukin.report.data"), name)
    raise AttributeError(f"module 'kofukin.report' has no attribute {name!r}")
