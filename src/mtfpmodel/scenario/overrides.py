"""``--set PATH=VALUE``: change one value of a loaded scenario before it is validated.

The path is the one ``mtfp paths`` lists (``assumptions.pay``,
``savings[LED street lighting].reduction``); the value is read as YAML, with the limits of a
scenario file (finite numbers, no control characters). The changed value's line mark becomes
``--set``, so a value wrong for its field is reported against ``--set``, not a line of the file.
"""
from __future__ import annotations

import difflib
import math
import re
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from mtfpmodel.scenario.errors import ScenarioError, UsageError
from mtfpmodel.scenario.limits import MAX_PROBLEMS, clip, shown, text_problem
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.yamlfile import Where, YamlSyntaxError, parse_yaml


def apply_overrides(data: dict, where: Where, overrides: list[str] | tuple[str, ...]) -> tuple[dict, Where]:
    """Return a copy of ``data`` with each ``PATH=VALUE`` applied (VALUE is read as YAML).

    What ``--set`` cannot use is a UsageError naming it: no '=', an empty or malformed path, an
    empty value, a value that is not finite or breaks a file limit, a path that leads nowhere
    (naming the closest match) or that names a whole item or group rather than one value. A
    value that is wrong for its field is reported by validation, located at ``--set``.
    """
    import copy

    data = copy.deepcopy(data)
    problems = []
    given: dict[str, int] = {}              # path as mtfp paths writes it → which --set gave it
    for n, text in enumerate(overrides):
        path, sep, value_text = text.partition("=")
        name = clip(path.strip())
        if not sep or not path.strip():
            problems.append(f"--set {shown(text)}: expected PATH=VALUE (e.g. --set assumptions.pay=3.5%)")
            continue
        if not value_text.strip():
            problems.append(f"--set {name}: no value after '=' (e.g. --set {name}=3.5%)")
            continue
        try:
            steps = parse_path(path.strip())
            first = given.setdefault(path_text(steps), n)
            if first != n:                  # the last would win without a word, both shown as applied
                raise ValueError(f"given twice (--set {clip(overrides[first], 80)} and --set {clip(text, 80)}); "
                                 "give each path once")
            value = _override_value(value_text)
            set_path(data, where, steps, value)
        except (KeyError, ValueError) as exc:
            problems.append(f"--set {name}: {exc.args[0]}")
    if problems:
        raise UsageError("\n".join(problems[:MAX_PROBLEMS]))
    return data, where


def _override_value(text: str) -> Any:
    """The value of ``--set PATH=TEXT``: TEXT read as YAML, or the text itself if it is not YAML.

    Raise ValueError for a value no scenario may hold (not finite, a control character...).
    """
    reason = text_problem(text)       # before YAML reads it: an argument that is not UTF-8 (a lone surrogate)
    if reason:
        raise ValueError(reason)
    try:
        value, _ = parse_yaml(text, "--set")
    except YamlSyntaxError:
        value = text
    except ScenarioError as exc:
        raise ValueError(exc.problems[0].message) from None
    if isinstance(value, str):
        reason = text_problem(value)
        if reason:
            raise ValueError(reason)
        try:
            number = float(value.strip().removesuffix("%"))
        except ValueError:
            return value
        if not math.isfinite(number):
            raise ValueError(f"{shown(value)} is not a finite number")
    return value


_STEP = re.compile(r"\.?([^.\[\]]+)|\[([^\[\]]+)\]")


def parse_path(text: str) -> list[str | tuple[str]]:
    """'savings[LED street lighting].reduction' → ['savings', ('LED street lighting',), 'reduction'].

    Raise KeyError for anything else: an empty step ('..', 'a..b', 'a.', '[]'), an unclosed '['.
    """
    steps: list[str | tuple[str]] = []
    at = 0
    while at < len(text):
        match = _STEP.match(text, at)
        if match is None or (at == 0 and text.startswith(".")):
            raise KeyError(f"{shown(text)} is not a path such as assumptions.pay or "
                           "'expenditure[Adult social care].demand' (see mtfp paths SCENARIO)")
        steps.append(match.group(1) if match.group(1) is not None else (match.group(2),))
        at = match.end()
    if not steps or isinstance(steps[0], tuple):
        raise KeyError(f"{shown(text)} is not a path such as assumptions.pay (see mtfp paths SCENARIO)")
    return steps


