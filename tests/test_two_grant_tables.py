"""The report's tables and workbook (``doit tables``) of the one-grant FY2019 and the two-grant FY2099 (issue 17):
sheets named from the configuration, each equal to its CSV; both grants, with a 交付金 column, only where the
report year scores two; the frame's 市町村分 split and the municipal 年度比較 whenever a two-grant year is configured."""

import hashlib
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from openpyxl import load_workbook

from kofukin.model import paths
from kofukin.model.config import load_config
from kofukin.make.tables import build_report_tables
from kofukin.make.sheets import table_sheets
from new_year import BUDGETS, MUNICIPAL_BUDGETS

CAPTION = "※ 合成データです（厚生労働省の評価結果ではありません）。"
# md5 of the FY2019 CSVs as built before the grant dimension reached the tables (commit 42f7511), in sheet order
BEFORE = {
    "都道府県別得点": "36bb1cd4c4bd2820658e0ec66eb2e38c", "区分別得点率": "35ca9d58eefe433c9d1fb0463f0650e2",
    "区分別全国平均": "bbb49426e6631e31a5092e8f0b47452d", "評価指標": "5f7f8ef295425de155b20b1a580854f4",
    "年度比較": "f2ba4686d2d076f2cc0c0b8e75d6a9ab", "交付額": "536ea3ec42eeb52df0f2ae5d2e7dfd8b",
    "令和7年度配分枠": "c97b5236be72539318ea0dece4910f55", "指標の価値": "b3f22ec64e991f0b739a040795aa3d38",
    "区分の価値": "cbe592404e125e19b4b94628f98a28cd", "市町村分交付額": "262e6c1dcaf6181ddd66294f5a5e2af6",
    "地図の値": "2ea4298edde23202a2814271e6fb9c51", "得点率3割以下の市町村": "50c271a3aac766a5d4fc5e5c9746df37",
    "全国の推移": "6c6224035ced9c46e83f474945239f24", "資料の年度比較": "9b27d4d84734f2fff66009358ffd4743",
    "令和7年度配分枠（全国）": "ab7a0e62bd1813ee6acff9642848d871",
}
GRANT_SHEETS = ["都道府県別得点", "区分別得点率", "区分別全国平均", "評価指標", "交付額", "指標の価値", "区分の価値", "市町村分交付額",
                "地図の値"]             # with the frame split and the penalty sheet, named by the configuration


def _case(config, tables, workbook) -> dict:
    """A built workbook, its sheets as frames, its notes, and the sheets the configuration names."""
    wb = load_workbook(workbook)
    frames = {}
    for ws in wb.worksheets[1:]:
        rows = list(ws.values)
        frames[ws.title] = pd.DataFrame(rows[1:], columns=rows[0])
    return {"sheets": table_sheets(load_config(config)), "tables": tables, "wb": wb, "frames": frames,
            "notes": [row[0] for row in wb["注記"].values]}


@pytest.fixture(scope="module")
def fy2019(built, tmp_path_factory) -> dict:
    processed = built["_dir"]
    root, out = processed.parents[1], tmp_path_factory.mktemp("tables_2019")
    build_report_tables(str(processed), str(root / "data" / "raw"), str(root / "config" / "kofukin.yaml"), str(out / "tables"),
                        str(out / "kofukin_2019.xlsx"))
    return _case(root / "config" / "kofukin.yaml", out / "tables", out / "kofukin_2019.xlsx") | {"built": built}


@pytest.fixture(scope="module")
def fy2099(year_2099) -> dict:
    """FY2099's workbook as `doit` built it in the project copy."""
    return _case(year_2099 / "config" / "kofukin.yaml", year_2099 / "reports" / "tables", year_2099 / "reports" / "kofukin_2099.xlsx")


@pytest.mark.parametrize("case", ["fy2019", "fy2099"])
def test_the_workbook_has_the_configured_sheets_each_equal_to_its_csv(case, request):
    c = request.getfixturevalue(case)
    names = [s.name for s in c["sheets"]]
    assert c["wb"].sheetnames == ["注記", *names]
    assert sorted(p.stem for p in c["tables"].glob("*.csv")) == sorted(names)
    for name in names:
        ws, sheet = c["wb"][name], c["frames"][name]
        csv = pd.read_csv(c["tables"] / f"{name}.csv", dtype={"都道府県コード": str, "市町村コード": str})
        assert ws.freeze_panes == "A2" and all(cell.font.bold for cell in ws[1]), name
        pd.testing.assert_frame_equal(sheet.fillna(float("nan")), csv, check_dtype=False, obj=name)
        for j, header in enumerate(sheet.columns, start=1):
            if header.endswith("（千円）") and len(sheet):
                cells = [cell for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j)]
                assert {cell.number_format for cell in cells} == {"#,##0"}, (name, header)
                assert all(isinstance(cell.value, int) or cell.value is None for cell in cells), (name, header)   # whole 千円
        assert all(cell.data_type == "s" for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)), name
        noisy = [cell.coordinate for row in ws.iter_rows() for cell in row
                 if isinstance(cell.value, float) and round(cell.value, 6) != cell.value]
        assert not noisy, (name, noisy[:3])          # a cell holds the CSV's number: 89.8785, not 89.87849999999999


