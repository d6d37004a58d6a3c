"""``extends:``: lay a child scenario over its parent (docs/reference.md).

Sections merge key by key; lists of named items merge by ``name`` (``remove: true`` deletes
one; an empty list empties it); values — per-year series, a cost mix, an assumption, a Monte
Carlo distribution — are replaced whole. ``reserves`` given as a mapping in one file and a list
in the other: the child's replaces the parent's whole. Data and its line marks (:class:`Where`)
are merged together so an error in the result still points at the file and line the value came
from.
"""
from __future__ import annotations

import re
from typing import Any

from mtfpmodel.scenario.errors import Problem
from mtfpmodel.scenario.limits import shown
from mtfpmodel.scenario.names import repeats
from mtfpmodel.scenario.yamlfile import Where

NAMED_LISTS = {("expenditure",), ("pressures",), ("funding", "grants"), ("savings",), ("reserves",), ("capital_programme",),
               ("workforce", "groups"), ("contracts",)}
_YEAR_KEY = re.compile(r"^\d{4}/\d{2}$")


def merge(parent: Any, pwhere: Where, child: Any, cwhere: Where,
          problems: list[Problem], path: tuple = ()) -> tuple[Any, Where]:
    """Return (merged data, merged marks) of ``child`` laid over ``parent``."""
    if path in NAMED_LISTS and isinstance(parent, list) and isinstance(child, list):
        return _merge_named(parent, pwhere, child, cwhere, problems, path)
    if isinstance(parent, dict) and isinstance(child, dict) and not _replaced_whole(path, child):
        data, where = dict(parent), Where(cwhere.file, cwhere.line, dict(pwhere.children))
        for key, value in child.items():
            if key in parent:
                data[key], where.children[key] = merge(parent[key], pwhere.children[key], value,
                                                       cwhere.children[key], problems, path + (key,))
            else:
                data[key], where.children[key] = value, cwhere.children[key]
        return data, where
    return child, cwhere


def _replaced_whole(path: tuple, child: dict) -> bool:
    if path[-1:] in (("cost_mix",), ("pay_from",)) or (len(path) == 2 and path[0] == "assumptions"):
        return True
    if len(path) == 3 and path[:2] == ("monte_carlo", "distributions"):
        return True                     # one of normal, triangular...: a child's replaces the parent's
    if path and path[-1] == "increase" or path[-1:] == ("rag_confidence",):
        return False
    return bool(child) and all(_YEAR_KEY.match(str(key)) for key in child)


def _merge_named(parent: list, pwhere: Where, child: list, cwhere: Where,
                 problems: list[Problem], path: tuple) -> tuple[list, Where]:
    if not child:
        return [], cwhere
    _check_child_names(child, cwhere, problems, path)
    names = [item.get("name") if isinstance(item, dict) else None for item in parent]
    items = list(parent)
    marks = [pwhere.children[i] for i in range(len(parent))]
    for i, item in enumerate(child):
        mark = cwhere.children[i]
        name = item.get("name") if isinstance(item, dict) else None
        if name is None:
            problems.append(Problem("an item of a list that extends its parent's needs a 'name'",
                                    file=mark.file, line=mark.line, path=_show(path),
                                    hint="items are matched to the parent's by name"))
            continue
        remove = item.get("remove", False)
        if name in names:
            at = names.index(name)
            if remove is True:
                del items[at], marks[at], names[at]
                continue
            items[at], marks[at] = merge(items[at], marks[at], item, mark, problems, path + (name,))
        elif remove is True:
            problems.append(Problem(f"cannot remove '{name}': the parent scenario has no such item",
                                    file=mark.file, line=mark.line, path=f"{_show(path)}[{name}]",
                                    hint=f"names in the parent: {', '.join(map(str, names)) or 'none'}"))
        else:
            items.append(item)
            marks.append(mark)
            names.append(name)
    return items, Where(cwhere.file, cwhere.line, dict(enumerate(marks)))


def _check_child_names(child: list, cwhere: Where, problems: list[Problem], path: tuple) -> None:
    """A name twice in one list of the child file is an error, as it is in any file (it would
    otherwise be merged into one item silently, the last winning)."""
    names = [item.get("name") if isinstance(item, dict) else None for item in child]
    for i, at in repeats([name if isinstance(name, str) else None for name in names]):
        name, first = names[i], names[at]
        mark = cwhere.children[i]
        same = "is used twice" if first == name else f"is the same as {shown(first)} once spaces and capitals are ignored"
        problems.append(Problem(f"the name {shown(name)} {same} in {_show(path)}", file=mark.file, line=mark.line,
                                path=f"{_show(path)}[{name}]",
                                hint=f"names must be unique; the first is at line {cwhere.children[at].line}"))


def _show(path: tuple) -> str:
    return ".".join(str(p) for p in path)
