"""House style for every chart: colour-blind-safe palette, titles, units, print resolution.

Import matplotlib only through :func:`pyplot` so commands that draw nothing stay quick and
never need a display (the Agg backend is selected before pyplot is imported).
"""
from __future__ import annotations

from pathlib import Path

# Okabe & Ito's colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
    "grey": "#999999",
}
SERIES = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "yellow", "grey")]
RAG_COLOURS = {"green": PALETTE["green"], "amber": PALETTE["orange"], "red": PALETTE["vermillion"], "": PALETTE["sky"]}
RAG_HATCHES = {"green": "", "amber": "//", "red": "xx", "": ".."}
DPI = 300


def pyplot():
    """matplotlib.pyplot with the Agg backend and the house rcParams."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 11, "axes.titleweight": "bold",
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
        "axes.prop_cycle": matplotlib.cycler(color=SERIES), "legend.frameon": False,
        "savefig.bbox": "tight", "svg.fonttype": "none",
    })
    return plt


def money_axis_label(unit: str) -> str:
    """Axis label naming the unit: '£000' or '£m'."""
    return {"£": "£", "£000": "£000", "£m": "£m"}[unit]


def save(figure, stem: Path) -> list[Path]:
    """Save ``figure`` as ``stem``.png (300 dpi) and ``stem``.svg; close it; return the paths."""
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=DPI)
    import matplotlib.pyplot as plt

    plt.close(figure)
    return paths
