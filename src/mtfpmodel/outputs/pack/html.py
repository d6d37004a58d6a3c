"""The pack as one self-contained HTML page that prints to A4: ``templates/report.html.j2``.

Charts are embedded as base64 PNG, the CSS is inline and nothing is fetched from the network,
so the file can be e-mailed or attached to a committee paper as it is. Tables never break
across a printed page (``break-inside: avoid``); sections marked ``new_page`` start a page.
"""
from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

from mtfpmodel.outputs.pack.content import Pack, kind


def render(pack: Pack) -> str:
    """The report's HTML (jinja2, autoescaped, undefined names an error)."""
    return template().render(pack=pack)


@lru_cache(maxsize=1)
def template():
    """templates/report.html.j2, compiled once (call it early to have it ready)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("mtfpmodel.outputs", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["kind"] = kind
    env.filters["data_uri"] = data_uri
    env.filters["breakable"] = breakable
    env.filters["column_shares"] = column_shares
    env.globals["layout"] = {"side_margin": SIDE_MARGIN_MM, "type": TABLE_PT, "padding": PADDING_MM,
                             "badge": BADGE_MM}        # the CSS is written from these, as the widths are
    return env.get_template("report.html.j2")


# The page and a table's type, cell padding and badges by its density: the template's CSS is
# written from these, and the column widths are worked out from them (:func:`column_shares`).
PAGE_MM = {False: 210.0, True: 297.0}                  # A4 across, portrait and landscape
SIDE_MARGIN_MM = 14.0
TABLE_PT = {"": 9.5, "dense": 7.0, "denser": 5.2}      # a table's type, headings included
PADDING_MM = {"": 2.0, "dense": 0.4, "denser": 0.35}   # left and right of each cell
BADGE_MM = 13.0                 # a badge's least width in a roomy table (a dense table's has none)


def column_shares(block, landscape: bool) -> list[float]:
    """% of the table's width for each column of a table of years (:func:`~.content.column_widths`)."""
    from mtfpmodel.outputs.pack.content import column_widths

    width = PAGE_MM[landscape] - 2 * SIDE_MARGIN_MM
    return [100 * mm / width for mm in column_widths(block, width, TABLE_PT[block.density], PADDING_MM[block.density],
                                                      badge=0.0 if block.density else BADGE_MM)]


def breakable(text: str):
    """``text`` escaped, with a line allowed to break after each '/': a year heading '2025/26' in
    a narrow column reads '2025/' above '26' instead of running into the next column."""
    from markupsafe import Markup, escape

    return Markup(str(escape(text)).replace("/", "/<wbr>"))


def data_uri(png: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(Path(png).read_bytes()).decode("ascii")
