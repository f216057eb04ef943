"""What an item not achieved is worth: points at stake and the grant change, all else fixed."""

import pandas as pd

from .allocation import prefecture_grant


def item_stakes(item_scores: pd.DataFrame, budget: int, requests: pd.Series | None,
                redistribute: bool = False) -> pd.DataFrame:
    """For every prefecture and item below its maximum: points at stake and the change of the paid
    amount (千円) if the prefecture alone achieved the item fully — the allocation is recomputed,
    so the fixed budget, everyone else's shares and the caps are all taken into account."""
    totals = item_scores.groupby("pref_code")["points"].sum()
    base = prefecture_grant(totals.clip(lower=0), budget, requests, redistribute=redistribute)["amount_thousand_yen"]
    short = item_scores[item_scores["points"] < item_scores["max_points"]].copy()
    short["points_at_stake"] = short["max_points"] - short["points"]
    changes = []
    for row in short.itertuples(index=False):
        scores = totals.copy()
        scores[row.pref_code] += row.points_at_stake
        paid = prefecture_grant(scores.clip(lower=0), budget, requests, redistribute=redistribute)["amount_thousand_yen"]
        changes.append(int(paid[row.pref_code] - base[row.pref_code]))
    short["amount_change_thousand_yen"] = changes
    cols = ["fiscal_year", "pref_code", "category", "item", "points", "max_points", "points_at_stake",
            "amount_change_thousand_yen"]
    return short[cols].sort_values(["pref_code", "amount_change_thousand_yen", "item"],
                                   ascending=[True, False, True], ignore_index=True)
