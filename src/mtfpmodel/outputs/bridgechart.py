"""The bridge (waterfall) chart: base-year budget gap to the final year's net gap.

The steps come from :mod:`mtfpmodel.results.bridge`, which also documents how the change in cost is
split into inflation and demand. :func:`waterfall` draws any list of steps, so other bridges
(e.g. gap movement between two versions of a plan) can use it too.
"""
from __future__ import annotations

import textwrap

from mtfpmodel.outputs.chartstyle import (
    HEIGHT,
    PALETTE,
    WIDTH,
    Scale,
    new_axes,
    scale_of,
    title_of,
)
from mtfpmodel.results.bridge import Step, bridge
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.units import rounds_to_nothing

UP, DOWN, LEVEL = PALETTE["vermillion"], PALETTE["green"], PALETTE["blue"]


MAX_LEVEL_WIDTH = 9.0      # inches: a bridge whose labels need more to lie level slants them instead
SLANTED_STEP = 0.36        # inches a step with slanted labels takes (room for its figure above the bar)


def bridge_chart(result: Result):
    """Waterfall of :func:`gapbridge.bridge` in the display unit.

    Step labels lie level, wrapped, and the chart is widened until they clear each other
    (:func:`fit_tick_labels`); if that would make it wider than :data:`MAX_LEVEL_WIDTH` (a plan of
    15 steps or more), the labels are slanted at 45° on one line and the chart kept near a page's
    width, so that on the printed page its type is the size it was drawn at (a 15-inch chart in a
    cabinet paper's 165 mm prints 7 pt labels at 3 pt)."""
    steps = bridge(result)
    labels = result.labels
    scale = scale_of(result)
    subtitle = f"{title_of(result)} · red adds to the gap, green closes it"
    longest = max(len(row) for s in steps for row in tick_label(s.label).split("\n"))
    per_step = 0.55 if longest <= 10 else 0.68      # inches: room for every label when there are many steps
    width = max(WIDTH, per_step * len(steps) + 1.5)
    fig, ax = new_axes(f"Budget bridge, {labels[0]} to {labels[-1]}", subtitle, scale, size=(width, HEIGHT))
    waterfall(ax, steps, scale)
    fit_tick_labels(fig, ax)
    if fig.get_figwidth() > MAX_LEVEL_WIDTH:
        fig.set_size_inches(max(WIDTH, SLANTED_STEP * len(steps) + 1.5), HEIGHT)
        ax.set_xticks(range(len(steps)), [s.label.replace("_", " ") for s in steps], fontsize=7, rotation=45,
                      ha="right", rotation_mode="anchor")
    return fig


LABEL_GAP = 2 / 72          # inches of white between neighbouring step labels


def fit_tick_labels(fig, ax) -> None:
    """Widen ``fig`` until each x tick label clears its neighbours by :data:`LABEL_GAP`, measured as
    drawn (two 11-letter lines side by side, 'apprentice-' and 'contractual', ran into each other
    when the room was guessed from the number of letters). A chart whose labels fit is unchanged."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    widths = [label.get_window_extent(renderer).width / fig.dpi for label in ax.get_xticklabels()]
    if len(widths) < 2:
        return
    needed = max((a + b) / 2 for a, b in zip(widths, widths[1:])) + LABEL_GAP     # inches between ticks
    low, high = ax.get_xlim()
    ticks = ax.get_xticks()
    have = ax.get_position().width * fig.get_figwidth() * (ticks[1] - ticks[0]) / (high - low)
    if needed > have:
        fig.set_size_inches(fig.get_figwidth() * needed / have, fig.get_figheight())


def tick_label(label: str, width: int = 10) -> str:
    """A step's label on lines of about ``width`` characters; a longer word is hyphenated ("apprentice-ship")."""
    words = [w if len(w) <= width + 1 else f"{w[:width]}- {w[width:]}" for w in label.replace("_", " ").split()]
    return textwrap.fill(" ".join(words), width, break_long_words=False)


def waterfall(ax, steps: list[Step], scale: Scale) -> None:
    """Draw ``steps``: levels from zero, changes floating from the running total, with connectors."""
    running = 0.0
    tops = []
    for i, step in enumerate(steps):
        value = step.value * scale.factor
        if step.total:
            bottom, height, colour = 0.0, value, LEVEL
            running = value
        else:
            bottom, height = running, value
            colour = UP if value > 0 else DOWN
            running += value
        bar = ax.bar(i, height, 0.62, bottom=bottom, color=colour, edgecolor="white", linewidth=0.5)[0]
        bar.sticky_edges.y.clear()    # a floating bar must not pin the axis limit at its base
        tops.append(running)
        end = bottom + height
        above = height >= 0
        size = scale.text(abs(step.value))
        signed = not step.total and not rounds_to_nothing(size)   # a change too small to show is 0, not −0
        text = ("+" if value > 0 else "−") + size if signed else scale.text(step.value)
        ax.annotate(text, (bar.get_x() + bar.get_width() / 2, max(bottom, end) if above else min(bottom, end)),
                    xytext=(0, 2 if above else -2), textcoords="offset points", ha="center",
                    va="bottom" if above else "top", fontsize=7, fontweight="bold" if step.total else "normal")
    for i in range(len(steps) - 1):
        ax.plot([i + 0.31, i + 0.69], [tops[i], tops[i]], color=PALETTE["grey"], linewidth=0.7, linestyle=":")
    ax.set_xticks(range(len(steps)), [tick_label(s.label) for s in steps], fontsize=7)
    ax.margins(y=0.12)
