"""Build every table in data/processed/ from data/raw/ (real results where given, else 合成データ)."""

import json
from pathlib import Path

import pandas as pd

from . import __version__, paths, profiles
from .paths import INPUT_TABLES, raw_files
from .allocation import allocate_frame, frame_eligibility, municipal_grant, prefecture_grant
from .catalogue import load_categories, load_items, municipal_maxima
from .config import load_config, scoring_rules
from .consistency import Checks, result_checks, seed_checks
from .marginal import category_stakes, item_stakes, municipal_category_stakes
from .io import csv_bytes, md5, write_all_atomic
from .schemas import check_table, read_table
from .scoring import score_municipalities, score_prefecture_items, summarise, summarise_totals
from .synthetic import generate
from .validate import validate_files

RESULTS_DIR = "results"   # real results go to data/raw/results/<level>_<year>.csv or .xlsx


def load_raw(cfg: dict, raw: Path = paths.RAW) -> dict[str, pd.DataFrame]:
    """Every raw table the build reads, each checked against its schema."""
    year = cfg["years"][cfg["report_year"]]
    return {
        "prefectures": read_table("prefectures", raw / "reference" / "prefectures.csv"),
        "items": load_items(raw / year["prefecture_catalogue"]),
        "categories": load_categories(raw / year["prefecture_categories"]),
        "municipal_categories": read_table("municipal_categories", raw / "catalogue" / "municipal_categories.csv"),
        "figures": read_table("published_figures", raw / "published" / "published_figures.csv"),
        "frame": read_table("budget_frame", raw / "budget" / "budget_frame_2025.csv"),
    }


def result_files(raw: Path = paths.RAW) -> list[Path]:
    """Real result files dropped into data/raw/results/ (``<level>_<year>.csv`` or ``.xlsx``)."""
    return raw_files(raw / RESULTS_DIR)


def load_inputs(cfg: dict, src: dict, raw: Path = paths.RAW, config: Path = paths.CONFIG) -> dict[str, pd.DataFrame]:
    """Real results from data/raw/results/ where present, validated as `kofukin validate` does;
    synthetic stand-ins for the rest."""
    files = result_files(raw)
    real = {}
    if files:
        intake = validate_files(files, config, raw, complete=True)
        intake.raise_errors(raw / RESULTS_DIR)
        real = intake.tables()
    if len(real) == len(INPUT_TABLES):
        return real
    synthetic = generate(cfg, src["items"], src["prefectures"], src["municipal_categories"], src["figures"])
    return {name: real.get(name, synthetic[name]) for name in INPUT_TABLES}


