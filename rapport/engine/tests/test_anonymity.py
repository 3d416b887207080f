"""What a report may show: examples of each rule, then the guarantee itself, checked on random
populations: no group of fewer than k can be computed by adding and subtracting shown groups.
"""

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.engine.anonymity import (
    COMPLEMENT,
    DIFFERENCE,
    OVERLAP,
    PARENT,
    SMALL,
    Protection,
    complementary,
    pool,
)


def staff(**teams):
    """Rows for one week of a pulse: ``Kitchen=6`` gives six Kitchen respondents."""
    return [
        {"group": "employee", "team": team, "segment": "", "period": "2026-W47"}
        for team, n in teams.items()
        for _ in range(n)
    ]


# --- the rules, one example each ----------------------------------------------------------


def test_a_group_of_fewer_than_k_is_hidden_and_its_size_is_not_given():
    protection = Protection(staff(Kitchen=6, Office=2), k=5)
    office = protection.group({"team": "Office"})
    assert not office.shown and office.why == SMALL
    assert office.n is None and office.label == "fewer than 5"
    assert "Fewer than 5 people answered" in office.reason


def test_a_group_whose_complement_is_small_is_hidden():
    # Everyone (14) minus Kitchen (12) would be the two people of the office.
    protection = Protection(staff(Kitchen=12, Office=2), k=5)
    assert protection.group().shown and protection.group().n == 14
    kitchen = protection.group({"team": "Kitchen"})
    assert not kitchen.shown and kitchen.why == DIFFERENCE and kitchen.label == "hidden"


def test_two_filters_cannot_isolate_a_small_cell_by_inclusion_exclusion():
    rows = [
        *[{"team": "Kitchen", "segment": "part-time"}] * 5,
        {"team": "Kitchen", "segment": "full-time"},
        *[{"team": "Front", "segment": "full-time"}] * 8,
    ]
    protection = Protection(rows, k=5)
    # Kitchen (6) minus Kitchen-and-part-time (5) is one full-time cook.
    both = protection.group({"team": "Kitchen", "segment": "part-time"})
    assert not both.shown and both.why in (DIFFERENCE, OVERLAP)
    shown = [
        c
        for c in ({}, {"team": "Kitchen"}, {"segment": "part-time"}, {"segment": "full-time"})
        if protection.group(c).shown
    ]
    counts = {str(c): protection.count(c) for c in shown}
    for a, b in itertools.combinations(counts.values(), 2):
        assert not 0 < abs(a - b) < 5, counts


def test_a_tiny_team_is_pooled_and_the_team_it_is_pooled_with_is_hidden_too():
    protection = Protection(staff(Kitchen=6, Front=6, Office=2), k=5)
    assert protection.group().n == 14
    verdicts = {team: protection.group({"team": team}) for team in ("Kitchen", "Front", "Office")}
    assert [t for t, v in verdicts.items() if v.shown] == ["Kitchen"]
    assert verdicts["Office"].why == SMALL
    assert verdicts["Front"].why == OVERLAP  # else 14 - 6 - 6 = the office's answers


def test_a_breakdown_hides_the_smallest_visible_row_when_the_hidden_ones_are_too_few():
    breakdown = Protection(staff(Kitchen=6, Front=7, Office=2), k=5).breakdown("team")
    shown = {row.value: row.verdict.n for row in breakdown.rows if row.verdict.shown}
    assert breakdown.total.n == 15
    assert shown == {"Front": 7}
    assert breakdown.total.n - sum(shown.values()) >= 5


def test_complementary_suppression_on_its_own():
    assert complementary({"A": 6, "B": 7, "C": 2}, 5) == {"A", "C"}
    assert complementary({"A": 6, "B": 7, "C": 0}, 5) == {"C"}  # nothing to reveal
    assert complementary({"A": 6, "B": 7, "C": 5}, 5) == set()
    assert complementary({"A": 2, "B": 2, "C": 3}, 5) == {"A", "B", "C"}
    assert complementary({"A": 9, "B": 9}, 5, hidden={"A"}) == {"A"}


def test_a_breakdown_lists_named_values_nobody_answered_as_fewer_than_k():
    breakdown = Protection(staff(Kitchen=6, Front=6), k=5).breakdown(
        "team", values=["Delivery", "Kitchen"]
    )
    assert [row.value for row in breakdown.rows] == ["Delivery", "Front", "Kitchen"]
    assert breakdown.row("Delivery").label == "fewer than 5"
    assert breakdown.row("Kitchen").n == 6


def test_nothing_is_broken_down_under_a_hidden_group():
    breakdown = Protection(staff(Kitchen=3), k=5).breakdown("segment")
    assert not breakdown.total.shown
    assert all(row.verdict.why == PARENT for row in breakdown.rows)


def test_complement_rows_say_why_they_are_hidden():
    protection = Protection(staff(Kitchen=6, Front=7, Office=2), k=5)
    breakdown = protection.breakdown("team")
    kitchen = breakdown.row("Kitchen")
    assert not kitchen.shown and kitchen.why in (OVERLAP, COMPLEMENT)
    assert kitchen.label == "hidden" and kitchen.reason


