"""Read a YAML file safely, keeping the file and line of every value.

The document comes back as plain Python data (dicts, lists, str, int, float, bool, None)
plus a parallel tree of :class:`Where` marks, so a validation error deep in the data can
name the line it came from. Only the plain YAML types are accepted: any tag (``!!python/...``,
``!custom``) is an error, and so is a key given twice in one mapping, which ``safe_load``
would silently resolve by keeping the last.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mtfpmodel.scenario.errors import Problem, ScenarioError

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


@dataclass
class Where:
    """Where a value was written: file and 1-based line, with marks for its children."""

    file: str
    line: int
    children: dict[Any, "Where"] = field(default_factory=dict)

    def locate(self, *keys) -> tuple[str, int]:
        """(file, line) of the value at ``keys`` below this one, or of its nearest parent given."""
        where = self
        for key in keys:
            where = where.children.get(key, where)
        return where.file, where.line


def locate(where: Where | None, *keys) -> tuple[str | None, int | None]:
    """(file, line) of the value at ``keys`` below ``where``; (None, None) without marks."""
    return where.locate(*keys) if where is not None else (None, None)


def read_yaml(path: Path, display: str | None = None) -> tuple[Any, Where]:
    """Load ``path``; return (data, marks). Raise ScenarioError naming file and line."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem("file not found", file=shown,
                                     hint="check the path and spelling")]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem("is a folder, not a scenario file", file=shown)]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(f"not a text file ({exc.reason})", file=shown,
                                     hint="save the scenario as UTF-8 text")]) from None
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Any, Where]:
    """Parse YAML text into (data, marks); ``shown`` is the file name used in messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "malformed YAML"
        raise ScenarioError([Problem(f"not valid YAML: {reason}", file=shown, line=line,
                                     hint="check indentation, colons and quotes")]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(f"not valid YAML: {exc}", file=shown)]) from None
    if node is None:
        raise ScenarioError([Problem("the file is empty", file=shown,
                                     hint="a scenario needs at least 'scenario:' and 'base_year:'")])
    problems: list[Problem] = []
    data, where = _build(node, shown, problems)
    if problems:
        raise ScenarioError(problems)
    return data, where


def _build(node: yaml.Node, shown: str, problems: list[Problem], path: str = "") -> tuple[Any, Where]:
    """Build the value of ``node``; ``path`` is its dotted field path, for messages."""
    where = Where(shown, node.start_mark.line + 1)
    if node.tag not in _PLAIN_TAGS:
        problems.append(Problem(f"YAML tag {_short_tag(node.tag)!r} is not allowed", file=shown,
                                line=where.line, path=path,
                                hint="a scenario holds plain values only: remove the '!' tag"))
        return None, where
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key, _ = _build(key_node, shown, problems, path)
            if isinstance(key, (list, dict)):
                problems.append(Problem("a key must be a plain word", file=shown,
                                        line=key_node.start_mark.line + 1, path=path))
                continue
            key = str(key) if not isinstance(key, str) else key
            child = f"{path}.{key}" if path else key
            if key in out:
                problems.append(Problem(f"key {key!r} is given twice in this mapping",
                                        file=shown, line=key_node.start_mark.line + 1, path=child,
                                        hint=f"first given at line {where.children[key].line}"))
                continue
            out[key], where.children[key] = _build(value_node, shown, problems, child)
        return out, where
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item_node in enumerate(node.value):
            value, where.children[i] = _build(item_node, shown, problems, f"{path}[{_item_name(item_node, i)}]")
            items.append(value)
        return items, where
    if node.tag.endswith(":timestamp"):
        return node.value, where
    return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node), where


def _item_name(node: yaml.Node, index: int) -> str:
    """A list item's ``name:`` if it is a mapping that has a plain one, else its index."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "name" and isinstance(value_node, yaml.ScalarNode):
                return value_node.value
    return str(index)


def _short_tag(tag: str) -> str:
    """'tag:yaml.org,2002:python/object' → '!!python/object', as it was written."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


_CONSTRUCTOR = yaml.SafeLoader("")
