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
# # 自分のデータで作る：テンプレート → 検証 → ビルド
# プロジェクトのデータはそのままに、作業用フォルダにコピーを作って、所要見込額（都道府県分）の実データを入れる流れを試します。
# 実際には、テンプレートを Excel で開いて記入し、`kofukin validate data/raw/results/` で確かめてから `doit` を実行します。

# %% tags=["parameters"]
workdir = None                      # the scratch copy (relative: from the working directory); None: build/byod at the project root
year = None                         # the results' year; None: the report year (config/kofukin.yaml)

# %%
import pandas as pd

from kofukin.model import paths
from kofukin.model.config import page_years
from kofukin.make.data import build
from kofukin.intake.templates import write_templates
from kofukin.intake.validate import validate_files

project = paths.project_copy(workdir or paths.BUILD / "byod")      # the synthetic stand-ins only
results = project["raw"] / paths.RESULTS
year, _ = page_years(year)
written = write_templates("requests", year, results, project["config"], project["raw"])
written

# %% [markdown]
# ## テンプレートに記入する
# ここでは例として、すべての都道府県の所要見込額を 25,000千円とし、わざと1つだけ空欄を残します（空欄は「欠測」で、0 ではありません）。

# %%
form = pd.read_csv(written[0], dtype=str, encoding="utf-8-sig")
form["所要見込額（千円）"] = "25,000"
form.loc[12, "所要見込額（千円）"] = ""
form.to_csv(written[0], index=False, encoding="utf-8-sig")
written[1].unlink()                     # keep one file per level and year: the CSV
form.head()

# %% [markdown]
# ## 検証する
# 問題はすべて一度に、ファイル・行・列・値・期待される内容とともに報告されます。

# %%
check = validate_files([written[0]], project["config"], project["raw"])
for problem in check.problems:
    print(problem)

# %%
form.loc[12, "所要見込額（千円）"] = "31,000"
form.to_csv(written[0], index=False, encoding="utf-8-sig")
print(validate_files([written[0]], project["config"], project["raw"]).problems or "問題はありません")

# %% [markdown]
# ## ビルドする
# 実データの表は合成データの印（`synthetic`）が外れます。vintage.json は表ごとに合成データの年度を記録します（空なら実データ）。得点はまだ合成データなので、交付額は合成データのままです。

# %%
build(**project)
vintage = pd.read_json(project["processed"] / "vintage.json", typ="series")["synthetic"]
{name: flag for name, flag in vintage.items() if "request" in name or "allocation" in name}

# %%
pd.read_csv(project["processed"] / "prefecture_allocation.csv", dtype={"pref_code": str}).head()
