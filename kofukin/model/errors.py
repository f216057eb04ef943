"""Errors that name the file, row and field at fault."""


class KofukinDataError(ValueError):
    """A table broke its contract; ``problems`` lists every failure found.

    >>> err = KofukinDataError("prefectures.csv", ["row 3, field 'pref_code': value '48' fails isin"])
    >>> print(err)
    prefectures.csv: 1 problem(s)
      - row 3, field 'pref_code': value '48' fails isin
    """

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{self.path}: {len(self.problems)} problem(s)\n{lines}")


class KofukinConfigError(ValueError):
    """A configuration key the data cannot satisfy, found while computing; the build names the configuration
    file with it (``KofukinDataError``).

    >>> str(KofukinConfigError("years.2023.grants: no results of support"))
    'years.2023.grants: no results of support'
    """


class KofukinInputError(ValueError):
    """Results the build needs and does not have, found while computing; the build names data/raw/results/ with it
    (``KofukinDataError``).

    >>> str(KofukinInputError("no requests (所要見込額) of support for 2099"))
    'no requests (所要見込額) of support for 2099'
    """
