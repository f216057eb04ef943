"""The ministry's municipal results workbooks (FY2024–FY2026 layouts) read and checked: full-size copies written from
the layout facts (tests/workbook_fixtures.py), and tampered copies each refused with the message its fault deserves."""

import logging

import numpy as np
import pandas as pd
import pytest

from kofukin.intake import xlsx_sheet
from kofukin.intake.workbook import inspect_municipal, muni_code, read_municipal_workbook, workbooks_present
from kofukin.model.errors import KofukinDataError
from workbook_fixtures import FIRST_DATA_ROW, municipal, reference
from xlsx_writer import Formula, write_xlsx

ROMAN = {"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV"}
GROUPS = {"体制・取組": "structure", "活動": "activity", "成果": "outcome"}
CAPS = {("promotion", "IV1"): 20, ("promotion", "IV3"): 20, ("promotion", "IV5"): 20, ("support", "I(ii)9"): 4,
        ("support", "IV1"): 20, ("support", "IV3"): 20, ("support", "IV5"): 20}


def expected_catalogue(year: int) -> pd.DataFrame:
    """The year's catalogue as the reference file gives it (CONTRACT_current.md's columns that the header shows)."""
    ref = reference(year)
    b = ref[ref.row_kind == "branch"]
    out = pd.DataFrame({"grant": b.grant.map({"推進": "promotion", "支援": "support"}), "goal": b.goal.map(ROMAN),
                        "group": b.group.map(GROUPS), "indicator": b.indicator_no.astype(int).astype(str),
                        "branch": b.branch + b.sub_branch.fillna(""), "points": b.points,
                        "column_letter": b.column_letter}).reset_index(drop=True)
    tag = out.group.map({"structure": "(i)", "activity": "(ii)", "outcome": ""})
    out["branch_id"] = out.goal + tag + out.indicator + out.branch
    out["indicator_cap"] = [float(CAPS.get((g, k), np.nan)) for g, k in zip(out.grant, out.goal + tag + out.indicator)]
    out["may_be_blank"] = False
    out["fiscal_year"] = year
    return out


@pytest.fixture(scope="session")
def books(tmp_path_factory):
    """Each year's workbook (FY2026 at full size, 1,563 columns; the others trimmed after the rank) and its file."""
    where = tmp_path_factory.mktemp("workbooks")
    out = {}
    for year, width in ((2024, 400), (2025, 400), (2026, None)):
        wb = municipal(year, width)
        out[year] = (wb, wb.write(where / f"ministry_municipal_{year}.xlsx"))
    return out


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_each_layout_is_read(books, year):
    wb, path = books[year]
    book = inspect_municipal(path, shipped=expected_catalogue(year))
    assert [str(p) for p in book.problems if p.severity == "error"] == []
    res = book.results
    cat = expected_catalogue(year)
    got = res.catalogue[["grant", "goal", "group", "indicator", "branch", "branch_id", "points", "column_letter"]]
    pd.testing.assert_frame_equal(got.reset_index(drop=True), cat[got.columns].reset_index(drop=True), check_dtype=False)
    assert res.fiscal_year == year and res.source == path.name
    # every municipality and union, members with their union's number and a blank 保険者番号
    truth = wb.truth["municipalities"]
    m = res.municipalities
    assert len(m) == 1741 and m.muni_code.is_unique and len(res.unions) == wb.truth["unions"]
    assert m.insurer_no.isna().sum() == res.unions.members.sum() == {2024: 210, 2025: 207, 2026: 205}[year]
    assert m.insurer_no.dropna().str.len().eq(5 if year == 2024 else 6).all()
    assert (m.insurer_no.fillna("-").tolist() == truth.insurer_no.fillna("-").tolist())
    assert (m.union_no.fillna("-").tolist() == truth.union_no.fillna("-").tolist())
    assert m.population.tolist() == truth.population.tolist() and m.kaso.tolist() == truth.kaso.tolist()
    assert m.size_class.isna().all() if year == 2024 else m.size_class.tolist() == truth.size_class.tolist()
    assert m.muni_code.iloc[0] == muni_code("01", m.muni_name.iloc[0]) and m.pref_code.value_counts()["13"] == 62
    # scores round-trip, goal Ⅳ equal under both grants
    wide = res.scores.pivot_table(index="muni_code", columns=["grant", "branch_id"], values="points", sort=False)
    letters = dict(zip(zip(res.catalogue.grant, res.catalogue.branch_id), res.catalogue.column_letter))
    for (grant, bid) in list(letters)[:: 7]:
        np.testing.assert_array_equal(wide[(grant, bid)].to_numpy(), wb.truth["details"][letters[(grant, bid)]].to_numpy())
    iv = res.scores[res.scores.branch_id.str.startswith("IV")].pivot_table(index=["muni_code", "branch_id"],
                                                                            columns="grant", values="points")
    assert (iv.promotion == iv.support).all() and len(iv) == 1741 * 32


