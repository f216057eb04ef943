"""The indicator catalogue: items, their categories, points and scoring rules."""

from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.model.errors import KofukinDataError
from kofukin.model.schemas import MUNI_CATEGORIES, PREFECTURAL_GRANT, TOTAL, read_table


def parse_levels(text: str) -> tuple[int, ...]:
    """Points of each level, lowest first.

    >>> parse_levels("24|0|12")
    (0, 12, 24)
    """
    return tuple(sorted(int(p) for p in text.split("|")))


def load_items(path: Path | str) -> pd.DataFrame:
    """Catalogue items with ``levels`` parsed; checks that levels end at the item's points.

    >>> items = load_items(Path("data/raw/catalogue/prefecture_2019_items.csv"))
    >>> len(items), items.loc[0, "levels"]
    (73, (0, 12, 24, 36))
    """
    items = read_table("prefecture_items", path)
    items["levels"] = items["levels"].map(parse_levels)
    problems = []
    for i, row in items.iterrows():
        top = row.levels[-1]
        if top != row.max_points:
            problems.append(f"row {i + 2}, field 'levels': highest level {top} differs from max_points {row.max_points}")
        if row.rule == "penalty" and (len(row.levels) != 2 or row.levels[0] >= 0):
            problems.append(f"row {i + 2}, field 'levels': a penalty item needs levels '<negative>|0'")
    if problems:
        raise KofukinDataError(path, problems)
    return items


def load_categories(path: Path | str) -> pd.DataFrame:
    """Published category table (max points, national average, score rate) including TOTAL.

    >>> load_categories(Path("data/raw/catalogue/prefecture_2019_categories.csv")).set_index("category").at["TOTAL", "max_points"].item()
    741
    """
    return read_table("prefecture_categories", path)


def category_max(items: pd.DataFrame) -> pd.Series:
    """Max points per category implied by the items, plus TOTAL.

    >>> category_max(src["items"])[["I", "III", "TOTAL"]].tolist()
    [106, 80, 741]
    """
    per = items.groupby("category", sort=False)["max_points"].sum()
    return pd.concat([per, pd.Series({TOTAL: per.sum()})])


def year_catalogue(cfg: dict, year: int, raw: Path = paths.RAW) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Items and published categories of ``year`` as named in the configuration; every item's
    category must be one of the year's categories.

    >>> items, categories = year_catalogue(cfg, 2019)
    >>> len(items), len(categories)
    (73, 13)
    """
    entry = cfg["years"][year]
    items = load_items(raw / entry["prefecture_catalogue"])
    categories = load_categories(raw / entry["prefecture_categories"])
    unknown = sorted(set(items["category"]) - set(categories["category"]))
    if unknown:
        raise KofukinDataError(raw / entry["prefecture_catalogue"],
                               [f"field 'category': {c!r} is not a category of {entry['prefecture_categories']}" for c in unknown])
    return items, categories


def catalogue_years(cfg: dict) -> list[int]:
    """The configured fiscal years that have an item catalogue (others are known by totals only).

    >>> catalogue_years(cfg)
    [2019]
    """
    return sorted(y for y, entry in cfg["years"].items() if "prefecture_catalogue" in entry)


def municipal_maxima(cfg: dict, municipal_categories: pd.DataFrame, year: int, grant: str = PREFECTURAL_GRANT) -> dict[str, int]:
    """Category maxima of one grant's municipal indicators: published, else the configured assumption.

    >>> municipal_maxima(cfg, src["municipal_categories"], 2018), municipal_maxima(cfg, src["municipal_categories"], 2023, "support")
    ({'I': 71, 'II': 468, 'III': 73}, {'I': 35, 'II': 755, 'III': 40})
    """
    pub = municipal_categories[(municipal_categories.fiscal_year == year) & (municipal_categories.grant == grant)]
    pub = pub.set_index("category")["max_points"]
    if all(c in pub.index for c in MUNI_CATEGORIES):
        return {c: int(pub[c]) for c in MUNI_CATEGORIES}
    return {c: int(v) for c, v in cfg["years"][year]["municipal_category_max"].items()}


CHANGE_LABELS = {"unchanged": "変更なし", "points_changed": "配点を変更", "hurdle_raised": "ハードルを引き上げ",
                 "changed": "内容を変更", "new": "新設", "discontinued": "廃止"}


def load_crosswalk(path: Path | str, items_from: pd.DataFrame, items_to: pd.DataFrame) -> pd.DataFrame:
    r"""How the items of one year's catalogue continue into the next: one row per item pair, with its
    change (unchanged, points_changed, hurdle_raised, changed, new, discontinued).

    Every item of both catalogues must appear; a new item has no ``item_from``, a discontinued one no ``item_to``.

    >>> _ = (tmp / "cw.csv").write_text("item_from,item_to,change,note\nA,A,unchanged,\n,B,new,\n", encoding="utf-8")
    >>> load_crosswalk(tmp / "cw.csv", pd.DataFrame({"item": ["A"]}), pd.DataFrame({"item": ["A", "B"]}))["change"].tolist()
    ['unchanged', 'new']
    """
    cw = read_table("crosswalk", path)
    problems = []
    for i, row in cw.iterrows():
        where = f"row {i + 2}"
        if (row.change == "new") != pd.isna(row.item_from):
            problems.append(f"{where}, field 'item_from': a new item has none, every other change has one")
        if (row.change == "discontinued") != pd.isna(row.item_to):
            problems.append(f"{where}, field 'item_to': a discontinued item has none, every other change has one")
        if not pd.isna(row.item_from) and row.item_from not in set(items_from["item"]):
            problems.append(f"{where}, field 'item_from': {row.item_from!r} is not an item of the earlier catalogue")
        if not pd.isna(row.item_to) and row.item_to not in set(items_to["item"]):
            problems.append(f"{where}, field 'item_to': {row.item_to!r} is not an item of the later catalogue")
    for col, items in (("item_from", items_from), ("item_to", items_to)):
        missing = sorted(set(items["item"]) - set(cw[col].dropna()))
        if missing:
            problems.append(f"field {col!r}: items missing from the crosswalk: {missing}")
    if problems:
        raise KofukinDataError(path, problems)
    return cw


def outcome_items(items: pd.DataFrame, category: str) -> list[str]:
    """The outcome indicators of a catalogue: items of the outcome category (``scoring.outcome_category``)
    scored on a figure.

    >>> outcome_items(pd.DataFrame({"item": ["III-①", "III-③"], "category": ["III", "III"],
    ...                             "input": ["municipal_average_rate", "value"]}), "III")
    ['III-③']
    """
    return list(items[(items["category"] == category) & (items["input"] == "value")]["item"])