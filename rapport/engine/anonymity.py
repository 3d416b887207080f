"""Which groups of respondents a report may show, so that nobody's answers can be singled out.

A respondent is a row of report dimensions, for example
``{"group": "employee", "team": "Kitchen", "segment": "", "period": "2026-W47"}``. A report
shows *groups*: everyone, or those matching a conjunction of dimension = value filters, and
*breakdowns*: one row per value of a dimension under the current filters. With a threshold
``k`` (the business's ``min_group_size`` for scores, ``min_comment_group_size`` for
comments), ``Protection`` decides what may be shown:

1. A group is shown only if it holds at least ``k`` respondents.
2. Inclusion–exclusion: for a group defined by filters C, every one of the 2^|C| cells you
   get by making each filter true or false (within all respondents) must hold 0 or at least
   ``k`` respondents. Otherwise "everyone" minus "not Kitchen", or Kitchen minus Kitchen-and-
   part-time, computes a group of fewer than ``k``.
3. Pooling: before anything is asked, the respondents are cut into *blocks*: the finest
   cells (one per combination of dimension values) are pooled, smallest first, with their
   nearest neighbours until every block holds at least ``k`` (see ``pool``). A group is
   shown only if it is a union of whole blocks. Then every number shown is a sum over
   blocks, so no adding and subtracting of shown numbers, from any filters and breakdowns
   at all, can isolate less than a block: this is what holds when rule 2, which looks at
   one group at a time, would miss a combination of several (all staff minus Kitchen minus
   Front = a team of two).
4. Breakdowns hide every row that rules 1–3 refuse, then apply complementary suppression:
   while the hidden rows together hold between 1 and ``k - 1`` respondents (so that the total
   minus the visible rows would reveal them), the smallest visible row is hidden too.
5. A hidden group's size is never given: it reads "fewer than k" or "hidden".

No Django here: ``rapport.feedback.reporting`` feeds it rows copied from the responses.
docs/anonymity.md explains the rules, their reasons and their limits.
"""

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The report dimensions, in the order in which small cells are pooled across them: a cell of
# fewer than k is first pooled with one that differs only in segment, then only in team, and
# last across periods, so that per-round results of a recurring pulse stay visible longest.
DIMENSIONS = ("segment", "team", "group", "period")

SMALL = "small"
DIFFERENCE = "difference"
OVERLAP = "overlap"
COMPLEMENT = "complement"
PARENT = "parent"


@dataclass(frozen=True)
class Verdict:
    """Whether a group may be shown. ``n`` is its exact size when shown and None otherwise;
    ``why`` names the rule that hid it (``small``, ``difference``, ``overlap``,
    ``complement``, ``parent``)."""

    shown: bool
    n: int | None
    k: int
    why: str = ""

    @property
    def label(self) -> str:
        """The size as a report may print it."""
        if self.shown:
            return str(self.n)
        if self.why == SMALL:
            return f"fewer than {self.k}"
        return "hidden"

    @property
    def reason(self) -> str:
        """Why it is hidden, in plain words; empty when shown."""
        k = self.k
        return {
            "": "",
            SMALL: f"Fewer than {k} people answered in this group. Groups of fewer than {k} "
            "are never shown, so that no one's answers can be recognised.",
            DIFFERENCE: "Comparing this group with the wider results (for example everyone "
            f"minus this group) would single out the answers of fewer than {k} people.",
            OVERLAP: f"This group takes in part of a group of fewer than {k} people: together "
            "with the other results it would let someone work out their answers by "
            "subtraction.",
            COMPLEMENT: f"Hidden as well, so that the hidden groups together hold at least {k} "
            "people and cannot be worked out as the total minus the groups shown.",
            PARENT: "The group as a whole is not shown.",
        }[self.why]


@dataclass(frozen=True)
class BreakdownRow:
    value: str
    verdict: Verdict


@dataclass(frozen=True)
class Breakdown:
    """One row per value of ``dimension`` under some filters, and the total row."""

    dimension: str
    total: Verdict
    rows: tuple[BreakdownRow, ...]

    def row(self, value: str) -> Verdict:
        for row in self.rows:
            if row.value == value:
                return row.verdict
        raise KeyError(value)


