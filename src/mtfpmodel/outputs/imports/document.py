"""The scenario being imported: plain data plus, for every value, the cell it came from.

The marks are the loader's own ``Where`` tree, with the cell's place ("budget.xlsx, sheet Lines,
cell C5") as the file and no line, so the loader's validation names the cell of every problem
exactly as it names the line of a YAML file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mtfpmodel.scenario.errors import Problem
from mtfpmodel.scenario.limits import shown, text_problem
from mtfpmodel.scenario.names import name_key
from mtfpmodel.scenario.yamlfile import Where

Step = str | tuple[str]          # a key, or (name,) for the named item of a list


@dataclass
class Document:
    origin: str                                   # what was imported, for whole-file messages
    data: dict = field(default_factory=dict)
    where: Where = None
    problems: list[Problem] = field(default_factory=list)
    rows: dict[tuple, str] = field(default_factory=dict)   # item steps → 'sheet Lines, row 5' for comments
    read: list[str] = field(default_factory=list)          # the tables read, for the header comment
    named: dict[tuple, tuple[str, str]] = field(default_factory=dict)   # item, by name_key → (name, first row)

    def __post_init__(self):
        if self.where is None:
            self.where = Where(self.origin, 0)

    def put(self, steps: list[Step], value: Any, at: str) -> None:
        """Set the value at ``steps`` (creating mappings and named items on the way), marked ``at``.
        Text no scenario can hold (a control character) is a problem at ``at``, as a YAML file's is at its line."""
        reason = next(filter(None, map(text_problem, _texts(value))), None)
        if reason:
            self.problem(at, reason)
        node, mark = self.data, self.where
        for n, step in enumerate(steps):
            last = n == len(steps) - 1
            if isinstance(step, tuple):
                items = node if isinstance(node, list) else None
                assert items is not None, f"{steps}: [name] below a mapping"
                index = next((i for i, item in enumerate(items) if item.get("name") == step[0]), None)
                if index is None:
                    items.append({"name": step[0]})
                    index = len(items) - 1
                    mark.children[index] = Where(at, 0, {"name": Where(at, 0)})
                node, mark = items[index], mark.children[index]
                continue
            if last:
                node[step] = value
                mark.children[step] = Where(at, 0)
                return
            following = steps[n + 1]
            if step not in node:
                node[step] = [] if isinstance(following, tuple) else {}
                mark.children[step] = Where(at, 0)
            node, mark = node[step], mark.children[step]

    def has(self, steps: list[Step]) -> bool:
        node: Any = self.data
        for step in steps:
            if isinstance(step, tuple):
                node = next((i for i in node if i.get("name") == step[0]), None) if isinstance(node, list) else None
            else:
                node = node.get(step) if isinstance(node, dict) else None
            if node is None:
                return False
        return True

    def problem(self, at: str, message: str, path: str = "", hint: str = "") -> None:
        self.problems.append(Problem(message, file=at, path=path, hint=hint))

    def first_row(self, steps: list[Step], name: str, cell) -> bool:
        """Whether the row of ``cell`` is the first to give the item at ``steps`` (named ``name``);
        if not, a problem at the cell naming the first (a second row would silently overwrite it)."""
        reason = text_problem(name)
        if reason:                     # one problem for the name, not one for each cell of its row
            self.problem(cell.where, reason)
            return False
        *section, last = steps
        key = (*section, name_key(last[0] if isinstance(last, tuple) else last))
        if key not in self.named:
            self.named[key] = (name, cell.row_where())
            return True
        first, place = self.named[key]
        same = "" if first == name else f", the same as '{first}' once spaces and capitals are ignored"
        self.problem(cell.where, f"a second row named {shown(name)}{same} (the first is {place})",
                     hint="names must be unique: merge the two rows, or rename one")
        return False

    def note_row(self, steps: list[Step], where: str) -> None:
        """Remember where an item's row is (first one wins), for the comment above it in the YAML."""
        self.rows.setdefault(tuple(steps), where)


def _texts(value: Any):
    """The text in ``value``: itself, or the keys and values of a mapping (a row's years)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _texts(item)