def as_before_the_excel_csv(data: bytes) -> bytes:
    """A report CSV as it was written before issue 28: without the byte-order mark and the データの種類 column (last)."""
    lines = data.decode("utf-8-sig").split("\n")
    if lines[0].endswith(",データの種類"):
        lines = [line.rsplit(",", 1)[0] if line else line for line in lines]
    return "\n".join(lines).encode("utf-8")


def test_fy2019_keeps_its_fifteen_tables_to_the_byte(fy2019):
    """The fifteen FY2019 tables hold what they held before the grants were a dimension (issue 17), to the byte,
    once issue 28's byte-order mark and データの種類 column are taken off."""
    assert [s.name for s in fy2019["sheets"]][:15] == list(BEFORE)
    for name, digest in BEFORE.items():
        data = (fy2019["tables"] / f"{name}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert hashlib.md5(as_before_the_excel_csv(data)).hexdigest() == digest, name
    for name in GRANT_SHEETS + ["令和7年度配分枠", "得点率3割以下の市町村", "年度比較", "全国の推移"]:
        assert "交付金" not in fy2019["frames"][name].columns, name          # one grant: no grant column
    amounts = fy2019["frames"]["交付額"]
    assert amounts["交付額（千円）"].sum() == fy2019["built"]["prefecture_allocation"]["amount_thousand_yen"].sum() == 984_709


def test_fy2019_has_the_frame_split_among_the_municipalities_summing_to_the_published_pots(fy2019):
    pots = fy2019["frames"]["令和7年度市町村分の配分枠"]
    assert pots.set_index(["交付金", "配分枠"])["予算（千円）"].to_dict() == {
        ("保険者機能強化推進交付金", "基本配分枠"): 7_220_000, ("保険者機能強化推進交付金", "追加配分枠"): 1_805_000,
        ("保険者機能強化推進交付金", "成果指向型配分枠"): 524_149,
        ("介護保険保険者努力支援交付金", "基本配分枠"): 18_050_000, ("介護保険保険者努力支援交付金", "追加配分枠"): 950_000}
    assert pots["未配分（千円）"].sum() == 524_149 and pots["配分額（千円）"].sum() == 28_025_000
    amounts = fy2019["frames"]["令和7年度市町村分の配分額"]
    assert len(amounts) == 2 * 1741 and set(amounts["交付金"]) == {"推進", "支援"}
    sums = amounts.groupby("交付金")[["基本配分枠（千円）", "追加配分枠（千円）", "成果指向型配分枠（千円）", "合計（千円）"]].sum()
    assert sums.loc["推進"].tolist() == [7_220_000, 1_805_000, 0, 9_025_000]
    assert sums.loc["支援"].tolist() == [18_050_000, 950_000, 0, 19_000_000]
    support = amounts[amounts["交付金"] == "支援"]
    assert support["成果指向型配分枠（千円）"].isna().all()          # 支援 has no such pot: blank, never 0
    assert (amounts.loc[amounts["交付金"] == "推進", "成果指向型配分枠（千円）"] == 0).all()       # eligible none: 0
    assert int((amounts["追加配分枠（千円）"] > 0).sum()) == 739 + 527
    header = fy2019["wb"]["令和7年度市町村分の配分額"].oddHeader.center.text
    assert header.startswith(CAPTION) and "2023年度の市町村の得点による試算" in header and len(header) <= 255   # Excel's limit
    notes = [c.value for c in fy2019["wb"]["注記"]["A"]]
    assert any(n and n.startswith("シート「令和7年度市町村分の配分額」：") and "空欄はその交付金にない配分枠です" in n for n in notes)


def test_fy2019_has_the_municipal_years_with_the_grant_fy2019_did_not_score_stated(fy2019):
    categories = fy2019["frames"]["市町村分の年度比較（区分別）"]
    total = categories.set_index("区分").loc["合計"]
    assert (total["2019年度 推進 満点（点）"], total["2023年度 推進 満点（点）"], total["2023年度 支援 満点（点）"]) == (692, 1355, 830)
    assert total["2023年度 支援 全国平均・公表（点）"] == 412.92 and total["2023年度 支援 得点率（%）"] == 49.7
    prefectures = fy2019["frames"]["市町村分の年度比較（都道府県別）"]
    assert len(prefectures) == 47 and list(prefectures.columns) == [
        "都道府県コード", "都道府県", "2019年度 推進（%）", "2023年度 推進（%）", "2023年度 支援（%）", "推進の変化（ポイント）", "データの種類"]
    assert prefectures.set_index("都道府県コード").at["13", "都道府県"] == "東京都"
    note = "支援は2019年度に評価されていないため、2023年度だけを示します（変化の列はありません）。"
    assert fy2019["wb"]["市町村分の年度比較（都道府県別）"].oddHeader.center.text == CAPTION + note
    assert f"シート「市町村分の年度比較（都道府県別）」：{CAPTION}{note}" in fy2019["notes"]
    assert "交付金：推進＝保険者機能強化推進交付金、支援＝介護保険保険者努力支援交付金。" in fy2019["notes"]


def test_the_sheet_names_follow_the_frame_year_and_the_penalty_threshold():
    cfg = load_config(paths.CONFIG)
    names = [s.name for s in table_sheets(cfg | {"allocation": {"frame": {"year": 2026}}, "scoring": {"penalty_threshold": 0.25}})]
    assert {"令和8年度配分枠", "令和8年度配分枠（全国）", "得点率25%以下の市町村", "令和8年度市町村分の配分枠"} <= set(names)
    assert not any("令和7" in n or "3割" in n for n in names)
    one_grant = cfg | {"years": {y: v for y, v in cfg["years"].items() if y != 2023}}
    assert len(table_sheets(one_grant)) == 15 and len(table_sheets(cfg)) == 19     # no two-grant year: no two-grant sheets
    assert all(len(n) <= 31 for n in names)


@pytest.mark.parametrize("case", ["project", "fy2099"])
def test_the_tables_task_targets_are_the_sheets_csvs(case, request):
    root = paths.ROOT if case == "project" else request.getfixturevalue("year_2099")
    code = "import json, runpy; print(json.dumps(runpy.run_path('dodo.py')['task_tables']()['targets']))"
    run = subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, env={**os.environ, "KOFUKIN_ROOT": str(root)},
                         capture_output=True, text=True, check=True)
    targets = json.loads(run.stdout.strip().splitlines()[-1])
    names = [s.name for s in table_sheets(load_config(root / "config" / "kofukin.yaml"))]
    assert targets == [str(root / "reports" / f"kofukin_{load_config(root / 'config' / 'kofukin.yaml')['report_year']}.xlsx")] + [
        str(root / "reports" / "tables" / f"{n}.csv") for n in names]


