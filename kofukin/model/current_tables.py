"""The processed tables of the current structure (FY2024+), every configured year: real where a workbook's
results are given, else 合成データ. A year is wholly real or wholly synthetic."""

from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.model.paths import CURRENT_TABLES
from kofukin.model.current import YearResults, allocation, branch_rates, check_results, score_year
from kofukin.model.current_catalogue import check_structure, current_config, current_years
from kofukin.model.current_synthetic import synthetic_years



def year_results(cfg: dict, raw: Path = paths.RAW, real: dict[int, YearResults] | None = None) -> dict[int, YearResults]:
    """Each configured year's results: ``real`` (e.g. read from the ministry's workbooks) where given, else synthetic.

    >>> sorted((y, r.synthetic) for y, r in year_results(cfg).items())
    [(2024, True), (2025, True), (2026, True)]
    """
    real = real or {}
    missing = [y for y in current_years(cfg) if y not in real]
    out = {**(synthetic_years(cfg, missing, raw) if missing else {}), **real}
    return {y: out[y] for y in sorted(out)}


def current_tables(cfg: dict, raw: Path = paths.RAW, real: dict[int, YearResults] | None = None) -> dict[str, pd.DataFrame]:
    """The processed tables of every year (CONTRACT_current.md), each row flagged ``synthetic`` by its year's source.

    >>> t = current_tables(cfg)
    >>> t["current_scores"].groupby("fiscal_year").muni_code.nunique().to_dict()
    {2024: 1741, 2025: 1741, 2026: 1741}
    """
    parts = {name: [] for name in CURRENT_TABLES}
    where = raw / current_config(cfg)["catalogue"]
    for year, results in year_results(cfg, raw, real).items():
        check_structure(results.catalogue, cfg, where if results.synthetic else Path(results.source))
        check_results(results)
        flag = results.synthetic
        scores = score_year(results, cfg)
        parts["current_catalogue"].append(results.catalogue.assign(synthetic=flag))
        parts["current_municipalities"].append(results.municipalities.assign(synthetic=flag))
        parts["current_unions"].append(results.unions.assign(synthetic=flag))
        parts["current_branch_scores"].append(results.scores.assign(synthetic=flag))
        parts["current_scores"].append(scores)
        parts["current_branch_rates"].append(branch_rates(results))
        parts["current_allocation"].append(allocation(results, scores, cfg))
    return {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
