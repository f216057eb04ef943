"""Municipal ranks: in the prefecture, in the nation and in the size class (類似団体 by 第1号被保険者数).

Ranks are 1 = best, ties share the best rank — the rule of the prefectural ranks (``scoring.rank_desc``).
Size classes are bands of first-insured persons from the configuration (``municipal.size_classes``).
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.model.errors import KofukinDataError
from kofukin.model.scoring import rank_desc

RANK_COLUMNS = ["fiscal_year", "grant", "muni_code", "pref_code", "score", "max_points", "score_rate", "rank_in_prefecture",
                "n_in_prefecture", "rank_national", "n_national", "size_class", "rank_in_size_class", "n_in_size_class",
                "first_insured", "amount_thousand_yen", "synthetic"]


@dataclass(frozen=True)
class SizeClass:
    """One band of first-insured persons: ``lower`` ≤ persons < ``upper`` (``upper`` None: no limit)."""

    label: str
    lower: int
    upper: int | None


def size_classes(cfg: dict, config: Path | str = paths.CONFIG) -> list[SizeClass]:
    """The configured size classes, checked: upper bounds rise, the last is open (``null``).

    >>> [c.label for c in size_classes(cfg)][:2]
    ['5千人未満', '5千〜1万人']
    >>> size_classes({"municipal": {"size_classes": [[5000, "小"], [3000, "中"], [None, "大"]]}}, "kofukin.yaml")
    Traceback (most recent call last):
        ...
    kofukin.model.errors.KofukinDataError: kofukin.yaml: 1 problem(s)
      - municipal.size_classes: upper bounds must rise, each a whole number of persons, and the last must be null (open), got [5000, 3000, None]
    """
    bands = (cfg.get("municipal") or {}).get("size_classes")
    key = "municipal.size_classes"
    if not isinstance(bands, list) or not bands or not all(isinstance(b, list) and len(b) == 2 for b in bands):
        raise KofukinDataError(config, [f"{key}: a list of [upper bound or null, label] pairs, got {bands!r}"])
    uppers = [b[0] for b in bands]
    inner = uppers[:-1]
    if (uppers[-1] is not None or not all(isinstance(u, int) and not isinstance(u, bool) and u > 0 for u in inner)
            or inner != sorted(set(inner))):
        raise KofukinDataError(config, [f"{key}: upper bounds must rise, each a whole number of persons, and the "
                                        f"last must be null (open), got {uppers}"])
    labels = [str(b[1]) for b in bands]
    if len(set(labels)) != len(labels) or not all(labels):
        raise KofukinDataError(config, [f"{key}: labels must be given and distinct, got {labels}"])
    lowers = [0, *inner]
    return [SizeClass(label, lower, upper) for label, lower, upper in zip(labels, lowers, uppers)]


def classify(first_insured: pd.Series, classes: list[SizeClass]) -> pd.Series:
    """The size class label of each municipality; a missing count is an error, never a silent class.

    >>> classes = [SizeClass("小", 0, 10000), SizeClass("大", 10000, None)]
    >>> classify(pd.Series({"A": 9999, "B": 10000}), classes).tolist()
    ['小', '大']
    >>> classify(pd.Series({"A": None}, dtype="float64"), classes)
    Traceback (most recent call last):
        ...
    ValueError: 第1号被保険者数 missing for ['A']: a size class needs it
    """
    if first_insured.isna().any():
        raise ValueError(f"第1号被保険者数 missing for {list(first_insured.index[first_insured.isna()][:10])}: a size class needs it")
    out = pd.Series(classes[-1].label, index=first_insured.index, dtype=object)
    for c in reversed(classes[:-1]):
        out[first_insured < c.upper] = c.label
    return out


def municipal_ranks(totals: pd.DataFrame, first_insured: pd.Series, amounts: pd.Series,
                    classes: list[SizeClass]) -> pd.DataFrame:
    """One year's and grant's TOTAL scores of municipalities with their three ranks, size class and grant amount.

    ``totals``: municipal_scores rows of one year, one grant and category TOTAL; ``first_insured`` and ``amounts``
    (市町村分, 千円; NaN where the year has no budget) indexed by muni_code.

    >>> t = pd.DataFrame({"fiscal_year": 2019, "grant": "promotion", "muni_code": ["A", "B", "C"], "pref_code": ["01", "01", "02"],
    ...                   "score": [300, 300, 500], "max_points": 692, "synthetic": False})
    >>> t["score_rate"] = t.score / t.max_points
    >>> r = municipal_ranks(t, pd.Series({"A": 900, "B": 20000, "C": 4000}), pd.Series({"A": 1, "B": 2, "C": 3}),
    ...                     [SizeClass("小", 0, 10000), SizeClass("大", 10000, None)])
    >>> r[["muni_code", "rank_in_prefecture", "n_in_prefecture", "rank_national", "size_class", "rank_in_size_class", "n_in_size_class"]].values.tolist()
    [['A', 1, 2, 2, '小', 2, 2], ['B', 1, 2, 2, '大', 1, 1], ['C', 1, 1, 1, '小', 1, 2]]
    """
    if totals["fiscal_year"].nunique() != 1 or totals["grant"].nunique() != 1:
        raise ValueError("municipal_ranks takes one fiscal year and one grant")
    out = totals.set_index("muni_code")[["fiscal_year", "grant", "pref_code", "score", "max_points", "score_rate", "synthetic"]].copy()
    out["first_insured"] = first_insured.reindex(out.index)
    out["size_class"] = classify(out["first_insured"], classes)
    out["rank_national"] = rank_desc(out["score"])
    out["n_national"] = len(out)
    for group, rank, n in (("pref_code", "rank_in_prefecture", "n_in_prefecture"),
                           ("size_class", "rank_in_size_class", "n_in_size_class")):
        by = out.groupby(group)["score"]
        out[rank] = by.rank(method="min", ascending=False).astype(int)
        out[n] = by.transform("size").astype(int)
    out["amount_thousand_yen"] = amounts.reindex(out.index).astype("Int64")
    return out.rename_axis("muni_code").reset_index()[RANK_COLUMNS]
