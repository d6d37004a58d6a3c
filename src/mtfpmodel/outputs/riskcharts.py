"""Risk charts for the cabinet report: tornado, two-way grid heatmap, Monte Carlo fan chart and
Sobol ranking. Each takes the analysis result and the plan's :class:`~chartstyle.Scale` (the one
£m rule of :func:`chartstyle.scale_for`), draws in the house style and saves PNG + SVG.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

import numpy as np

from mtfpmodel.analysis.paths import label
from mtfpmodel.outputs.chartstyle import PALETTE, Scale, money_axis, pyplot, save, year_ticks
from mtfpmodel.scenario.units import figure

if TYPE_CHECKING:       # only for annotations: the fan chart must not import Sobol's scipy.stats
    from mtfpmodel.analysis.grid import Grid
    from mtfpmodel.analysis.montecarlo import Simulation
    from mtfpmodel.analysis.sensitivity import Tornado
    from mtfpmodel.analysis.sobol import SobolIndices


TORNADO_BARS = 15      # the widest inputs drawn; tornado.csv lists every one
FIGURED_GRID = (16, 12)    # rows × columns of a two-way grid up to which each cell shows its figure
GRID_TICKS = 15        # values named on each axis of the grid at most


def tornado_chart(result: Tornado, scale: Scale, year: str, stem: Path, title: str) -> list[Path]:
    """Bars from the planned final-year net gap to its value at each input's low and high; widest
    on top: the :data:`TORNADO_BARS` widest, the x-axis title saying so when there are more."""
    plt = pyplot()
    count = min(len(result.paths), TORNADO_BARS)
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.45 * count))
    rows = np.arange(count)[::-1]
    base = result.base * scale.factor
    for row, low, high, low_text, high_text in zip(rows, result.low, result.high, result.low_labels, result.high_labels):
        for value, text, colour in ((low, low_text, PALETTE["blue"]), (high, high_text, PALETTE["orange"])):
            value = value * scale.factor
            ax.barh(row, value - base, left=base, color=colour, height=0.6)
            side = "left" if value < base else "right"
            ax.annotate(text, (value, row), xytext=(-4 if side == "left" else 4, 0), textcoords="offset points",
                        ha="right" if side == "left" else "left", va="center", fontsize=8)
    ax.axvline(base, color=PALETTE["black"], linewidth=1)
    money_axis(ax.xaxis, scale)
    ax.annotate(f"plan: {scale.text(result.base)}", (base, count - 0.4), ha="center", fontsize=8,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})   # the plan's line stops under it
    ax.set_yticks(rows, [label(p) for p in result.paths[:count]])
    more = (f"\nthe {count} of {len(result.paths)} inputs that move it most; tornado.csv lists them all"
            if count < len(result.paths) else "")
    ax.set_xlabel(f"net gap in {year} ({scale.unit}); blue: input at its low value, orange: high{more}")
    ax.grid(axis="y", visible=False)
    ax.margins(x=0.15)
    ax.set_title(title, pad=16)
    return save(fig, stem)


def grid_heatmap(grid: Grid, scale: Scale, year: str, stem: Path, title: str,
                 value_text: Callable[[str, float], str]) -> list[Path]:
    """The final-year net gap for each pair of values: red a gap, blue a surplus, figures in each cell;
    each axis names its input's values as ``value_text(path, value)`` writes them (the terminal's
    grid table writes them the same way: a rate or a share as a percentage, others with their unit).

    Each cell is 0.9 by 0.45 inches, so a grid of up to :data:`FIGURED_GRID` values (rows of the
    first input, columns of the second) shows every figure and names every value on its axes. A
    larger grid is drawn no larger than that, its cells coloured without figures (the x-axis title
    says grid.csv holds them), each axis naming at most :data:`GRID_TICKS` values, evenly spaced."""
    plt = pyplot()
    from matplotlib.colors import TwoSlopeNorm

    values = grid.final * scale.factor
    low, high = float(values.min()), float(values.max())
    norm = TwoSlopeNorm(0.0, min(low, -1e-9), max(high, 1e-9)) if low < 0 < high else None
    rows, columns = values.shape
    figured = rows <= FIGURED_GRID[0] and columns <= FIGURED_GRID[1]
    fig, ax = plt.subplots(figsize=(1.6 + 0.9 * min(columns, FIGURED_GRID[1]),
                                    1.4 + 0.45 * min(rows, FIGURED_GRID[0])))
    image = ax.imshow(values, cmap="RdBu_r", norm=norm, aspect="auto", origin="lower")
    for i in range(rows) if figured else ():
        for j in range(columns):
            shade = float(image.norm(values[i, j]))
            ax.text(j, i, figure(values[i, j], scale.decimals), ha="center", va="center", fontsize=7,
                    color="white" if abs(shade - 0.5) > 0.35 else "black")
    for axis, path, shown in ((ax.xaxis, grid.path_b, grid.values_b), (ax.yaxis, grid.path_a, grid.values_a)):
        ticks = range(0, shown.size, 1 if figured else -(-shown.size // GRID_TICKS))   # every k-th: at most GRID_TICKS
        axis.set_ticks(ticks, [value_text(path, float(shown[k])) for k in ticks])
    more = "" if figured else (f"\na grid of {rows:,} × {columns:,} values, too many to print in the cells: "
                               "grid.csv holds each figure")
    ax.set_xlabel(label(grid.path_b) + more)
    ax.set_ylabel(label(grid.path_a))
    ax.grid(False)
    fig.colorbar(image, ax=ax, label=f"net gap in {year} ({scale.unit})")
    ax.set_title(title)
    return save(fig, stem)


INNER = (0.25, 0.75)                   # the fan chart's quantiles not in montecarlo.csv: P25, P75


def fan_chart(sim: Simulation, table: Mapping[str, Sequence[float]], labels: Sequence[str], scale: Scale, stem: Path,
              title: str) -> list[Path]:
    """P10-P90 band and median of the net gap and of closing reserves by year, with the minimum;
    ``table`` is montecarlo.csv's columns (:func:`~mtfpmodel.analysis.montecarlo.by_year`) for ``sim``."""
    return draw_fan(fan_bands(sim, table, scale), sim.draws, labels, scale, stem, title)


