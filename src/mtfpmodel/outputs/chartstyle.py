"""House style for every chart: colour-blind-safe palette, titles, units, print resolution.

Import matplotlib only through :func:`pyplot` so commands that draw nothing stay quick and
never need a display (the Agg backend is selected before pyplot is imported).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mtfpmodel.scenario.units import UNITS, figure

if TYPE_CHECKING:
    from mtfpmodel.results.result import Result

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
PAD = 0.1                         # inches of white round a chart's tight crop (matplotlib's default)
# zlib level of the PNG files (outputs/pngfile.py): flat-coloured charts compress well at any
# level, and 3 takes about half the time of zlib's default 6, for files about 30% larger.
PNG_COMPRESSION = 3
WIDTH, HEIGHT = 7.5, 4.2          # inches: the text width of an A4 page with margins


@dataclass(frozen=True)
class Scale:
    """How figures are shown on an axis: ``shown = value * factor`` in ``unit``."""

    unit: str
    factor: float

    @property
    def decimals(self) -> int:
        return 1 if self.unit == "£m" else 0

    def text(self, value: float) -> str:
        return figure(value * self.factor, self.decimals)


MILLIONS_FROM = 50e6     # pounds of net expenditure from which every chart is drawn in £m


def scale_of(result: Result) -> Scale:
    """The scale of every chart of a plan: :func:`scale_for` its budget (net expenditure)."""
    return scale_for(result.units, result.results.net_expenditure[0])


def scale_for(unit: str, budget) -> Scale:
    """The one rule for every chart: £m once the budget (the largest net expenditure in
    ``budget``, in ``unit``) reaches £50m; else £000 (from £100k, or when that is the unit); else £.

    Charts comparing several plans pass every plan's net expenditure, converted to one unit.
    """
    pounds = UNITS[unit]
    largest = float(np.nanmax(np.abs(np.asarray(budget, dtype=float)), initial=0.0)) * pounds
    if unit == "£m" or largest >= MILLIONS_FROM:
        return Scale("£m", pounds / 1e6)
    if unit == "£000" or largest >= 100e3:
        return Scale("£000", pounds / 1e3)
    return Scale("£", 1.0)


def title_of(result: Result) -> str:
    """'Council: scenario', or the scenario name alone when no council is named; a plan in real
    terms adds its prices ('…, at 2024/25 prices')."""
    scenario = result.scenario
    title = f"{scenario.council}: {scenario.scenario}" if scenario.council else scenario.scenario
    return f"{title}, at {result.real.label}" if result.real else title


def new_axes(title: str, subtitle: str, scale: Scale, size=(WIDTH, HEIGHT)):
    """A figure with one axes in house style: bold title, grey subtitle, money on the y axis."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=size)
    ax.set_title(title, loc="left", pad=22)
    ax.text(0, 1.02, subtitle, transform=ax.transAxes, color=PALETTE["grey"], fontsize=8.5, va="bottom")
    ax.set_ylabel(scale.unit)
    money_axis(ax.yaxis, scale)
    ax.grid(axis="x", visible=False)
    ax.axhline(0, color=PALETTE["black"], linewidth=0.8)
    return fig, ax


NAMED_YEARS = 8       # financial-year labels an x axis holds side by side
FIGURED_YEARS = 10    # years up to which a chart writes each bar's figure (more would run into each other)


def year_ticks(ax, positions, years) -> None:
    """Mark each financial year on the x axis and name at most :data:`NAMED_YEARS` of them: every
    year of a plan of up to that many, else every k-th counting back from the last (a ten-year
    plan names every other year, the final year always among them)."""
    step = -(-len(years) // NAMED_YEARS)
    ax.set_xticks(positions, [year if (len(years) - 1 - i) % step == 0 else "" for i, year in enumerate(years)])


def money_formatter(scale: Scale):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda y, _: figure(y, 0 if float(y).is_integer() else scale.decimals))


def money_axis(axis, scale: Scale) -> None:
    """Money on ``axis`` (``ax.yaxis`` or ``ax.xaxis``): figures as :func:`money_formatter` writes
    them, at matplotlib's own tick places, except that ticks closer together than the figures show
    (a chart of zeros, or of £000 that round to 0: '0, 0, 0, 0') are cut to the distinct ones."""
    from matplotlib.ticker import MaxNLocator

    class Distinct(MaxNLocator):
        def tick_values(self, vmin, vmax):
            ticks = super().tick_values(vmin, vmax)
            step = 10.0 ** -scale.decimals
            if len(ticks) > 1 and ticks[1] - ticks[0] < step:
                return np.unique(np.round(np.asarray(ticks) / step)) * step
            return ticks

    axis.set_major_locator(Distinct(nbins="auto", steps=[1, 2, 2.5, 5, 10]))     # AutoLocator's own settings
    axis.set_major_formatter(money_formatter(scale))


