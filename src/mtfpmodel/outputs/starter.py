"""The text of a new scenario file: the packaged starter, or a copy of an existing scenario.

The copy keeps every comment; only three lines change: ``scenario:`` becomes the new name,
``extends:`` is re-pointed so it still finds its parent from the new folder, and the
``# yaml-language-server: $schema=...`` line points at the nearest scenario.schema.json.
"""
from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path

from mtfpmodel.scenario.yamlfile import read_text, real_path

SCHEMA_FILE = "scenario.schema.json"
_SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:.*\n?", re.MULTILINE)
_NAME_LINE = re.compile(r"^scenario:.*$", re.MULTILINE)
_EXTENDS_LINE = re.compile(r"^extends:\s*(?P<q>['\"]?)(?P<path>[^'\"#\n]+?)(?P=q)\s*(?P<rest>#.*)?$", re.MULTILINE)


def starter_text(target: Path, source: Path | None = None) -> str:
    """Text for ``target``: the starter template, or ``source`` adapted to its new place."""
    if source is None:
        text = resources.files("mtfpmodel.outputs").joinpath("templates/starter.yaml").read_text(encoding="utf-8")
    else:
        text = _repoint_extends(read_text(source, str(source)), source, target)    # as a scenario is read
    line = f"scenario: {json.dumps(target.stem, ensure_ascii=False)}"
    text = _NAME_LINE.sub(lambda _: line, text, count=1)        # the name as it is, not a template
    text = _SCHEMA_LINE.sub("", text, count=1)
    schema = find_schema(target.parent)
    if schema is not None:
        text = f"# yaml-language-server: $schema={_relative(schema, target.parent)}\n" + text
    return text


def find_schema(folder: Path) -> Path | None:
    """The nearest scenario.schema.json in ``folder`` or a folder above it."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / SCHEMA_FILE).is_file():
            return candidate / SCHEMA_FILE
    return None


def _repoint_extends(text: str, source: Path, target: Path) -> str:
    def repoint(match: re.Match) -> str:
        written = source.parent / match["path"].strip()
        parent = real_path(written) or Path(os.path.abspath(written))   # a link that loops: for validate to report
        rest = f"  {match['rest']}" if match["rest"] else ""
        return f"extends: {_relative(parent, target.parent)}{rest}"
    return _EXTENDS_LINE.sub(repoint, text, count=1)


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path, folder.resolve())).as_posix()
