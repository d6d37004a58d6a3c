"""The bounds a scenario file must keep, and how a value is shown back in a message.

A scenario is a few hundred lines written by a person; these limits are far above any real
plan and exist so that a hostile or corrupted file is refused quickly, in bounded memory, with
a located message instead of a crash (docs/decisions.md, "Limits"):

- the file itself: at most ``MAX_BYTES`` (10 MiB), a regular file of UTF-8 text;
- its shape: at most ``MAX_DEPTH`` levels of nesting and ``MAX_NODES`` values in all, counting
  every use of a YAML alias (``*name``) as the values it stands for (an "alias bomb" of a few
  hundred bytes that means 10⁷ values is refused before it is expanded);
- each number: finite and within ±``MAX_MAGNITUDE`` (1e15 of the scenario unit), an integer
  literal of at most ``MAX_DIGITS`` digits; a boolean is never a number;
- each text: no control characters other than tab and newline, nor what XML cannot hold
  (U+FFFE, U+FFFF, lone surrogates), at most ``MAX_TEXT`` characters.

A value echoed in a message is cut to ``ECHO`` characters (:func:`shown`), and a message lists
at most ``MAX_PROBLEMS`` problems.

``mtfp import`` reads spreadsheets under bounds of the same kind: a workbook or CSV file of at
most ``MAX_SHEET_BYTES`` (50 MiB), a workbook that unpacks to at most ``MAX_UNPACKED`` (200 MiB),
and a table (a sheet or CSV file) of at most ``MAX_TABLE_ROWS`` rows and ``MAX_TABLE_CELLS``
cells: a budget book's tables hold a few thousand cells.
"""
from __future__ import annotations

import math
import re
import reprlib

MAX_BYTES = 10 * 2**20
MAX_DEPTH = 32
MAX_NODES = 100_000
MAX_DIGITS = 20
MAX_MAGNITUDE = 1e15
MAX_TEXT = 10_000
MAX_EXTENDS = 20        # files in one extends: chain
ECHO = 60
MAX_PROBLEMS = 50

MAX_SHEET_BYTES = 50 * 2**20    # a workbook or CSV file for mtfp import
MAX_UNPACKED = 200 * 2**20      # a workbook's parts, unpacked
MAX_TABLE_ROWS = 20_000         # rows of one sheet or CSV file (empty rows between included)
MAX_TABLE_CELLS = 200_000       # cells of one sheet or CSV file (empty ones before the last in a row included)

# C0 and C1 controls except tab and newline; and what XML 1.0 (the workbook, the Word report)
# cannot hold at all: the noncharacters U+FFFE and U+FFFF and lone surrogates (which a command-line
# argument that is not UTF-8 decodes to).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def check_number(value: float, written=None) -> float:
    """``value`` as a float if it is finite and within ±MAX_MAGNITUDE; else raise ValueError
    (echoing ``written``, the value as the user wrote it, if given)."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{shown(value if written is None else written)} is not a finite number "
                         "(write an amount, a rate or a count)")
    if abs(number) > MAX_MAGNITUDE:
        raise ValueError(f"{f'{number:g}' if written is None else shown(written)} is beyond ±1e15, larger than any figure a plan can hold "
                         "(check the unit and the number of digits)")
    return number


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be a value in a scenario (a control character, too long), or None."""
    match = _CONTROL.search(text)
    if match is not None:
        kind = "control character" if ord(match.group()) <= 0x9F else "character"     # C0, C1; U+FFFF...
        return (f"text holds the {kind} '{repr(match.group())[1:-1]}', which cannot be shown or saved "
                "(remove it; retype the text if it was pasted)")
    if len(text) > MAX_TEXT:
        return f"text of {len(text):,} characters is too long (at most {MAX_TEXT:,})"
    return None


def shown(value, most: int = ECHO) -> str:
    """``repr(value)`` cut to ``most`` characters, for echoing input back in a message (built
    with :mod:`reprlib`, so a huge list or text is never written out in full first)."""
    return clip(_SHORT.repr(value), most)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring, _SHORT.maxother = 2, 4, 4, 4 * ECHO, 4 * ECHO


def clip(text: str, most: int = ECHO) -> str:
    """``text`` with control characters escaped, cut to ``most`` characters with '…'."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))
    return text if len(text) <= most else text[:most - 1] + "…"