def test_a_municipality_keeps_its_code_from_year_to_year(books):
    """Codes come from prefecture and name, not row order: the same municipalities of two years' workbooks have the
    same codes even when a year's rows come in another order, so a paper's three years follow one municipality."""
    codes = {y: read_municipal_workbook(books[y][1]).municipalities.set_index("muni_name")["muni_code"] for y in (2025, 2026)}
    assert len(codes[2026]) == 1741 and codes[2026].sort_index().equals(codes[2025].sort_index())


def test_unknown_columns_listed_once(books, caplog):
    wb, path = books[2026]
    with caplog.at_level(logging.WARNING, logger="kofukin.intake.workbook"):
        book = inspect_municipal(path, shipped=None)
    listed = [r for r in caplog.records if "match nothing known" in r.getMessage()]
    assert len(listed) == 1 and "1229 column(s)" in listed[0].getMessage()
    assert len(book.unknown_columns) == 1563 - 336 - 1 + 3      # after the rank, and C, E, F
    assert book.unknown_columns[:3] == ["C 備考", "E 保険者名(カナ)", "F 備考"]


@pytest.fixture(scope="module")
def small(books):
    """FY2026 trimmed after the rank, for tampering."""
    return municipal(2026, 360)


def errors(wb, tmp_path, shipped=True):
    path = wb.write(tmp_path / "ministry_municipal_2026.xlsx")
    book = inspect_municipal(path, shipped=expected_catalogue(2026) if shipped else None)
    return [str(p) for p in book.problems if p.severity == "error"]


def data_row(wb, name: str) -> int:
    """0-based index of the data row of ``name``."""
    col = wb.truth["attrs"]["市町村名"]
    return next(i for i, r in enumerate(wb.rows) if i >= FIRST_DATA_ROW - 1 and r[col] == name)


def test_the_untouched_copy_passes(small, tmp_path):
    assert errors(small, tmp_path) == []


def test_a_statistics_row_that_disagrees(small, tmp_path):
    wb = small.copy()
    row = wb.find_row("該当市町村数")
    wb.rows[row][wb.col("O")] += 1
    errs = errors(wb, tmp_path)
    assert len(errs) == 1
    assert f"row {row + 1}, column O 1 / 地域の介護保険事業の特徴 / ア: '1702' — expected 1701, the 該当市町村数" in errs[0] \
        or f"row {row + 1}, column O" in errs[0] and "該当市町村数 of the 1,741 data rows" in errs[0]


def test_a_subtotal_off_by_one(small, tmp_path):
    wb = small.copy()
    r = data_row(wb, "テスト町13-005")
    wb.rows[r][wb.col("BC")] += 1
    errs = errors(wb, tmp_path)
    assert len(errs) == 1
    assert f"row {r + 1}, column BC I(i) 計: '" in errs[0] and "the sum of its details" in errs[0]


def test_a_missing_municipality(small, tmp_path):
    wb = small.copy()
    del wb.rows[data_row(wb, "テスト町13-005")]
    errs = errors(wb, tmp_path)
    assert any("all 62 municipalities of 13 東京都: missing 1 (通し番号" in e for e in errs)
    assert not any("全国合計" in e for e in errs)          # the statistics rows are not compared: one fault, one message


def test_a_member_without_its_union(small, tmp_path):
    wb = small.copy()
    col = wb.truth["attrs"]["市町村名"]
    union = next(i for i, r in enumerate(wb.rows) if i >= FIRST_DATA_ROW - 1 and str(r[col]).startswith("テスト広域連合"))
    first_member = wb.rows[union + 1][col]
    del wb.rows[union]
    errs = errors(wb, tmp_path)
    assert any("a member without its union" in e and first_member in e for e in errs)


def test_a_swapped_header_label(small, tmp_path):
    wb = small.copy()
    o, p = wb.col("O"), wb.col("P")
    wb.rows[6][o], wb.rows[6][p] = wb.rows[6][p], wb.rows[6][o]         # row 7: 枝番 ア ↔ イ
    errs = errors(wb, tmp_path)
    assert any("row 7, column O" in e and "branch ア of promotion I(i)1ア (column O) as in the shipped FY2026 catalogue: "
               "a changed header" in e for e in errs)