def test_fy2099_sheets_are_named_by_its_frame_year_and_threshold(fy2099):
    names = fy2099["wb"].sheetnames
    assert {"令和9年度配分枠", "令和9年度配分枠（全国）", "得点率35%以下の市町村", "令和9年度市町村分の配分枠", "令和9年度市町村分の配分額"} <= set(names)
    assert not any("令和7" in n or "3割" in n for n in names)
    assert (fy2099["frames"]["得点率35%以下の市町村"]["得点率（%）"] <= 35).all()


def test_fy2099_prefectural_and_municipal_sheets_hold_both_grants(fy2099):
    for name in GRANT_SHEETS + ["令和9年度配分枠", "得点率35%以下の市町村"]:
        sheet = fy2099["frames"][name]
        grants = ["推進"] if name.startswith("得点率") else ["推進", "支援"]        # 支援's catalogue has no penalty item
        assert sheet.columns[0] == "交付金" and list(dict.fromkeys(sheet["交付金"])) == grants, name
    per_grant = fy2099["frames"]["都道府県別得点"].groupby("交付金")
    assert per_grant.size().to_dict() == {"推進": 47, "支援": 47}
    assert per_grant["満点（点）"].unique().map(list).to_dict() == {"推進": [140], "支援": [135]}
    items = fy2099["frames"]["評価指標"].groupby("交付金")["項目"].apply(set)
    assert items["推進"] & items["支援"] == {"I-①", "III-①", "IV-②"} and len(items["支援"]) == 5


