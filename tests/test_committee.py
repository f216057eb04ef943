"""The committee paper (issue 27): every figure of sections 1–6 for three municipalities — a 広域連合 member, the
last of its prefecture and one with no 取りこぼし — equals an independent computation from the branch scores
(plain pandas, here), on a workbook-like dataset: the synthetic FY2024–FY2026 with one municipality changed to
score every branch most municipalities score."""

import math
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from kofukin.model import committee, paths
from kofukin.model.config import load_config
from kofukin.model.current_synthetic import synthetic_years
from kofukin.model.current_tables import current_tables
from kofukin.model.current import YearResults
from kofukin.model.io import csv_bytes

YEAR, YEARS = 2026, [2024, 2025, 2026]
FULL_PREF = "47"                 # its first municipality is given every branch that half the municipalities score
GOALS = ["promotion:I", "promotion:II", "promotion:III", "support:I", "support:II", "support:III", "IV"]


def _no_missed(results: YearResults, code: str) -> YearResults:
    """``code`` given full points on every branch (both grants' rows of goal Ⅳ) that at least half score."""
    s = results.scores.copy()
    rate = s.assign(scoring=s["points"] > 0).groupby(["grant", "branch_id"])["scoring"].mean()
    points = results.catalogue.set_index(["grant", "branch_id"])["points"]
    keys = pd.MultiIndex.from_frame(s[["grant", "branch_id"]])
    mine = (s["muni_code"] == code) & (s["points"] == 0) & (rate.reindex(keys).to_numpy() >= 0.5)
    s.loc[mine, "points"] = points.reindex(keys).to_numpy()[mine.to_numpy()]
    return YearResults(results.fiscal_year, results.source, results.catalogue, results.municipalities, s, results.unions)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    cfg = load_config()
    years = synthetic_years(cfg, YEARS)
    full = years[YEAR].municipalities.query("pref_code == @FULL_PREF")["muni_code"].iloc[0]
    years[YEAR] = _no_missed(years[YEAR], full)
    folder = tmp_path_factory.mktemp("committee")
    for name, df in current_tables(cfg, paths.RAW, real=years).items():
        (folder / f"{name}.csv").write_bytes(csv_bytes(df))
    tables = committee.load_tables(folder)
    return {"cfg": cfg, "tables": tables, "c": committee.prepare(tables, cfg), "full": full}


# ---- the independent computation: branch scores → indicators (capped) → goals, groups, grants, total ----

def independent(tables: dict, year: int) -> pd.DataFrame:
    cat = tables["current_catalogue"].query("fiscal_year == @year")
    bs = tables["current_branch_scores"].query("fiscal_year == @year").merge(
        cat[["grant", "branch_id", "goal", "group", "indicator", "indicator_cap"]], on=["grant", "branch_id"])
    ind = bs.groupby(["muni_code", "grant", "goal", "group", "indicator"]).agg(
        points=("points", "sum"), cap=("indicator_cap", "first")).reset_index()
    ind["points"] = np.minimum(ind["points"], ind["cap"].fillna(np.inf))
    goal = ind.groupby(["muni_code", "grant", "goal"])["points"].sum().unstack(["grant", "goal"])
    out = pd.DataFrame(index=goal.index)
    for g in ("promotion", "support"):
        for o in ("I", "II", "III"):
            out[f"{g}:{o}"] = goal[(g, o)]
    out["IV"] = goal[("promotion", "IV")]
    assert (goal[("promotion", "IV")] == goal[("support", "IV")]).all()
    out["promotion"] = goal["promotion"].sum(axis=1)
    out["support"] = goal["support"].sum(axis=1)
    out["total"] = out["promotion"] + out["support"]
    grp = ind.groupby(["muni_code", "group"])["points"].sum().unstack()
    out[["structure", "activity", "outcome"]] = grp[["structure", "activity", "outcome"]]
    munis = tables["current_municipalities"].query("fiscal_year == @year").set_index("muni_code")
    return out.join(munis[["pref_code", "muni_name", "size_class", "kaso", "union_no", "first_insured"]])


def picks(data) -> dict[str, str]:
    w = independent(data["tables"], YEAR)
    pref = "31"
    last = w[w.pref_code == pref]["total"].idxmin()
    union = w[w.union_no.notna()].index[0]
    return {"union": union, "last": last, "full": data["full"]}


CASES = ["union", "last", "full"]


def approx(a, b, digits=1):
    assert a is not None and b is not None
    assert math.isclose(a, round(float(b), digits), abs_tol=1e-9), (a, b)


