"""``mtfp schema``: the JSON Schema of a scenario file, or the key reference generated from it."""
from __future__ import annotations

import argparse
import sys

from mtfpmodel.scenario.schema_export import reference_markdown, schema_json

HELP = "print the scenario JSON Schema (for editors) or the key reference"
DESCRIPTION = """\
Print the JSON Schema of a scenario file, generated from the validation models. Save it
beside your scenarios and start each scenario with a comment line pointing at it; VS Code's
YAML extension (and other editors using yaml-language-server) then complete keys, show each
key's description and unit on hover, and underline mistakes as you type:

  mtfp schema > scenario.schema.json
  # first line of scenarios/mine.yaml:
  # yaml-language-server: $schema=../scenario.schema.json

The schema checks each value's shape; checks that need the whole file (a savings stream
naming an expenditure line, one value per year in a list) are made by 'mtfp validate'.

--markdown prints the reference of every key (type, default, unit and meaning) that the
project keeps in docs/reference.md:

  mtfp schema --markdown > docs/reference.md
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--markdown", action="store_true",
                        help="print the key reference as Markdown instead of the JSON Schema")


def main(args: argparse.Namespace) -> int:
    sys.stdout.write(reference_markdown() if args.markdown else schema_json())
    return 0