def fan_bands(sim: Simulation, table: Mapping[str, Sequence[float]], scale: Scale) -> dict[str, np.ndarray]:
    """The fan chart's figures [display unit]: P10, P25, P50, P75 and P90 by projection year of the
    net gap and of closing reserves, (5, T) each, and the median minimum reserves, (T,).

    P10, P50 and P90 are montecarlo.csv's own, from ``table`` (the columns of
    :func:`~mtfpmodel.analysis.montecarlo.by_year_columns` for ``sim``, or its table); only
    P25 and P75 are computed here, over the same draws in the same way.
    """
    bands = {}
    for name in ("net_gap", "closing_reserves"):
        p25, p75 = np.quantile(getattr(sim, name)[:, 1:], INNER, axis=0)
        p10, p50, p90 = (np.asarray(table[f"{name}_p{q}"], dtype=float) for q in (10, 50, 90))
        bands[name] = np.stack([p10, p25, p50, p75, p90]) * scale.factor
    bands["minimum_reserves"] = np.median(sim.minimum_reserves[:, 1:], axis=0) * scale.factor
    return bands


def draw_fan(bands: dict[str, np.ndarray], draws: int, labels: Sequence[str], scale: Scale, stem: Path,
             title: str) -> list[Path]:
    """The fan chart of :func:`fan_bands` (from ``draws`` simulated plans)."""
    plt = pyplot()
    years = list(labels[1:])
    x = np.arange(len(years))
    fig, axes = plt.subplots(1, 2, figsize=(10.5, 4), gridspec_kw={"wspace": 0.35})
    panels = (("net_gap", "Net gap", PALETTE["vermillion"]), ("closing_reserves", "Closing reserves", PALETTE["blue"]))
    for ax, (name, heading, colour) in zip(axes, panels):
        p10, p25, p50, p75, p90 = bands[name]
        ax.fill_between(x, p10, p90, color=colour, alpha=0.18, linewidth=0, label="P10 to P90")
        ax.fill_between(x, p25, p75, color=colour, alpha=0.3, linewidth=0, label="P25 to P75")
        ax.plot(x, p50, color=colour, linewidth=2, label="median (P50)")
        ax.axhline(0, color=PALETTE["black"], linewidth=0.8)
        if name == "closing_reserves":
            ax.plot(x, bands["minimum_reserves"], color=PALETTE["grey"], linestyle="--", label="minimum reserves")
        year_ticks(ax, x, years)
        ax.set_ylabel(scale.unit)
        money_axis(ax.yaxis, scale)
        ax.set_title(heading)
        # below the panel, as the plan's charts have theirs: inside, no place is clear of the
        # bands, the median and the zero line in every plan ("minimum reserves" was struck through)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8)
    fig.suptitle(f"{title} ({draws:,} simulated plans)", fontweight="bold")
    return save(fig, stem)


def sobol_chart(indices: SobolIndices, stem: Path, title: str, top: int = 15) -> list[Path]:
    """First and total order Sobol indices of the final-year net gap, largest total first."""
    from mtfpmodel.analysis.sobol import OUTPUTS

    plt = pyplot()
    table = indices.table().head(top)
    count = len(table)
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.4 * count))
    rows = np.arange(count)[::-1]
    ax.barh(rows + 0.2, table[f"total_order_{OUTPUTS[0]}"], height=0.4, color=PALETTE["orange"],
            label="total order (with interactions)")
    ax.barh(rows - 0.2, table[f"first_order_{OUTPUTS[0]}"], height=0.4, color=PALETTE["blue"],
            label="first order (alone)")
    ax.set_yticks(rows, table["factor"])
    ax.set_xlabel("share of the variance of the final-year net gap")
    ax.set_xlim(0, max(1.0, float(table[f"total_order_{OUTPUTS[0]}"].max()) * 1.05))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title)
    return save(fig, stem)