def test_fy2099_each_grants_amounts_sum_to_its_budget(fy2099):
    frames = fy2099["frames"]
    shares = frames["交付額"].groupby("交付金")["得点による配分額（千円）"].sum()
    assert shares.to_dict() == {"推進": BUDGETS["promotion"], "支援": BUDGETS["support"]}
    paid = frames["交付額"].groupby("交付金")["交付額（千円）"].sum()
    assert (paid <= shares).all()
    municipal = frames["市町村分交付額"].groupby("交付金")["交付額（千円）"].sum()
    assert municipal.to_dict() == {"推進": MUNICIPAL_BUDGETS["promotion"], "支援": MUNICIPAL_BUDGETS["support"]}
    split = frames["令和9年度配分枠"]
    assert list(split.columns[3:]) == ["試験基本枠（千円）", "試験追加枠（千円）"]
    assert split.groupby("交付金")[["試験基本枠（千円）", "試験追加枠（千円）"]].sum().to_dict("index") == {
        "推進": {"試験基本枠（千円）": 360_000, "試験追加枠（千円）": 240_000}, "支援": {"試験基本枠（千円）": 700_000, "試験追加枠（千円）": 0}}
    assert split.loc[split["交付金"] == "支援", "試験追加枠（千円）"].isna().all()      # 支援 has no additional pot: blank
    municipal_split = frames["令和9年度市町村分の配分額"].groupby("交付金")["合計（千円）"].sum()
    assert municipal_split.to_dict() == {"推進": 10_000_000, "支援": 9_000_000}
    assert frames["令和9年度市町村分の配分枠"]["予算（千円）"].tolist() == [6_000_000, 4_000_000, 9_000_000]


def test_fy2099_compares_the_grant_fy2019_scored_and_says_so_of_the_other(fy2099):
    frames, wb = fy2099["frames"], fy2099["wb"]
    assert set(frames["年度比較"]["交付金"]) == set(frames["全国の推移"]["交付金"]) == {"推進"}
    assert len(frames["年度比較"]) == 47 and frames["全国の推移"]["年度"].tolist() == [2019, 2099, 2019, 2099]
    absent = "支援は2019年度に評価されていないため、このシートにはありません。"
    for name in ("年度比較", "全国の推移"):
        assert wb[name].oddHeader.center.text == "※ 2019年度の数値は合成データです（厚生労働省の評価結果ではありません）。" + absent, name
        assert any(n.startswith(f"シート「{name}」：") and n.endswith(absent) for n in fy2099["notes"]), name
    change = frames["地図の値"].groupby("交付金")["得点率の変化 2019→2099（ポイント）"]
    assert change.count().to_dict() == {"推進": 47, "支援": 0}          # blank, not 0, where 2019 has no 支援
    assert wb["地図の値"].oddHeader.center.text.endswith("支援は2019年度に評価されていないため、得点率の変化は空欄です。")
    assert frames["市町村分の年度比較（都道府県別）"].columns[-2:].tolist() == ["推進の変化（ポイント）", "データの種類"]


def test_fy2099_workbook_reads_as_a_reader_expects(fy2099):
    wb, notes = fy2099["wb"], fy2099["notes"]
    assert notes[0] == "kofukin 年次レポート 2099年度（2019年度との比較）の表"
    assert notes[1].startswith("合成データ：2019年度の数値は合成データです") and "2099年度の数値は data/raw/results/" in notes[1]
    assert notes[3] == "交付金：推進＝保険者機能強化推進交付金、支援＝介護保険保険者努力支援交付金。"
    assert wb["交付額"].oddHeader.center.text is None                       # FY2099's own results: no note
    ws = wb["令和9年度市町村分の配分額"]
    headers = [cell.value for cell in ws[1]]
    assert headers == ["交付金", "市町村コード", "都道府県コード", "市町村", "第1号被保険者数（人）", "試験基本枠（千円）", "試験追加枠（千円）",
                       "合計（千円）"]
    assert [ws.cell(2, j).number_format for j in range(5, 9)] == ["#,##0"] * 4
    rates = wb["市町村分の年度比較（都道府県別）"]
    assert [rates.cell(2, j).number_format for j in (3, 6)] == ["0.0", "+0.0;-0.0;0.0"]
    scores = wb["都道府県別得点"]
    assert [c.value for c in scores[1]][:2] == ["交付金", "順位"] and scores.column_dimensions["A"].width >= 6


def test_a_sheet_renamed_by_the_configuration_leaves_no_csv_behind_and_nothing_else_is_removed(tmp_path):
    from kofukin.report.exports import write_tables
    table = pd.DataFrame({"年度": [2019], "値": [1]})
    (tmp_path / "analyst_notes.csv").write_text("mine\n", encoding="utf-8")
    notes = {"notice": "", "title": "表"}
    write_tables({"交付額": table, "得点率3割以下の市町村": table}, tmp_path, tmp_path / "k.xlsx", **notes)
    write_tables({"交付額": table, "得点率35%以下の市町村": table}, tmp_path, tmp_path / "k.xlsx", **notes)
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == ["analyst_notes.csv", "交付額.csv", "得点率35%以下の市町村.csv"]
