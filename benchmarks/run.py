"""Benchmark of the build and the engine; prints a table and writes benchmarks/results.{json,csv}.

    .venv/bin/python benchmarks/run.py            # everything (about 8 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --engine   # engine throughput only
    .venv/bin/python benchmarks/run.py --workbook # reading a full-size ministry municipal workbook only
    .venv/bin/python benchmarks/run.py --incremental  # the cold build (two steps) and one changed request only

Every figure is measured in one run on one machine, in a throw-away copy of the project:
1. cold build from a clean tree in two steps — everything but the municipal edition (``PREFECTURAL_TASKS``), then
   `doit` (the edition: a page per municipality, the municipal indexes, the committee papers, the search index) —
   wall time and peak memory of any build process;
2. the naive way: the same notebooks run one after another with the `papermill` command line,
   exported with `jupyter nbconvert`, printed with the same PDF step from the command line;
   (for the 1,741 municipal pages: a sample of MUNICIPAL_SAMPLE pages the naive way, scaled up);
3. no-op rebuild against `doit list`; 4. incremental rebuilds after one prefecture's request changes and
after one municipality's name changes (FY2019 as real results first); 5. the 47 municipal PDFs (`doit municipal_pdf`);
6. engine throughput at 1×–8× of 10 years × 1,741 municipalities × 100 items; 7. output sizes;
8. reading and checking a full-size FY2026 municipal results workbook (about 1,780 rows × 1,563 columns).
Never part of the test suite: figures are printed, not asserted.
"""

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

MUNICIPAL_SAMPLE = 20
ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent
PY = sys.executable
MEASURE = ("import resource, subprocess, sys, time, json; t = time.perf_counter(); "
           "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
           "print(json.dumps({'seconds': time.perf_counter() - t, 'rc': p.returncode, 'out': p.stdout + p.stderr, "
           "'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "
           "'cpu_s': resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime}))")


def run(cmd: list[str], cwd: Path, env: dict) -> dict:
    """Wall time and peak RSS of the largest process in ``cmd``'s tree."""
    p = subprocess.run([PY, "-c", MEASURE, *cmd], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    result = json.loads(p.stdout)
    if result["rc"]:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result['out'][-3000:]}")
    return result


def workspace() -> tuple[Path, dict]:
    """A copy of the project's sources (no built files) that imports its own kofukin."""
    where = Path(tempfile.mkdtemp(prefix="kofukin-bench-")) / "kofukin"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        (where / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, where / f)
    env = {**os.environ, "PYTHONPATH": str(where), "KOFUKIN_ROOT": str(where)}
    return where, env


def weasyprint_version() -> str:
    from importlib.metadata import version
    return version("weasyprint")


def tasks_run(output: str) -> list[str]:
    return [line[3:].strip() for line in output.splitlines() if line.startswith(".  ")]


# the default build less the municipal edition (the base of the incremental goal, issue 25)
PREFECTURAL_TASKS = ["data", "current_data", "national", "profile", "tables", "current_tables", "scenario_table",
                     "scenario", "api", "index", "pdf", "pdf_national"]


def request_change(where: Path, env: dict) -> dict:
    """The requests (所要見込額) as a real result file, built; then one prefecture's request changed, built: that run."""
    doit = [PY, "-m", "doit"]
    results = where / "data" / "raw" / "results"
    results.mkdir(exist_ok=True)
    requests = pd.read_csv(where / "data" / "processed" / "inputs" / "prefecture_requests.csv", dtype=str)
    form = pd.DataFrame({"年度": requests.fiscal_year, "都道府県コード": requests.pref_code,
                         "所要見込額（千円）": requests.request_thousand_yen.astype(int)})
    form.to_csv(results / "requests_2019.csv", index=False, lineterminator="\n")
    run(doit, where, env)
    form.loc[form["都道府県コード"] == "05", "所要見込額（千円）"] -= 3000
    form.to_csv(results / "requests_2019.csv", index=False, lineterminator="\n")
    return run(doit, where, env)