@pytest.fixture(scope="module")
def chosen(data):
    return picks(data)


@pytest.mark.parametrize("case", CASES)
def test_standing_and_goals(data, chosen, case):
    code = chosen[case]
    p = committee.sections(data["c"], code)
    w = independent(data["tables"], YEAR)
    me = w.loc[code]
    groups = {"national": w, "prefecture": w[w.pref_code == me.pref_code], "size_class": w[w.size_class == me.size_class],
              "kaso": w[w.kaso == True], "non_kaso": w[w.kaso == False]}  # noqa: E712
    rows = p["standing"]["rows"] + p["goals_groups"]["goals"] + p["goals_groups"]["groups"]
    assert [r["unit"] for r in rows] == ["total", "promotion", "support"] + GOALS + ["structure", "activity", "outcome"]
    for r in rows:
        approx(r["score"], me[r["unit"]])
        for kind, g in groups.items():
            approx(r[f"mean_{kind}"], g[r["unit"]].mean(), 2)
    assert [r["max_points"] for r in rows] == [800, 400, 400] + [100] * 7 + [380, 220, 200]
    for r in p["standing"]["rows"]:
        u = r["unit"]
        assert r["rank_national"] == 1 + (w[u] > me[u]).sum()
        assert r["rank_in_prefecture"] == 1 + (groups["prefecture"][u] > me[u]).sum()
        assert r["rank_in_size_class"] == 1 + (groups["size_class"][u] > me[u]).sum()
        assert (r["n"], r["n_prefecture"], r["n_size_class"]) == (len(w), len(groups["prefecture"]), len(groups["size_class"]))
        approx(r["top_percent"], 100 * r["rank_national"] / len(w))


def branch_table(tables: dict, year: int, code: str) -> pd.DataFrame:
    cat = tables["current_catalogue"].query("fiscal_year == @year")
    cat = cat[(cat.goal != "IV") | (cat.grant == "promotion")]
    bs = tables["current_branch_scores"].query("fiscal_year == @year")
    rate = bs.assign(s=bs.points > 0).groupby(["grant", "branch_id"])["s"].mean().rename("rate")
    own = bs[bs.muni_code == code].set_index(["grant", "branch_id"])["points"].rename("own")
    return cat.join(rate, on=["grant", "branch_id"]).join(own, on=["grant", "branch_id"])


@pytest.mark.parametrize("case", CASES)
def test_branches(data, chosen, case):
    code = chosen[case]
    b = committee.sections(data["c"], code)["branches"]
    t = branch_table(data["tables"], YEAR, code)
    assert len(b["branches"]) == len(t)
    assert [r["points"] for r in b["branches"]] == t["own"].round(1).tolist()
    assert [r["rate"] for r in b["branches"]] == (100 * t["rate"]).round(1).tolist()
    missed = t[(t.own == 0) & (t.rate >= 0.5)].sort_values(["points", "rate"], ascending=False, kind="stable")
    action, outcome = missed[missed.group != "outcome"], missed[missed.group == "outcome"]
    assert [r["branch_id"] for r in b["missed"]] == action["branch_id"].tolist()
    assert [r["branch_id"] for r in b["missed_outcome"]] == outcome["branch_id"].tolist()
    approx(b["stake"], action["points"].sum())
    strong = t[(t.own == t.points) & (t.rate < 0.5)]
    assert sorted(r["branch_id"] for r in b["strengths"]) == sorted(strong["branch_id"])
    if case == "full":
        assert b["missed"] == [] and b["missed_outcome"] == [] and b["stake"] == 0
    else:
        assert b["missed"], "the other two test municipalities do miss branches most score"


