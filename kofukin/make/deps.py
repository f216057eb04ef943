"""Which package files a module needs: its own file and every kofukin module it imports, transitively
(dodo.py's file dependencies of each task)."""

import ast
import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


@cache
def _file(module: str) -> Path | None:
    """The file of a dotted kofukin module (``kofukin.report.charts``), or None if it is not a module."""
    parts = module.split(".")[1:]
    for candidate in (PACKAGE.joinpath(*parts).with_suffix(".py"), PACKAGE.joinpath(*parts, "__init__.py")):
        if parts and candidate.exists():
            return candidate
    return PACKAGE / "__init__.py" if not parts else None


@cache
def _imports(module: str, path: Path) -> tuple[str, ...]:
    """The kofukin modules ``path`` imports (``from kofukin.report import charts`` counts ``kofukin.report.charts``)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("kofukin")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.startswith("kofukin"):
                found += [base] + [f"{base}.{a.name}" for a in node.names]
    return tuple(found)


def module_files(*names: str) -> list[str]:
    """Files of the named kofukin modules (dotted, below ``kofukin``) and of everything they import from
    kofukin, with the ``__init__.py`` of every package on the way (sorted).

    >>> [str(Path(f).relative_to(PACKAGE)) for f in module_files("report.units")]
    ['__init__.py', 'report/__init__.py', 'report/units.py']
    >>> "model/schemas.py" in [str(Path(f).relative_to(PACKAGE)) for f in module_files("report.charts")]
    True
    """
    return _closure([f"kofukin.{n}" for n in names])


def notebook_files(notebook: Path | str, *names: str) -> list[str]:
    """Files of the kofukin modules a notebook imports (and of ``names``, say the renderer ``make.render``),
    transitively: a page's code, read from its notebook's imports rather than listed by hand.

    >>> files = [str(Path(f).relative_to(PACKAGE)) for f in notebook_files(PACKAGE.parent / "notebooks" / "profile.py")]
    >>> "pages/profile.py" in files, "pages/national.py" in files
    (True, False)
    """
    return _closure(list(_imports("kofukin", Path(notebook))) + [f"kofukin.{n}" for n in names])


def _closure(modules: list[str]) -> list[str]:
    return list(_closure_of(frozenset(modules)))


@cache
def _closure_of(modules: frozenset[str]) -> tuple[str, ...]:
    """The sorted files of ``modules`` and of what they import (dodo.py asks for the same sets many times)."""
    todo, seen = list(modules), set()
    while todo:
        module = todo.pop()
        path = _file(module)
        if path is None or path in seen:
            continue
        seen.add(path)
        todo += _imports(module, path)
        todo += [module.rsplit(".", 1)[0]] if "." in module else []       # the enclosing packages' __init__
    return tuple(sorted(str(p) for p in seen))


def code_digest(files: list[str]) -> str:
    """md5 of the ``files``' bytes (say, a page's modules and template): one value a task group's ``uptodate``
    compares, instead of a file dependency per file on each of its ~1,900 tasks for doit to check.

    >>> code_digest(module_files("report.units")) == code_digest(module_files("report.units")), len(code_digest([]))
    (True, 32)
    """
    h = hashlib.md5()
    for f in sorted(files, key=lambda f: Path(f).name):       # contents only: the same wherever the clone is
        h.update(hashlib.md5(Path(f).read_bytes()).digest())
    return h.hexdigest()


NAME_COLUMNS = {"inputs/municipalities": "muni_name"}     # names a page may use without showing


def shown_rows(processed: Path, tables: list[str] | dict[str, list[int]], years: list[int] | tuple[int, ...],
               names: bool = True) -> str:
    """md5 of the rows of the processed ``tables`` a page shows: those of its ``years`` (a table without
    fiscal_year counts whole; ``tables`` as a dict gives each table's own years, see ``Page.shows``). A
    national page depends on it, not on the files, so rows of other years (say, real FY2018 results
    dropped in) leave an FY2019-only page alone; without ``names`` (a page that shows no municipality's
    name) the municipal names are left out, so a renamed municipality leaves it alone too.

    >>> a = shown_rows(processed, ["prefecture_scores"], [2019])
    >>> a == shown_rows(processed, ["prefecture_scores"], [2019]), a == shown_rows(processed, ["prefecture_scores"], [2018])
    (True, False)
    >>> shown_rows(processed, ["inputs/municipalities"], [2019]) == shown_rows(processed, ["inputs/municipalities"], [2019], names=False)
    False
    """
    import csv
    import hashlib

    shows = tables if isinstance(tables, dict) else dict.fromkeys(tables, years)
    h = hashlib.md5()
    for table in sorted(shows):
        with open(Path(processed) / f"{table}.csv", encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh)
            header = next(rows)
            col = header.index("fiscal_year") if "fiscal_year" in header else None
            keep = [i for i, c in enumerate(header) if names or c != NAME_COLUMNS.get(table)]
            h.update(f"{table}\n{','.join(header[i] for i in keep)}\n".encode())
            for row in rows:
                if col is None or int(row[col]) in shows[table]:
                    h.update(("\x1f".join(row[i] for i in keep) + "\n").encode())
    return h.hexdigest()
