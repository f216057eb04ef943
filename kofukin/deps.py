"""Which package files a module needs: its own file and every kofukin module it imports, transitively."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent


def module_files(*names: str) -> list[str]:
    """Files of the named kofukin modules and of everything they import from kofukin (sorted).

    >>> [Path(f).name for f in module_files("units")]
    ['__init__.py', 'units.py']
    """
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen or not (PACKAGE / f"{name}.py").exists():
            continue
        seen.add(name)
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                todo += [node.module] if node.module else [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kofukin"):
                parts = node.module.split(".")[1:]
                todo += [parts[0]] if parts else [a.name for a in node.names]
    return sorted(str(PACKAGE / f"{n}.py") for n in seen | {"__init__"})
