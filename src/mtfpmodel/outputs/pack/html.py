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
    return env.get_template("report.html.j2")


# The page's text width and a table's heading type and cell padding by its density, as the
# template's CSS sets them (A4 less 14 mm margins each side; th: 9.5pt, 7pt dense, 5.2pt denser).
TEXT_WIDTH_MM = {False: 182.0, True: 269.0}          # portrait, landscape
HEADING_PT = {"": 9.5, "dense": 7.0, "denser": 5.2}
PADDING_MM = {"": 2.0, "dense": 0.4, "denser": 0.35}
BADGE_MM = {"": 13.0, "dense": 0.0, "denser": 0.0}     # a badge's least width (.badge min-width)


def column_shares(block, landscape: bool) -> list[float]:
    """% of the table's width for each column of a table of years (:func:`~.content.column_widths`)."""
    from mtfpmodel.outputs.pack.content import column_widths

    width = TEXT_WIDTH_MM[landscape]
    return [100 * mm / width for mm in column_widths(block, width, HEADING_PT[block.density],
                                                      PADDING_MM[block.density], badge=BADGE_MM[block.density])]


def breakable(text: str):
    """``text`` escaped, with a line allowed to break after each '/': a year heading '2025/26' in
    a narrow column reads '2025/' above '26' instead of running into the next column."""
    from markupsafe import Markup, escape

    return Markup(str(escape(text)).replace("/", "/<wbr>"))


def data_uri(png: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(Path(png).read_bytes()).decode("ascii")
