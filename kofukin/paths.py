"""Project folders, resolved from this file (or from the KOFUKIN_ROOT environment variable)."""

import os
from pathlib import Path

ROOT = Path(os.environ.get("KOFUKIN_ROOT") or Path(__file__).resolve().parents[1])
CONFIG = ROOT / "config" / "kofukin.yaml"
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
INPUTS = PROCESSED / "inputs"
REPORTS = ROOT / "reports"
