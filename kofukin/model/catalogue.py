"""The indicator catalogue: items, their categories, points and scoring rules."""

from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.model.errors import KofukinDataError
from kofukin.model.config import grant_entry, year_grants
from kofukin.model.schemas import DEFAULT_GRANT, GRANTS, MUNI_CATEGORIES, TOTAL, read_table


def parse_levels(text: str) -> tuple[int, ...]:
    """Points of each level, lowest first.

    >>> parse_levels("24|0|12")
    (0, 12, 24)
    """
    return tuple(sorted(int(p) for p in text.split("|")))


def parse_grants(text: str) -> tuple[str, ...]:
    """The grants an item counts for, in the order of ``GRANTS``.

    >>> parse_grants("support|promotion")
    ('promotion', 'support')
    """
    named = {g.strip() for g in text.split("|")}
    return tuple(g for g in GRANTS if g in named)


def load_items(path: Path | str) -> pd.DataFrame:
    """Catalogue items with ``levels`` and ``grants`` parsed; checks that levels end at the item's points and
    that every grant is known.

    >>> items = load_items(Path("data/raw/catalogue/prefecture_2019_items.csv"))
    >>> len(items), items.loc[0, "levels"], items.loc[0, "grants"]
    (73, (0, 12, 24, 36), ('promotion',))
    """
    items = read_table("prefecture_items", path)
    items["levels"] = items["levels"].map(parse_levels)
    problems = []
    for i, text in items["grants"].items():
        unknown = [g for g in (g.strip() for g in text.split("|")) if g not in GRANTS]
        if unknown:
            problems.append(f"row {i + 2}, field 'grants': unknown grant {unknown[0]!r} (known: {', '.join(GRANTS)}; "
                            "several separated by |)")
    items["grants"] = items["grants"].map(parse_grants)
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
    """Items and published categories of ``year`` as named in the configuration, of every grant the year
    scores (``years.<y>.grants``): each item's grants are grants of the year, and its category is a category of
    each of them; each grant has its categories and its TOTAL.

    >>> items, categories = year_catalogue(cfg, 2019)
    >>> len(items), len(categories)
    (73, 13)
    """
    entry = cfg["years"][year]
    items_file, categories_file = raw / entry["prefecture_catalogue"], raw / entry["prefecture_categories"]
    items = load_items(items_file)
    categories = load_categories(categories_file)
    grants = year_grants(cfg, year)
    problems = {items_file: [], categories_file: []}
    for i, row in items.iterrows():
        for g in row.grants:
            if g not in grants:
                problems[items_file].append(f"row {i + 2}, field 'grants': {g!r} is not a grant fiscal year {year} scores "
                                            f"(key 'years.{year}.grants': {', '.join(grants)})")
            elif not ((categories.grant == g) & (categories.category == row.category)).any():
                problems[items_file].append(f"row {i + 2}, field 'category': {row.category!r} is not a category of {g} "
                                            f"in {entry['prefecture_categories']}")
    for i, row in categories.iterrows():
        if row.grant not in grants:
            problems[categories_file].append(f"row {i + 2}, field 'grant': {row.grant!r} is not a grant fiscal year {year} "
                                             f"scores (key 'years.{year}.grants': {', '.join(grants)})")
        elif row.category != TOTAL and not ((items.category == row.category) & items.grants.map(lambda gs: row.grant in gs)).any():
            problems[categories_file].append(f"row {i + 2}, field 'category': no item of {row.grant} in {row.category!r} "
                                             f"({entry['prefecture_catalogue']})")
    for g in grants:
        if not ((categories.grant == g) & (categories.category == TOTAL)).any():
            problems[categories_file].append(f"field 'grant': no {TOTAL} row of {g} (a category table for each grant "
                                             f"fiscal year {year} scores)")
        if not items.grants.map(lambda gs: g in gs).any():
            problems[items_file].append(f"field 'grants': no item counts for {g} (fiscal year {year} scores it)")
    faulty = {path: found for path, found in problems.items() if found}
    if len(faulty) == 1:
        raise KofukinDataError(*faulty.popitem())
    if faulty:        # both files: every problem at once, each naming its file
        raise KofukinDataError(" and ".join(map(str, faulty)), [f"{path.name}: {p}" for path, found in faulty.items() for p in found])
    return items, categories


def items_of(items: pd.DataFrame, grant: str) -> pd.DataFrame:
    """The items of a catalogue that count for ``grant``.

    >>> items_of(pd.DataFrame({"item": ["A", "B"], "grants": [("promotion",), ("promotion", "support")]}), "support")["item"].tolist()
    ['B']
    """
    return items[items["grants"].map(lambda gs: grant in gs)].reset_index(drop=True)


def penalty_items(items: pd.DataFrame) -> list[str]:
    """The items of a catalogue (or of one grant's part, ``items_of``) that are the penalty (rule ``penalty``);
    none in an empty catalogue.

    >>> penalty_items(src["items"]), penalty_items(pd.DataFrame())
    (['III-②'], [])
    """
    return [] if items.empty else items.loc[items["rule"] == "penalty", "item"].astype(str).tolist()


def catalogue_years(cfg: dict) -> list[int]:
    """The configured fiscal years that have an item catalogue (others are known by totals only).

    >>> catalogue_years(cfg)
    [2019]
    """
    return sorted(y for y, entry in cfg["years"].items() if "prefecture_catalogue" in entry)


def municipal_maxima(cfg: dict, municipal_categories: pd.DataFrame, year: int, grant: str = DEFAULT_GRANT) -> dict[str, int]:
    """Category maxima of one grant's municipal indicators: published, else the configured assumption.

    >>> municipal_maxima(cfg, src["municipal_categories"], 2018), municipal_maxima(cfg, src["municipal_categories"], 2023, "support")
    ({'I': 71, 'II': 468, 'III': 73}, {'I': 35, 'II': 755, 'III': 40})
    """
    pub = municipal_categories[(municipal_categories.fiscal_year == year) & (municipal_categories.grant == grant)]
    pub = pub.set_index("category")["max_points"]
    if all(c in pub.index for c in MUNI_CATEGORIES):
        return {c: int(pub[c]) for c in MUNI_CATEGORIES}
    configured = grant_entry(cfg, year, "municipal_category_max", grant)
    if configured is None:
        raise KeyError(f"years.{year}.municipal_category_max: no municipal category maxima of {grant}")
    return {c: int(v) for c, v in configured.items()}


CHANGE_LABELS = {"unchanged": "変更なし", "points_changed": "配点を変更", "hurdle_raised": "ハードルを引き上げ",
                 "changed": "内容を変更", "new": "新設", "discontinued": "廃止"}


def municipal_category_labels(municipal_categories: pd.DataFrame) -> dict[str, str]:
    """Each municipal category's short label (``short_label`` of data/raw/catalogue/municipal_categories.csv, the
    latest year's), prefixed with its code: what charts and tables name the categories by, in any year.

    >>> municipal_category_labels(read_table("municipal_categories", paths.RAW / paths.MUNICIPAL_CATEGORIES))
    {'I': 'I PDCAサイクル', 'II': 'II 自立支援・重度化防止', 'III': 'III 介護保険運営の安定化', 'TOTAL': '合計'}
    """
    latest = municipal_categories.sort_values("fiscal_year").drop_duplicates("category", keep="last").set_index("category")
    return {c: latest.at[c, "short_label"] if c == TOTAL else f"{c} {latest.at[c, 'short_label']}"
            for c in MUNI_CATEGORIES + [TOTAL] if c in latest.index}


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