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
    seen: dict[str, None] = {}
    for sidecar in sidecars(raw):
        for text in yaml.safe_load(sidecar.read_text(encoding="utf-8")).get("citation") or []:
            seen.setdefault(text, None)
    return list(seen)
