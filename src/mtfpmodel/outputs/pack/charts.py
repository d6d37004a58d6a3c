"""The pack's analysis charts, drawn into ``charts/`` beside the plan's: tornado, scenarios,
fan chart and Sobol indices (PNG at 300 dpi and SVG), all on the plan's £m rule."""
from __future__ import annotations

from pathlib import Path

from mtfpmodel.outputs import riskcharts
from mtfpmodel.outputs.charts import compare_chart
from mtfpmodel.outputs.chartstyle import save, scale_for, scale_of, title_of
from mtfpmodel.outputs.outdir import Staging
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.outputs.pack.scenarios import plans
from mtfpmodel.results.comparison import budgets, compare_table


def draw(ctx: Context, staging: Staging, folder: str = "charts", announce=None) -> dict[str, Path]:
    """Draw every analysis chart the pack shows; return each chart's PNG by name."""
    cabinet, result = ctx.cabinet, ctx.nominal
    scale, title, last = scale_of(result), title_of(result), result.labels[-1]
    drawn: dict[str, Path] = {}

    def done(name: str, paths: list[Path]) -> None:
        drawn[name] = paths[0]
        if announce:
            announce([f"{folder}/{p.name}" for p in paths])

    if cabinet.tornado.paths:
        done("tornado", riskcharts.tornado_chart(cabinet.tornado, scale, last, staging.path(f"{folder}/tornado"),
                                                 f"{title}: what moves the {last} net gap"))
    if cabinet.variants:
        results, names, _ = plans(ctx)
        figure = compare_chart(compare_table(results, names, ctx.unit), scale_for(ctx.unit, budgets(results, ctx.unit)))
        done("scenarios", save(figure, staging.path(f"{folder}/scenarios.png").with_suffix("")))
    if cabinet.risk is not None:
        done("fan_chart", riskcharts.fan_chart(cabinet.risk.simulation, cabinet.risk.by_year, result.labels, scale,
                                               staging.path(f"{folder}/fan_chart"), f"{title}: range of outcomes"))
        if cabinet.risk.sobol is not None:
            done("sobol", riskcharts.sobol_chart(cabinet.risk.sobol, staging.path(f"{folder}/sobol"),
                                                 f"{title}: what drives the {last} net gap"))
    return drawn
