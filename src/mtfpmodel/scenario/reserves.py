"""The ``reserves:`` section: named reserves with their opening balance, minimum and plan.

``reserves:`` is a list of named reserves (general or earmarked). The older mapping form
``{opening, minimum, use_to_balance}`` still works and means one general reserve called
"Usable reserves". No ``reserves`` key means that mapping with its defaults (one empty general
reserve); ``reserves: []`` means no reserves at all. The engine's year steps are in
:class:`Reserve`'s docstring (and docs/reference.md).

Paths (for ``--set``, sensitivity and Monte Carlo) follow the file's spelling: a list item's
values are ``reserves[<name>].opening``, ``.minimum``, ``.contributions`` and ``.planned_use``;
the mapping form keeps ``reserves.opening`` and ``reserves.minimum``.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, ValidationInfo, field_validator

from mtfpmodel.scenario.fields import Amount, Model, Number
from mtfpmodel.scenario.series import Series, parse_number, parse_rate

MAPPING_NAME = "Usable reserves"
_NONE = Series(values=(0.0,))
_MINIMUM_SCHEMA = {"anyOf": [{"type": "number", "minimum": 0},
                             {"type": "string", "pattern": r"^\s*[0-9.]+\s*%\s*$"}]}


def parse_minimum(value: Any) -> float | str:
    """A minimum level: an amount (a number, 0 or more) or a share of net expenditure ('5%')."""
    if isinstance(value, str) and value.strip().endswith("%"):
        share = parse_rate(value)
        if not 0 <= share <= 1:
            raise ValueError(f"minimum {value} is outside 0% to 100% of net expenditure")
        return value.strip()
    amount = parse_number(value)
    if amount < 0:
        raise ValueError("minimum reserves cannot be negative")
    return amount


def _not_negative(value: float, what: str) -> float:
    if value < 0:
        raise ValueError(f"{what} cannot be negative (a reserve's balance never goes below zero; give 0 or more)")
    return value


class _Balance(Model):
    """What every form of a reserve checks the same way: its opening balance and its minimum."""

    @field_validator("minimum", mode="before", check_fields=False)
    @classmethod
    def _minimum(cls, value: Any) -> float | str:
        return parse_minimum(value)

    @field_validator("opening", check_fields=False)
    @classmethod
    def _opening(cls, value: float) -> float:
        return _not_negative(value, "the opening balance")


class Reserve(_Balance):
    """A named reserve: a general fund balance, an earmarked reserve, or a ring-fenced balance.

    For each projection year t = 1..T, in this order, for every reserve r (``bal`` starts at
    ``opening``):

        1. bal += contributions[r,t]           (contributions are spending: their sum is added
                                                to net_expenditure[t], so to the gross gap)
        2. planned[r,t] = min(planned_use[r,t], bal); bal -= planned[r,t]
        3. reserve-funded implementation costs come from the first reserve that meets gaps,
           capped at its balance; a shortfall is added to unfunded_gap[t]
        4. planned_reserves_use[t] = sum of planned[r,t]
           savings_still_to_find[t] = net_gap[t] - planned_reserves_use[t]
        5. if savings_still_to_find[t] > 0, reserves that meet gaps meet it in the order listed:
           unplanned[r,t] = min(remaining, bal); what is left joins unfunded_gap[t];
           if it is < 0, the surplus is added to the first reserve that meets gaps
        6. closing[r,t] = bal                  (never negative)

    The first reserve that meets gaps is the first listed with meets_gap true, else the first
    general reserve that is not ring-fenced. Use is summed over every reserve (planned use of a
    ring-fenced reserve pays for spending in the lines); balances and minimums over the reserves
    that are not ring-fenced (the usable reserves):

        reserves_drawn[t] = planned_reserves_use[t] + unplanned_reserves_use[t]
        closing_reserves[t] = sum of closing[r,t] over usable reserves
        minimum_reserves[t] = sum over usable reserves of minimum[r] (an amount, or share * net_expenditure[t])
        usable_reserves_pct[t] = closing_reserves[t] / net_expenditure[t]
    """

    name: str = Field(min_length=1, pattern=r"\S", description="Reserve name, unique in the plan.")
    kind: Literal["general", "earmarked"] = Field(
        description="general: the unallocated safety net (general fund balance); earmarked: set aside for a purpose.")
    opening: Number = Field(0.0, description="Balance at the start of the first projection year [scenario unit], 0 or more.")
    minimum: float | str = Field(
        0.0, description="Minimum level: an amount [scenario unit] or a share of net expenditure such as '5%'.",
        json_schema_extra=_MINIMUM_SCHEMA)
    contributions: Amount = Field(_NONE, description="Budgeted contributions to the reserve in each year "
                                                     "[scenario unit]: spending, added to net expenditure.")
    planned_use: Amount = Field(_NONE, description="Planned use of the reserve in each year [scenario unit]: a "
                                                   "one-off funding source, drawn as far as the balance allows.")
    ring_fenced: bool = Field(False, description="true: not usable for the general gap (public health, schools); "
                                                 "left out of usable reserves and never meets a gap.")
    meets_gap: bool | None = Field(None, description="May meet a gap the plan leaves (default true for general, "
                                                     "false for earmarked); never true for a ring-fenced reserve.")
    source: str | None = Field(None, description="Where the figures come from.")

    @field_validator("contributions", "planned_use")
    @classmethod
    def _flows(cls, value: Series, info: ValidationInfo) -> Series:
        if value.values is not None and min(value.values) < 0:
            word = "a contribution" if info.field_name == "contributions" else "a planned use"
            raise ValueError(f"{word} cannot be negative (contributions add to a reserve, planned use draws on it)")
        return value

    @field_validator("meets_gap")
    @classmethod
    def _ring_fenced(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if value is True and info.data.get("ring_fenced"):
            raise ValueError("a ring-fenced reserve cannot meet gaps (remove meets_gap, or ring_fenced if "
                             "the reserve is usable)")
        return value

    @property
    def meets_gaps(self) -> bool:
        """Whether this reserve meets a gap the plan leaves (never when ring-fenced)."""
        if self.ring_fenced:
            return False
        return self.meets_gap if self.meets_gap is not None else self.kind == "general"

    @property
    def minimum_share(self) -> float | None:
        """The minimum as a share of net expenditure, or None when it is an amount."""
        return parse_rate(self.minimum) if isinstance(self.minimum, str) else None


class ReservesMapping(_Balance):
    """The older single-pot form: one general reserve named "Usable reserves".

    ``{opening, minimum, use_to_balance}`` means the list
    ``[{name: Usable reserves, kind: general, opening, minimum, meets_gap: use_to_balance}]``.
    """

    opening: Number = Field(0.0, description="Reserves at the start of the first projection year [scenario unit].")
    minimum: float | str = Field(
        0.0, description="Minimum level: an amount [scenario unit] or a share of net expenditure such as '5%'.",
        json_schema_extra=_MINIMUM_SCHEMA)
    use_to_balance: bool = Field(True, description="Draw on reserves to meet any gap the plan leaves.")

    def as_reserve(self) -> Reserve:
        return Reserve.model_construct(name=MAPPING_NAME, kind="general", opening=self.opening,
                                       minimum=self.minimum, contributions=_NONE, planned_use=_NONE,
                                       ring_fenced=False, meets_gap=self.use_to_balance, source=None)


def _form(value: Any) -> str:
    if isinstance(value, (dict, ReservesMapping)):
        return "mapping"
    return "list"


ReservesField = Annotated[
    Union[Annotated[list[Reserve], Tag("list")], Annotated[ReservesMapping, Tag("mapping")]],
    Discriminator(_form),
]


def reserve_items(reserves: list[Reserve] | ReservesMapping) -> list[tuple[str, Reserve]]:
    """(path prefix, reserve) for every reserve, in the order listed.

    The prefix is ``reserves[<name>]`` for the list form and ``reserves`` for the mapping form.
    """
    if isinstance(reserves, ReservesMapping):
        return [("reserves", reserves.as_reserve())]
    return [(f"reserves[{r.name}]", r) for r in reserves]


def first_gap_reserve(reserves: list[Reserve]) -> int | None:
    """Index of the first reserve that meets gaps: the first with meets_gap, else the first
    general reserve that is not ring-fenced; None when there is neither."""
    for r, reserve in enumerate(reserves):
        if reserve.meets_gaps:
            return r
    for r, reserve in enumerate(reserves):
        if reserve.kind == "general" and not reserve.ring_fenced:
            return r
    return None