def frame_2025(scores: pd.DataFrame, frame: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """The FY2025 prefectural pots of both grants split by one year's prefectural scores (illustrative)."""
    by_cat = scores.pivot(index="pref_code", columns="category", values="score")
    total = by_cat["TOTAL"].clip(lower=0)
    eligible = frame_eligibility(by_cat["III"].clip(lower=0), total, rules)
    parts = []
    for grant in ("promotion", "support"):
        amounts = allocate_frame(frame, grant, "prefecture", total, eligible=eligible).drop(columns="total")
        long = amounts.rename_axis("pref_code").reset_index().melt(id_vars="pref_code", var_name="pot",
                                                                   value_name="amount_thousand_yen")
        parts.append(long.assign(grant=grant))
    out = pd.concat(parts, ignore_index=True)
    out.insert(0, "fiscal_year", int(scores["fiscal_year"].iloc[0]))
    out["synthetic"] = bool(scores["synthetic"].any())
    return out[["fiscal_year", "pref_code", "grant", "pot", "amount_thousand_yen", "synthetic"]]


def municipal_tables(cfg: dict, municipal: pd.DataFrame, municipalities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """市町村分 of the report year (score × 第1号被保険者数) and what each category below average is worth."""
    year = cfg["report_year"]
    budget = int(cfg["years"][year]["municipal_budget_thousand_yen"])
    first = municipalities.set_index("muni_code")["first_insured"]
    total = municipal[municipal.category == "TOTAL"].set_index("muni_code")
    flag = bool(municipal.synthetic.any() or municipalities.synthetic.any())
    amount = municipal_grant(total["score"].clip(lower=0), first.reindex(total.index), budget)
    alloc = pd.DataFrame({"fiscal_year": year, "muni_code": total.index, "pref_code": total["pref_code"].to_numpy(),
                          "score": total["score"].to_numpy(), "first_insured": first.reindex(total.index).to_numpy(),
                          "amount_thousand_yen": amount.to_numpy(), "synthetic": flag})
    stakes = municipal_category_stakes(municipal, first, budget).assign(synthetic=flag)
    return alloc, stakes


def compute(cfg: dict, src: dict, inputs: dict) -> dict[str, pd.DataFrame]:
    """All processed tables from loaded raw tables and inputs."""
    rules = scoring_rules(cfg)
    year = cfg["report_year"]
    names = src["prefectures"].set_index("pref_code")["pref_name"]
    muni_in = inputs["municipal_category_results"]
    municipal = []
    for y in sorted(muni_in.fiscal_year.unique()):
        rows = muni_in[muni_in.fiscal_year == y]
        scored = score_municipalities(rows, municipal_maxima(cfg, src["municipal_categories"], y), rules.penalty_threshold)
        municipal.append(scored.assign(synthetic=bool(rows.synthetic.any())))
    municipal = pd.concat(municipal, ignore_index=True)

    results = inputs["prefecture_item_results"]
    results = results[results.fiscal_year == year]
    this_muni = municipal[municipal.fiscal_year == year]
    items = score_prefecture_items(results, src["items"], rules, this_muni)
    items["synthetic"] = bool(results.synthetic.any() or this_muni.synthetic.any())

    totals = inputs["prefecture_total_results"]
    scores = [summarise(items, names).assign(synthetic=bool(items.synthetic.any()))]
    for y in sorted(totals.fiscal_year.unique()):
        rows = totals[totals.fiscal_year == y]
        scores.append(summarise_totals(rows, cfg["years"][y]["prefecture_max_points"], names)
                      .assign(synthetic=bool(rows.synthetic.any())))
    scores = pd.concat(scores, ignore_index=True)

    total = scores[(scores.fiscal_year == year) & (scores.category == "TOTAL")].set_index("pref_code")["score"]
    req = inputs["prefecture_requests"]
    req = req[req.fiscal_year == year]
    budget = int(cfg["years"][year]["prefecture_budget_thousand_yen"])
    caps = req.set_index("pref_code")["request_thousand_yen"]
    redistribute = bool(cfg["allocation"]["redistribute"])
    grant = prefecture_grant(total.clip(lower=0), budget, caps, redistribute=redistribute)
    allocation = grant.reset_index().rename(columns={"index": "pref_code"})
    allocation.insert(0, "fiscal_year", year)
    allocation["synthetic"] = bool(items.synthetic.any() or req.synthetic.any())
    flag = bool(allocation.synthetic.any())
    stakes = item_stakes(items, budget, caps, redistribute).assign(synthetic=flag)
    this_scores = scores[scores.fiscal_year == year]
    cat_stakes = category_stakes(this_scores, budget, caps, redistribute).assign(synthetic=flag)
    muni_alloc, muni_stakes = municipal_tables(cfg, this_muni, inputs["municipalities"])
    frame = frame_2025(scores[scores.fiscal_year == year], src["frame"], cfg["allocation"]["frame_2025"])

    checks = Checks()
    seed_checks(checks, src["items"], src["categories"], src["municipal_categories"], src["figures"], src["frame"])
    result_checks(checks, src["items"], src["categories"], src["municipal_categories"], src["figures"],
                  items, scores, municipal)

    order = {"prefecture_item_scores": ["fiscal_year", "pref_code"], "prefecture_scores": ["fiscal_year", "category", "pref_code"],
             "municipal_scores": ["fiscal_year", "muni_code", "category"], "prefecture_allocation": ["fiscal_year", "pref_code"],
             "prefecture_frame_2025": ["grant", "pot", "pref_code"]}
    tables = {"prefecture_item_scores": items, "prefecture_scores": scores, "municipal_scores": municipal,
              "prefecture_allocation": allocation, "prefecture_item_stakes": stakes,
              "prefecture_category_stakes": cat_stakes, "municipal_allocation": muni_alloc, "municipal_category_stakes": muni_stakes,
              "prefecture_frame_2025": frame, "budget_frame_2025": src["frame"], "source_consistency": checks.frame()}
    for name, keys in order.items():
        tables[name] = tables[name].sort_values(keys, kind="stable", ignore_index=True)
    return tables


def build(config: Path = paths.CONFIG, raw: Path = paths.RAW, processed: Path = paths.PROCESSED) -> None:
    """Check, compute and write every processed table; nothing is written unless all of it succeeds."""
    cfg = load_config(config)
    src = load_raw(cfg, raw)
    inputs = load_inputs(cfg, src, raw, config)
    tables = compute(cfg, src, inputs)
    outputs = {**{f"inputs/{n}": df for n, df in inputs.items()}, **tables}
    checked = {name: check_table(name.split("/")[-1], df, processed / f"{name}.csv") for name, df in outputs.items()}
    files = {processed / f"{name}.csv": csv_bytes(df) for name, df in checked.items()}
    for code, bundle in profiles.bundles(cfg["report_year"], cfg["compare_year"], src, checked).items():
        files[processed / "profiles" / f"{code}.json"] = profiles.dumps(bundle)
    vintage = {
        "report_year": cfg["report_year"],
        "compare_year": cfg["compare_year"],
        "synthetic": {name: bool(df["synthetic"].any()) for name, df in checked.items() if "synthetic" in df},
    }
    manifest = {**vintage, "kofukin_version": __version__, "config_md5": md5(config),
                "raw_md5": {str(p.relative_to(raw)): md5(p) for p in raw_files(raw)}}
    for name, content in (("vintage.json", vintage), ("manifest.json", manifest)):
        files[processed / name] = (json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    write_all_atomic(files)
