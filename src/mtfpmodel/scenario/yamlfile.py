"""Read a YAML file safely, keeping the file and line of every value.

The document comes back as plain Python data (dicts, lists, str, int, float, bool, None)
plus a parallel tree of :class:`Where` marks, so a validation error deep in the data can
name the line it came from. Only the plain YAML types are accepted: any tag (``!!python/...``,
``!custom``) is an error, and so is a key given twice in one mapping, which ``safe_load``
would silently resolve by keeping the last. A file that breaks a limit of
:mod:`mtfpmodel.scenario.limits` (too large, nested too deep, an alias bomb, a number too long
or not finite, a control character in a text) is refused with the line it is on.
"""
from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from mtfpmodel.scenario.errors import Problem, ScenarioError
from mtfpmodel.scenario.limits import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_NODES,
    check_number,
    clip,
    text_problem,
)
from mtfpmodel.scenario.names import name_key

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)      # libyaml when present: the same rules, faster
_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"

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
    return parse_yaml(read_text(path, shown), shown)


def file_problem(path: Path, kind: str = "scenario", wanted: str = ".yaml file",
                 limit: int = MAX_BYTES) -> Problem | None:
    """Why ``path`` cannot be read as a ``kind`` file (missing, a folder, a pipe, larger than
    ``limit`` bytes...), or None; a hint names the ``wanted`` file instead.

    The Problem has no file: the caller says where the name was given.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Problem("file not found", hint="check the path and spelling")
    except (OSError, ValueError) as exc:      # a symlink loop, a name too long, a NUL in the name
        return Problem(f"cannot be opened ({_reason(exc)})", hint="check the path")
    if stat.S_ISDIR(info.st_mode):
        return Problem(f"is a folder, not a {kind} file", hint=f"name the {wanted} inside it")
    if not stat.S_ISREG(info.st_mode):
        return Problem("is not a regular file (a device, pipe or socket)", hint=f"name a {wanted}")
    if info.st_size > limit:
        return Problem(f"the file is {info.st_size / 2**20:,.1f} MiB, too large for a {kind} "
                       f"(at most {limit // 2**20} MiB)", hint="is this the right file?")
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:               # bytes the system could not decode: outputs name the file
        return Problem("the file's name is not UTF-8 text, so the outputs that name it could not be saved",
                       hint="rename the file (letters such as £ or é typed again)")
    return None


def real_path(path: Path) -> Path | None:
    """The absolute path with every link followed; None for a link that loops."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):   # RuntimeError: a symlink loop (Python 3.11)
        return None


def read_text(path: Path, shown: str) -> str:
    """The text of a scenario file, within the size limit; ScenarioError naming ``shown`` if not."""
    problem = file_problem(path)
    if problem is None:
        try:
            with open(path, "rb") as stream:
                raw = stream.read(MAX_BYTES + 1)
        except OSError as exc:
            problem = Problem(f"cannot be read ({_reason(exc)})", hint="check the file's permissions")
        else:
            problem = _text_problem(raw)
    if problem is not None:
        raise ScenarioError([replace(problem, file=shown)])
    return raw.decode("utf-8")


def _legacy(byte: int) -> str:
    """What ``byte`` is in Windows-1252, the usual encoding of a file that is not UTF-8 ('£' is 0xA3)."""
    try:
        character = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return ""
    return f" is '{character}' in Windows-1252, the encoding the file was probably saved in" \
        if character.isprintable() and not character.isspace() else ""


