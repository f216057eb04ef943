"""Where the Japanese font shipped by matplotlib-fontja (IPAexGothic) lies, found without importing matplotlib."""

import importlib.util
from pathlib import Path


def font_path() -> str:
    """Path of ipaexg.ttf inside the installed matplotlib-fontja package.

    >>> Path(font_path()).name
    'ipaexg.ttf'
    """
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib-fontja is not installed: pip install -e . installs it")
    return str(Path(spec.submodule_search_locations[0]) / "fonts" / "ipaexg.ttf")