def pyplot():
    """matplotlib.pyplot with the Agg backend and the house rcParams."""
    import matplotlib
    import matplotlib.artist

    _skip_set_docstrings(matplotlib.artist.Artist)
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 11, "axes.titleweight": "bold",
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
        "axes.prop_cycle": matplotlib.cycler(color=SERIES), "legend.frameon": False,
        "savefig.bbox": "tight", "svg.fonttype": "none",
    })
    return plt


def _skip_set_docstrings(artist) -> None:
    """Leave out the help text matplotlib writes for each Artist class's ``set()`` as it is
    defined: a list of every property, read from every setter's docstring, for ``help()`` only.
    Writing it for the hundred-odd classes pyplot defines is about a third of pyplot's import
    time, on the critical path of every command that draws. Nothing drawn depends on it: the
    classes and their ``set()`` methods are made as before (the flag that marks an inherited
    ``set()`` as generated is still set), only without that text and signature. A matplotlib
    that builds them some other way is left as it is."""
    builder = artist.__dict__.get("_update_set_signature_and_docstring")
    if not isinstance(builder, classmethod):
        return

    def flag_only(cls) -> None:
        cls.set._autogenerated_signature = True

    artist._update_set_signature_and_docstring = classmethod(flag_only)


def save(figure, stem: Path) -> list[Path]:
    """Save ``figure`` as ``stem``.png (300 dpi) and ``stem``.svg; close it; return the paths.

    The two files are written at the same time where there is a core for each
    (:func:`~mtfpmodel.outputs.parallel.run_tasks`). The PNG's tight crop is measured once,
    without the full dry-run drawing ``savefig`` makes for ``bbox_inches="tight"``, and its
    pixels are written by :func:`~mtfpmodel.outputs.pngfile.write_png` (not Pillow's slower
    encoder), compressed at :data:`PNG_COMPRESSION`: the same pixels as ``savefig`` draws. The
    SVG's crop is measured the same way, with the SVG renderer (its text is measured in points,
    so its crop differs slightly from the PNG's).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from mtfpmodel.outputs.parallel import run_tasks

    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    stem.parent.mkdir(parents=True, exist_ok=True)

    def write_png() -> None:
        figure.set_dpi(DPI)
        crop = figure.get_tightbbox(FigureCanvasAgg(figure).get_renderer()).padded(PAD)
        save_png(figure, png, crop)

    def write_svg() -> None:
        figure.savefig(svg, dpi=DPI, bbox_inches=_svg_crop(figure))

    try:
        run_tasks([write_png, write_svg])
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)
    return [png, svg]


def _svg_crop(figure):
    """The tight crop (inches, padded) that ``savefig(..., format="svg", bbox_inches="tight")``
    would choose, measured with the renderer it would use (text measured in points at 72 to
    the inch), but without drawing the whole figure once first."""
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import RendererSVG

    dpi = figure.dpi
    figure.dpi = 72                               # as print_svg sets it while it draws
    try:
        width, height = figure.get_size_inches()
        renderer = MixedModeRenderer(figure, width, height, DPI,
                                     RendererSVG(width * 72, height * 72, io.StringIO(), image_dpi=DPI))
        return figure.get_tightbbox(renderer).padded(PAD)
    finally:
        figure.dpi = dpi


def save_png(figure, path: Path, crop) -> None:
    """Draw ``figure`` at :data:`DPI`, cropped to ``crop`` (inches), and write it to ``path`` as PNG.

    The pixels are taken from ``savefig(format="raw")``, which hands over matplotlib's own
    (height, width, 4) buffer; should a matplotlib hand over anything else, ``savefig`` writes the
    PNG itself (through Pillow, the same pixels, only slower)."""
    import matplotlib

    from mtfpmodel.outputs.pngfile import write_png

    pixels = _Pixels()
    figure.savefig(pixels, format="raw", dpi=DPI, bbox_inches=crop)
    if pixels.rgba is None:
        figure.savefig(path, dpi=DPI, bbox_inches=crop, pil_kwargs={"compress_level": PNG_COMPRESSION})
        return
    software = f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"   # as savefig writes
    write_png(path, pixels.rgba, DPI, software, PNG_COMPRESSION)


class _Pixels:
    """A file for ``savefig(format="raw")`` that keeps the drawn buffer uncopied, when it is the
    (height, width, 4) bytes a PNG needs (else ``rgba`` stays None)."""

    def __init__(self) -> None:
        self.rgba: np.ndarray | None = None

    def write(self, data) -> None:
        rgba = np.asarray(data)
        if rgba.ndim == 3 and rgba.shape[2] == 4 and rgba.dtype == np.uint8:
            self.rgba = rgba

    def seek(self, offset: int, whence: int = 0) -> int:   # matplotlib takes an object with seek for a file
        return 0