def set_paths(overrides: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """(path as ``mtfp paths`` writes it, the whole argument) of each ``PATH=VALUE`` that
    :func:`apply_overrides` has applied."""
    return [(path_text(parse_path(text.partition("=")[0].strip())), text) for text in overrides]


def set_path(data: dict, where: Where, steps: list, value: Any) -> None:
    node, mark = data, where
    for n, step in enumerate(steps):
        last = n == len(steps) - 1
        if isinstance(step, tuple):
            if not isinstance(node, list):
                raise KeyError("only lists of named items can be addressed with [name]")
            names = [item.get("name") if isinstance(item, dict) else None for item in node]
            if step[0] not in names:
                close = difflib.get_close_matches(step[0], [str(x) for x in names if x is not None], n=1)
                raise KeyError(f"no item named {shown(step[0])}" + (f" (did you mean '{close[0]}'?)" if close else ""))
            index = names.index(step[0])
            if last:
                _check_whole(node[index], value, steps)
                node[index] = value
                mark.children[index] = Where("--set", 0)
                return
            node, mark = node[index], mark.children.get(index, mark)
            continue
        if not isinstance(node, dict):
            raise KeyError(f"cannot go into '{step}' here")
        if step not in node:
            _check_new_key(steps[:n], step, node)
        if last:
            existing = node.get(step)
            _check_whole(existing, value, steps)
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


def _check_whole(existing: Any, value: Any, steps: list) -> None:
    """Raise KeyError when a single value would replace a whole item, group or list of items."""
    if isinstance(value, (dict, list)):
        return
    if isinstance(existing, dict) and "value" not in existing and not all(_YEAR_KEY.match(str(k)) for k in existing):
        keys = [str(k) for k in existing if k != "name"]
        numbers = [str(k) for k, v in existing.items()
                   if not isinstance(v, (bool, dict, list)) and any(ch.isdigit() for ch in str(v))]
        example = f"{path_text(steps)}.{(numbers or keys)[0]}" if keys else path_text(steps)
        raise KeyError(f"this names a whole {'item' if isinstance(steps[-1], tuple) else 'group'} "
                       f"({clip(', '.join(keys), 80)}), not one value; set one of them, e.g. --set {clip(example, 80)}=...")
    if isinstance(existing, list) and any(isinstance(item, dict) for item in existing):
        raise KeyError("this names a whole list of items, not one value; set one item's value, "
                       f"e.g. --set {clip(path_text(steps), 60)}[NAME].FIELD=...")


def path_text(steps: list) -> str:
    """Steps as the path ``mtfp paths`` writes: ['savings', ('LED',), 'reduction'] → 'savings[LED].reduction'."""
    return "".join(f"[{s[0]}]" if isinstance(s, tuple) else (f".{s}" if i else s) for i, s in enumerate(steps))


_YEAR_KEY = re.compile(r"^\d{4}/\d{2}$")
_OPEN_MAPPINGS = ("cost_mix", "increase", "rag_confidence", "grant_confidence", "pay_from")   # keys chosen by the user, checked by validation


def _check_new_key(parents: list, key: str, node: dict) -> None:
    """A key --set adds must be an assumption that exists, or a field the schema knows."""
    if parents == ["assumptions"]:
        close = difflib.get_close_matches(key, [str(k) for k in node], n=1)
        raise KeyError(f"no assumption named '{key}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    if parents[-1:] and parents[-1] in _OPEN_MAPPINGS:
        return
    if key not in field_names():
        close = difflib.get_close_matches(key, sorted(field_names()), n=1)
        raise KeyError(f"unknown key {shown(key)}" + (f" (did you mean '{close[0]}'?)" if close else ""))


_PLACES: dict[str, list[str]] = {}


def field_names() -> set[str]:
    """Every key any scenario model accepts: the vocabulary for 'did you mean'."""
    return set(field_places())


def field_places() -> dict[str, list[str]]:
    """Where each key any scenario model accepts is written, in the spec's spelling, walked once
    from the schema: 'band_d' → ['funding.council_tax'], 'reduction' → ['savings[] (kind:
    share_of_line)'], 'growth' → ['expenditure[].volume', 'funding.council_tax.parish_precepts', ...]."""
    if not _PLACES:
        _walk_places(Scenario, "", frozenset())
    return _PLACES


def _walk_places(annotation: Any, place: str, seen: frozenset) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen = seen | {annotation}
        kind = annotation.model_fields.get("kind")
        tag = get_args(kind.annotation) if kind is not None and get_origin(kind.annotation) is Literal else ()
        here = f"{place} (kind: {tag[0]})" if len(tag) == 1 else place or "the top level"
        for name, info in annotation.model_fields.items():
            places = _PLACES.setdefault(name, [])
            if here not in places:
                places.append(here)
            _walk_places(info.annotation, f"{place}.{name}" if place else name, seen)
    elif get_origin(annotation) is list:
        _walk_places(get_args(annotation)[0], f"{place}[]", seen)
    elif get_origin(annotation) is dict:
        _walk_places(get_args(annotation)[1], f"{place}.<name>", seen)
    else:
        for arg in get_args(annotation):
            _walk_places(arg, place, seen)
