"""What an item not achieved is worth: points at stake and the grant change, all else fixed."""

import pandas as pd

from .allocation import allocate, pay


def item_stakes(item_scores: pd.DataFrame, budget: int, requests: pd.Series | None,
                redistribute: bool = False) -> pd.DataFrame:
    """For every prefecture and item below its maximum: points at stake and the change of the paid
    amount (千円) if the prefecture alone achieved the item fully — the allocation is recomputed,
    so the fixed budget, everyone else's shares and the caps are all taken into account."""
    raw = item_scores.groupby("pref_code")["points"].sum()
    base = allocate(raw.clip(lower=0), budget, caps=requests, redistribute=redistribute)   # checks every input once
    codes = list(raw.index)
    basis = [max(int(v), 0) for v in raw]
    cap = None if requests is None else [int(v) for v in requests.reindex(raw.index)]
    short = item_scores[item_scores["points"] < item_scores["max_points"]].copy()
    short["points_at_stake"] = short["max_points"] - short["points"]
    changes = []
    for code, gain in zip(short["pref_code"], short["points_at_stake"]):
        i = codes.index(code)
        scores = basis.copy()
        scores[i] = max(int(raw.iloc[i]) + int(gain), 0)
        changes.append(int(pay(scores, budget, cap, redistribute)[i] - base.iloc[i]))
    short["amount_change_thousand_yen"] = changes
    cols = ["fiscal_year", "pref_code", "category", "item", "points", "max_points", "points_at_stake",
            "amount_change_thousand_yen"]
    return short[cols].sort_values(["pref_code", "amount_change_thousand_yen", "item"],
                                   ascending=[True, False, True], ignore_index=True)
