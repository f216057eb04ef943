"""The API reference of kofukin, generated from its docstrings by pdoc (reports/api/)."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def build_api_docs(out: Path | str) -> None:
    """Write the API reference into ``out`` (replaced whole: a failed run leaves the previous one).

    >>> build_api_docs(tmp / "api")
    >>> sorted(p.name for p in (tmp / "api").iterdir())[:3]
    ['index.html', 'kofukin', 'kofukin.html']
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        subprocess.run([sys.executable, "-m", "pdoc", "--docformat", "restructuredtext", "--no-show-source",
                        "--footer-text", "kofukin", "-o", str(staging), "kofukin"],
                       check=True, capture_output=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        old = out.with_name(f".{out.name}.old")
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
