"""Load a scenario file: YAML → ``extends`` chain → ``--set`` overrides → validated Scenario.

Every problem is reported together, each naming file, line and field path, and pydantic's
messages are translated into plain words with a hint. Nothing here computes money.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from mtfpmodel.scenario.errors import Problem, ScenarioError, UsageError
from mtfpmodel.scenario.merge import merge
from mtfpmodel.scenario.names import DuplicateName
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.series import SeriesContext, check_year_label, parse_rate, year_labels
from mtfpmodel.scenario.streams import KIND_NAMES
from mtfpmodel.scenario.yamlfile import Where, parse_yaml, read_yaml


@dataclass(frozen=True)
class Loaded:
    """A validated scenario with where it came from."""

    scenario: Scenario
    path: Path
    data: dict                      # the merged document, as validated
    where: Where                    # line marks for ``data``
    overrides: tuple[str, ...] = field(default_factory=tuple)   # the --set PATH=VALUE given


def load(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Loaded:
    """Read, merge and validate the scenario at ``path``; apply ``PATH=VALUE`` overrides."""
    path = Path(path)
    data, where = _read_chain(path, ())
    if overrides:
        data, where = apply_overrides(data, where, overrides)
    return validate(data, where, path, tuple(overrides))


def validate(data: Any, where: Where, path: Path, overrides: tuple[str, ...] = ()) -> Loaded:
    """Validate merged scenario data; raise ScenarioError listing every problem."""
    if not isinstance(data, dict):
        raise ScenarioError([Problem("a scenario must be a mapping of keys such as 'scenario:' and "
                                     "'base_year:'", file=where.file, line=where.line)])
    try:
        scenario = Scenario.model_validate(data, context=validation_context(data))
    except ValidationError as exc:
        raise ScenarioError(translate(exc, data, where)) from None
    return Loaded(scenario, path, data, where, overrides)


def _read_chain(path: Path, seen: tuple[Path, ...], shown: str | None = None) -> tuple[Any, Where]:
    shown = shown or str(path)          # the path as the user would write it, for messages
    data, where = read_yaml(path, shown)
    if not isinstance(data, dict) or "extends" not in data:
        return data, where
    target = data.pop("extends")
    mark = where.children.pop("extends")
    if not isinstance(target, str) or not target.strip():
        raise ScenarioError([Problem("must be the file name of the scenario to start from", file=shown,
                                     line=mark.line, path="extends")])
    parent_path = (path.parent / target).resolve()
    chain = seen + (path.resolve(),)
    if parent_path in chain:
        loop = " → ".join(p.name for p in chain + (parent_path,))
        raise ScenarioError([Problem(f"extends makes a cycle: {loop}", file=shown, line=mark.line,
                                     path="extends", hint="a scenario cannot extend itself, even indirectly")])
    if not parent_path.is_file():
        raise ScenarioError([Problem(f"extends '{target}', but there is no such file ({parent_path})",
                                     file=shown, line=mark.line, path="extends",
                                     hint="the path is relative to this scenario's folder")])
    parent, pwhere = _read_chain(parent_path, chain, os.path.normpath(Path(shown).parent / target))
    if not isinstance(parent, dict):
        raise ScenarioError([Problem("the scenario it extends is not a mapping", file=shown,
                                     line=mark.line, path="extends")])
    problems: list[Problem] = []
    merged = merge(parent, pwhere, data, where, problems)
    if problems:
        raise ScenarioError(problems)
    return merged


def validation_context(data: dict) -> dict:
    """Names the validators need: projection years, assumptions, lines and their cost mixes."""
    years = data.get("years", 4)
    years = years if isinstance(years, int) and not isinstance(years, bool) and 1 <= years <= 20 else 4
    try:
        labels = year_labels(check_year_label(data.get("base_year")), years)
    except ValueError:
        labels = tuple(f"year {t}" for t in range(1, years + 1))
    assumptions = data.get("assumptions")
    names = frozenset(str(k) for k in assumptions) if isinstance(assumptions, dict) else frozenset()
    lines = {}
    for item in data.get("expenditure") or []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            mix = item.get("cost_mix")
            lines[item["name"]] = set(mix) if isinstance(mix, dict) else {"none"}
    return {"series": SeriesContext(labels, names), "assumptions": names, "lines": lines,
            "borrowing_rate": isinstance(data.get("capital_financing"), dict), **driver_context(data)}


def driver_context(data: dict) -> dict:
    """Workforce group names, the shares of each group lines carry, and the volume-driven lines."""
    workforce = data.get("workforce")
    groups = None
    if isinstance(workforce, dict):
        groups = frozenset(g["name"] for g in workforce.get("groups") or []
                           if isinstance(g, dict) and isinstance(g.get("name"), str))
    shares: dict[str, list[tuple[str, float]]] = {}
    volume_lines = set()
    for item in data.get("expenditure") or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        if item.get("volume") is not None:
            volume_lines.add(item["name"])
        pay_from = item.get("pay_from")
        for group, share in (pay_from.items() if isinstance(pay_from, dict) else ()):
            try:
                shares.setdefault(str(group), []).append((item["name"], parse_rate(share)))
            except ValueError:
                continue            # reported where it is written
    return {"groups": groups, "pay_shares": shares, "volume_lines": volume_lines}


# --- translating pydantic errors ------------------------------------------------------------

def translate(exc: ValidationError, data: Any, where: Where) -> list[Problem]:
    """One Problem per pydantic error, with file, line, dotted path and a plain message."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        if isinstance((error.get("ctx") or {}).get("error"), DuplicateName):
            loc = loc + (error["ctx"]["error"].index,)      # point at the second item, not the list
        if error["type"] == "union_tag_invalid":
            loc = loc + ("kind",)                            # point at the kind: that is wrong
        steps, node, mark = _walk(loc, data, where, error["type"])
        message, hint = _message(error, steps)
        problems.append(Problem(message, file=mark.file, line=mark.line or None,   # 0: given by --set
                                path=_dotted(steps, data), hint=hint))
    return sorted(set(problems), key=lambda p: (p.file or "", p.line or 0, p.path))


