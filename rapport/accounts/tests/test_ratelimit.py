"""Counting attempts per client in the database (accounts/ratelimit.py)."""

from datetime import timedelta

from django.utils import timezone

from rapport.accounts import ratelimit
from rapport.accounts.models import RateCount
from rapport.accounts.tasks import prune_rate_counts


def test_a_window_allows_its_count_then_refuses_and_a_new_window_starts_afresh(db):
    assert [ratelimit.within("s", "198.51.100.1", 2, 60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert ratelimit.within("s", "198.51.100.2", 2, 60)  # another client has its own count
    RateCount.objects.update(window_ends=timezone.now() - timedelta(seconds=1))
    assert ratelimit.within("s", "198.51.100.1", 2, 60)
    assert RateCount.objects.get(key=ratelimit.key("s", "198.51.100.1")).count == 1


def test_the_clock_forgets_ended_windows_only(db):
    ratelimit.within("s", "ended", 5, 60)
    ratelimit.within("s", "current", 5, 60)
    RateCount.objects.filter(key=ratelimit.key("s", "ended")).update(
        window_ends=timezone.now() - timedelta(seconds=1)
    )
    assert prune_rate_counts.call() == 1
    assert list(RateCount.objects.values_list("key", flat=True)) == [ratelimit.key("s", "current")]
