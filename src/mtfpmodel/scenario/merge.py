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
from mtfpmodel.scenario.names import near_name, repeats
from mtfpmodel.scenario.yamlfile import Where

NAMED_LISTS = {("expenditure",), ("pressures",), ("funding", "grants"), ("savings",), ("reserves",), ("capital_programme",),
               ("workforce", "groups"), ("contracts",)}
_YEAR_KEY = re.compile(r"^\d{4}/\d{2}$")


def merge(parent: Any, pwhere: Where, child: Any, cwhere: Where,
          problems: list[Problem], path: tuple = (), notes: list[Problem] | None = None) -> tuple[Any, Where]:
    """Return (merged data, merged marks) of ``child`` laid over ``parent``.

    Errors go to ``problems``; ``notes`` gets a warning for each item the child adds whose name is
    close to one of the parent's (a misspelt name adds an item instead of changing one)."""
    notes = notes if notes is not None else []
    if path in NAMED_LISTS and isinstance(parent, list) and isinstance(child, list):
        return _merge_named(parent, pwhere, child, cwhere, problems, path, notes)
    if isinstance(parent, dict) and isinstance(child, dict) and not _replaced_whole(path, child):
        data, where = dict(parent), Where(cwhere.file, cwhere.line, dict(pwhere.children))
        for key, value in child.items():
            if key in parent:
                data[key], where.children[key] = merge(parent[key], pwhere.children[key], value,
                                                       cwhere.children[key], problems, path + (key,), notes)
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
                 problems: list[Problem], path: tuple, notes: list[Problem]) -> tuple[list, Where]:
    if not child:
        return [], cwhere
    _check_child_names(child, cwhere, problems, path)
    names = [item.get("name") if isinstance(item, dict) else None for item in parent]
    theirs = [name for name in names if isinstance(name, str)]       # the parent's names, for near misses
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
        if not isinstance(name, str):           # validation says what is wrong with it; nothing to match
            items.append(item)
            marks.append(mark)
            names.append(None)
            continue
        remove = item.get("remove", False)
        if name in names:
            at = names.index(name)
            if remove is True:
                del items[at], marks[at], names[at]
                continue
            items[at], marks[at] = merge(items[at], marks[at], item, mark, problems, path + (name,), notes)
        elif remove is True:
            problems.append(Problem(f"cannot remove '{name}': the parent scenario has no such item",
                                    file=mark.file, line=mark.line, path=f"{_show(path)}[{name}]",
                                    hint=f"names in the parent: {', '.join(map(str, names)) or 'none'}"))
        else:
            _note_near_name(name, theirs, mark, path, notes)
            items.append(item)
            marks.append(mark)
            names.append(name)
    return items, Where(cwhere.file, cwhere.line, dict(enumerate(marks)))


def _note_near_name(name: str, parents: list[str], mark: Where, path: tuple, notes: list[Problem]) -> None:
    """A warning when a new item of the child is named like one of the parent's: 'Social Care
    grants' beside the parent's 'Social Care Grant' adds a second grant rather than changing it."""
    like = near_name(name, parents)
    if like is not None:
        notes.append(Problem(f"{shown(name)} is not an item of the parent scenario, so it is added as a new one, "
                             f"beside the parent's {shown(like)}", file=mark.file, line=mark.line,
                             path=f"{_show(path)}[{name}]",
                             hint=f"to change the parent's item, name it exactly: '{like}'"))


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
