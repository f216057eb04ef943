"""What is synthetic: the notice every page, workbook and index carries where its figures are 合成データ."""

SYNTHETIC_NOTICE = ("都道府県別・市町村別の得点は公表されていないため、このページの個別の数値は、"
                    "公表された全国平均・得点率等に一致するよう決定論的に生成した合成データです。厚生労働省の評価結果ではありません。")