def test_a_text_in_a_number_cell(small, tmp_path):
    wb = small.copy()
    r = data_row(wb, "テスト町27-003")
    wb.rows[r][wb.col("Q")] = "あり"
    errs = errors(wb, tmp_path)
    assert errs and f"row {r + 1}, column Q" in errs[0] and "'あり' — expected points of promotion I-1ウ, a number" in errs[0]


def test_a_formula_in_a_number_cell(small, tmp_path):
    wb = small.copy()
    r = data_row(wb, "テスト町27-003")
    wb.rows[r][wb.col("Q")] = Formula("=4*1")
    errs = errors(wb, tmp_path)
    assert errs and f"row {r + 1}, column Q" in errs[0] and "'=4*1' — expected points of promotion I-1ウ, a number, " \
                                                           "not a formula: formulas are never evaluated" in errs[0]


def test_a_blank_detail_is_not_zero(small, tmp_path):
    wb = small.copy()
    r = data_row(wb, "テスト町27-003")
    wb.rows[r][wb.col("Q")] = None
    errs = errors(wb, tmp_path)
    assert errs and f"row {r + 1}, column Q" in errs[0] and "(blank is never zero)" in errs[0]


def test_too_large_files_are_refused_before_parsing(small, tmp_path, monkeypatch):
    path = small.write(tmp_path / "big.xlsx")
    monkeypatch.setattr(xlsx_sheet, "MAX_BYTES", 1000)
    with pytest.raises(KofukinDataError, match=r"a workbook of at most 0 MB; the file has"):
        read_municipal_workbook(path)
    monkeypatch.undo()
    tall = write_xlsx(tmp_path / "tall.xlsx", "Sheet1", [["x"]] * 5001)
    with pytest.raises(KofukinDataError, match="a workbook of at most 5,000 rows; sheet Sheet1 spans 5,001"):
        read_municipal_workbook(tall)
    wide = write_xlsx(tmp_path / "wide.xlsx", "Sheet1", [["x"] * 3001])
    with pytest.raises(KofukinDataError, match="a workbook of at most 3,000 columns; sheet Sheet1 spans 3,001"):
        read_municipal_workbook(wide)


def _rewritten(path, out, change):
    """A copy of the workbook at ``path`` with ``change(name, data) -> data | None`` applied to each zip part."""
    import zipfile
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)
    return out


def test_a_sheet_without_its_dimension_is_measured_before_parsing(tmp_path, monkeypatch):
    import re
    tall = write_xlsx(tmp_path / "tall.xlsx", "Sheet1", [["x"]] * 5001)
    bare = _rewritten(tall, tmp_path / "bare.xlsx",
                      lambda n, d: re.sub(rb"<dimension[^>]*/>", b"", d) if n.startswith("xl/worksheets/") else d)
    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_path", lambda *a: pytest.fail("parsed before refused"))
    with pytest.raises(KofukinDataError, match="a workbook of at most 5,000 rows; sheet Sheet1 spans 5,001"):
        read_municipal_workbook(bare)


def test_a_zip_bomb_part_is_refused_from_the_zip_directory(small, tmp_path):
    path = small.write(tmp_path / "small.xlsx")
    bomb = _rewritten(path, tmp_path / "bomb.xlsx",
                      lambda n, d: b"<sst>" + b" " * 300_000_000 + b"</sst>" if n == "xl/sharedStrings.xml" else d)
    with pytest.raises(KofukinDataError, match="a workbook of sane size; its part xl/sharedStrings.xml unpacks"):
        read_municipal_workbook(bomb)


def test_the_year_comes_from_the_title_or_is_given(small, tmp_path):
    wb = small.copy()
    wb.rows[0][0] = "評価指標に係る該当状況調査票集計表（市町村分）"
    path = wb.write(tmp_path / "untitled.xlsx")
    book = inspect_municipal(path, shipped=None)
    assert "expected a title naming the fiscal year (令和８年度…), or the year given (--year)" in str(book.problems[0])
    assert inspect_municipal(path, 2026, shipped=None).results.fiscal_year == 2026


def test_workbooks_present(tmp_path):
    (tmp_path / "results").mkdir()
    for name in ("ministry_municipal_2026.xlsx", "ministry_prefecture_2026.xlsx", "requests_2019.xlsx"):
        (tmp_path / "results" / name).write_bytes(b"")
    assert [(lv, y, p.name) for lv, y, p in workbooks_present(tmp_path)] == [
        ("municipal", 2026, "ministry_municipal_2026.xlsx"), ("prefecture", 2026, "ministry_prefecture_2026.xlsx")]


