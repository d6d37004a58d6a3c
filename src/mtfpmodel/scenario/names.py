"""Named items: a name given twice in a list (budget lines, grants, pay groups...) is an error."""
from __future__ import annotations


class DuplicateName(ValueError):
    """A name given twice in a list of named items; ``index`` is the second item's place."""

    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.index = index


def unique_names(items: list, what: str) -> list:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.name in seen:
            raise DuplicateName(f"the name '{item.name}' is used twice in {what} (names must be unique)", index)
        seen.add(item.name)
    return items
