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
scenario = "weight_first_insured"   # scenarios/<scenario>.yaml
project_dir = None                  # another project folder (relative: from the working directory); None: this one

# %%
from kofukin.pages import scenario as page
from kofukin.report import display as show

s, c = page.load(scenario, project_dir)
note = page.scenario_caption(c, project_dir)   # 合成データ note beside charts and tables
show.note(page.scenario_note(s, c, project_dir))
show.key_figures(page.scenario_summary(c))

# %% [markdown]
# 基準は設定ファイル（config/kofukin.yaml）の規則による都道府県分の交付額です。どちらも同じ得点（所要見込額による上限を含む）から計算しています。

# %%
show.figure(page.scenario_bars(c, s.label), caption=note)
show.figure(page.scenario_scatter(c, s.label), caption=note)

# %% [markdown]
# ## 増える都道府県（上位10）

# %%
show.table(page.scenario_table(c, rows=10), caption=note)

# %% [markdown]
# ## 減る都道府県（上位10）

# %%
show.table(page.scenario_table(c, rows=10, losers=True), caption=note)

# %% [markdown]
# ## 全都道府県
# 同じ表は reports/scenarios/ に CSV と Excel で出力しています。

# %%
show.table(page.scenario_table(c), caption=note)
