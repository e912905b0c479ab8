"""Cohorts: peer statistics over a workspace's clients under the min-n rule (DESIGN §4.13).

A client's peers are the *other* clients of its workspace (leave-one-out) with a
closed assessment in the same period, of the same questionnaire id and major
version, optionally narrowed by industry, size and tags. Their statistics are
published only where at least `min_n` of them have a score: median and quartiles
(`statistics.quantiles(method="inclusive")`), rounded half up to one decimal, and
never the minimum or maximum, which would be one client's own score.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

DEFAULT_MIN_N = 5
LOWEST_MIN_N = 3
"""A workspace may publish from 3 clients on, never fewer (DESIGN §4.13)."""


def major_version(version: str) -> str:
    """The part of a questionnaire version before the first dot ("1" of "1.1")."""
    return version.split(".", 1)[0]


def checked_min_n(value: int) -> int:
    """Raises ValueError below LOWEST_MIN_N."""
    if value < LOWEST_MIN_N:
        raise ValueError(f"a cohort needs at least {LOWEST_MIN_N} clients, not {value}")
    return value


@dataclass(frozen=True)
class CohortFilter:
    """Which clients form the cohort besides the period and questionnaire: all where empty.

    A client matches when it has the industry and the size asked for (where asked) and
    every tag asked for.
    """

    industry: str | None = None
    size: str | None = None
    tags: tuple[str, ...] = ()

    def admits(self, client: CohortClient) -> bool:
        return (
            (self.industry is None or client.industry == self.industry)
            and (self.size is None or client.size == self.size)
            and all(tag in client.tags for tag in self.tags)
        )


@dataclass(frozen=True)
class CohortClient:
    """One client's closed assessment of a period, as its result snapshot recorded it."""

    client_id: int
    questionnaire_id: str
    questionnaire_version: str
    period: str
    overall: Fraction | None
    dimensions: Mapping[str, Fraction | None]
    """Dimension id → score; None or missing where the dimension was not scored."""
    industry: str | None = None
    size: str | None = None
    tags: tuple[str, ...] = ()

    def comparable_with(self, other: CohortClient) -> bool:
        """Same period, questionnaire id and major version."""
        return (
            self.period == other.period
            and self.questionnaire_id == other.questionnaire_id
            and major_version(self.questionnaire_version)
            == major_version(other.questionnaire_version)
        )


@dataclass(frozen=True)
class Band:
    """Median and quartiles of n scores, or `suppressed` (no number) where n < min_n."""

    n: int
    min_n: int
    lower_quartile: Fraction | None = None
    median: Fraction | None = None
    upper_quartile: Fraction | None = None

    @property
    def suppressed(self) -> bool:
        return self.n < self.min_n


@dataclass(frozen=True)
class CohortStatistics:
    """The band of the overall score and of each dimension over one set of clients."""

    n: int
    """Clients in the cohort (a dimension's band may count fewer: those scored there)."""
    min_n: int
    overall: Band
    dimensions: tuple[tuple[str, Band], ...] = field(default=())

    @property
    def suppressed(self) -> bool:
        return self.overall.suppressed

    def dimension(self, dimension_id: str) -> Band:
        for found_id, band in self.dimensions:
            if found_id == dimension_id:
                return band
        return Band(0, self.min_n)


@dataclass(frozen=True)
class CohortPosition:
    """Where one client stands among its peers (leave-one-out)."""

    client_id: int
    peers: CohortStatistics


def band_of(scores: Iterable[Fraction | None], min_n: int) -> Band:
    """The band of the scores that exist; suppressed (n only) where fewer than min_n."""
    # Sorted by their float values first: a thousand Fraction comparisons cost a
    # millisecond each hundred, and no two scores of small denominators share a float.
    values = sorted((score for score in scores if score is not None), key=float)
    if len(values) < max(min_n, 2):
        return Band(len(values), min_n)
    lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
    return Band(len(values), min_n, _one_decimal(lower), _one_decimal(median), _one_decimal(upper))


def cohort_statistics(
    clients: Sequence[CohortClient], dimension_ids: Sequence[str], min_n: int
) -> CohortStatistics:
    """The bands over exactly these clients (the caller has chosen them)."""
    return CohortStatistics(
        n=len(clients),
        min_n=min_n,
        overall=band_of((client.overall for client in clients), min_n),
        dimensions=tuple(
            (dimension_id, band_of((c.dimensions.get(dimension_id) for c in clients), min_n))
            for dimension_id in dimension_ids
        ),
    )


def peers_of(
    client: CohortClient, candidates: Iterable[CohortClient], cohort: CohortFilter | None = None
) -> list[CohortClient]:
    """The client's peers: the other comparable clients the filter admits (leave-one-out)."""
    cohort = cohort or CohortFilter()
    return [
        other
        for other in candidates
        if other.client_id != client.client_id
        and other.comparable_with(client)
        and cohort.admits(other)
    ]


def position_of(
    client: CohortClient,
    candidates: Iterable[CohortClient],
    dimension_ids: Sequence[str],
    min_n: int,
    cohort: CohortFilter | None = None,
) -> CohortPosition:
    """The client's position: the statistics of its peers, never including itself."""
    peers = peers_of(client, candidates, cohort)
    return CohortPosition(client.client_id, cohort_statistics(peers, dimension_ids, min_n))


def aliases(client_ids: Sequence[int]) -> dict[int, str]:
    """Peer aliases A, B, … Z, AA, AB … in the order given (the consultant's view)."""
    return {client_id: _alias(n) for n, client_id in enumerate(client_ids)}


def _alias(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _one_decimal(value: Fraction) -> Fraction:
    """Half up, exactly (scores are positive): 2.25 → 2.3, 2.249… → 2.2."""
    return Fraction(math.floor(value * 10 + Fraction(1, 2)), 10)
