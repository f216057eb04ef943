"""Full-size test copies of the ministry's results workbooks (市町村分 FY2024–FY2026, 都道府県分 FY2026), built from the
layout facts (../shared/reference/current_structure.md §3 and municipal_indicators_2024_2026.csv as copied into
data/raw/catalogue/): header rows 1–8 with merged cells, statistics rows in a year-specific order, each year's
attribute columns, subtotal columns, the rank, 広域連合 with their members, 1,741 municipalities with random but
consistent scores, and columns nobody has described after the rank. ``Workbook`` holds the cells as a grid, so a test
tampers with a copy and writes it again. Where the facts leave a choice (the positions of undescribed attribute
columns, the row holding a subtotal's label, the statistics' order), each year makes a different one, so the reader
cannot rely on any."""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from xlsx_writer import letter, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
# the shipped copy (issue 26's model branch), else the shared reference it is copied from unchanged
REFERENCE = next((p for p in (ROOT / "data" / "raw" / "catalogue" / "municipal_current_branches.csv",
                              ROOT.parent / "shared" / "reference" / "municipal_indicators_2024_2026.csv") if p.exists()),
                 ROOT / "data" / "raw" / "catalogue" / "municipal_current_branches.csv")
PREFECTURES = ROOT / "data" / "raw" / "reference" / "prefectures.csv"
GRANT_NAMES = {"推進": "保険者機能強化推進交付金", "支援": "介護保険保険者努力支援交付金"}
GROUP_TEXT = {"体制・取組": "（ⅰ）体制・取組指標群", "活動": "（ⅱ）活動指標群", "成果": "成果指標群"}
REIWA = {2024: "６", 2025: "７", 2026: "８"}

# per year: attribute columns (None = a column nobody has described), statistics rows in order, the attribute column
# holding the statistics' labels, where subtotal labels sit, unions/members, digits of 保険者番号, decimals of means
LAYOUTS = {
    2024: dict(attrs=["通し番号", "都道府県番号", "保険者番号", "都道府県名", "市町村名", "人口", "第1号被保険者数",
                      "過疎地域該当有無", "前年度合計得点", "前年度順位", None, None],
               stats=["配点", "全国合計", "平均点", "中央値", "標準偏差", "該当市町村数", "該当率", "項目平均", "平均得点率"],
               stats_label="市町村名", subtotal_row=4, unions=(40, 210), digits=5, decimals=1, width=1500,
               sheet="Sheet1", title="01_（掲載用）令和６年度評価結果（市町村分）【交付見込額確定版】"),
    2025: dict(attrs=["通し番号", "都道府県番号", "都道府県名", "保険者番号", None, "市町村名", None, "人口",
                      "第1号被保険者数", "区分", "過疎地域該当有無", "前年度合計得点", "前年度順位", None],
               stats=["配点", "平均点", "全国合計", "該当市町村数", "該当率", "中央値", "標準偏差", "平均得点率", "項目平均"],
               stats_label="都道府県名", subtotal_row=5, unions=(39, 207), digits=6, decimals=2, width=1540,
               sheet="全国集計", title="令和７年度 評価指標に係る該当状況調査票集計表（市町村分）"),
    2026: dict(attrs=["通し番号", "都道府県番号", None, "保険者番号", None, None, "都道府県名", "市町村名", "人口",
                      "第1号被保険者数", "区分", "過疎地域該当有無", "前年度合計得点", "前年度順位"],
               stats=["全国合計", "配点", "平均点", "項目平均", "平均得点率", "中央値", "標準偏差", "該当市町村数", "該当率"],
               stats_label=2, subtotal_row=4, unions=(38, 205), digits=6, decimals=None, width=1563,
               sheet="全国集計（市町村）", title="令和８年度 評価指標に係る該当状況調査票集計表（市町村分）"),
}
UNDESCRIBED = ["市町村コード", "保険者名（カナ）", "備考"]
FIRST_DATA_ROW = 19