def _walk(loc: tuple, data: Any, where: Where, kind: str) -> tuple[list, Any, Where]:
    """Follow a pydantic loc through the data, skipping union tags pydantic inserts."""
    steps: list = []
    node, mark = data, where
    for i, key in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and key in node:
            node, mark = node[key], where_child(mark, key)
            steps.append(key)
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node, mark = node[key], where_child(mark, key)
            steps.append(key)
        elif last and kind == "missing":
            steps.append(key)
    return steps, node, mark


def where_child(mark: Where, key: Any) -> Where:
    return mark.children.get(key, mark)


def _dotted(steps: list, data: Any) -> str:
    """Path in the spec's spelling: funding.grants[Revenue Support Grant].growth."""
    text, node = "", data
    for step in steps:
        if isinstance(step, int) and isinstance(node, list):
            item = node[step]
            name = item.get("name") if isinstance(item, dict) else None
            text += f"[{name}]" if isinstance(name, str) else f"[{step}]"
            node = item
        else:
            text += ("." if text else "") + str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return text


_ALL_FIELDS: set[str] = set()


def _field_names() -> set[str]:
    """Every key any scenario model accepts: the vocabulary for 'did you mean'."""
    if not _ALL_FIELDS:
        todo: list[Any] = [Scenario]
        seen: set[type] = set()
        while todo:
            item = todo.pop()
            if isinstance(item, type) and issubclass(item, BaseModel):
                if item not in seen:
                    seen.add(item)
                    _ALL_FIELDS.update(item.model_fields)
                    todo.extend(info.annotation for info in item.model_fields.values())
            else:
                todo.extend(get_args(item))
    return _ALL_FIELDS


def _message(error: dict, steps: list) -> tuple[str, str]:
    kind, msg = error["type"], error["msg"]
    name = steps[-1] if steps else ""
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(name), sorted(_field_names()), n=1)
        return (f"unknown key '{name}'",
                f"did you mean '{close[0]}'?" if close else "remove it, or check its indentation")
    if kind == "missing" and name == "kind" and "reserves" in steps[:1]:
        return "a reserve needs 'kind:'", "add 'kind: general' or 'kind: earmarked'"
    if kind == "missing":
        return "required key is missing", f"add '{name}:'"
    if kind == "union_tag_invalid":
        return (f"unknown kind {error['input'].get('kind')!r}",
                f"use one of: {', '.join(KIND_NAMES)}")
    if kind == "union_tag_not_found":
        return "a savings stream needs 'kind:'", f"one of: {', '.join(KIND_NAMES)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of keys, not {error['input']!r}", "indent the keys under it"
    if kind == "list_type":
        return f"must be a list, not {error['input']!r}", "write items on lines starting with '- '"
    if kind == "literal_error":
        return f"{error['input']!r} is not allowed", msg.replace("Input should be", "use")
    if kind in ("string_type",):
        return f"must be text, not {error['input']!r}", ""
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, not {error['input']!r}", ""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {error['input']!r}", ""
    if kind.startswith(("greater_than", "less_than")):
        return f"{error['input']!r} is out of range", msg.replace("Input should be", "it must be")
    if kind in ("too_short",) and isinstance(error.get("input"), list):
        return "must have at least one item", ""
    text = msg.removeprefix("Value error, ")
    if text.endswith(")") and " (" in text:
        head, _, tail = text.rpartition(" (")
        return head, tail[:-1]
    return text, ""


