"""The house style of every HTML page and of the report index: kofukin/report/page.css (light: no imports)."""

from pathlib import Path

CSS = (Path(__file__).parent / "page.css").read_text(encoding="utf-8")
