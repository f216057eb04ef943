"""What every page bundle is written and read with: a bundle is one small JSON file of everything one page shows
(a prefecture's profile, a municipality's page, a prefecture's municipal index), written by the data build with the
page module's bundle writer and read back by its ``load``. A page reads only its bundle, so a change that leaves a
page's figures alone leaves its bundle's bytes — and so its page — alone."""

import json

import pandas as pd

from kofukin.model.schemas import DEFAULT_GRANT, of_grant
from kofukin.report.units import yen



PREFECTURAL_TABLES = ("prefecture_scores", "prefecture_item_stakes", "prefecture_category_stakes", "prefecture_allocation")
MUNICIPAL_TABLES = ("municipal_scores", "municipal_ranks", "municipal_allocation", "municipal_category_stakes")


def shown_grant(tables: dict, grant: str = DEFAULT_GRANT, names: tuple[str, ...] = PREFECTURAL_TABLES + MUNICIPAL_TABLES) -> dict:
    """The tables with the rows of one grant alone (of the tables ``names``): a page of one grant never mixes
    the two grants of a two-grant year.

    >>> t = shown_grant({"municipal_scores": pd.DataFrame({"grant": ["promotion", "support"]})})
    >>> t["municipal_scores"]["grant"].tolist()
    ['promotion']
    """
    return {name: of_grant(df, grant) if name in names else df for name, df in tables.items()}


def dumps(bundle: dict) -> bytes:
    """Stable JSON bytes of a bundle.

    >>> print(dumps({"pref_name": "東京都", "total": 700}).decode())
    {
     "pref_name": "東京都",
     "total": 700
    }
    """
    return (json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def rank_entry(r) -> dict:
    """A municipality's total of one grant and year (a ``municipal_ranks`` row), as its page and its index show it."""
    amount = r["amount_thousand_yen"]
    return {"score": int(r["score"]), "max_points": int(r["max_points"]), "score_rate": round(float(r["score_rate"]), 6),
            "rank_in_prefecture": int(r["rank_in_prefecture"]), "n_in_prefecture": int(r["n_in_prefecture"]),
            "rank_national": int(r["rank_national"]), "n_national": int(r["n_national"]), "size_class": r["size_class"],
            "rank_in_size_class": int(r["rank_in_size_class"]), "n_in_size_class": int(r["n_in_size_class"]),
            "first_insured": int(r["first_insured"]), "amount_thousand_yen": None if pd.isna(amount) else int(amount)}


def rank_text(t: dict, key: str) -> str:
    """A rank of a ``rank_entry`` beside its count: 「3 / 62」."""
    n = {"rank_in_prefecture": "n_in_prefecture", "rank_national": "n_national", "rank_in_size_class": "n_in_size_class"}[key]
    return f"{t[key]} / {t[n]}"


def amount_text(amount: int | None) -> str:
    """An amount (千円) as shown, or 「—」 where there is none."""
    return "—" if amount is None else yen(amount)