def pool(cells: Mapping[tuple, int], k: int) -> dict[tuple, int]:
    """Cut cells (tuples of dimension values, with their respondent counts) into blocks of at
    least ``k``: returns cell → block number. Cells with no respondent are left out.

    Pooling goes in rounds. In round r, blocks that agree on every dimension from the r-th
    on (so differ only in the first r) are considered together, and within each such set
    the smallest block under ``k`` is merged with the next smallest until none is under
    ``k`` or one block is left. A block is thus pooled across the first dimensions before
    the later ones, and with the smallest neighbours first, which hides the least. The last
    round considers all blocks together, so when everyone together holds at least ``k``,
    every block does. Ties go to the smallest cell, so the result depends only on the cells
    and their counts, never on the order of the rows.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    # A block: [size, its smallest cell, its cells]; blocks stay uniform on the dimensions
    # from the current round on, so any of their cells gives the key they are grouped by.
    blocks = [[count, cell, [cell]] for cell, count in sorted(cells.items()) if count > 0]
    width = len(blocks[0][1]) if blocks else 0
    for level in range(width + 1):
        groups: dict[tuple, list] = {}
        for block in blocks:
            groups.setdefault(block[1][level:], []).append(block)
        blocks = []
        for group in groups.values():
            heap = [(size, first, i) for i, (size, first, _) in enumerate(group)]
            heapq.heapify(heap)
            while len(heap) > 1 and heap[0][0] < k:
                size_a, first_a, a = heapq.heappop(heap)
                size_b, first_b, b = heapq.heappop(heap)
                group[a] = [size_a + size_b, min(first_a, first_b), group[a][2] + group[b][2]]
                group[b] = None
                heapq.heappush(heap, (group[a][0], group[a][1], a))
            blocks += [block for block in group if block is not None]
    return {cell: number for number, block in enumerate(blocks) for cell in block[2]}


def complementary(counts: Mapping[str, int], k: int, hidden: Iterable[str] = ()) -> set[str]:
    """The rows of a breakdown to hide: ``hidden`` (refused for any reason), every row under
    ``k``, and then, while the hidden rows together hold between 1 and k - 1 respondents,
    the smallest visible row (ties: the first value), so that the total minus the visible
    rows never reveals fewer than ``k``."""
    out = set(hidden) | {value for value, n in counts.items() if n < k}
    visible = sorted((n, value) for value, n in counts.items() if value not in out)
    while visible and 0 < sum(counts[value] for value in out) < k:
        out.add(visible.pop(0)[1])
    return out


class Protection:
    """What may be shown of one population (the respondents of a survey, the answerers of a
    question, the invitations sent) at threshold ``k``.

    ``rows`` are mappings of dimension → value (missing or None read as ""); ``dimensions``
    are the ones filters and breakdowns may use, in pooling order (see ``pool``).
    """

    def __init__(
        self,
        rows: Iterable[Mapping[str, object]],
        k: int,
        dimensions: Iterable[str] = DIMENSIONS,
    ):
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        self.k = k
        self.dimensions = tuple(dimensions)
        counts: Counter[tuple] = Counter()
        for row in rows:
            counts[tuple(_text(row.get(d)) for d in self.dimensions)] += 1
        self.cells: dict[tuple, int] = dict(counts)
        self.total = sum(counts.values())
        self.block_of = pool(self.cells, k)
        self._blocks: dict[int, set[tuple]] = {}
        for cell, block in self.block_of.items():
            self._blocks.setdefault(block, set()).add(cell)
        # dimension index → value → the cells holding it, so a group reads only its cells.
        self._index: list[dict[str, list[tuple]]] = [{} for _ in self.dimensions]
        for cell in self.cells:
            for i, value in enumerate(cell):
                self._index[i].setdefault(value, []).append(cell)

    def _where(self, constraints: Mapping[str, object] | None) -> list[tuple[int, str]]:
        where = []
        for dimension, value in (constraints or {}).items():
            if dimension not in self.dimensions:
                known = ", ".join(self.dimensions)
                raise ValueError(f"unknown dimension {dimension!r} (known: {known})")
            where.append((self.dimensions.index(dimension), _text(value)))
        return where

    def count(self, constraints: Mapping[str, object] | None = None) -> int:
        """The exact size of a group. For deciding only: never show it unless ``group``
        says the group is shown."""
        where = self._where(constraints)
        return sum(n for cell, n in self.cells.items() if all(cell[i] == v for i, v in where))

    def group(self, constraints: Mapping[str, object] | None = None) -> Verdict:
        """May the group matching every ``dimension: value`` in ``constraints`` be shown?"""
        where = self._where(constraints)
        n, inside = 0, set()
        patterns: Counter[tuple[bool, ...]] = Counter()
        # Only cells meeting at least one filter need reading: the rest all fall in the
        # pattern where every filter is false.
        if where:
            near = set().union(*(self._index[i].get(v, ()) for i, v in where))
        else:
            near = set(self.cells)
        for cell in near:
            count = self.cells[cell]
            signs = tuple(cell[i] == v for i, v in where)
            patterns[signs] += count
            if all(signs):
                n += count
                inside.add(cell)
        if where:
            patterns[(False,) * len(where)] += self.total - sum(patterns.values())
        if n < self.k:
            return Verdict(False, None, self.k, SMALL)
        if any(0 < count < self.k for count in patterns.values()):
            return Verdict(False, None, self.k, DIFFERENCE)
        touched = {self.block_of[cell] for cell in inside}
        if any(not self._blocks[block] <= inside for block in touched):
            return Verdict(False, None, self.k, OVERLAP)
        return Verdict(True, n, self.k)

    def breakdown(
        self,
        dimension: str,
        constraints: Mapping[str, object] | None = None,
        values: Iterable[str] = (),
    ) -> Breakdown:
        """One row per value of ``dimension`` among the group ``constraints`` (and per value
        in ``values``, so that a row can be listed whether or not anyone answered), with
        complementary suppression. Nothing is shown when the group itself is not."""
        constraints = dict(constraints or {})
        if dimension not in self.dimensions:
            raise ValueError(f"unknown dimension {dimension!r}")
        if dimension in constraints:
            raise ValueError(f"the results are already filtered on {dimension!r}")
        total = self.group(constraints)
        where = self._where(constraints)
        at = self.dimensions.index(dimension)
        counts: Counter[str] = Counter({_text(v): 0 for v in values})
        for cell, n in self.cells.items():
            if all(cell[i] == v for i, v in where):
                counts[cell[at]] += n
        if not total.shown:
            verdicts = {v: Verdict(False, None, self.k, PARENT) for v in counts}
        else:
            verdicts = {v: self.group({**constraints, dimension: v}) for v in counts}
            refused = {v for v, verdict in verdicts.items() if not verdict.shown}
            for v in complementary(counts, self.k, refused) - refused:
                verdicts[v] = Verdict(False, None, self.k, COMPLEMENT)
        rows = tuple(BreakdownRow(v, verdicts[v]) for v in sorted(counts))
        return Breakdown(dimension, total, rows)


def _text(value) -> str:
    return "" if value is None else str(value)