@pytest.mark.parametrize("case", CASES)
def test_trend(data, chosen, case):
    code = chosen[case]
    tr = committee.sections(data["c"], code)["trend"]
    assert [y["year"] for y in tr["years"]] == YEARS
    for y in tr["years"]:
        w = independent(data["tables"], y["year"])
        for u, v in y["units"].items():
            approx(v["score"], w.loc[code, u])
            approx(v["mean_national"], w[u].mean(), 2)
    key = ["grant", "branch_id", "indicator_name"]
    t = {y: branch_table(data["tables"], y, code).set_index(key)["own"] for y in YEARS}
    now, before = t[2026], t[2025]
    # over the three years: each branch's points in the first earlier year that has it (FY2024, else FY2025)
    first = t[2024].reindex(now.index).fillna(before.reindex(now.index))
    gained = now.index[(now > 0) & (first == 0)]
    lost = now.index[(now == 0) & (first > 0)]
    assert sorted(r["branch_id"] for r in tr["gained"]) == sorted(i[1] for i in gained)
    assert sorted(r["branch_id"] for r in tr["lost"]) == sorted(i[1] for i in lost)
    for r in tr["gained"] + tr["lost"]:
        i = (r["grant"], r["branch_id"], r["indicator_name"])
        assert r["before"] == [None if pd.isna(t[y].get(i)) else round(float(t[y][i]), 1) for y in (2024, 2025)]
    assert tr["since"] == 2024
    every = now.index.intersection(t[2024].index).intersection(before.index)
    zero = every[(now[every] == 0) & (before[every] == 0) & (t[2024][every] == 0)]
    assert sorted(r["branch_id"] for r in tr["zero_all"]) == sorted(i[1] for i in zero)
    assert len(tr["unmatched"]) == len(now) - len(every) > 0        # the catalogue changed (e.g. 推進Ⅱ(ⅰ)2ア)
    assert "推進 II(i)2ア" in tr["unmatched"]


@pytest.mark.parametrize("case", CASES)
def test_worth(data, chosen, case):
    code = chosen[case]
    wv = committee.sections(data["c"], code)["worth"]
    w = independent(data["tables"], YEAR)
    own, others = w.loc[code, "total"], w["total"].drop(code)
    assert [r["more"] for r in wv["ranks"]] == [5, 10, 20, 50]
    for r in wv["ranks"]:
        assert r["rank"] == 1 + (others > own + r["more"]).sum()
    pref = w[w.pref_code == w.loc[code, "pref_code"]]["total"]
    size = w[w.size_class == w.loc[code, "size_class"]]["total"]
    expected = {"national_mean": w["total"].mean(), "prefecture_q3": pref.quantile(0.75), "size_median": size.median()}
    for t in wv["targets"]:
        approx(t["value"], expected[t["key"]], 2)
        approx(t["needed"], max(0.0, expected[t["key"]] - own), 2)
    budgets = data["cfg"]["current"]["years"][YEAR]["municipal_budget_thousand_yen"]
    for g in wv["yen"]["grants"]:
        s, f = w[g["grant"]], w["first_insured"].astype(float)
        S = (s * f).sum()
        value = budgets[g["grant"]] * ((s[code] + 1) * f[code] / (S + f[code]) - s[code] * f[code] / S)
        assert g["per_point"] == round(value)
        assert g["budget"] == budgets[g["grant"]]
        assert abs(g["amount"] - budgets[g["grant"]] * s[code] * f[code] / S) < 1       # largest remainder
    assert wv["yen"]["shared_per_point"] == sum(g["per_point"] for g in wv["yen"]["grants"])


@pytest.mark.parametrize("case", CASES)
def test_prefecture_place(data, chosen, case):
    code = chosen[case]
    pp = committee.sections(data["c"], code)["prefecture"]
    w = independent(data["tables"], YEAR)
    pref = w[w.pref_code == w.loc[code, "pref_code"]]
    d, t = pp["distribution"], pref["total"]
    assert d["n"] == len(t)
    for k, v in {"mean": t.mean(), "median": t.median(), "q1": t.quantile(0.25), "q3": t.quantile(0.75)}.items():
        approx(d[k], v, 2)
    approx(d["max"], t.max())
    approx(d["min"], t.min())
    assert pp["rank"] == 1 + (t > w.loc[code, "total"]).sum()
    assert pp["named"] is None                  # the default: no neighbour named
    if case == "last":
        assert pp["rank"] == len(t) and pp["total"] == d["min"]
    if case == "union":
        members = w[w.union_no == w.loc[code, "union_no"]]
        assert [m["muni_name"] for m in pp["union"]["members"]] == members["muni_name"].tolist()
        for u in ["total"] + GOALS:
            approx(pp["union"]["mean"][u], members[u].mean(), 2)
    else:
        assert pp["union"] is None or w.loc[code, "union_no"] == pp["union"]["union_no"]


def test_named_list_and_thresholds(data, chosen):
    cfg = {**data["cfg"], "committee": {**data["cfg"]["committee"], "name_neighbours": True, "missed_rate": 0.9}}
    c = committee.prepare(data["tables"], cfg)
    p = committee.sections(c, chosen["last"])
    names = p["prefecture"]["named"]
    assert names[-1]["self"] and names[-1]["total"] == p["prefecture"]["distribution"]["min"]
    assert all(r["rate"] >= 90 for r in p["branches"]["missed"] + p["branches"]["missed_outcome"])


