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
    return env.get_template("report.html.j2")


def breakable(text: str):
    """``text`` escaped, with a line allowed to break after each '/': a year heading '2025/26' in
    a narrow column reads '2025/' above '26' instead of running into the next column."""
    from markupsafe import Markup, escape

    return Markup(str(escape(text)).replace("/", "/<wbr>"))


def data_uri(png: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(Path(png).read_bytes()).decode("ascii")
