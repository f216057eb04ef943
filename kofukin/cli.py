"""The `kofukin` command: `kofukin validate PATH…`, `kofukin import FILE [--year Y]` (a ministry results workbook)
and `kofukin template --level L --year Y`."""

import argparse
import sys
from pathlib import Path

from kofukin.model import paths
from kofukin.intake.read import LAYOUTS


def _files(targets: list[str]) -> tuple[list[Path], bool]:
    """Files named, folders expanded; a single folder is a complete set (as the build reads it)."""
    files = []
    for t in map(Path, targets):
        files += paths.raw_files(t) if t.is_dir() else [t]
    return files, len(targets) == 1 and Path(targets[0]).is_dir()


def _validate(args) -> int:
    from kofukin.intake.validate import validate_files
    from kofukin.intake.workbook import FILE_NAME, check_workbook

    files, complete = _files(args.paths)
    if not files:
        print(f"no .csv or .xlsx files in {', '.join(args.paths)}", file=sys.stderr)
        return 2
    workbooks = [f for f in files if FILE_NAME.match(f.name)]          # the ministry's own results workbooks
    checked = [check_workbook(f, args.year, args.raw, args.config)[2] for f in workbooks]
    result = validate_files([f for f in files if f not in workbooks], args.config, args.raw, encoding=args.encoding,
                            level=args.level, year=args.year, complete=complete)
    result.problems[:0] = [p for problems in checked for p in problems]
    for problem in result.problems:
        print(problem)
    errors = len(result.errors)
    ok = ", ".join(f"{Path(f.attrs['path']).name} ({lv} {y}, {len(f)} rows)" for (lv, y), f in sorted(result.frames.items()))
    print(f"{len(files)} file(s), {errors} error(s), {len(result.problems) - errors} warning(s)"
          + (f"; valid: {ok}" if ok else ""), file=sys.stderr)
    return 1 if errors else 0


def _import(args) -> int:
    from kofukin.intake.workbook import import_workbook

    target, problems = import_workbook(args.file, args.year, args.raw, args.config)
    for problem in problems:
        print(problem)
    if target is None:
        print(f"kofukin import: {args.file} not imported", file=sys.stderr)
        return 1
    print(target)
    return 0


def _template(args) -> int:
    from kofukin.intake.templates import write_templates

    try:
        written = write_templates(args.level, args.year, args.out, args.config, args.raw)
    except ValueError as exc:
        print(f"kofukin template: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run `kofukin` with ``argv`` (default: the command line); the exit status: 0 fine, 1 errors found, 2 bad call.

    >>> main(["validate", "tests/intake/good/requests_2019.csv"])
    0
    >>> main(["validate", "tests/intake/bad/negative_amount/requests_2019.csv"])
    error: tests/intake/bad/negative_amount/requests_2019.csv, row 6, column 所要見込額（千円）: '-5' — expected a number zero or above (negative values are not allowed)
    1
    """
    parser = argparse.ArgumentParser(prog="kofukin", description="保険者機能強化推進交付金・介護保険保険者努力支援交付金の評価結果")
    parser.add_argument("--config", type=Path, default=paths.CONFIG, help="configuration (default: config/kofukin.yaml)")
    parser.add_argument("--raw", type=Path, default=paths.RAW, help="raw data folder (default: data/raw)")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check result files; report every problem; exit 1 on any error")
    v.add_argument("paths", nargs="+", help="files, or one folder (checked as the complete set the build reads)")
    v.add_argument("--encoding", help="encoding of CSV files (default: UTF-8 with or without BOM, else cp932)")
    v.add_argument("--level", choices=list(LAYOUTS), help="level, where file names do not say it")
    v.add_argument("--year", type=int, help="fiscal year (西暦), where file names do not say it")
    v.set_defaults(run=_validate)
    i = sub.add_parser("import", help="check a ministry results workbook (市町村分/都道府県分) and copy it unchanged "
                                      "to data/raw/results/ministry_<level>_<year>.xlsx")
    i.add_argument("file", type=Path)
    i.add_argument("--year", type=int, help="fiscal year (西暦), where the title does not say it")
    i.set_defaults(run=_import)
    t = sub.add_parser("template", help="write blank templates (.csv and .xlsx) for one level and year")
    t.add_argument("--level", required=True, choices=list(LAYOUTS))
    t.add_argument("--year", required=True, type=int)
    t.add_argument("--out", type=Path, default=Path("."), help="folder to write into (default: here)")
    t.set_defaults(run=_template)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
