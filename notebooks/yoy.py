# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
fiscal_year = 2019
compare_year = 2018
processed_dir = "data/processed"
raw_dir = "data/raw"
config_path = "config/kofukin.yaml"

# %%
from kofukin import charts, display as show, report, tables

r = report.load(processed_dir, raw_dir, config_path, year=fiscal_year, compare_year=compare_year)
show.note(f"{r.compare_year}年度から{r.year}年度にかけて、評価指標と配点が見直されました"
          "（都道府県分 730点→741点、市町村分 612点→692点）。得点率で比べると満点の違いを除いて比較できます。")

# %% [markdown]
# ## 満点・全国平均・得点率

# %%
show.table(tables.yoy_summary(r))

# %% [markdown]
# ## 都道府県分 得点率と順位の変化

# %%
show.figure(charts.rate_change(r))
show.figure(charts.rank_scatter(r))

# %% [markdown]
# ## アウトカム指標の配点 20点→60点
# 要介護状態の維持・改善の度合い（アウトカム指標）の配点を引き上げたことで、厚生労働省資料では「アウトカム指標において高得点を取った上位10位中9県で合計点の順位が上がった」とされています。本データでの同じ集計は次のとおりです（アウトカム指標の得点、同点は合計点の高い順）。

# %%
movers, risers = tables.outcome_movers(r)
show.key_figures([("上位10のうち順位が上がった都道府県（本データ）", f"{risers}"), ("同（公表）", "9")])
show.table(movers)

# %% [markdown]
# ## 変更していない指標・ハードルを上げた指標（公表値）
# 個別指標の年度間の対応は公表されていないため、厚生労働省資料の集計値をそのまま示します。

# %%
show.figure(charts.published_rates(r))
show.table(tables.findings_table(r))
