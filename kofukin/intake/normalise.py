"""What government spreadsheets really contain, made plain: widths, marks, separators, codes, names.

Every function takes one cell's text and returns the clean value, or raises ValueError saying what
was expected. Blank is missing, never zero: ``blank()`` says which cells count as blank.
"""

import re
import unicodedata

from kofukin.model.schemas import GRANT_NAMES

BLANKS = {"", "-", "－", "―", "—", "‐", "…"}
YES = {"○", "◯", "〇", "該当", "はい", "有", "あり", "true"}
NO = {"×", "✕", "非該当", "いいえ", "無", "なし", "false"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SUFFIX = re.compile(r"(都|府|県)$")


def text(value) -> str:
    """NFKC (full-width digits and letters to half-width), spaces trimmed and collapsed.

    >>> text("　１２，３４５ ")
    '12,345'
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value))).strip()


def blank(value) -> bool:
    """Whether a cell is blank: empty, or only a dash (a dash never stands for zero here).

    >>> blank(" "), blank("－"), blank("0")
    (True, True, False)
    """
    return text(value) in BLANKS


def number(value) -> float:
    """A number, with thousands separators allowed (``"1,234.5"``).

    >>> number("１，２３４")
    1234.0
    """
    t = text(value).replace(" ", "")
    if _GROUPED.match(t):
        t = t.replace(",", "")
    if not _NUMBER.match(t):
        raise ValueError("a number")
    return float(t)


def integer(value) -> int:
    """A whole number (``"12"``, ``"12.0"`` from Excel, ``"1,200"``).

    >>> integer("1,200"), integer("12.0")
    (1200, 12)
    """
    x = number(value)
    if not x.is_integer():
        raise ValueError("a whole number")
    return int(x)


def flag(value) -> bool | None:
    """○/× and their spellings: True, False, or None when the cell is not such a mark.

    >>> flag("○"), flag("非該当"), flag("12")
    (True, False, None)
    """
    t = text(value).lower()
    return True if t in YES else False if t in NO else None


def pref_code(value) -> str:
    """A JIS X 0401 prefecture code as two digits, leading zero or not.

    >>> pref_code("1"), pref_code("１３"), pref_code(47.0)
    ('01', '13', '47')
    """
    t = text(value)
    if not t.isdigit() or not 1 <= int(t) <= 47:
        raise ValueError("a prefecture code 01–47")
    return f"{int(t):02d}"


def grant(value) -> str:
    """A grant's key from its key, short name or full name (NFKC, spaces and case ignored).

    >>> grant("支援"), grant(" Promotion "), grant("介護保険保険者努力支援交付金")
    ('support', 'promotion', 'support')
    """
    t = text(value).replace(" ", "").lower()
    for key, names in GRANT_NAMES.items():
        if t == key or t in names:
            return key
    raise ValueError("a grant: 推進 (保険者機能強化推進交付金, promotion) or 支援 (介護保険保険者努力支援交付金, support)")


def grant_text(key: str) -> str:
    """A grant as messages name it: key and short name.

    >>> grant_text("support")
    'support 支援'
    """
    return f"{key} {GRANT_NAMES[key][0]}"


def pref_spellings(name: str) -> set[str]:
    """How a prefecture's official name may be written: with or without 都/府/県 (北海道 keeps 道).

    >>> sorted(pref_spellings("京都府")), sorted(pref_spellings("北海道"))
    (['京都', '京都府'], ['北海道'])
    """
    return {name, _SUFFIX.sub("", name)} if name != "北海道" else {name}


def check_digit(code5: str) -> str:
    """The check digit of a 5-digit 全国地方公共団体コード (weights 6..2, modulus 11).

    >>> check_digit("01100"), check_digit("13101")
    ('2', '6')
    """
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def muni_code(value, pref: str | None = None) -> str:
    """A 6-digit municipal code with a verified check digit.

    Excel drops leading zeros, so 5 digits may be a 6-digit code of prefectures 01–09 without its
    zero, or a 5-digit code without its check digit: ``pref`` (the row's prefecture) decides
    between the two, and without it an ambiguous code is an error. Synthetic codes (S + 5 digits)
    pass unchanged.

    >>> muni_code("011002"), muni_code("13101"), muni_code("11002", pref="01")
    ('011002', '131016', '011002')
    """
    t = text(value).replace(" ", "").upper()
    if re.fullmatch(r"S\d{5}", t):
        return t
    if not t.isdigit() or not 4 <= len(t) <= 6:
        raise ValueError("a 6-digit municipal code (全国地方公共団体コード)")
    if len(t) == 6:
        if check_digit(t[:5]) != t[5]:
            raise ValueError(f"a valid check digit ({t[:5]}{check_digit(t[:5])})")
        return t
    candidates = [t.zfill(5) + check_digit(t.zfill(5))]
    if len(t) == 5 and check_digit("0" + t[:4]) == t[4]:
        candidates.append("0" + t)
    candidates = [c for c in candidates if 1 <= int(c[:2]) <= 47]
    if pref is not None:
        candidates = [c for c in candidates if c[:2] == pref] or candidates
    if len(candidates) != 1:
        raise ValueError("a 6-digit municipal code (this one reads two ways; write all 6 digits as text)")
    return candidates[0]
