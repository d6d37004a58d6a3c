"""Named items: a name given twice in a list (budget lines, grants, reserves, pay groups...) is an
error, and names are compared as a person reads them: spaces trimmed, case ignored."""
from __future__ import annotations

import difflib
from typing import Iterable, Iterator

from mtfpmodel.scenario.limits import shown


class DuplicateName(ValueError):
    """A name given twice in a list of named items: ``index`` is the second item's place,
    ``first`` the place of the item it repeats."""

    def __init__(self, message: str, index: int, first: int | None = None):
        super().__init__(message)
        self.index = index
        self.first = first


def name_key(name: str) -> str:
    """How names are compared: spaces trimmed, case ignored ('Adults ' is 'adults')."""
    return " ".join(str(name).split()).casefold()


NEAR_NAME = 0.8      # difflib's ratio from which one name looks like a misspelling of another


def near_name(name: str, names: Iterable[str]) -> str | None:
    """The one of ``names`` most like ``name``, compared as :func:`name_key` compares names, when
    difflib's ratio reaches :data:`NEAR_NAME` ('Social Care Grant' for 'Social Care grants');
    else None."""
    keys = {name_key(n): n for n in names}
    close = difflib.get_close_matches(name_key(name), list(keys), n=1, cutoff=NEAR_NAME)
    return keys[close[0]] if close else None


def repeats(names: list[str | None]) -> Iterator[tuple[int, int]]:
    """(index, first) for each name that repeats an earlier one (compared by :func:`name_key`):
    its place and the place of the first; None (an item without a name) is passed over."""
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if name is None:
            continue
        key = name_key(name)
        if key in seen:
            yield index, seen[key]
        else:
            seen[key] = index


def unique_names(items: list, what: str) -> list:
    """``items`` unchanged if no two share a name (compared by :func:`name_key`); else raise
    DuplicateName at the second, naming the first."""
    for index, at in repeats([item.name for item in items]):
        item, first = items[index], items[at].name
        same = first == item.name
        raise DuplicateName(f"the name {shown(item.name)} is used twice in {what}" if same else
                            f"the name {shown(item.name)} is the same as {shown(first)} in {what} "
                            "once spaces and capitals are ignored", index, at)
    return items
