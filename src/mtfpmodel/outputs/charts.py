"""The charts of ``mtfp run``, each written as PNG (300 dpi) and SVG into ``DIR/charts/``.

gap.png (gross gap, savings, net gap by year), bridge.png (base-year budget gap to the final
year's net gap), savings.png (net saving by stream, stacked by year, coloured by RAG) and
reserves.png (closing reserves against the minimum). matplotlib is imported only inside the
drawing functions, through :func:`chartstyle.pyplot`, so commands that draw nothing stay quick.
The charts are drawn in parallel on every core (:mod:`mtfpmodel.outputs.parallel`).
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np

from mtfpmodel.engine.projection import EXHAUSTED
from mtfpmodel.outputs.bridgechart import bridge_chart
from mtfpmodel.outputs.chartstyle import (
    FIGURED_YEARS,
    HEIGHT,
    PALETTE,
    RAG_COLOURS,
    RAG_HATCHES,
    WIDTH,
    Scale,
    money_axis,
    new_axes,
    pyplot,
    save,
    scale_of,
    title_of,
    year_ticks,
)
from mtfpmodel.outputs.outdir import Staging
from mtfpmodel.outputs.parallel import Background, run_tasks
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.units import figure

CHARTS = ("gap", "bridge", "savings", "reserves")
NAMED_STREAMS = 15       # streams named beside the savings chart's last bar: the largest; more would not fit
LONGEST_FIRST = ("savings", "bridge", "gap", "reserves")     # drawn in this order: the slowest first
COLOURS = {"gross_gap": PALETTE["blue"], "savings": PALETTE["green"], "net_gap": PALETTE["vermillion"],
           "closing_reserves": PALETTE["blue"], "minimum_reserves": PALETTE["vermillion"]}


def write_charts(result: Result, staging: Staging, folder: str = "charts", announce=None) -> list[str]:
    """Draw every chart into ``folder`` of the staging area; return the file names written.

    ``announce(names)``, if given, is called once for each chart, with its files, after all are written.
    """
    drawers = {"gap": gap_chart, "bridge": bridge_chart, "savings": savings_chart, "reserves": reserves_chart}
    stems = {name: staging.path(f"{folder}/{name}.png").with_suffix("") for name in CHARTS}
    pyplot()                       # imported once, before the drawing is shared out between processes
    run_tasks([partial(_draw, drawers[name], result, stems[name]) for name in LONGEST_FIRST])
    written: list[str] = []
    for names in chart_files(folder):
        if announce:
            announce(names)
        written += names
    return written


def draw_in_background(result: Result, staging: Staging, folder: str = "charts") -> Background:
    """Start :func:`write_charts` in a background process (it imports matplotlib there, while this
    process gets on with the rest); ``wait()`` for the files, then announce :func:`chart_files`."""
    return Background(partial(write_charts, result, staging, folder))


def chart_files(folder: str = "charts") -> list[list[str]]:
    """The files of each chart, in the order of :data:`CHARTS` (not the drawing order, :data:`LONGEST_FIRST`):
    [[folder/gap.png, folder/gap.svg], ...]."""
    return [[f"{folder}/{name}.png", f"{folder}/{name}.svg"] for name in CHARTS]


def _draw(drawer, result: Result, stem: Path) -> None:
    save(drawer(result), stem)


def label_bars(ax, bars, values, scale: Scale, inside: bool = False) -> None:
    """Write each bar's figure just beyond its end (below a negative bar)."""
    for bar, value in zip(bars, values):
        if value == 0:
            continue
        y = bar.get_y() + bar.get_height() if value > 0 else bar.get_y()
        ax.annotate(scale.text(value), (bar.get_x() + bar.get_width() / 2, y),
                    xytext=(0, 2 if value > 0 else -2), textcoords="offset points",
                    ha="center", va="bottom" if value > 0 else "top", fontsize=7)


def gap_chart(result: Result):
    """Gross gap, savings and net gap [display unit] side by side for each projection year: the
    engine's arrays that summary.csv's columns of those names print (read here without pandas)."""
    names = (("gross_gap", "Gross gap (before savings)"), ("savings", "Savings"), ("net_gap", "Net gap"))
    scale = scale_of(result)
    fig, ax = new_axes("Budget gap by year", f"{title_of(result)} · positive gap = shortfall, negative = surplus", scale)
    years = list(result.labels[1:])
    x = np.arange(len(years))
    width = 0.26
    for i, (column, label) in enumerate(names):
        values = getattr(result.results, column)[0, 1:]
        bars = ax.bar(x + (i - 1) * width, values * scale.factor, width, label=label, color=COLOURS[column])
        if len(years) <= FIGURED_YEARS:
            label_bars(ax, bars, values * scale.factor, Scale(scale.unit, 1.0))
    year_ticks(ax, x, years)
    ax.set_xlabel("Financial year")
    ax.margins(y=0.12)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)
    return fig


