"""Safe YAML with line marks: plain values only, no duplicate keys, located problems."""
from __future__ import annotations

import pytest

from mtfpmodel.scenario.errors import ScenarioError
from mtfpmodel.scenario.yamlfile import parse_yaml

TEXT = """\
scenario: s
expenditure:
  - name: Adults
    base: 1000
  - name: Other
    base: 5
"""


def test_marks_follow_the_data():
    data, where = parse_yaml(TEXT, "f.yaml")
    assert data["expenditure"][1] == {"name": "Other", "base": 5}
    assert where.children["expenditure"].children[1].children["base"].line == 6
    assert where.children["scenario"].file == "f.yaml"


def test_year_keys_and_dates_stay_text():
    data, _ = parse_yaml("a: {2025/26: 3%}\nb: 2024-04-01\nbase_year: 2024/25\n", "f.yaml")
    assert data == {"a": {"2025/26": "3%"}, "b": "2024-04-01", "base_year": "2024/25"}


def problems(text):
    with pytest.raises(ScenarioError) as caught:
        parse_yaml(text, "f.yaml")
    return caught.value.problems


def test_tags_are_refused_with_the_field_path():
    # before the fix the message had no field path and spelled the tag 'tag:yaml.org,2002:...'
    (problem,) = problems(TEXT.replace("base: 5", "base: !!python/object/apply:os.system [ls]"))
    assert (problem.line, problem.path) == (6, "expenditure[Other].base")
    assert "'!!python/object/apply:os.system' is not allowed" in problem.message


def test_duplicate_keys_are_refused_with_the_field_path():
    (problem,) = problems(TEXT + "    base: 6\n")
    assert (problem.line, problem.path, problem.hint) == (7, "expenditure[Other].base", "first given at line 6")


def test_every_problem_is_reported():
    found = problems("a: !custom 1\nb: 2\nb: 3\nc: [!!set {x}]\n")
    assert [(p.line, p.path) for p in found] == [(1, "a"), (3, "b"), (4, "c[0]")]


def test_broken_yaml_and_empty_files():
    (problem,) = problems("a: [1, 2\nb: 3\n")
    assert problem.message.startswith("not valid YAML")
    (problem,) = problems("# only a comment\n")
    assert problem.message == "the file is empty"


def test_a_file_saved_in_windows_1252_is_named_at_its_line(tmp_path):
    # A scenario saved as "ANSI" (Notepad) or Windows-1252 (Excel's CSV): '£' is the byte 0xA3.
    # Before: "not a text file (invalid start byte at byte 57)", no line, and it is a text file.
    from mtfpmodel.scenario.yamlfile import read_yaml

    path = tmp_path / "ansi.yaml"
    path.write_bytes("scenario: ansi\nunits: '£000'\ncouncil: Testshire\n".encode("cp1252"))
    with pytest.raises(ScenarioError) as caught:
        read_yaml(path, "ansi.yaml")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("ansi.yaml", 2)
    assert problem.message == ("not UTF-8 text: byte 0xA3 at column 9 is '£' in Windows-1252, the encoding the "
                               "file was probably saved in")
    assert "Save As" in problem.hint


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_file_saved_as_utf16_is_named_so(tmp_path, encoding):
    # Notepad's "Unicode" is UTF-16 (little-endian, with a byte-order mark). Before: "not a text
    # file (it holds NUL bytes)", though it is text, only in another encoding.
    from mtfpmodel.scenario.yamlfile import read_yaml

    path = tmp_path / "unicode.yaml"
    path.write_bytes("scenario: unicode\nunits: '£000'\n".encode(encoding))
    with pytest.raises(ScenarioError) as caught:
        read_yaml(path, "unicode.yaml")
    (problem,) = caught.value.problems
    assert problem.message == "saved as UTF-16 text (Notepad's 'Unicode'), not UTF-8"
    assert "Save As, with the encoding UTF-8" in problem.hint