# --- --set PATH=VALUE --------------------------------------------------------------------------

def apply_overrides(data: dict, where: Where, overrides: list[str] | tuple[str, ...]) -> tuple[dict, Where]:
    """Return a copy of ``data`` with each ``PATH=VALUE`` applied (VALUE is read as YAML).

    A path that leads nowhere (a misspelt key, item or assumption) is a UsageError naming the
    closest match; a value that is wrong for its field is reported by validation, at ``--set``.
    """
    import copy

    data = copy.deepcopy(data)
    problems = []
    for text in overrides:
        path, sep, value_text = text.partition("=")
        if not sep or not path.strip():
            problems.append(f"--set {text!r}: expected PATH=VALUE (e.g. --set assumptions.pay=3.5%)")
            continue
        try:
            value, _ = parse_yaml(value_text, "--set")
        except ScenarioError:
            value = value_text
        try:
            set_path(data, where, parse_path(path.strip()), value)
        except KeyError as exc:
            problems.append(f"--set {path.strip()}: {exc.args[0]}")
    if problems:
        raise UsageError("\n".join(problems))
    return data, where


def parse_path(text: str) -> list[str | tuple[str]]:
    """'savings[LED street lighting].reduction' → ['savings', ('LED street lighting',), 'reduction']."""
    steps: list[str | tuple[str]] = []
    i = 0
    while i < len(text):
        if text[i] == "[":
            end = text.find("]", i)
            if end < 0:
                raise KeyError(f"unclosed '[' in {text!r}")
            steps.append((text[i + 1:end],))
            i = end + 1
        elif text[i] == ".":
            i += 1
        else:
            j = i
            while j < len(text) and text[j] not in ".[":
                j += 1
            steps.append(text[i:j])
            i = j
    return steps


def set_path(data: dict, where: Where, steps: list, value: Any) -> None:
    node, mark = data, where
    for n, step in enumerate(steps):
        last = n == len(steps) - 1
        if isinstance(step, tuple):
            if not isinstance(node, list):
                raise KeyError("only lists of named items can be addressed with [name]")
            names = [item.get("name") for item in node if isinstance(item, dict)]
            if step[0] not in names:
                close = difflib.get_close_matches(step[0], [str(x) for x in names], n=1)
                raise KeyError(f"no item named '{step[0]}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
            index = names.index(step[0])
            if last:
                node[index] = value
                return
            node, mark = node[index], mark.children.get(index, mark)
            continue
        if not isinstance(node, dict):
            raise KeyError(f"cannot go into '{step}' here")
        if step not in node:
            _check_new_key(steps[:n], step, node)
        if last:
            existing = node.get(step)
            if isinstance(existing, dict) and "value" in existing and not isinstance(value, dict):
                existing = dict(existing, value=value)
                node[step] = existing
            else:
                node[step] = value
            mark.children[step] = Where("--set", 0)
            return
        if step not in node:
            node[step] = {}
            mark.children[step] = Where("--set", 0)
        node, mark = node[step], mark.children.get(step, mark)


_OPEN_MAPPINGS = ("cost_mix", "increase", "rag_confidence", "pay_from")   # keys chosen by the user, checked by validation


def _check_new_key(parents: list, key: str, node: dict) -> None:
    """A key --set adds must be an assumption that exists, or a field the schema knows."""
    if parents == ["assumptions"]:
        close = difflib.get_close_matches(key, [str(k) for k in node], n=1)
        raise KeyError(f"no assumption named '{key}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    if parents[-1:] and parents[-1] in _OPEN_MAPPINGS:
        return
    if key not in _field_names():
        close = difflib.get_close_matches(key, sorted(_field_names()), n=1)
        raise KeyError(f"unknown key '{key}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
