"""The cabinet report: ``mtfp run``'s report.html and ``mtfp report``'s whole pack.

One content model (:mod:`mtfpmodel.outputs.pack.content`), built section by section from the run
and rendered twice, to HTML (:mod:`.pack.html`, through ``templates/report.html.j2``) and to
Word (:mod:`.pack.word`), so the two documents can never disagree.

- ``mtfp run`` writes report.html with the plan's sections only (:data:`PLAN`, then
  :data:`CLOSING`): verdict and headline figures, the MTFP and gap tables, the bridge, funding,
  budget lines and pressures, the savings programme, reserves, assumptions and warnings.
- ``mtfp report`` adds the analysis pages (:data:`ANALYSES`: sensitivity, scenarios, risk,
  options to close the gap), writes the same pack as report.docx, and writes the CSV file
  behind every analysis table.

A section is a function of the :class:`~.pack.context.Context` returning a Section (or None to
leave it out), so a new section is a new function in these lists.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from mtfpmodel.outputs.charts import CHARTS
from mtfpmodel.outputs.csvfiles import write_csv
from mtfpmodel.outputs.outdir import Staging
from mtfpmodel.outputs.pack import budget, capital, funding, options, plan, risk, scenarios, sensitivity
from mtfpmodel.outputs.pack.content import Pack
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.series import plan_years
from mtfpmodel.version import __version__

if TYPE_CHECKING:
    from mtfpmodel.analysis.cabinet import Cabinet

FILENAME = "report.html"
WORD = "report.docx"
PLAN = (plan.summary, plan.mtfp, plan.gap, plan.bridge, funding.section, budget.section, capital.section, plan.savings,
        plan.reserves)
ANALYSES = (sensitivity.section, scenarios.section, risk.section, options.section)
CLOSING = (plan.assumptions, plan.warnings)


def build(ctx: Context) -> Pack:
    """The pack's content: the plan's sections, the analyses when there are any, then the closing ones.
    A pack that turns out to be landscape (:attr:`Pack.landscape`: a table of more years than portrait
    holds) is built again with its long tables paged for the shorter landscape page."""
    pack = _build(ctx)
    return _build(replace(ctx, landscape=True)) if pack.landscape and not ctx.landscape else pack


def _build(ctx: Context) -> Pack:
    makers = PLAN + (ANALYSES if ctx.cabinet is not None else ()) + CLOSING
    sections = tuple(s for s in (make(ctx) for make in makers) if s is not None)
    result, scenario = ctx.result, ctx.result.scenario
    source = f" ({result.loaded.path})" if result.loaded else ""
    meta = [f"Scenario {scenario.scenario}{source} · base year {scenario.base_year} · figures in "
            f"{result.unit_label} unless stated"]
    if result.real:
        analyses = "; the analysis pages (sensitivity, scenarios, risk, options) are in cash" if ctx.cabinet else ""
        meta.append(f"In real terms: every money figure of the plan at {result.real.label}, deflated by the "
                    f"assumption '{result.real.index}'; council tax bills in cash{analyses}.")
    if scenario.description:
        meta.append(scenario.description)
    meta += [f"With the change --set {o}" for o in (result.loaded.overrides if result.loaded else ())]
    what = "cabinet pack" if ctx.cabinet is not None else "report"
    footer = (f"Produced by mtfpmodel {__version__} from the scenario file{source}. Figures are rounded for "
              f"display; the CSV files beside this {what} hold them at full precision.")
    return Pack(scenario.council or "", f"Medium-Term Financial Plan {plan_years(result.labels)}",
                tuple(meta), sections, footer, generator=f"mtfpmodel {__version__}")


def plan_charts(staging: Staging, folder: str | None, drawing: bool = False) -> dict:
    """The plan's chart PNGs (:data:`~mtfpmodel.outputs.charts.CHARTS`) already drawn into ``folder``
    of the staging area (every one of them while ``drawing``: they are being drawn and will all be there)."""
    if folder is None:
        return {}
    found = {name: staging.path(f"{folder}/{name}.png") for name in CHARTS}
    return {name: png for name, png in found.items() if drawing or png.exists()}


def write_report(result: Result, staging: Staging, charts: str | None = "charts",
                 drawn: Callable[[], None] | None = None) -> list[str]:
    """``mtfp run``'s report.html: the plan's sections, embedding the PNGs in ``charts`` if drawn
    (``result`` in cash, or in real terms for ``mtfp run --real``). With the charts still being
    drawn in the background, ``drawn`` waits for them: the page is laid out first, then it is
    called, then the PNGs are read."""
    from mtfpmodel.outputs.pack import html

    pack = build(Context(result, plan_charts(staging, charts, drawing=drawn is not None)))
    html.template()
    if drawn is not None:
        drawn()
    staging.path(FILENAME).write_text(html.render(pack), encoding="utf-8")
    return [FILENAME]


def write_pack(result: Result, cabinet: "Cabinet", staging: Staging, announce=None, cash: Result | None = None) -> Pack:
    """``mtfp report``: analysis CSVs and charts, then report.html and report.docx (the plan's
    CSVs and charts are written first by the caller, as ``mtfp run`` writes them). ``result`` is
    the plan as shown — in real terms for ``--real``, with ``cash`` the same plan in cash, which
    the analyses were run on."""
    from mtfpmodel.outputs.pack import charts, html, word

    ctx = Context(result, {}, cabinet, cash)
    written = write_analysis_csvs(ctx, staging)
    if announce:
        announce(written)
    drawn = charts.draw(ctx, staging, announce=announce)
    ctx = Context(result, {**plan_charts(staging, "charts"), **drawn}, cabinet, cash)
    pack = build(ctx)
    staging.path(FILENAME).write_text(html.render(pack), encoding="utf-8")
    word.write(pack, staging.path(WORD))
    if announce:
        announce([FILENAME, WORD])
    return pack


def write_analysis_csvs(ctx: Context, staging: Staging) -> list[str]:
    """The CSV behind each analysis table of the pack (money in the scenario unit, unrounded)."""
    from mtfpmodel.analysis import montecarlo
    from mtfpmodel.analysis.cabinet import options_table

    cabinet, labels = ctx.cabinet, ctx.result.labels     # analyses in cash, whatever the pack shows
    tables = {"sensitivity.csv": cabinet.one_way.table(labels), "sensitivity_grid.csv": cabinet.ladder.table(labels),
              "tornado.csv": cabinet.tornado.table(), "options.csv": options_table(cabinet.options, labels)}
    if cabinet.variants:
        tables["scenarios.csv"] = scenarios.frame(ctx)
    if cabinet.risk is not None:
        tables["montecarlo.csv"] = cabinet.risk.by_year
        tables["montecarlo_headline.csv"] = montecarlo.headline_table(cabinet.risk.headline, cabinet.risk.simulation)
        if cabinet.risk.sobol is not None:
            tables["sobol.csv"] = cabinet.risk.sobol.table()
    for name, frame in tables.items():
        write_csv(frame, staging.path(name))
    return list(tables)
