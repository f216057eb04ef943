"""Atomic, byte-stable writes and file digests."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


# The time stamped into built files whose format carries one (workbook properties, zip members, the
# PDFs' font subsets): 2020-01-01 00:00:00 UTC, so that the same inputs give the same bytes.
BUILD_EPOCH = 1577836800
BUILD_TIME = (2020, 1, 1, 0, 0, 0)

_UMASK = os.umask(0)
os.umask(_UMASK)


def md5(path: Path | str) -> str:
    """Hex md5 of a file's bytes.

    >>> _ = (tmp / "a.txt").write_bytes(b"kofukin")
    >>> md5(tmp / "a.txt")
    '79af08598c9ccb613ef54a95c971324f'
    """
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: readers never see half a file.

    >>> write_bytes_atomic(tmp / "out" / "a.txt", "合成データ".encode())
    >>> (tmp / "out" / "a.txt").read_text(encoding="utf-8")
    '合成データ'
    """
    write_all_atomic({Path(path): data})


def write_all_atomic(files: dict[Path, bytes]) -> None:
    r"""Write every file to a temporary file first, then rename them all: a failure while writing
    leaves every previous file as it was. A file already holding the same bytes is left alone (its time
    stamp too: doit and readers see no change).

    >>> write_all_atomic({tmp / "a.csv": b"x\n1\n", tmp / "b.csv": b"y\n2\n"})
    >>> sorted(p.name for p in tmp.iterdir())
    ['a.csv', 'b.csv']
    """
    staged = []
    try:
        for path, data in files.items():
            path = Path(path)
            if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~_UMASK)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def csv_bytes(df: pd.DataFrame) -> bytes:
    r"""UTF-8 CSV, LF line ends, no index, floats without trailing zeros. Python's csv module leaves
    a carriage return unquoted when lines end in LF, so a table holding one has every text quoted.

    >>> csv_bytes(pd.DataFrame({"score_rate": [0.25, 1 / 3]}))
    b'score_rate\n0.25\n0.333333\n'
    >>> csv_bytes(pd.DataFrame({"name": ["\rx"], "n": [-5]}))
    b'"name","n"\n"\rx",-5\n'
    """
    text = df.select_dtypes(exclude="number")
    carriage_return = any(text[c].astype(str).str.contains("\r", regex=False).any() for c in text)
    return df.to_csv(index=False, lineterminator="\n", float_format=_float_format,
                     quoting=csv.QUOTE_NONNUMERIC if carriage_return else csv.QUOTE_MINIMAL).encode("utf-8")


def _float_format(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def zip_fixed_times(data: bytes) -> bytes:
    """A zip archive (such as an .xlsx) with every member dated ``BUILD_TIME``; names, order and
    contents unchanged.

    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z: z.writestr("a.xml", "<a/>")
    >>> info = zipfile.ZipFile(io.BytesIO(zip_fixed_times(buf.getvalue()))).infolist()[0]
    >>> info.date_time, info.compress_type == zipfile.ZIP_DEFLATED
    ((2020, 1, 1, 0, 0, 0), True)
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=BUILD_TIME), src.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