def incremental_figures() -> dict:
    """The cold build in its two steps and one prefecture's changed request alone (``--incremental``)."""
    where, env = workspace()
    doit = [PY, "-m", "doit"]
    prefectural = run(doit + PREFECTURAL_TASKS, where, env)
    edition = run(doit, where, env)
    incremental = request_change(where, env)
    shutil.rmtree(where.parent, ignore_errors=True)
    return {"cold_prefectural_s": prefectural["seconds"], "cold_edition_s": edition["seconds"],
            "cold_prefectural_peak_mb": prefectural["peak_mb"], "cold_edition_peak_mb": edition["peak_mb"],
            "incremental_s": incremental["seconds"], "incremental_cpu_s": incremental["cpu_s"],
            "incremental_over_prefectural_cold": incremental["seconds"] / prefectural["seconds"],
            "incremental_over_cold": incremental["seconds"] / (prefectural["seconds"] + edition["seconds"]),
            "incremental_tasks": tasks_run(incremental["out"])}


def build_figures() -> dict:
    where, env = workspace()
    doit = [PY, "-m", "doit"]
    prefectural = run(doit + PREFECTURAL_TASKS, where, env)
    edition = run(doit, where, env)
    cold = {"seconds": prefectural["seconds"] + edition["seconds"], "peak_mb": max(prefectural["peak_mb"], edition["peak_mb"]),
            "out": prefectural["out"] + edition["out"]}
    noop = run(doit, where, env)
    listing = run(doit + ["list"], where, env)

    # the naive way: same notebooks, command-line tools one after another
    naive_dir = where / "naive"
    naive_dir.mkdir()
    sys.path.insert(0, str(where))
    from kofukin.model.config import load_config
    from kofukin.make.pages import municipal_pages, report_set
    cfg = load_config(where / "config" / "kofukin.yaml")
    national, profiles, _ = report_set(cfg, where / "data" / "raw")
    pages = national + profiles
    municipal = municipal_pages(cfg["report_year"], where / "data" / "processed" / "municipal")
    sample = municipal[:: len(municipal) // MUNICIPAL_SAMPLE][:MUNICIPAL_SAMPLE]
    peak = run([PY, "-c", "from kofukin.make.data import build; build()"], where, env)["peak_mb"]
    naive_times = []
    for page in pages + sample:
        t_page = time.perf_counter()
        ipynb = naive_dir / f"{page.name.replace('/', '_')}.ipynb"
        run([PY, "-m", "jupytext", "--to", "ipynb", "-o", str(ipynb), str(where / "notebooks" / page.notebook)], where, env)
        params = []
        for k, v in page.parameters.items():
            params += ["-r" if isinstance(v, str) else "-p", k, str(v)]
        done = ipynb.with_suffix(".out.ipynb")
        r = run([PY, "-m", "papermill", "-k", "python3", "--cwd", str(where), *params, str(ipynb), str(done)], where, env)
        r2 = run([PY, "-m", "jupyter", "nbconvert", "--to", "html", "--no-input", str(done)], where, env)
        r3 = run([PY, "-m", "kofukin.make.pdf", str(done.with_suffix(".html")), str(ipynb.with_suffix(".pdf"))], where, env)
        peak = max(peak, r["peak_mb"], r2["peak_mb"], r3["peak_mb"])
        naive_times.append(time.perf_counter() - t_page)
    naive_municipal_page = statistics.mean(naive_times[len(pages):])
    naive = sum(naive_times[:len(pages)]) + naive_municipal_page * len(municipal)
    # Printer measured: WeasyPrint (kofukin.make.pdf), the project's one printer, chosen because a user's fresh
    # machine promises only Python 3.11: WeasyPrint installs from PyPI and embeds the fonts, where a Chromium
    # printer needs a browser. Its cost was the strip charts' dots (a translucent box each), now one SVG a strip
    # (kofukin.make.pdf.dots_as_svg), then flex boxes and nbconvert's wrappers (printed as blocks, unwrapped).
    # CPU seconds are printed beside wall time: on a shared machine they hold better.
    municipal_pdf = run(doit + ["municipal_pdf"], where, env)
    # The committee paper's Word documents (issue 27), all 1,741: not in the default build.
    municipal_docx = run(doit + ["municipal_docx"], where, env)

    incremental = request_change(where, env)
    ran = tasks_run(incremental["out"])
    results = where / "data" / "raw" / "results"

    # incremental: FY2019 as real results (the tests' real-looking municipalities), then one municipality renamed
    sys.path.insert(0, str(where / "tests"))
    from conftest import real_looking, write_result_files
    inputs = {p.stem: pd.read_csv(p, dtype={"pref_code": str}) for p in (where / "data" / "processed" / "inputs").glob("*.csv")}
    write_result_files(real_looking(inputs), results, years=(2019,))
    run(doit, where, env)
    first = pd.read_csv(results / "first_insured_2019.csv", dtype={"市町村コード": str})
    renamed_code = first["市町村コード"].iloc[len(first) // 2]
    first.loc[first["市町村コード"] == renamed_code, "市町村名"] = "改名町"
    first.to_csv(results / "first_insured_2019.csv", index=False)
    rename = run(doit, where, env)
    ran_rename = tasks_run(rename["out"])

    html = sorted((where / "reports" / "html").glob("*.html"))
    muni_html = [p.stat().st_size for p in (where / "reports" / "html" / "municipal").glob("*/*.html")]
    pdfs = sorted((where / "reports" / "pdf").glob("*.pdf"))
    from pypdf import PdfReader
    per_page = [p.stat().st_size / len(PdfReader(p).pages) for p in pdfs]
    sizes = {
        "html_largest_mb": max(p.stat().st_size for p in html) / 1e6,
        "html_median_mb": statistics.median(p.stat().st_size for p in html) / 1e6,
        "pdf_largest_mb": max(p.stat().st_size for p in pdfs) / 1e6,
        "pdf_median_mb": statistics.median(p.stat().st_size for p in pdfs) / 1e6,
        "pdf_largest_per_page_mb": max(per_page) / 1e6,
        "municipal_html_median_kb": statistics.median(muni_html) / 1e3, "municipal_html_largest_kb": max(muni_html) / 1e3,
        "municipal_pdf_largest_mb": max(p.stat().st_size for p in (where / "reports" / "pdf" / "municipal").glob("*.pdf")) / 1e6,
        "reports_total_mb": sum(p.stat().st_size for p in (where / "reports").rglob("*") if p.is_file()) / 1e6,
    }
    shutil.rmtree(where.parent, ignore_errors=True)
    return {
        "pages": len(pages) + len(municipal), "municipal_pages": len(municipal), "tasks_cold": len(tasks_run(cold["out"])),
        "naive_municipal_page_s": naive_municipal_page, "municipal_pdf_s": municipal_pdf["seconds"],
        "municipal_pdf_peak_mb": municipal_pdf["peak_mb"], "municipal_pdf_cpu_s": municipal_pdf["cpu_s"],
        "municipal_pdf_printer": f"WeasyPrint {weasyprint_version()}", "municipal_docx_s": municipal_docx["seconds"],
        "municipal_docx_cpu_s": municipal_docx["cpu_s"],
        "cold_s": cold["seconds"], "cold_peak_mb": cold["peak_mb"],
        "naive_s": naive, "naive_peak_mb": peak, "cold_over_naive": cold["seconds"] / naive,
        "noop_s": noop["seconds"], "list_s": listing["seconds"], "noop_over_list": noop["seconds"] / listing["seconds"],
        "noop_tasks_run": len(tasks_run(noop["out"])),
        "cold_prefectural_s": prefectural["seconds"], "cold_edition_s": edition["seconds"],
        "incremental_s": incremental["seconds"], "incremental_over_cold": incremental["seconds"] / cold["seconds"],
        "incremental_over_prefectural_cold": incremental["seconds"] / prefectural["seconds"],
        "incremental_tasks": ran, "incremental_municipal_pages": sum(1 for r in ran if r.startswith("municipal:")),
        "rename_s": rename["seconds"], "rename_tasks": ran_rename, "renamed": renamed_code, **sizes,
    }


def engine_figures() -> dict:
    """Scoring (vectorized level lookup, category sums) and allocation at growing sizes."""
    import resource

    from kofukin.model.allocation import allocate
    from kofukin.model.scoring import level_points

    rng = np.random.default_rng(0)
    n_items, years, base = 100, 10, 1741
    items = pd.DataFrame({"item": [f"X{i:03d}" for i in range(n_items)],
                          "category": np.repeat(["I", "II", "III"], [20, 60, 20]),
                          "levels": [(0, 5) if i % 3 else (0, 4, 8, 12) for i in range(n_items)]})
    rows = []
    for k in (1, 2, 4, 8):
        entities = base * k
        n = years * entities * n_items
        item = np.tile(items["item"].to_numpy(), years * entities)
        level = rng.integers(0, 2, n)
        weight = pd.Series(rng.integers(1_000, 100_000, entities))
        t = time.perf_counter()
        points = level_points(items, item, level)
        key = np.repeat(np.arange(years * entities), n_items)
        category = np.tile(pd.Categorical(items["category"]).codes, years * entities)
        by_category = np.bincount(key * 3 + category, weights=points, minlength=years * entities * 3)
        totals = by_category.reshape(years * entities, 3).sum(axis=1).reshape(years, entities)
        for y in range(years):
            allocate(pd.Series(totals[y].astype("int64")), 19_000_000, weights=weight)
        engine = time.perf_counter() - t
        t = time.perf_counter()
        np.bincount(key, weights=points)
        bare = time.perf_counter() - t
        rows.append({"size": k, "rows": n, "engine_s": engine, "numpy_s": bare, "engine_over_numpy": engine / bare,
                     "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    slope = np.polyfit(np.log([r["rows"] for r in rows]), np.log([r["engine_s"] for r in rows]), 1)[0]
    return {"engine": rows, "engine_growth_exponent": float(slope)}


def workbook_figures() -> dict:
    """Read and check a full-size FY2026 municipal workbook (1,741 municipalities, 38 unions, 1,563 columns; the test
    fixture tests/workbook_fixtures.py): python-calamine, formula scan and every check; best of 3."""
    sys.path.insert(0, str(ROOT / "tests"))
    from workbook_fixtures import municipal
    from kofukin.intake.workbook import inspect_municipal

    path = municipal(2026).write(Path(tempfile.mkdtemp(prefix="kofukin-bench-")) / "ministry_municipal_2026.xlsx")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        book = inspect_municipal(path, shipped=None)
        times.append(time.perf_counter() - t)
    assert book.results is not None, book.problems[:3]
    return {"workbook_read_s": min(times), "workbook_mb": path.stat().st_size / 1e6}


def machine() -> dict:
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")) / 1024 ** 2
    return {"cores": os.cpu_count(), "memory_gb": round(mem, 1), "python": platform.python_version(),
            "platform": platform.platform()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="store_true", help="engine throughput only")
    parser.add_argument("--workbook", action="store_true", help="the municipal workbook's read time only")
    parser.add_argument("--incremental", action="store_true", help="the cold build and one changed request only")
    args = parser.parse_args()
    if args.incremental:
        figures = incremental_figures()
        print({k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()})
        return
    if args.workbook:
        print({k: round(v, 3) for k, v in workbook_figures().items()})
        return
    figures = {"machine": machine(), **engine_figures(), **workbook_figures()}
    if not args.engine:
        figures.update(build_figures())
    (OUT / "results.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    flat = {k: v for k, v in figures.items() if not isinstance(v, (dict, list))}
    with open(OUT / "results.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["figure", "value"])
        w.writerows((k, f"{v:.4g}" if isinstance(v, float) else v) for k, v in flat.items())
        for r in figures["engine"]:
            w.writerows((f"engine_{r['size']}x_{k}", f"{v:.4g}" if isinstance(v, float) else v) for k, v in r.items() if k != "size")
    print(f"machine: {figures['machine']}")
    for k, v in flat.items():
        print(f"{k:28s} {v:.3f}" if isinstance(v, float) else f"{k:28s} {v}")
    print(f"{'size':>5} {'rows':>11} {'engine s':>9} {'numpy s':>8} {'ratio':>6} {'peak MB':>8}")
    for r in figures["engine"]:
        print(f"{r['size']:>4}× {r['rows']:>11,} {r['engine_s']:9.3f} {r['numpy_s']:8.3f} {r['engine_over_numpy']:6.1f} {r['peak_mb']:8.0f}")
    if "incremental_tasks" in figures:
        print("incremental tasks:", ", ".join(figures["incremental_tasks"]))
        print(f"renamed {figures['renamed']}; tasks:", ", ".join(figures["rename_tasks"]))


if __name__ == "__main__":
    main()