def _utf16(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-16 text: a byte-order mark, or a NUL beside every character of
    plain ASCII text (with or without the mark), and it decodes."""
    sample = raw[:4096]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif sample[1::2].count(0) > 0.9 * len(sample[1::2]):
        encoding = "utf-16-le"
    elif sample[0::2].count(0) > 0.9 * len(sample[0::2]):
        encoding = "utf-16-be"
    else:
        return False
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _text_problem(raw: bytes) -> Problem | None:
    if len(raw) > MAX_BYTES:
        return Problem(f"the file is larger than {MAX_BYTES // 2**20} MiB, too large for a scenario")
    if b"\0" in raw:
        if _utf16(raw):
            return Problem("saved as UTF-16 text (Notepad's 'Unicode'), not UTF-8",
                           hint="save the scenario as UTF-8: Save As, with the encoding UTF-8")
        return Problem("not a text file (it holds NUL bytes)", hint="save the scenario as UTF-8 text")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Problem(f"not UTF-8 text: byte 0x{raw[exc.start]:02X} at column {column}{_legacy(raw[exc.start])}",
                       line=line, hint="save the scenario as UTF-8: Save As, with the encoding UTF-8")
    return None


def _reason(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


class YamlSyntaxError(ScenarioError):
    """The text is not YAML (as opposed to YAML holding a value a scenario cannot take)."""


def parse_yaml(text: str, shown: str) -> tuple[Any, Where]:
    """Parse YAML text into (data, marks); ``shown`` is the file name used in messages."""
    if len(text) > MAX_BYTES:
        raise ScenarioError([Problem(f"{len(text):,} characters is too large for a scenario", file=shown)])
    try:
        _check_shape(text, shown)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "malformed YAML"
        hint = "check indentation, colons and quotes"
        lines = text.splitlines()
        if line and line <= len(lines) and len(lines[line - 1].split(":", 1)[0]) > MAX_KEY:
            hint = f"a key may be at most {MAX_KEY:,} characters before its ':'; this line's key is longer"
        raise YamlSyntaxError([Problem(f"not valid YAML: {clip(reason, 200)}", file=shown, line=line,
                                       hint=hint)]) from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        reason = str(exc).splitlines()[0] if str(exc) else "malformed YAML"
        raise YamlSyntaxError([Problem(f"not valid YAML: {clip(reason, 200)}", file=shown, line=line,
                                       hint="remove the control character" if line else "")]) from None
    if node is None:
        raise ScenarioError([Problem("the file is empty", file=shown,
                                     hint="a scenario needs at least 'scenario:', 'base_year:', 'expenditure:' "
                                          "and 'funding:'; 'mtfp new FILE' writes a starter")])
    problems: list[Problem] = []
    data, where = _build(node, shown, problems)
    if problems:
        raise ScenarioError(problems)
    return data, where


def _check_shape(text: str, shown: str) -> None:
    """Refuse, from the parser's events and before building anything, a document nested deeper
    than MAX_DEPTH or holding more than MAX_NODES values, counting what each alias stands for.

    Memory stays bounded: events stream past and only a count and height per anchor are kept.
    """
    count = 0
    open_: list[list] = []                  # per open collection: [anchor, count before it, tallest child]
    size: dict[str, tuple[int, int]] = {}   # anchor → (values, height) of what it names

    def fail(message: str, event, hint: str) -> None:
        raise ScenarioError([Problem(message, file=shown, line=event.start_mark.line + 1, hint=hint)])

    def child(height: int, event) -> None:
        if len(open_) + height > MAX_DEPTH:
            fail(f"nested more than {MAX_DEPTH} levels deep", event,
                 "a scenario needs a few levels; check the indentation and brackets")
        if open_:
            open_[-1][2] = max(open_[-1][2], height)

    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            count += 1
            child(1, event)
            open_.append([event.anchor, count - 1, 0])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, before, tallest = open_.pop()
            if anchor is not None:
                size[anchor] = (count - before, tallest + 1)
            if open_:
                open_[-1][2] = max(open_[-1][2], tallest + 1)
        elif isinstance(event, yaml.ScalarEvent):
            count += 1
            child(0, event)
            if event.anchor is not None:
                size[event.anchor] = (1, 0)
        elif isinstance(event, yaml.AliasEvent):
            if any(entry[0] == event.anchor for entry in open_):
                fail(f"the alias *{clip(event.anchor, 40)} refers to a value that contains it (a loop)", event,
                     "write the values out instead of using the alias")
            values, height = size.get(event.anchor, (1, 0))
            count += values
            child(height, event)
        if count > MAX_NODES:
            fail(f"more than {MAX_NODES:,} values" + (" once its aliases (*name) are expanded" if size else ""),
                 event, "a scenario holds a few thousand values at most; is this the right file?")


def _build(node: yaml.Node, shown: str, problems: list[Problem], path: str = "") -> tuple[Any, Where]:
    """Build the value of ``node``; ``path`` is its dotted field path, for messages."""
    where = Where(shown, node.start_mark.line + 1)

    def problem(message: str, hint: str = "") -> tuple[None, Where]:
        problems.append(Problem(message, file=shown, line=where.line, path=path, hint=hint))
        return None, where

    if node.tag == _MERGE:
        return problem("merge keys ('<<') are not supported", "write the keys out in full")
    if node.tag not in _PLAIN_TAGS:
        return problem(f"YAML tag {_short_tag(node.tag)!r} is not allowed",
                       "a scenario holds plain values only: remove the '!' tag")
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        seen: dict[str, str] = {}            # each key as compared (spaces trimmed, case ignored) → as written
        for key_node, value_node in node.value:
            key, _ = _build(key_node, shown, problems, path)
            if isinstance(key, (list, dict)):
                problems.append(Problem("a key must be a plain word", file=shown,
                                        line=key_node.start_mark.line + 1, path=path))
                continue
            if key is None and key_node.tag != _NULL:
                continue                     # a key refused above
            key = str(key) if not isinstance(key, str) else key
            child = f"{path}.{key}" if path else key
            if key in out:
                problems.append(Problem(f"key {shown_text(key)} is given twice in this mapping",
                                        file=shown, line=key_node.start_mark.line + 1, path=child,
                                        hint=f"first given at line {where.children[key].line}"))
                continue
            same = seen.get(name_key(key))
            if same is not None:             # 'Pay' beside 'pay', ' 2025/26' beside '2025/26'
                problems.append(Problem(f"key {shown_text(key)} is given twice in this mapping",
                                        file=shown, line=key_node.start_mark.line + 1, path=child,
                                        hint=f"first given as {shown_text(same)} at line {where.children[same].line}; "
                                             "keys are compared with spaces trimmed and case ignored"))
                continue
            seen[name_key(key)] = key
            out[key], where.children[key] = _build(value_node, shown, problems, child)
            if key in NAME_KEYS and isinstance(out[key], str) and (wrong := name_problem(out[key])):
                problems.append(Problem(wrong, file=shown, line=where.children[key].line,
                                        path=child, hint="remove it: a name is shown on one line, in headings, "
                                                         "tables and files"))
        return out, where
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item_node in enumerate(node.value):
            value, where.children[i] = _build(item_node, shown, problems, f"{path}[{_item_name(item_node, i)}]")
            items.append(value)
        return items, where
    return _scalar(node, problem), where


def _scalar(node: yaml.ScalarNode, problem) -> Any:
    """The value of a plain scalar, or None after recording why it cannot be one."""
    kind = node.tag.rpartition(":")[2]
    if kind == "timestamp":
        return node.value
    if kind == "int" and len(node.value.lstrip("+-").replace("_", "")) > MAX_DIGITS:
        problem(f"an integer of {len(node.value):,} digits is too long to read; at most {MAX_DIGITS} digits",
                "check the number; amounts are in the scenario unit")
        return None
    try:
        value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
    except (ArithmeticError, LookupError, TypeError, ValueError, yaml.YAMLError):
        problem(f"{shown_text(node.value)} is not a valid !!{kind}", "remove the '!!' tag or fix the value")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            check_number(value)
        except ValueError as exc:
            problem(str(exc))
            return None
    elif isinstance(value, str):
        reason = text_problem(value)
        if reason:
            problem(reason)
            return None
    return value


MAX_KEY = 1024        # characters of a plain key YAML reads (a longer one is "could not find expected ':'")
NAME_KEYS = ("name", "scenario", "council")      # texts shown as one line: in headings, table rows, file rows


_BREAKS = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return"}


def _unseen(char: str) -> bool:
    """A tab, a line break, or an invisible character that changes how the text around it shows
    (Unicode's format characters, such as a right-to-left override or a zero-width space)."""
    return char in _BREAKS or unicodedata.category(char) in ("Cf", "Zl", "Zp")


def name_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name (it holds a character :func:`_unseen` finds), or None."""
    for char in text:
        if _unseen(char):
            what = _BREAKS.get(char) or f"U+{ord(char):04X} ({unicodedata.name(char, 'a format character').lower()})"
            return f"a name must be one line of visible text; this one holds {what}"
    return None


def escaped(text: str) -> str:
    """``text`` with the characters :func:`_unseen` finds written as escapes, for a message."""
    return "".join(repr(c)[1:-1] if c in _BREAKS else f"\\u{ord(c):04x}" if _unseen(c) else c for c in text)


def shown_text(value: Any) -> str:
    """A value quoted for a message, cut short when long."""
    return clip(repr(value))


def _item_name(node: yaml.Node, index: int) -> str:
    """A list item's ``name:`` if it is a mapping that has a plain one, else its index."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "name" and isinstance(value_node, yaml.ScalarNode):
                return escaped(value_node.value)
    return str(index)


def _short_tag(tag: str) -> str:
    """'tag:yaml.org,2002:python/object' → '!!python/object', as it was written."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


_CONSTRUCTOR = yaml.SafeLoader("")
