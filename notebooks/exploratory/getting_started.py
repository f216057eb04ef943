# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # kofukin をライブラリとして使う
# 処理済みデータ（`doit` で作られる `data/processed/`）を読み込み、1つの都道府県を見て、ハウススタイルのグラフを描き、
# 予算額を変えて配分を計算し直します。個別の数値は、実データを入れるまでは合成データです。

# %% tags=["parameters"]
pref_code = "13"
budget_thousand_yen = 1_200_000
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.model import allocation, paths
from kofukin import report
from kofukin.pages import allocation as allocation_page, national

r = report.load(**paths.project(project_dir))
print(f"{r.year}年度（比較: {r.compare_year}年度）、合成データ: {r.synthetic}")
r.scores.head()

# %% [markdown]
# ## 1つの都道府県
# `prefecture_scores` は年度・都道府県・区分ごとに1行です（区分 TOTAL が合計点）。

# %%
r.scores.query("pref_code == @pref_code and fiscal_year == @r.year")[["category", "score", "max_points", "score_rate", "rank"]]

# %%
r.stakes.query("pref_code == @pref_code").head(10)

# %% [markdown]
# ## ハウススタイルのグラフ
# 各ページのモジュール（`kofukin.pages.national` など）のグラフの関数は matplotlib の Figure を返します（日本語フォントは matplotlib-fontja）。

# %%
national.japan_maps(r)

# %% [markdown]
# ## 予算額を変えて配分する
# 得点の比で配分し、所要見込額を上限とします（`kofukin.model.allocation.prefecture_grant`）。合計は予算額を超えず、千円単位で配り切ります。

# %%
alloc = r.allocation.set_index("pref_code")
grant = allocation.prefecture_grant(alloc["score"].clip(lower=0), budget_thousand_yen, alloc["cap_thousand_yen"])
print(f"予算 {budget_thousand_yen:,}千円 → 得点による配分 {grant['share_thousand_yen'].sum():,}千円、交付 {grant['amount_thousand_yen'].sum():,}千円")
grant.sort_values("amount_thousand_yen", ascending=False).head()

# %%
allocation_page.allocation_totals(r)