def test_prefecture_view(data):
    c = data["c"]
    w = independent(data["tables"], YEAR)
    line = w["total"].mean() - 2 * w["total"].std(ddof=0)
    v = committee.prefecture_view(c, "31")
    approx(v["line"], line)
    assert v["below_line"] == (w[w.pref_code == "31"]["total"] < line).sum()
    assert sum(committee.prefecture_view(c, p)["below_line"] for p in w.pref_code.unique()) == (w["total"] < line).sum()
    assert v["prefecture_results"] is None
    assert v["synthetic_years"] == [YEAR] and v["synthetic"]          # the index page's 合成データ notice


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_word_document_opens_in_libreoffice_and_holds_the_figures(data, chosen, tmp_path):
    from pypdf import PdfReader

    from kofukin.pages import committee as page
    from kofukin.make.data import current_raw_files
    from kofukin.model.sources import citations_of
    import zipfile
    from datetime import datetime

    from docx import Document
    from kofukin.model.io import BUILD_TIME
    from kofukin.pages.committee_docx import document

    papers = {}
    for case, code in chosen.items():
        p = committee.sections(data["c"], code) | {"pref_name": "県", "source": page.source(True, YEAR)}
        papers[case] = p
        data_ = document(p, citations_of(current_raw_files(load_config())))
        assert data_ == document(p, citations_of(current_raw_files(load_config())))      # the same bundle, the same bytes
        (tmp_path / f"{case}.docx").write_bytes(data_)
        word = Document(tmp_path / f"{case}.docx")
        section = word.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)      # A4, not the template's Letter
        assert section.header.paragraphs[0].text.endswith("年度の数値は合成データです（厚生労働省の評価結果ではありません）。")
        assert word.core_properties.author == "kofukin" and word.core_properties.modified.replace(tzinfo=None) == datetime(*BUILD_TIME)
        assert {i.date_time for i in zipfile.ZipFile(tmp_path / f"{case}.docx").infolist()} == {BUILD_TIME}
        assert 'w:instr="PAGE"' in section.footer._element.xml and section.header.paragraphs[0].text.startswith("委員会資料：")
    docs = [str(tmp_path / f"{c}.docx") for c in papers]
    for target in ("pdf", "txt:Text (encoded):UTF8"):          # opened and printed by LibreOffice; its text as read there
        subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(tmp_path)] + docs,
                       check=True, capture_output=True, timeout=300)
    for case, p in papers.items():
        assert len(PdfReader(tmp_path / f"{case}.pdf").pages) >= 3
        text = (tmp_path / f"{case}.txt").read_text(encoding="utf-8").replace("\n", "")
        total = p["standing"]["rows"][0]
        w = independent(data["tables"], YEAR)
        expected = [f"{w.loc[p['muni_code'], 'total']:.0f} / 800", f"{total['rank_national']:,} / 1,741",
                    f"{w['total'].mean():.1f}", "合成データ", f"{p['worth']['yen']['grants'][0]['per_point']:,}",
                    f"{p['prefecture']['distribution']['median']:.1f}", f"{p['branches']['stake']:.0f} 点"
                    if p["branches"]["missed"] else "取りこぼし）はありません"]
        expected += [f"{w.loc[p['muni_code'], u]:.0f}" for u in GOALS]
        for figure in expected:
            assert figure in text, (case, figure)
        if case == "union":
            assert p["prefecture"]["union"]["union_name"] in text
        assert "出典（公表統計）：厚生労働省「評価指標に係る該当状況調査票集計表」全国集計（市町村分、令和6〜8年度）の統計行" in text


def test_a_synthetic_current_year_is_not_said_to_be_unpublished():
    """FY2024– results are published (the 集計表): their 合成データ notice says the workbook was not put in, never that
    the results are unpublished — on the committee paper's pages and in the current workbook alike (vintage.notice)."""
    from kofukin.model.current_catalogue import current_config
    from kofukin.model.vintage import CURRENT_SYNTHETIC_NOTICE, notice
    years = sorted(current_config(load_config())["years"])
    assert years == [2024, 2025, 2026]
    for shown in (years, years[-1:]):
        assert notice(years, shown) == CURRENT_SYNTHETIC_NOTICE
    mixed = notice([2025, 2026], years)
    assert "公表されていない" not in CURRENT_SYNTHETIC_NOTICE + mixed and "集計表が data/raw/results/ に置かれていない" in mixed
    assert "2024年度の数値は data/raw/results/ の評価結果から作成しています" in mixed
