"""The raw files' provenance sidecars (data/raw/**/*.meta.yaml): how the reports cite their sources."""

from pathlib import Path

import yaml

from kofukin.model import paths


def sidecars(raw: Path = paths.RAW) -> list[Path]:
    """The provenance sidecars under ``raw``, sorted (what ``citations`` reads: the index's dependencies)."""
    return sorted(Path(raw).rglob("*.meta.yaml"))


def citations(raw: Path = paths.RAW) -> list[str]:
    """Every sidecar's ``citation`` entries, each once, in the order of the files under ``raw`` (sorted); an
    analyst's result files (data/raw/results/) have no sidecar and no citation.

    >>> citations()[:2]
    ['厚生労働省老健局「令和7年度当初予算案」', '厚生労働省老健局「保険者機能強化推進交付金 <参考資料>」（令和元年9月27日）']
    """
    return _citations(sidecars(raw))


def citations_of(files: list[Path]) -> list[str]:
    """What a page built from ``files`` cites in its footer, each once, in their order: the ``citation`` entries of
    each file's sidecar (``x.csv`` → ``x.meta.yaml``); a file without one is named as uncited, never left out. An
    analyst's result file or a ministry workbook (data/raw/results/) cites nothing here: its page names it in its body.

    >>> citations_of([paths.RAW / "catalogue" / "municipal_current_branches.csv", paths.RAW / "results" / "x.csv"])
    ['厚生労働省「評価指標に係る該当状況調査票集計表」全国集計（市町村分、令和6〜8年度）の統計行']
    >>> citations_of([tmp / "catalogue" / "prefecture_2099_items.csv"])
    ['prefecture_2099_items.csv（出典の記載なし）']
    """
    seen: dict[str, None] = {}
    for path in map(Path, files):
        sidecar = path.with_suffix(".meta.yaml")
        if sidecar.exists():
            for text in _citations([sidecar]):
                seen.setdefault(text, None)
        elif paths.RESULTS.name not in path.parts:
            seen.setdefault(f"{path.name}（出典の記載なし）", None)
    return list(seen)


def _citations(sidecar_files) -> list[str]:
    seen: dict[str, None] = {}
    for sidecar in sidecar_files:
        for text in yaml.safe_load(sidecar.read_text(encoding="utf-8")).get("citation") or []:
            seen.setdefault(text, None)
    return list(seen)
