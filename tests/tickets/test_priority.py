"""Priority from impact × urgency (ITIL): what a ticket gets unless an agent sets it by hand."""

from itertools import product

import pytest

from helpdesk.tickets.models import PRIORITY_MATRIX, Level, Priority, priority_for

pytestmark = pytest.mark.fast

ORDER = [Priority.PLANNING, Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.CRITICAL]


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [
        (Level.HIGH, Level.HIGH, Priority.CRITICAL),
        (Level.HIGH, Level.MEDIUM, Priority.HIGH),
        (Level.MEDIUM, Level.HIGH, Priority.HIGH),
        (Level.HIGH, Level.LOW, Priority.MEDIUM),
        (Level.MEDIUM, Level.MEDIUM, Priority.MEDIUM),  # what a new ticket starts with
        (Level.LOW, Level.HIGH, Priority.MEDIUM),
        (Level.MEDIUM, Level.LOW, Priority.LOW),
        (Level.LOW, Level.MEDIUM, Priority.LOW),
        (Level.LOW, Level.LOW, Priority.PLANNING),
    ],
)
def test_priority_follows_from_impact_and_urgency(impact, urgency, priority):
    assert priority_for(impact, urgency) is priority


def test_every_pair_of_levels_has_a_priority_and_every_priority_is_reachable():
    assert set(PRIORITY_MATRIX) == set(product(Level, Level))
    assert set(PRIORITY_MATRIX.values()) == set(Priority)


def test_impact_and_urgency_weigh_the_same():
    for impact, urgency in product(Level, Level):
        assert priority_for(impact, urgency) is priority_for(urgency, impact)


@pytest.mark.parametrize("raised", ["impact", "urgency"])
def test_one_step_up_in_impact_or_urgency_raises_the_priority_one_step(raised):
    levels = [Level.LOW, Level.MEDIUM, Level.HIGH]
    for fixed, (lower, higher) in product(levels, zip(levels, levels[1:], strict=False)):
        before = priority_for(lower, fixed) if raised == "impact" else priority_for(fixed, lower)
        after = priority_for(higher, fixed) if raised == "impact" else priority_for(fixed, higher)
        assert ORDER.index(after) == ORDER.index(before) + 1
