"""The offline search of the report set: reports/html/assets/search_index.js (every prefecture and municipality
with a page: code, name, where its page is) and the script that searches it and sorts tables (assets/kofukin.js).

The index is a script, not JSON: a folder opened from disk (file://) lets a page load a <script> but not fetch().
"""

import json
from pathlib import Path

from kofukin.model.io import write_all_atomic

ASSETS = Path(__file__).parent / "assets"
SCRIPT = "kofukin.js"                 # search box and sortable tables (every page loads it)
INDEX = "search_index.js"             # loaded by kofukin.js when a reader first uses a search box


def search_entries(bundles: Path, prefectures: list[str], profiles: dict[str, str] | None = None) -> dict:
    """The index: prefectures ``[code, name, page]`` and municipalities ``[code, name, pref_code]`` of the
    ``prefectures`` with municipal pages, from their municipal index bundles; a prefecture's page is its profile
    (``profiles``: pref_code → page name) where it has one, else its municipal index.

    >>> entries = search_entries(processed / "municipal", ["13", "47"], {"13": "profile_13"})
    >>> entries["prefectures"], len(entries["municipalities"]), entries["municipalities"][0]
    ([['13', '東京都', 'profile_13.html'], ['47', '沖縄県', 'municipal/47/index.html']], 103, ['S13001', '合成市町村13-001', '13'])
    """
    prefs, munis = [], []
    for code in sorted(prefectures):
        idx = json.loads((Path(bundles) / code / "index.json").read_text(encoding="utf-8"))
        page = f"{(profiles or {})[code]}.html" if code in (profiles or {}) else f"municipal/{code}/index.html"
        prefs.append([code, idx["pref_name"], page])
        munis += [[m["muni_code"], m["muni_name"], code] for m in idx["municipalities"]]
    return {"prefectures": prefs, "municipalities": munis}


def write_assets(out: Path | str, bundles: Path | str, prefectures: list[str], profiles: dict[str, str] | None = None) -> None:
    """Write ``out``/search_index.js and ``out``/kofukin.js together (doit task ``assets``).

    >>> write_assets(tmp / "assets", processed / "municipal", ["13"])
    >>> text = (tmp / "assets" / INDEX).read_text(encoding="utf-8")
    >>> text.startswith("window.KOFUKIN_SEARCH = {"), "合成市町村13-062" in text, (tmp / "assets" / SCRIPT).exists()
    (True, True, True)
    """
    entries = search_entries(Path(bundles), prefectures, profiles)
    index = "window.KOFUKIN_SEARCH = " + json.dumps(entries, ensure_ascii=False, separators=(",", ":")) + ";\n"
    out = Path(out)
    write_all_atomic({out / INDEX: index.encode("utf-8"), out / SCRIPT: (ASSETS / SCRIPT).read_bytes()})
