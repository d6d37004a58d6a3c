"""Recalculate workbooks in headless LibreOffice: many files in one soffice process, a private profile.

The profile tells LibreOffice to recalculate every formula on load (its default for files it
believes Excel wrote is to trust the cached values, which would make a round trip prove nothing).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.fail("LibreOffice (soffice) is needed to recalculate the workbook and is not installed: "
                    "run `make test-tools` (scripts/ensure-test-tools.sh) or apt-get install libreoffice-calc-nogui")
    return path


def profile(work: Path) -> str:
    """A private LibreOffice profile that always recalculates on load; returns its file URL."""
    root = work / "lo-profile"
    (root / "user").mkdir(parents=True, exist_ok=True)
    (root / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE, encoding="utf-8")
    return root.as_uri()


# CSV of every sheet (the last token, -1), UTF-8, values unformatted ("as shown" false): one file per sheet,
# named <workbook>-<sheet>.csv (the -1 needs LibreOffice 7.2 or later; Debian 12 has 7.4). LibreOffice
# writes these about twice as fast as it writes xlsx.
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
# The same with each cell's text as the spreadsheet shows it (its number format applied: "as shown" true).
CSV_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
FILTERS = {"csv": CSV_ALL_SHEETS, "csv-shown": CSV_AS_SHOWN}


def convert(files: list[Path], work: Path, to: str = "xlsx", timeout: int = 300) -> Path:
    """Open every file in one headless LibreOffice (recalculating it) and save it as ``to`` in work/out.

    ``to`` is a LibreOffice filter such as 'xlsx' or 'pdf', 'csv' for every sheet as CSV, or
    'csv-shown' for every sheet as CSV of the cells' text as shown.
    """
    out = work / f"converted-{to}"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice(), f"-env:UserInstallation={profile(work)}", "--headless", "--norestore",
                    "--convert-to", FILTERS.get(to, to), "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=timeout)
    made = {p.name for p in out.iterdir()}
    missing = [f.name for f in files if not any(name.startswith(f.stem) for name in made)]
    assert not missing, f"LibreOffice did not convert {missing}"
    return out


def sheet_values(out: Path, stem: str, sheet: str) -> list[list]:
    """One sheet of a workbook exported by ``convert(..., to='csv')``: rows of numbers and text (1-based rows
    are list index + 1; columns likewise)."""
    import csv

    def value(text: str):
        if text == "":
            return None
        try:
            return float(text[:-1]) / 100 if text.endswith("%") else float(text)   # percentages keep their %
        except ValueError:
            return text

    with open(out / f"{stem}-{sheet}.csv", encoding="utf-8", newline="") as stream:
        return [[value(cell) for cell in row] for row in csv.reader(stream)]
