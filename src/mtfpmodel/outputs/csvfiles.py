"""CSV outputs of ``mtfp run``: full precision, no rounding."""
from __future__ import annotations

from mtfpmodel.outputs.outdir import Staging
from mtfpmodel.results.gaptable import gap_table
from mtfpmodel.results.result import Result


def write_csvs(result: Result, staging: Staging, suffix: str = "") -> list[str]:
    """Write summary, lines, funding, savings, streams and gap_table CSVs (and capital.csv when the
    plan has capital); return the file names. ``suffix`` names a variant: a Result in real terms
    is written as summary_real.csv, lines_real.csv... with ``suffix="_real"``."""
    tables = {
        "summary": result.summary, "lines": result.lines, "funding": result.funding,
        "savings": result.savings, "streams": result.streams, "gap_table": gap_table(result),
    }
    if result.has_capital:
        tables["capital"] = result.capital
    names = []
    for name, frame in tables.items():
        names.append(f"{name}{suffix}.csv")
        frame.to_csv(staging.path(names[-1]), index=False, float_format="%.17g")
    return names
