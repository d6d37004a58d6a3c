"""CSV outputs of ``mtfp run``: full precision, no rounding."""
from __future__ import annotations

from mtfpmodel.outputs.outdir import Staging
from mtfpmodel.results.result import Result


def write_csvs(result: Result, staging: Staging) -> list[str]:
    """Write summary, lines, funding, savings, streams, gap_table, reserves and council_tax CSVs;
    return the file names."""
    tables = {
        "summary.csv": result.summary, "lines.csv": result.lines, "funding.csv": result.funding,
        "savings.csv": result.savings, "streams.csv": result.streams, "gap_table.csv": result.gap_table,
        "reserves.csv": result.reserves, "council_tax.csv": result.council_tax,
    }
    for name, frame in tables.items():
        frame.to_csv(staging.path(name), index=False, float_format="%.17g")
    return list(tables)