def rag_of(result: Result, stream) -> str:
    """A stream's RAG word: as written, or the band its numeric confidence falls in; '' if not given."""
    if "confidence" not in stream.model_fields_set:
        return ""
    if isinstance(stream.confidence, str):
        return stream.confidence
    rag = result.scenario.rag
    share = float(stream.confidence)
    return "green" if share >= rag["green"] else "amber" if share >= rag["amber"] else "red"


def savings_chart(result: Result):
    """Net saving of each stream [display unit] stacked by year, coloured and hatched by RAG."""
    net = result.results.stream_net[0, :, 1:]
    streams = list(result.scenario.savings)
    scale = scale_of(result)
    fig, ax = new_axes("Savings programme by stream", f"{title_of(result)} · net saving (gross less "
                       "financing costs) by delivery confidence", scale,
                       size=(WIDTH, HEIGHT + 0.6))
    years = list(result.labels[1:])
    x = np.arange(len(years))
    above, below = np.zeros(len(years)), np.zeros(len(years))
    final = []
    for n, stream in enumerate(streams):
        values = net[n] * scale.factor
        bottom = np.where(values >= 0, above, below)
        rag = rag_of(result, stream)
        ax.bar(x, values, 0.6, bottom=bottom, color=RAG_COLOURS[rag], hatch=RAG_HATCHES[rag],
               edgecolor="white", linewidth=0.8)
        final.append((bottom[-1] + values[-1] / 2, stream.name, values[-1]))
        above, below = np.where(values >= 0, above + values, above), np.where(values < 0, below + values, below)
    for i, total in enumerate(above + below if len(years) <= FIGURED_YEARS else ()):
        ax.annotate(f"total {figure(total, scale.decimals)}", (x[i], max(above[i], 0)), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=7, fontweight="bold")
    shown = [s for s in final if s[2] != 0]
    named = sorted(shown, key=lambda s: -abs(s[2]))[:NAMED_STREAMS]
    others = [s for s in shown if s not in named]
    note = (f"and {len(others)} smaller streams ({figure(sum(s[2] for s in others), scale.decimals)}): "
            "see savings.csv") if others else None
    longest = max([len(_short(name)) + 9 for _, name, _ in named] + [len(note or "")], default=0)
    ax.set_xlim(-0.5, len(years) - 0.5 + _label_room(longest, len(years)))
    _label_final_segments(ax, x[-1] + 0.34, named, scale, note)
    year_ticks(ax, x, years)
    ax.set_xlabel("Financial year")
    ax.margins(y=0.1)
    _rag_legend(ax, {rag_of(result, s) for s in streams})
    return fig


def _label_final_segments(ax, x: float, segments, scale: Scale, note: str | None = None) -> None:
    """Name each stream (those with a figure in the last year) beside its segment of the last bar,
    nudging labels apart so none overlap; ``note`` (the streams not named) goes above them."""
    segments = sorted(segments, key=lambda s: s[0])
    if not segments:
        return
    low, high = ax.get_ylim()
    gap = (high - low) * 0.055
    placed: list[float] = []
    for centre, name, _ in segments:
        y = max(centre, placed[-1] + gap) if placed else centre
        placed.append(y)
    top = placed[-1] + gap if note else placed[-1]
    shift = max(0.0, top - high * 0.97)
    for (centre, name, value), y in zip(segments, placed):
        ax.annotate(f"{_short(name)}: {figure(value, scale.decimals)}", (x - 0.04, centre), (x + 0.1, y - shift),
                    fontsize=7, va="center", arrowprops={"arrowstyle": "-", "color": PALETTE["grey"], "lw": 0.6})
    if note:
        ax.annotate(note, (x + 0.1, top - shift), fontsize=7, va="center", color=PALETTE["grey"], style="italic")


def _short(name: str, most: int = 42) -> str:
    """A stream's name for its label beside the bar, cut (with '…') beyond ``most`` characters."""
    return name if len(name) <= most else name[:most - 1] + "…"


def _label_room(characters: int, bars: int, axes_inches: float = WIDTH - 1.0) -> float:
    """Extra x range (in bar widths) to the right of the bars that holds labels of ``characters``."""
    inches = characters * 0.058 + 0.3          # 7 pt text
    return max(0.6, bars * inches / max(axes_inches - inches, 1.0))


def _rag_legend(ax, present: set[str]) -> None:
    from matplotlib.patches import Patch

    names = {"green": "green (likely)", "amber": "amber (at risk)", "red": "red (unlikely)", "": "no rating given"}
    handles = [Patch(facecolor=RAG_COLOURS[r], hatch=RAG_HATCHES[r], edgecolor="white", label=names[r])
               for r in ("green", "amber", "red", "") if r in present]
    if not handles:
        ax.text(0.5, 0.5, "This plan has no savings streams", transform=ax.transAxes, ha="center", va="center")
        return
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=len(handles),
              title="Delivery confidence (RAG)", title_fontsize=8)


