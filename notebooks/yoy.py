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
fiscal_year = None                  # None: the report year (config/kofukin.yaml)
compare_year = None                 # None: the comparison year (config/kofukin.yaml)
grant = None                        # promotion (推進) or support (支援) in a two-grant year; None: the year's first
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.pages import yoy as page
from kofukin.report import display as show

r = page.load(fiscal_year, compare_year, grant, project_dir)
show.note(page.yoy_note(r))
scores_note = r.caption(["prefecture_scores"])      # 合成データ notes (both years) beside charts and tables

# %% [markdown]
# ## 満点・全国平均・得点率

# %%
show.table(page.yoy_summary(r), caption=r.caption(["prefecture_scores", "municipal_scores"]))

# %% [markdown]
# ## 区分別の得点率（全国）

# %%
show.table(page.category_yoy(r), caption=scores_note, empty=f"{r.compare_year}年度は合計点だけが分かるため、区分別の比較はできません。")

# %% [markdown]
# ## 都道府県分 得点率と順位の変化

# %%
show.figure(page.rate_change(r), caption=scores_note)
show.figure(page.rank_scatter(r), caption=scores_note)

# %% [markdown]
# ## 個別の評価指標

# %%
show.note(page.crosswalk_note(r))
show.table(page.crosswalk_table(r), caption=r.caption(["prefecture_item_scores"]), empty="（個別指標の比較表はありません）")

# %% [markdown]
# ## アウトカム指標と順位

# %%
show.note(page.outcome_note(r))
movers, risers = page.outcome_movers(r)
show.key_figures([(f"アウトカム指標の上位{r.findings['outcome_top']}のうち順位が上がった都道府県（本データ）", f"{risers}")])
show.table(movers, caption=r.caption(["prefecture_item_scores", "prefecture_scores"]))

# %% [markdown]
# ## 得点のばらつき

# %%
show.note(page.spread_note(r))
show.table(page.spread_table(r), caption=scores_note)

# %% [markdown]
# ## 厚生労働省資料の集計値
# 変更していない指標・ハードルを上げた指標などについて、資料の集計値をそのまま示します。

# %%
show.figure(page.published_rates(r))
show.table(page.findings_table(r), empty="この2年度について公表された集計値はありません。")