def test_the_current_structure_is_rebuilt_from_its_own_raw_files_only(tmp_path):
    """A prefecture's request (a FY2019 result file) or the ministry's prefectural workbook does not rebuild
    FY2024–FY2026; the municipal workbook does (doit's current_data reads these as its dependencies)."""
    from kofukin.make.data import current_raw_files
    from kofukin.model.config import load_config
    (tmp_path / "results").mkdir()
    for name in ("ministry_municipal_2026.xlsx", "ministry_prefecture_2026.xlsx", "requests_2019.csv"):
        (tmp_path / "results" / name).write_bytes(b"")
    assert [str(p.relative_to(tmp_path)) for p in current_raw_files(load_config(), tmp_path)] == [
        "catalogue/municipal_current_branches.csv", "published/current_national_figures.csv",
        "reference/prefectures.csv", "results/ministry_municipal_2026.xlsx"]


def test_import_copies_a_checked_workbook_and_validate_checks_it(small, tmp_path):
    from kofukin.cli import main
    from kofukin.model import paths
    import shutil
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw, ignore=shutil.ignore_patterns("results"))
    path = small.write(tmp_path / "001732614.xlsx")
    assert main(["--raw", str(raw), "import", str(path)]) == 0
    target = raw / "results" / "ministry_municipal_2026.xlsx"
    assert target.read_bytes() == path.read_bytes() and not list((raw / "results").glob(".*part"))
    assert main(["--raw", str(raw), "validate", str(target)]) == 0
    bad = small.copy()
    bad.rows[bad.find_row("全国合計")][bad.col("O")] += 1
    bad_path = bad.write(tmp_path / "bad.xlsx")
    assert main(["--raw", str(raw), "import", str(bad_path)]) == 1
    assert target.read_bytes() == path.read_bytes()                     # the good copy is untouched


def test_prefectural_workbook(tmp_path):
    from kofukin.intake.workbook import read_prefectural_workbook
    from workbook_fixtures import prefectural
    wb = prefectural()
    res = read_prefectural_workbook(wb.write(tmp_path / "pref.xlsx"))
    assert res.fiscal_year == 2026 and res.catalogue.groupby("grant").points.sum().to_dict() == {"promotion": 400.0, "support": 400.0}
    assert res.scores.pref_code.nunique() == 47 and len(res.scores) == 47 * len(res.catalogue)
    bad = wb.copy()
    bad.rows[13][wb.truth["first"] + 5] = 3.0                           # a 4-point branch given 3 in 北海道's row 14
    with pytest.raises(KofukinDataError, match=r"row 14, column [A-Z]+ I(i) 計: '\d+' — expected \d+, the sum of its details"
                       .replace("(i)", r"\(i\)")):
        read_prefectural_workbook(bad.write(tmp_path / "bad.xlsx"))


def test_a_workbook_in_results_makes_its_year_real(books, tmp_path):
    """The data step with data/raw/results/ministry_municipal_2026.xlsx: FY2026 is the workbook's (real, no 合成データ)
    in every current-structure table, its totals the workbook's own; FY2024/FY2025 stay synthetic."""
    import json
    import shutil

    from kofukin.make.data import build_current
    from kofukin.model import paths
    from kofukin.model.schemas import read_table

    wb, path = books[2026]
    where = paths.project_copy(tmp_path)
    (where["raw"] / paths.RESULTS).mkdir(exist_ok=True)       # the copy may hold an empty results folder (a user's)
    shutil.copy(path, where["raw"] / paths.RESULTS / "ministry_municipal_2026.xlsx")
    build_current(**where)
    scores = read_table("current_scores", where["processed"] / "current_scores.csv")
    flags = scores.groupby("fiscal_year")["synthetic"].agg(lambda s: sorted(set(s))).to_dict()
    assert flags == {2024: [True], 2025: [True], 2026: [False]}
    vintage = json.loads((where["processed"] / "current_vintage.json").read_text(encoding="utf-8"))
    assert all(v == [2024, 2025] for v in vintage["synthetic"].values())
    assert vintage["sources"] == {"2024": "synthetic", "2025": "synthetic", "2026": "ministry_municipal_2026.xlsx"}
    total = scores[(scores.fiscal_year == 2026) & (scores.level == "total")]
    stored = [r[wb.col(reference(2026).column_letter.iloc[-1])] for r in wb.rows[FIRST_DATA_ROW - 1:]]
    stored = [v for v in stored if v is not None]
    assert len(total) == 1741 and total["score"].sum() == pytest.approx(sum(stored))
    assert total["rank_national"].min() == 1