def reserves_chart(result: Result):
    """Closing usable reserves [display unit] from the opening balance, against the minimum level
    (summary.csv's closing_reserves and minimum_reserves); marks the first year below the minimum
    and the first year they run out (status ``reserves exhausted``)."""
    r = result.results
    closing, minimum = r.closing_reserves[0], r.minimum_reserves[0]
    labels = list(result.labels)
    scale = scale_of(result)
    fig, ax = new_axes("Usable reserves against the minimum level",
                       f"{title_of(result)} · closing balance each year; {labels[0]} is the opening balance", scale)
    x = np.arange(len(labels))
    shown_min = minimum * scale.factor
    shown_min[0] = shown_min[1]
    ax.plot(x, closing * scale.factor, marker="o", color=COLOURS["closing_reserves"], linewidth=2,
            label="Closing reserves")
    ax.plot(x[1:], shown_min[1:], linestyle="--", color=COLOURS["minimum_reserves"], linewidth=1.5,
            label="Minimum reserves")
    shade_below_minimum(ax, x[1:], closing[1:] * scale.factor, shown_min[1:])
    for t in x if len(labels) <= FIGURED_YEARS + 1 else ():
        ax.annotate(scale.text(closing[t]), (t, closing[t] * scale.factor), xytext=(0, 7),
                    textcoords="offset points", ha="center", fontsize=7)
    empty = r.status[0] == EXHAUSTED          # reserves that meet gaps used up, a gap left unfunded
    below = closing < minimum
    _mark_first(ax, labels, below & ~empty, closing * scale.factor, "below the minimum", PALETTE["orange"])
    _mark_first(ax, labels, empty, closing * scale.factor, "reserves run out", PALETTE["vermillion"])
    year_ticks(ax, x, labels)
    ax.set_xlabel("Financial year (closing balance)")
    ax.margins(y=0.18)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    return fig


def shade_below_minimum(ax, x: np.ndarray, closing: np.ndarray, minimum: np.ndarray):
    """Shade between the minimum and closing reserves wherever reserves are below it, from the
    point where the two lines cross (not from the year before)."""
    return ax.fill_between(x, minimum, closing, where=closing < minimum, interpolate=True,
                           color=COLOURS["minimum_reserves"], alpha=0.12, linewidth=0)


def _mark_first(ax, labels, condition: np.ndarray, values: np.ndarray, text: str, colour: str) -> None:
    """Mark and name the first projection year where ``condition`` holds."""
    hits = np.flatnonzero(condition[1:]) + 1
    if hits.size == 0:
        return
    t = int(hits[0])
    ax.plot([t], [values[t]], marker="X", markersize=11, color=colour, zorder=5, linestyle="none")
    last = t == len(labels) - 1
    # below the mark: reserves that fall below the minimum (or run out) come down to it from above,
    # under the minimum line, so beside the mark in the final year the lines would cross the words
    ax.annotate(f"{text} in {labels[t]}", (t, values[t]), xytext=(-14, -14) if last else (0, -26),
                textcoords="offset points", ha="right" if last else "center", va="top",
                color=colour, fontsize=8, fontweight="bold",
                arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.8})


def compare_chart(table, scale: Scale):
    """Net gap and closing reserves [display unit] of each scenario in ``table`` (compare.csv's rows),
    in ``scale`` (the £m rule applied to the plans' budgets)."""
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH + 1.5, HEIGHT), sharex=True)
    years = sorted(table["year"].unique())
    x = {year: i for i, year in enumerate(years)}
    panels = (("net_gap", "Net gap (positive = shortfall)"), ("closing_reserves", "Closing reserves"))
    for ax, (column, title) in zip(axes, panels):
        ax.set_title(title, loc="left", fontsize=10)
        ax.axhline(0, color=PALETTE["black"], linewidth=0.8)
        money_axis(ax.yaxis, scale)
        ax.set_ylabel(scale.unit)
        ax.grid(axis="x", visible=False)
        for i, (name, rows) in enumerate(table.groupby("scenario", sort=False)):
            ax.plot([x[y] for y in rows["year"]], rows[column] * scale.factor, label=name,
                    marker="osD^v<>"[i % 7], linestyle=("-", "--", "-.", ":")[i // 7 % 4])
        year_ticks(ax, range(len(years)), years)
    fig.suptitle("Scenario comparison: net gap and reserves", x=0.02, ha="left", fontweight="bold", fontsize=11)
    fig.tight_layout()
    # Below the panels, growing downwards however many scenarios there are (the crop takes it in).
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(len(names), 4))
    return fig