@dataclass
class Workbook:
    """A workbook's cells (``rows[0]`` is row 1), merged ranges, sheet name, and the truth it was made from."""

    rows: list[list]
    merged: list[str]
    sheet: str
    truth: dict = field(default_factory=dict)

    def write(self, path: Path) -> Path:
        return write_xlsx(path, self.sheet, self.rows, self.merged)

    def copy(self) -> "Workbook":
        return Workbook([list(r) for r in self.rows], list(self.merged), self.sheet, self.truth)

    def col(self, label_or_letter: str) -> int:
        """0-based index of a column, by letter."""
        n = 0
        for ch in label_or_letter:
            n = n * 26 + ord(ch) - 64
        return n - 1

    def find_row(self, label: str) -> int:
        """0-based index of the statistics row labelled ``label``."""
        return next(i for i, r in enumerate(self.rows[:FIRST_DATA_ROW]) if label in r)


def reference(year: int) -> pd.DataFrame:
    ref = pd.read_csv(REFERENCE, dtype={"sub_branch": str, "branch": str})
    return ref[ref.fiscal_year == year].sort_values("column_number").reset_index(drop=True)


# indicators worth less than their branches: a municipality scores one alternative (ア, イ…), at most the cap
# (config current.indicator_caps, docs/assumptions.md A37)
CAPS = {("推進", "Ⅳ", "成果", 1.0): 20.0, ("推進", "Ⅳ", "成果", 3.0): 20.0, ("推進", "Ⅳ", "成果", 5.0): 20.0,
        ("支援", "Ⅰ", "活動", 9.0): 4.0, ("支援", "Ⅳ", "成果", 1.0): 20.0, ("支援", "Ⅳ", "成果", 3.0): 20.0,
        ("支援", "Ⅳ", "成果", 5.0): 20.0}


