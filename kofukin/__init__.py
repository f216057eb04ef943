"""kofukin: scoring and allocation of Japan's long-term-care insurer incentive grants.

保険者機能強化推進交付金・介護保険保険者努力支援交付金 — indicator catalogue, scoring rules,
allocation rules and the report pipeline, in five layers (each may use only the ones below it)::

    build/      how doit makes the outputs: the data step, pages, rendering, PDFs, index, API reference
    report/     what the pages show: the processed tables loaded, display tables, charts, exports
    scenarios/  budget rules a policy maker would change, compared with the baseline
    intake/     real result files read, normalised and validated
    model/      the rules and the data: catalogue, scoring, allocation, marginal values, schemas, synthetic data

Where to start (each name is one import away, loaded on first use): ``load_report()`` gives every
processed table of a build as a ``Report``; ``allocate`` and ``prefecture_grant`` split a budget;
``validate_files`` checks result files; ``load_scenario`` and ``comparison`` compare budget rules.

>>> from kofukin import allocate
>>> allocate(pd.Series({"01": 3, "02": 1}), 10).to_dict()
{'01': 8, '02': 2}

The examples in the docstrings run as tests (``pytest --doctest-modules``) from the project folder,
on a throw-away build, with these names defined::

    r = report.load()                      # the processed tables of a build (a Report)
    b = pages.profile.read("data/processed/profiles/13.json")   # 東京都's profile bundle
    m = pages.municipality.read("data/processed/municipal", "S13001")   # one municipality's page bundle
    cfg = model.config.load_config()       # config/kofukin.yaml
    src = model.compute.load_raw(cfg)      # the raw tables (catalogues, prefectures, figures, frame)
    processed = Path("data/processed")     # the folder of the build
    tmp = Path(tempfile.mkdtemp())         # a fresh folder for examples that write files
"""

from importlib import import_module

__version__ = "0.1.0"

# The public API: name → module that defines it. Imported on first use, so `import kofukin` stays light.
_PUBLIC = {
    "load_report": ("kofukin.report.data", "load"),
    "Report": ("kofukin.report.data", "Report"),
    "allocate": ("kofukin.model.allocation", "allocate"),
    "prefecture_grant": ("kofukin.model.allocation", "prefecture_grant"),
    "municipal_grant": ("kofukin.model.allocation", "municipal_grant"),
    "validate_files": ("kofukin.intake.validate", "validate_files"),
    "load_scenario": ("kofukin.scenarios.rules", "load_scenario"),
    "comparison": ("kofukin.scenarios.compare", "comparison"),
}


def __getattr__(name: str):
    if name in _PUBLIC:
        module, attr = _PUBLIC[name]
        return getattr(import_module(module), attr)
    raise AttributeError(f"module 'kofukin' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
