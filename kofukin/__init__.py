"""kofukin: scoring and allocation of Japan's long-term-care insurer incentive grants.

保険者機能強化推進交付金・介護保険保険者努力支援交付金 — indicator catalogue, scoring rules,
allocation rules and the report pipeline's building blocks.

Where to start: ``report.load()`` gives every processed table of a build as a ``Report``;
``allocation.allocate`` and ``allocation.prefecture_grant`` split a budget; ``scoring`` turns results
into points; ``validate.validate_files`` checks result files; ``scenario`` compares budget rules.

The examples in the docstrings run as tests (``pytest --doctest-modules``) from the project folder,
on a throw-away build, with these names defined::

    r = report.load()                      # the processed tables of a build (a Report)
    b = profiles.load("data/processed/profiles/13.json")   # 東京都's profile bundle
    cfg = config.load_config()             # config/kofukin.yaml
    src = pipeline.load_raw(cfg)           # the raw tables (catalogues, prefectures, figures, frame)
    processed = Path("data/processed")     # the folder of the build
    tmp = Path(tempfile.mkdtemp())         # a fresh folder for examples that write files
"""

__version__ = "0.1.0"
