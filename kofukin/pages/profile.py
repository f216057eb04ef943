"""都道府県別プロファイル: one prefecture's results of a grant — categories, stakes, its municipalities, the
allocation (notebooks/profile.py)."""

from kofukin.model.paths import grant_suffix
from kofukin.model.schemas import GRANT_NAMES
from kofukin.pages.page import Edition, Page, prefectures

NOTEBOOK = "profile.py"


def declare(e: Edition) -> list[Page]:
    """One page per prefecture and grant of the report year (showing the comparison year too where that year scores
    the grant): ``profile_13``, ``profile_13_support``; none in a municipal-only year.

    >>> pages = declare(Edition(2019, 2018, 2025))
    >>> len(pages), pages[12].title
    (47, '都道府県別プロファイル：東京都（2019年度）')
    >>> [(p.name, p.title, p.parameters.get("grant")) for p in declare(Edition(2099, 2098, 2027, grants={2099: ["promotion", "support"]}))[12::47]]
    [('profile_13', '都道府県別プロファイル：東京都（2099年度・推進）', None), ('profile_13_support', '都道府県別プロファイル：東京都（2099年度・支援）', 'support')]
    """
    grants, compare_grants = e.prefectural_grants, e.grants_of(e.compare_year)
    return [Page(name(p["pref_code"], grant, grants), NOTEBOOK,
                 f"都道府県別プロファイル：{p['pref_name']}（{e.year}年度{'・' + GRANT_NAMES[grant][0] if len(grants) > 1 else ''}）",
                 {"fiscal_year": e.year, "pref_code": p["pref_code"]} | ({"grant": grant} if grant_suffix(grant, grants) else {}),
                 years=(e.compare_year, e.year) if grant in compare_grants else (e.year,),
                 grant=grant if len(grants) > 1 else None, part="profile")
            for grant in grants for p in prefectures(e.raw)]


def name(pref_code: str, grant: str, grants: list[str]) -> str:
    """A profile page's name: ``profile_13``, ``profile_13_support`` for a year's other grant.

    >>> name("13", "support", ["promotion", "support"])
    'profile_13_support'
    """
    return f"profile_{pref_code}{grant_suffix(grant, grants)}"
