"""Errors that name the file, row and field at fault."""


class KofukinDataError(ValueError):
    """A table broke its contract; ``problems`` lists every failure found."""

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{self.path}: {len(self.problems)} problem(s)\n{lines}")