def _municipalities(year: int, rng) -> pd.DataFrame:
    prefs = pd.read_csv(PREFECTURES, dtype={"pref_code": str})
    n_unions, n_members = LAYOUTS[year]["unions"]
    rows = []
    for code, name, n in zip(prefs.pref_code, prefs.pref_name, prefs.municipalities_2019):
        for i in range(1, n + 1):
            pop = int(np.exp(rng.normal(9.8, 1.3)))
            rows.append(dict(pref_code=code, pref_name=name, order=i, muni_name=f"テスト町{code}-{i:03d}",
                             population=max(pop, 200), union=None))
    munis = pd.DataFrame(rows)
    big = prefs[prefs.municipalities_2019 >= 25].pref_code.tolist()
    sizes = np.full(n_unions, n_members // n_unions)
    sizes[: n_members - sizes.sum()] += 1
    for u, size in enumerate(sizes):
        pref = big[u % len(big)]
        start = 1 + 8 * (u // len(big))          # each union a run of consecutive municipalities of its prefecture
        idx = munis.index[(munis.pref_code == pref) & munis.order.between(start, start + size - 1)]
        munis.loc[idx, "union"] = u
    munis["first_insured"] = (munis.population * rng.uniform(0.22, 0.42, len(munis))).astype(int)
    munis["size_class"] = np.digitize(munis.population, [3000, 10000, 50000, 100000]) + 1
    munis["kaso"] = rng.random(len(munis)) < 0.5
    return munis


def _scores(ref: pd.DataFrame, munis: pd.DataFrame, rng) -> pd.DataFrame:
    """Branch scores (0 or the points), one ability per municipality; goal Ⅳ equal in both grants."""
    ability = rng.normal(0, 1, len(munis))
    cols = {}
    for r in ref[ref.row_kind == "branch"].itertuples():
        key = ("Ⅳ", r.indicator_no, r.branch, r.sub_branch)
        if r.goal == "Ⅳ" and key in cols:
            cols[r.column_letter] = cols[key]
            continue
        rate = min(max(r.rate, 0.002), 0.998)
        p = 1 / (1 + np.exp(-(np.log(rate / (1 - rate)) + 1.2 * ability)))
        cols[r.column_letter] = np.where(rng.random(len(munis)) < p, r.points, 0.0)
        if r.goal == "Ⅳ":
            cols[key] = cols[r.column_letter]
    branches = ref[ref.row_kind == "branch"]
    for (grant, goal, group, ind), g in branches.groupby(["grant", "goal", "group", "indicator_no"], sort=False):
        if (grant, goal, group, ind) in CAPS:        # only the best alternative keeps its points (in place: Ⅳ is shared)
            alts = [gi.column_letter.tolist() for _, gi in g.groupby("branch")]
            best = np.argmax(np.column_stack([sum(cols[c] for c in a) for a in alts]), axis=1)
            for k, a in enumerate(alts):
                for c in a:
                    cols[c][best != k] = 0.0
    return pd.DataFrame({k: v for k, v in cols.items() if isinstance(k, str)})


def _subtotals(ref: pd.DataFrame, details: pd.DataFrame) -> pd.DataFrame:
    """Every subtotal column from the details: indicators (at most their cap), groups, goals, grants."""
    capped = CAPS
    br = ref[ref.row_kind == "branch"]
    groups, goals, grants = {}, {}, {}
    for (grant, goal, group, ind), g in br.groupby(["grant", "goal", "group", "indicator_no"], sort=False):
        if (grant, goal, group, ind) in capped:
            score = details[g.column_letter.tolist()].sum(axis=1).clip(upper=capped[(grant, goal, group, ind)])
        else:
            score = details[g.column_letter.tolist()].sum(axis=1)
        groups[(grant, goal, group)] = groups.get((grant, goal, group), 0) + score
    for (grant, goal, group), s in groups.items():
        goals[(grant, goal)] = goals.get((grant, goal), 0) + s
    for (grant, goal), s in goals.items():
        grants[grant] = grants.get(grant, 0) + s
    out = {}
    for r in ref[ref.row_kind == "subtotal"].itertuples():
        label = r.subtotal_label.replace(" ", "")
        if label.endswith("計") and "（" in label:
            out[r.column_letter] = groups[(r.grant, r.goal, "体制・取組" if "（ⅰ）" in label else "活動")]
        elif label.endswith("合計") and r.goal in ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ") and not label.startswith(("推進", "支援")):
            out[r.column_letter] = goals[(r.grant, r.goal)]
        elif label in ("推進合計", "支援合計"):
            out[r.column_letter] = grants[label[:2]]
        else:
            out[r.column_letter] = grants["推進"] + grants["支援"]
    return pd.DataFrame(out)


def _stat(label, v: np.ndarray, points: float | None, n: int, decimals):
    rnd = (lambda x: float(round(x, decimals))) if decimals is not None else float
    if label == "配点":
        return points
    if label == "全国合計":
        return float(v.sum())
    if label in ("平均点", "項目平均"):
        return rnd(v.mean())
    if label == "平均得点率":
        return rnd(v.mean() / points) if points else None
    if label == "中央値":
        return float(np.median(v))
    if label == "標準偏差":
        return rnd(v.std())
    if label == "該当市町村数":
        return int((v > 0).sum())
    if label == "該当率":
        return rnd((v > 0).sum() / n)
    raise KeyError(label)


def municipal(year: int, width: int | None = None, seed: int = 0) -> Workbook:
    """The municipal workbook of ``year`` (2024–2026) as cells; ``width`` trims the undescribed columns after the
    rank (None: full size, about 1,500–1,563 columns)."""
    lay = LAYOUTS[year]
    rng = np.random.default_rng(year * 100 + seed)
    ref = reference(year)
    munis = _municipalities(year, rng)
    details = _scores(ref, munis, rng)
    subs = _subtotals(ref, details)
    values = pd.concat([details, subs], axis=1)
    total_letter = ref.column_letter.iloc[-1]
    total = values[total_letter]
    rank = total.rank(ascending=False, method="min").astype(int)
    rank_col = int(ref.column_number.iloc[-1]) + 1
    ncols = width or lay["width"]
    ncols = max(ncols, rank_col)
    n_rows = FIRST_DATA_ROW - 1
    attrs = lay["attrs"]
    A = {label: i for i, label in enumerate(attrs) if label}
    grid = [[None] * ncols for _ in range(n_rows)]
    merged = []
    grid[0][0] = lay["title"]

    # header rows 2–8
    for i, label in enumerate(attrs):
        grid[1][i] = label or UNDESCRIBED[i % len(UNDESCRIBED)]
        merged.append(f"{letter(i + 1)}2:{letter(i + 1)}8")

    def span(row: int, first: int, last: int, text: str):
        grid[row - 1][first - 1] = text
        if last > first:
            merged.append(f"{letter(first)}{row}:{letter(last)}{row}")

    for grant, g in ref.groupby("grant", sort=False):
        if grant in GRANT_NAMES:
            span(2, g.column_number.min(), g.column_number.max(), GRANT_NAMES[grant])
    for (grant, goal), g in ref[ref.goal.notna()].groupby(["grant", "goal"], sort=False):
        span(3, g.column_number.min(), g.column_number.max(), f"目標{goal}　{g.goal_name.dropna().iloc[0]}")
    br = ref[ref.row_kind == "branch"]
    for (grant, goal, group), g in br.groupby(["grant", "goal", "group"], sort=False):
        span(4, g.column_number.min(), g.column_number.max(),
             f"目標{goal}ｰ{GROUP_TEXT[group]}" if group != "成果" else f"目標{goal}　{GROUP_TEXT[group]}")
    for (grant, goal, group, ind), g in br.groupby(["grant", "goal", "group", "indicator_no"], sort=False):
        number = int(ind) if year == 2024 else f"{int(ind)}"
        span(5, g.column_number.min(), g.column_number.max(), number)
        span(6, g.column_number.min(), g.column_number.max(), g.indicator_name.iloc[0])
        for b, gb in g.groupby("branch", sort=False):
            span(7, gb.column_number.min(), gb.column_number.max(), b)
            for r in gb.itertuples():
                if isinstance(r.sub_branch, str):
                    grid[7][r.column_number - 1] = r.sub_branch
    for r in ref[ref.row_kind == "subtotal"].itertuples():
        label = r.subtotal_label
        row = 2 if label == "推進・支援合計" else 3 if label in ("推進合計", "支援合計") else lay["subtotal_row"]
        grid[row - 1][r.column_number - 1] = label
        merged.append(f"{letter(r.column_number)}{row}:{letter(r.column_number)}8")
    grid[1][rank_col - 1] = "今年度順位"
    merged.append(f"{letter(rank_col)}2:{letter(rank_col)}8")
    if ncols > rank_col:
        span(2, rank_col + 1, ncols, "調査票回答状況（参考）")
        for c in range(rank_col + 1, ncols + 1):
            grid[4][c - 1] = f"問{c - rank_col}"

    # statistics rows 9–17
    label_col = A[lay["stats_label"]] if isinstance(lay["stats_label"], str) else lay["stats_label"]
    n = len(munis)
    points = dict(zip(ref.column_letter, ref.points))
    for k, label in enumerate(lay["stats"]):
        row = grid[8 + k]
        row[label_col] = label
        for c, col in enumerate(values.columns):
            cn = int(ref.column_number[ref.column_letter == col].iloc[0])
            row[cn - 1] = _stat(label, values[col].to_numpy(), points[col], n, lay["decimals"])
        if label == "全国合計":
            row[A["人口"]] = int(munis.population.sum())

    # data rows, unions before their members
    serial, data = 0, []
    truth_munis = []
    col_no = dict(zip(ref.column_letter, ref.column_number))
    union_no = {}
    positions, matrix = [col_no[c] - 1 for c in values.columns], values.to_numpy(float)
    totals, ranks = total.to_numpy().tolist(), rank.to_numpy().tolist()
    for pos, m in enumerate(munis.itertuples()):
        if m.union is not None and not (pos and munis.union.iloc[pos - 1] == m.union):
            serial += 1
            row = [None] * ncols
            uno = _insurer(m.pref_code, 900 + int(m.union), lay["digits"])
            union_no[m.union] = uno
            row[A["通し番号"]], row[A["都道府県番号"]], row[A["保険者番号"]] = serial, int(m.pref_code), int(uno)
            row[A["都道府県名"]], row[A["市町村名"]] = m.pref_name, f"テスト広域連合{int(m.union):02d}"
            data.append(row)
        serial += 1
        row = [None] * ncols
        member = m.union is not None
        insurer = None if member else _insurer(m.pref_code, m.order, lay["digits"])
        row[A["通し番号"]], row[A["都道府県番号"]] = serial, int(m.pref_code)
        row[A["保険者番号"]] = None if member else int(insurer)
        row[A["都道府県名"]], row[A["市町村名"]] = m.pref_name, m.muni_name
        row[A["人口"]], row[A["第1号被保険者数"]] = int(m.population), int(m.first_insured)
        if "区分" in A:
            row[A["区分"]] = int(m.size_class)
        row[A["過疎地域該当有無"]] = "○" if m.kaso else None
        row[A["前年度合計得点"]], row[A["前年度順位"]] = int(totals[pos]) - 7, int(ranks[pos])
        for i, label in enumerate(attrs):
            if label is None:
                row[i] = f"{m.pref_code}{m.order:03d}0" if i % 2 else "備考"
        for c, v in zip(positions, matrix[pos].tolist()):
            row[c] = v
        row[rank_col - 1] = int(ranks[pos])
        for c in range(rank_col, ncols):
            row[c] = (pos + c) % 4
        data.append(row)
        truth_munis.append(dict(pref_code=m.pref_code, muni_name=m.muni_name,
                                insurer_no=insurer, union_no=union_no.get(m.union) if member else None,
                                population=int(m.population), first_insured=int(m.first_insured),
                                size_class=int(m.size_class) if "区分" in A else None, kaso=bool(m.kaso)))
    truth = dict(reference=ref, details=details, subtotals=subs, municipalities=pd.DataFrame(truth_munis),
                 unions=len(union_no), rank_col=rank_col, total_letter=total_letter, attrs=A)
    return Workbook(grid + data, merged, lay["sheet"], truth)


def _insurer(pref: str, k: int, digits: int) -> str:
    base = f"{pref}{k:03d}"
    return base if digits == 5 else base + str(sum(map(int, base)) % 10)


# 都道府県分 FY2026: a small copy of its layout (§3): row 9 配点, row 10 全国計, rows 11–13 statistics, data from row 14
PREF_GOALS = [("推進", "Ⅰ", 64, 36), ("推進", "Ⅱ", 68, 32), ("推進", "Ⅲ", 64, 36), ("推進", "Ⅳ", None, None),
              ("支援", "Ⅰ", 52, 48), ("支援", "Ⅱ", 64, 36), ("支援", "Ⅲ", 68, 32), ("支援", "Ⅳ", None, None)]


def prefectural(seed: int = 0) -> Workbook:
    """The FY2026 prefectural workbook: 47 rows, branches of 4 (or 5) points, group and goal subtotals, grant totals,
    the total and the rank, scores calibrated near the published means (535.6 in all)."""
    rng = np.random.default_rng(2026_47 + seed)
    prefs = pd.read_csv(PREFECTURES, dtype={"pref_code": str})
    n = 8                                         # (letter-number, kind, grant, goal, group, label, points)
    cols_spec = []
    for grant, goal, g1, g2 in PREF_GOALS:
        parts = [("体制・取組", g1), ("活動", g2)] if g1 else [("成果", 100)]
        for group, pts in parts:
            for k in range(pts // 4):
                cols_spec.append(("branch", grant, goal, group, k + 1, 4.0))
            if group != "成果":
                cols_spec.append(("group", grant, goal, group, None, float(pts)))
        cols_spec.append(("goal", grant, goal, None, None, 100.0))
        if goal == "Ⅳ":
            cols_spec.append(("grant", grant, None, None, None, 400.0))
    cols_spec += [("total", None, None, None, None, 800.0), ("rank", None, None, None, None, None)]
    ncols = n + len(cols_spec)
    grid = [[None] * ncols for _ in range(13)]
    merged = []
    grid[0][0] = "令和８年度 評価指標に係る該当状況調査票集計表（都道府県分）"
    for i, label in enumerate(["No", None, "都道府県名", None, None, "前年度合計得点", "前年度順位", None]):
        if label:
            grid[1][i] = label
    ability = rng.normal(0, 1, 47)
    values = np.zeros((47, len(cols_spec)))
    start = {}
    for j, (kind, grant, goal, group, k, pts) in enumerate(cols_spec):
        c = n + j
        if (grant, goal) not in start and goal:
            start[(grant, goal)] = c
            grid[2][c] = f"目標{goal}"
        if kind == "branch":
            if k == 1:
                grid[3][c] = f"目標{goal}ｰ{GROUP_TEXT[group]}"
            grid[4][c] = str(k)
            grid[6][c] = "ア"
            if grant == "支援" and goal == "Ⅳ":
                values[:, j] = values[:, [i for i, s in enumerate(cols_spec) if s[:5] == ("branch", "推進", "Ⅳ", group, k)][0]]
            else:
                p = 1 / (1 + np.exp(-(0.45 + 0.9 * ability)))
                values[:, j] = np.where(rng.random(47) < p, pts, 0)
        elif kind == "group":
            grid[3][c] = f"{goal}（{'ⅰ' if group == '体制・取組' else 'ⅱ'}） 計"
            values[:, j] = values[:, [i for i, s in enumerate(cols_spec) if s[0] == "branch" and s[1:4] == (grant, goal, group)]].sum(1)
        elif kind == "goal":
            grid[3][c] = f"{goal} 合計"
            values[:, j] = values[:, [i for i, s in enumerate(cols_spec) if s[0] == "branch" and s[1:3] == (grant, goal)]].sum(1)
        elif kind == "grant":
            grid[2][c] = f"{grant}合計"
            values[:, j] = values[:, [i for i, s in enumerate(cols_spec) if s[0] == "goal" and s[1] == grant]].sum(1)
        elif kind == "total":
            grid[1][c] = "推進・支援合計"
            values[:, j] = values[:, [i for i, s in enumerate(cols_spec) if s[0] == "grant"]].sum(1)
        else:
            grid[1][c] = "今年度順位"
            values[:, j] = pd.Series(values[:, j - 1]).rank(ascending=False, method="min").to_numpy()
        if grant and (kind == "branch" and (j == 0 or cols_spec[j - 1][1] != grant)):
            grid[1][c] = GRANT_NAMES[grant]
    for k, (label, f) in enumerate([("配点", None), ("全国計", np.sum), ("平均", np.mean), ("平均率", None), ("中位", np.median)]):
        grid[8 + k][2] = label
        for j, s in enumerate(cols_spec[:-1]):
            v = values[:, j]
            grid[8 + k][n + j] = s[5] if label == "配点" else float(v.mean() / s[5]) if label == "平均率" else float(f(v))
    rows = []
    for i, (code, name) in enumerate(zip(prefs.pref_code, prefs.pref_name)):
        row = [None] * ncols
        row[0], row[2], row[5], row[6] = i + 1, name, 500 + i, 47 - i
        row[n:] = [float(x) for x in values[i, :-1]] + [int(values[i, -1])]
        rows.append(row)
    truth = dict(values=values, spec=cols_spec, first=n)
    return Workbook(grid + rows, merged, "全国集計（都道府県）", truth)


def tampered(wb: Workbook, how) -> Workbook:
    """A copy of ``wb`` changed by ``how(copy)``."""
    out = wb.copy()
    how(out)
    return out

