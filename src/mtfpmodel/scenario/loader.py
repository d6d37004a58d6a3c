"""Load a scenario file: YAML → ``extends`` chain → ``--set`` overrides → validated Scenario.

Every problem is reported together, each naming file, line and field path, and pydantic's
messages are translated into plain words with a hint. Nothing here computes money. The
``--set`` overrides live in :mod:`mtfpmodel.scenario.overrides`.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mtfpmodel.scenario.errors import Problem, ScenarioError
from mtfpmodel.scenario.limits import MAX_EXTENDS, clip, shown
from mtfpmodel.scenario.merge import merge
from mtfpmodel.scenario.names import DuplicateName
from mtfpmodel.scenario.overrides import apply_overrides, field_places, parse_path, set_path
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.series import SeriesContext, check_year_label, parse_rate, year_labels
from mtfpmodel.scenario.streams import KIND_NAMES
from mtfpmodel.scenario.yamlfile import (
    Where,
    file_problem,
    parse_yaml,
    real_path,
    read_text,
    read_yaml,
    shown_text,
)

__all__ = ["Loaded", "load", "validate", "translate", "apply_overrides", "parse_path", "set_path"]


@dataclass(frozen=True)
class Loaded:
    """A validated scenario with where it came from."""

    scenario: Scenario
    path: Path
    data: dict                      # the merged document, as validated
    where: Where                    # line marks for ``data``
    overrides: tuple[str, ...] = field(default_factory=tuple)   # the --set PATH=VALUE given
    notes: tuple[Problem, ...] = ()  # warnings from reading it: a child's new item named like a parent's


def load(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Loaded:
    """Read, merge and validate the scenario at ``path``; apply ``PATH=VALUE`` overrides."""
    path = Path(path)
    notes: list[Problem] = []
    data, where = _read_chain(path, (), notes=notes)
    if overrides:
        data, where = apply_overrides(data, where, overrides)
    return validate(data, where, path, tuple(overrides), tuple(notes))


def validate(data: Any, where: Where, path: Path, overrides: tuple[str, ...] = (),
             notes: tuple[Problem, ...] = ()) -> Loaded:
    """Validate merged scenario data; raise ScenarioError listing every problem. ``notes`` (from
    merging an ``extends`` chain) are kept as warnings; one about an item with a problem is told
    with it, since a misspelt name is then the likely cause ('a savings stream needs kind:')."""
    if not isinstance(data, dict):
        raise ScenarioError([Problem("a scenario must be a mapping of keys such as 'scenario:' and "
                                     "'base_year:'", file=where.file, line=where.line)])
    try:
        scenario = Scenario.model_validate(data, context=validation_context(data))
    except ValidationError as exc:
        problems = translate(exc, data, where)
        raise ScenarioError(problems + [note for note in notes if any(
            (p.path or "").startswith(note.path) for p in problems)]) from None
    return Loaded(scenario, path, data, where, overrides, notes)


def _read_chain(path: Path, seen: tuple[Path, ...], shown: str | None = None,
                text: str | None = None, notes: list[Problem] | None = None) -> tuple[Any, Where]:
    shown = shown or str(path)          # the path as the user would write it, for messages
    data, where = parse_yaml(text, shown) if text is not None else read_yaml(path, shown)
    if not isinstance(data, dict) or "extends" not in data:
        return data, where
    target = data.pop("extends")
    mark = where.children.pop("extends")

    def refuse(message: str, hint: str = "") -> ScenarioError:
        return ScenarioError([Problem(message, file=shown, line=mark.line, path="extends", hint=hint)])

    if not isinstance(target, str) or not target.strip():
        raise refuse("must be the file name of the scenario to start from")
    chain = seen + (real_path(path),)
    if len(chain) >= MAX_EXTENDS:
        raise refuse(f"a chain of more than {MAX_EXTENDS} scenarios extending each other",
                     "start a variant from the main scenario, not from a variant of a variant")
    parent_path = path.parent / target
    real = real_path(parent_path)
    if real is None:
        raise refuse(f"extends {shown_text(target)}, a link that loops back on itself",
                     "point extends at the scenario file itself")
    if real in chain:
        loop = " → ".join(p.name for p in chain + (real,))
        raise refuse(f"extends makes a cycle: {loop}", "a scenario cannot extend itself, even indirectly")
    problem = file_problem(parent_path)
    if problem is not None:
        found = ("there is no such file" if problem.message == "file not found"
                 else f"it {problem.message.removeprefix('the file ')}")
        raise refuse(f"extends {shown_text(target)}, but {found} ({clip(str(real), 120)})",
                     "the path is relative to this scenario's folder")
    parent_shown = os.path.normpath(Path(shown).parent / target)
    try:
        parent_text = read_text(parent_path, parent_shown)
    except ScenarioError as exc:        # not text, unreadable: this extends: line is what is wrong
        raise refuse(f"extends {shown_text(target)}, but it is {exc.problems[0].message.removeprefix('is ')}",
                     exc.problems[0].hint) from None
    parent, pwhere = _read_chain(parent_path, chain, parent_shown, parent_text, notes)
    if not isinstance(parent, dict):
        raise refuse(f"the scenario it extends ({shown_text(target)}) is not a mapping of keys",
                     "extends must name a scenario file")
    problems: list[Problem] = []
    merged = merge(parent, pwhere, data, where, problems, notes=notes)
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
    expenditure = data.get("expenditure")
    for item in expenditure if isinstance(expenditure, list) else []:
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
        listed = workforce.get("groups")
        groups = frozenset(g["name"] for g in (listed if isinstance(listed, list) else [])
                           if isinstance(g, dict) and isinstance(g.get("name"), str))
    shares: dict[str, list[tuple[str, float]]] = {}
    volume_lines = set()
    expenditure = data.get("expenditure")
    for item in expenditure if isinstance(expenditure, list) else []:     # anything else is reported by validation
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
        duplicate = (error.get("ctx") or {}).get("error")
        if error["type"] == "union_tag_invalid":
            loc = loc + ("kind",)                            # point at the kind: that is wrong
        if isinstance(duplicate, DuplicateName):             # point at the second item, not the list
            steps, node, mark = _walk(loc + (duplicate.index,), data, where, error["type"])
            first = _walk(loc + (duplicate.first,), data, where, error["type"])[2]
            message, hint = str(duplicate), f"names must be unique; the first is at {_place(first, mark)}"
        else:
            steps, node, mark = _walk(loc, data, where, error["type"])
            message, hint = _message(error, steps)
            if mark.file == "--set":                         # a path typed, not a file's indentation
                hint = hint.replace("check its indentation", "check the path (mtfp paths SCENARIO lists them)")
        problems.append(Problem(message, file=mark.file, line=mark.line or None,   # 0: given by --set
                                path=_dotted(steps, data), hint=hint))
    return sorted(set(problems), key=lambda p: (p.file or "", p.line or 0, p.path))


def _place(first: Where, second: Where) -> str:
    """'line 12', or 'parent.yaml:12' when the first item came from another file; without a line,
    what it came from ('--set', or an imported cell: 'budget.xlsx, sheet Lines, cell A5')."""
    if not first.line:
        return first.file
    return f"line {first.line}" if first.file == second.file else f"{first.file}:{first.line}"


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
            text += f"[{name}]" if isinstance(name, str) and name.strip() else f"[{step}]"
            node = item
        else:
            text += ("." if text else "") + str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return text


def _misplaced(name: str, loc: tuple) -> tuple[str, str]:
    """A key the model here does not take: where it belongs, if any model takes it (a stream of
    another kind, a key indented under the wrong parent), else the nearest key any model takes."""
    places = field_places().get(name)
    if not places and name.isdigit():        # {opening: 10,000}: YAML reads '000' as a key of its own
        return (f"unknown key {shown(name)}",
                "inside { }, a comma ends the entry, so 10,000 is read as 10 and a key '000': write 10000, "
                "or quote it: '10,000'")
    if not places:
        close = difflib.get_close_matches(name, sorted(field_places()), n=1)
        return (f"unknown key {shown(name)}",
                f"did you mean '{close[0]}'?" if close else "remove it, or check its indentation")
    kind = next((step for before, step in zip(loc, loc[1:]) if isinstance(before, int) and loc[0] == "savings"
                 and step in KIND_NAMES), None)
    kinds = [place.removeprefix("savings[] (kind: ").removesuffix(")") for place in places
             if place.startswith("savings[] (kind: ")]
    if kind is not None and kinds:
        return (f"'{name}' is not a key of a kind: {kind} stream",
                f"it is a key of a kind: {' or '.join(kinds)} stream; check the stream's kind, or remove it")
    more = f" and {len(places) - 3} more" if len(places) > 3 else ""
    return (f"'{name}' is not a key here",
            f"it is a key of {', '.join(places[:3])}{more}; check its indentation, or remove it")


def _lower_case_hint(given: Any, options) -> str:
    """"write it as 'straight_line', in lower case" when ``given`` is one of ``options`` but for its
    capitals (a spreadsheet's list, which ignores them, may have let 'Straight_line' through)."""
    if isinstance(given, str):
        for option in options:
            if given.strip().lower() == option.lower():
                return f"write it as '{option}', in lower case"
    return ""


def _message(error: dict, steps: list) -> tuple[str, str]:
    kind, msg = error["type"], error["msg"]
    name = steps[-1] if steps else ""
    if kind == "extra_forbidden":
        return _misplaced(str(name), error["loc"])
    if kind == "missing" and name == "kind" and "reserves" in steps[:1]:
        return "a reserve needs 'kind:'", "add 'kind: general' or 'kind: earmarked'"
    if kind == "missing":
        return "required key is missing", f"add '{name}:'"
    if kind == "union_tag_invalid":
        given = error["input"].get("kind")
        return (f"unknown kind {shown(given)}", _lower_case_hint(given, KIND_NAMES)
                or f"use one of: {', '.join(KIND_NAMES)}")
    if kind == "union_tag_not_found":
        return "a savings stream needs 'kind:'", f"one of: {', '.join(KIND_NAMES)}"
    value = shown(error.get("input"))
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if name == "increase":
            given = error.get("input")
            example = f"{{core: {given}}}" if isinstance(given, (str, int, float)) and len(str(given)) < 20 \
                else "{core: 2.99%}"
            return (f"must be a mapping of the increase's parts, not {value}",
                    f"name each part, e.g. increase: {example} or {{core: 2.99%, adult_social_care: 2%}}")
        return f"must be a mapping of keys, not {value}", "indent the keys under it"
    if kind == "list_type":
        return f"must be a list, not {value}", "write items on lines starting with '- '"
    if kind == "literal_error" and name == "certainty" and "grants" in steps[:2] \
            and not _lower_case_hint(error.get("input"), ("confirmed", "indicative", "assumed")):
        return (f"{value} is not allowed", msg.replace("Input should be", "use") + "; the share each word counts "
                "is set by grant_confidence, and a tornado range, Monte Carlo distribution or solve --by can move "
                "one grant's share")
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", (error.get("ctx") or {}).get("expected", ""))
        return f"{value} is not allowed", _lower_case_hint(error.get("input"), options) \
            or msg.replace("Input should be", "use")
    naming = {"name": "give it a name, unique in its list", "scenario": "give the scenario a name"}
    if kind == "string_type" and error.get("input") is None:
        return "is empty", naming.get(str(name), "give it a value, or remove it")
    if kind in ("string_type",):
        return f"must be text, not {value}", ""
    if kind in ("string_too_short", "string_pattern_mismatch"):
        return "is blank", naming.get(str(name), "give some text, or remove it")
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, not {value}", "write true or false, without quotes"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {value}", ""
    if kind in ("float_type", "float_parsing"):
        return f"must be a number, not {value}", ""
    if kind == "finite_number":
        return f"{value} is not a finite number", ""
    if kind.startswith(("greater_than", "less_than")):
        return f"{value} is out of range", msg.replace("Input should be", "it must be")
    if kind in ("too_short",) and isinstance(error.get("input"), list):
        return "must have at least one item", ""
    text = msg.removeprefix("Value error, ")
    if text.endswith(")") and " (" in text:
        head, _, tail = text.rpartition(" (")
        return head, tail[:-1]
    return text, ""
