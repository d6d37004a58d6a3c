"""The gap-movement bridge: gap at the last report → each cause → gap now."""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from mtfpmodel.analysis.movement import Movement
from mtfpmodel.outputs.chartstyle import PALETTE, Scale, money_axis, pyplot, save
from mtfpmodel.scenario.units import figure

MAX_BARS = 12   # causes beyond the largest MAX_BARS - 1 are drawn as one "other causes" bar


def bridge_values(movement: Movement, year: str | None = None) -> tuple[str, list[tuple[str, float]], float, float]:
    """(what is bridged, [(cause, change)], start, end) for one year's net gap or the total of all years."""
    if year is None:
        pick = np.sum
        years = movement.years
        what = f"net gap, total {years[0]} to {years[-1]}" if len(years) > 1 else f"net gap {years[0]}"
    else:
        t = movement.years.index(year)
        pick = (lambda values: values[t])
        what = f"net gap {year}"
    steps = [(c.label, float(pick(c.values))) for c in movement.causes]
    steps = [s for s in steps if s[1] != 0.0]
    if len(steps) > MAX_BARS:
        steps.sort(key=lambda s: -abs(s[1]))
        rest = steps[MAX_BARS - 1:]
        steps = steps[:MAX_BARS - 1] + [(f"{len(rest)} other causes", sum(v for _, v in rest))]
    return what, steps, float(pick(movement.old_gap)), float(pick(movement.new_gap))


def draw_bridge(movement: Movement, stem: Path, scale: Scale, year: str | None = None) -> list[Path]:
    """Save the bridge as ``stem``.png and .svg in ``scale`` (the plans' £m rule); return the paths."""
    what, steps, start, end = bridge_values(movement, year)
    steps = [(name, change * scale.factor) for name, change in steps]
    start, end = start * scale.factor, end * scale.factor
    plt = pyplot()
    labels = [f"Last report\n({movement.old_name})"] + [_wrap(label) for label, _ in steps] + \
             [f"Now\n({movement.new_name})"]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.0 + 0.9 * len(labels)), 4.8))
    decimals = scale.decimals
    level = start
    ax.bar(0, start, color=PALETTE["blue"])
    _label(ax, 0, start, start, decimals)
    for i, (_, change) in enumerate(steps, start=1):
        colour = PALETTE["vermillion"] if change > 0 else PALETTE["green"]
        ax.bar(i, change, bottom=level, color=colour)
        ax.plot([i - 1.4, i + 0.4], [level, level], color=PALETTE["grey"], linewidth=0.6)
        _label(ax, i, level + change if change > 0 else level + change, change, decimals, signed=True)
        level += change
    ax.bar(len(labels) - 1, end, color=PALETTE["blue"])
    _label(ax, len(labels) - 1, end, end, decimals)
    ax.axhline(0, color=PALETTE["black"], linewidth=0.8)
    ax.grid(axis="x", visible=False)
    levels = np.cumsum([start] + [change for _, change in steps])
    low, high = min(0.0, float(levels.min()), end), max(0.0, float(levels.max()), end)
    span = (high - low) or 1.0
    ax.set_ylim(low - 0.08 * span if low < 0 else 0, high + 0.1 * span)
    money_axis(ax.yaxis, scale)
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right", fontsize=7)
    ax.set_ylabel(f"Net gap ({scale.unit})")
    ax.set_title(f"What moved the {what}")
    ax.text(0, -0.32, "Red: increases the gap; green: reduces it. Causes switched one at a time in a fixed order:\n"
                      "assumptions, budget lines, pressures, funding, savings, reserves.", transform=ax.transAxes,
            fontsize=7, color=PALETTE["grey"], va="top")
    return save(fig, stem)


def _label(ax, x: float, y: float, value: float, decimals: int, signed: bool = False) -> None:
    """Figure above a bar that rises (or a total), below one that falls."""
    text = figure(value, decimals)
    if signed and value > 0:
        text = "+" + text
    below = signed and value < 0 or not signed and value < 0
    ax.annotate(text, (x, y if signed else max(y, 0) if value >= 0 else y), textcoords="offset points",
                xytext=(0, -3 if below else 3), ha="center", va="top" if below else "bottom", fontsize=7)


def _wrap(label: str, width: int = 18, most: int = 3) -> str:
    """``label`` on lines of about ``width`` characters, at most ``most`` of them: a longer label's
    last line ends in '…' (the whole cause is in movement.csv and the terminal table)."""
    lines = textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(lines) > most:
        lines = lines[:most - 1] + [lines[most - 1].rstrip(" ,;:") + "…"]
    return "\n".join(lines)
