"""The API reference of kofukin, generated from its docstrings by pdoc (reports/api/)."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def build_api_docs(out: Path | str) -> None:
    """Write the API reference into ``out`` (replaced whole: a failed run leaves the previous one).
    The pages open offline: nothing in them points to the network.

    >>> build_api_docs(tmp / "api")
    >>> sorted(p.name for p in (tmp / "api").iterdir())[:3]
    ['index.html', 'kofukin', 'kofukin.html']
    >>> [p.name for p in (tmp / "api").rglob("*.*") if re.search(r"https?://", p.read_text(encoding="utf-8"))]
    []
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        subprocess.run([sys.executable, "-m", "pdoc", "--docformat", "restructuredtext", "--no-show-source",
                        "--footer-text", "kofukin", "-o", str(staging), "kofukin"],
                       check=True, capture_output=True, env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONHASHSEED": "0"})  # sets print in one order
        for page in [*staging.rglob("*.html"), *staging.rglob("*.js")]:
            page.write_text(offline(page.read_text(encoding="utf-8")), encoding="utf-8")
        old = out.with_name(f".{out.name}.old")
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def offline(page: str) -> str:
    """A pdoc page without network references: no "built with pdoc" link, no namespace URL on inline
    SVG (HTML does not need it), no URLs in the stylesheets' licence comments.

    >>> web = "https:" + "//"
    >>> offline(f'<a class="attribution" href="{web}pdoc.dev">pdoc</a><svg xmlns="http:' + '//www.w3.org/2000/svg">'
    ...         f'<style>/* ({web}x.org/L) */</style>')
    '<svg><style>/* (x.org/L) */</style>'
    """
    page = re.sub(r'<a class="attribution".*?</a>', "", page, flags=re.S)
    page = page.replace(" xmlns='http://www.w3.org/2000/svg'", "").replace(' xmlns="http://www.w3.org/2000/svg"', "")
    page = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"https?://", "", m.group(0)), page, flags=re.S)
    if re.search(r"https?://", page):
        raise ValueError(f"pdoc page still points to the network: {re.search(r'.{40}https?://.{40}', page).group(0)}")
    return page