def test_k_of_one_shows_everything():
    protection = Protection(staff(Kitchen=1, Office=2), k=1)
    assert protection.group({"team": "Kitchen"}).n == 1


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="unknown dimension 'shoe'"):
        Protection(staff(Kitchen=6), k=5).group({"shoe": "42"})
    with pytest.raises(ValueError, match="k must be at least 1"):
        Protection([], k=0)
    with pytest.raises(ValueError, match="already filtered"):
        Protection(staff(Kitchen=6), k=5).breakdown("team", {"team": "Kitchen"})


def test_pooling_keeps_periods_apart_before_teams():
    cells = {
        ("", "Kitchen", "employee", "W46"): 6,
        ("", "Office", "employee", "W46"): 1,
        ("", "Office", "employee", "W47"): 6,
    }
    blocks = pool(cells, 5)
    # The lone office answer of W46 joins the kitchen of W46, not the office of W47.
    assert blocks[("", "Office", "employee", "W46")] == blocks[("", "Kitchen", "employee", "W46")]
    assert blocks[("", "Office", "employee", "W47")] != blocks[("", "Kitchen", "employee", "W46")]


# --- the guarantee, on random populations ------------------------------------------------

TEAMS, SEGMENTS, PERIODS = ("A", "B", "C"), ("x", "y"), ("p", "q")
CELLS = list(itertools.product(TEAMS, SEGMENTS, PERIODS))

populations = st.tuples(
    st.lists(st.integers(0, 7), min_size=len(CELLS), max_size=len(CELLS)),
    st.integers(2, 5),
)


def build(counts):
    rows = []
    for (team, segment, period), n in zip(CELLS, counts, strict=True):
        rows += [{"team": team, "segment": segment, "period": period, "group": "g"}] * n
    return rows


def every_filter():
    for team, segment, period in itertools.product(
        (None, *TEAMS), (None, *SEGMENTS), (None, *PERIODS)
    ):
        constraints = {"team": team, "segment": segment, "period": period}
        yield {d: v for d, v in constraints.items() if v is not None}


def matches(cell, constraints):
    return all(
        dict(zip(("team", "segment", "period"), cell, strict=True))[d] == v
        for d, v in constraints.items()
    )


@settings(max_examples=120, deadline=None)
@given(populations)
def test_no_adding_and_subtracting_of_shown_groups_isolates_fewer_than_k(population):
    counts, k = population
    protection = Protection(build(counts), k)
    present = [cell for cell, n in zip(CELLS, counts, strict=True) if n]
    size = dict(zip(CELLS, counts, strict=True))
    shown = [c for c in every_filter() if protection.group(c).shown]
    for constraints in shown:
        assert protection.count(constraints) >= k
    if not shown:
        return
    known = np.array([[matches(cell, c) for cell in present] for c in shown], dtype=float)
    rank = np.linalg.matrix_rank(known)
    # Any set of fewer than k respondents is a set of at most k - 1 non-empty cells.
    for width in range(1, k):
        for subset in itertools.combinations(range(len(present)), width):
            if not 0 < sum(size[present[i]] for i in subset) < k:
                continue
            target = np.zeros(len(present))
            target[list(subset)] = 1
            derivable = np.linalg.matrix_rank(np.vstack([known, target])) == rank
            assert not derivable, [present[i] for i in subset]


@settings(max_examples=120, deadline=None)
@given(populations, st.sampled_from(["team", "segment", "period"]))
def test_breakdowns_never_let_the_total_reveal_a_small_remainder(population, dimension):
    counts, k = population
    protection = Protection(build(counts), k)
    for constraints in every_filter():
        if dimension in constraints:
            continue
        breakdown = protection.breakdown(dimension, constraints)
        for row in breakdown.rows:
            exact = protection.count({**constraints, dimension: row.value})
            assert not row.verdict.shown or exact >= k
            if row.verdict.shown:
                assert protection.group({**constraints, dimension: row.value}).shown
        if breakdown.total.shown:
            hidden = breakdown.total.n - sum(r.verdict.n for r in breakdown.rows if r.verdict.shown)
            assert hidden == 0 or hidden >= k
        else:
            assert not any(row.verdict.shown for row in breakdown.rows)


@settings(max_examples=60, deadline=None)
@given(populations, st.randoms(use_true_random=False))
def test_the_verdicts_do_not_depend_on_the_order_of_the_rows(population, rnd: random.Random):
    counts, k = population
    rows = build(counts)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    a, b = Protection(rows, k), Protection(shuffled, k)
    for constraints in every_filter():
        assert a.group(constraints) == b.group(constraints)


@given(st.dictionaries(st.text(max_size=3), st.integers(0, 12), max_size=8), st.integers(1, 8))
def test_complementary_suppression_leaves_nothing_small_to_subtract(counts, k):
    hidden = complementary(counts, k)
    assert all(v in hidden for v, n in counts.items() if n < k)
    hidden_sum = sum(counts[v] for v in hidden)
    assert hidden_sum == 0 or hidden_sum >= k or hidden == set(counts)


@given(st.dictionaries(st.tuples(st.sampled_from("abc"), st.sampled_from("xy")), st.integers(1, 9)))
def test_every_block_holds_at_least_k_unless_everyone_together_is_fewer(cells):
    blocks = pool(cells, 5)
    assert set(blocks) == set(cells)
    sizes: dict[int, int] = {}
    for cell, block in blocks.items():
        sizes[block] = sizes.get(block, 0) + cells[cell]
    if sum(cells.values()) >= 5:
        assert all(size >= 5 for size in sizes.values())
    else:
        assert len(sizes) <= 1
