"""Dashboard sentences are an owner's words: what changed and how likely it is real, with the
test, its p-value and the interval one click away in a "How we know" disclosure."""

import re

from django.urls import reverse

from rapport.engine.drivers import find_drivers
from rapport.engine.periods import MONTH, window_of
from rapport.feedback.choices import Anonymity
from rapport.insights.actions import refresh_snapshots
from rapport.insights.models import Finding
from rapport.insights.tests.factories import answer, noon, survey, today_of
from rapport.test import login

# What a statistics paper says and an owner should not have to read.
JARGON = re.compile(
    r"\bp\s?[<=]|p-value|Mann|Kendall|Theil|two-proportion|Welch|Fisher|Holm|trinomial|z-test"
    r"|t-test|significan",
    re.I,
)


def words_outside_details(html: str) -> str:
    """The words of a page without its charts and without what its <details> hold."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r"<details.*?</details>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def how_we_know(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", " ", d)
        for d in re.findall(r"<details class=\"how\">(.*?)</details>", html, flags=re.S)
    ]


def nps_fall(workspace):
    """25 promoters five months ago, 25 detractors two months ago: the last three complete
    months against the three before them, a fall the data supports."""
    month = window_of(today_of(workspace), MONTH)
    earlier = month.previous().previous().previous().previous().previous()
    later = month.previous().previous()
    asked = survey(workspace, anonymity=Anonymity.ANONYMOUS)
    for i in range(25):
        answer(asked, None, 10, when=noon(workspace, earlier.start.replace(day=2 + i % 20)))
        answer(asked, None, 1, when=noon(workspace, later.start.replace(day=2 + i % 20)))


def test_a_change_reads_in_plain_words_with_the_test_one_click_away(client, personas):
    ws = personas.bakery
    nps_fall(ws)
    refresh_snapshots(ws, full=True)
    [alert] = Finding.objects.filter(workspace=ws, kind=Finding.Kind.ALERT, key="change")
    assert "very likely a real change" in alert.sentence
    login(client, personas.alice)

    for name, args in [("overview", []), ("group", ["customers"]), ("report", [])]:
        html = client.get(reverse(f"insights:{name}", args=[ws.slug, *args])).content.decode()
        words = words_outside_details(html)
        assert "Customers: NPS fell from +100 to −100" in words.replace("-100", "−100"), name
        assert "very likely a real change" in words, name
        assert not JARGON.search(words), (name, JARGON.search(words))
        [how] = how_we_know(html)
        assert "How we know" in how
        assert "trinomial z-test, p&lt;0.001" in how or "trinomial z-test, p<0.001" in how
        assert "n=25 → 25" in how


def test_a_driver_reads_in_plain_words_with_its_interval_one_click_away(client, personas):
    ws = personas.bakery
    refresh_snapshots(ws, full=True)
    rows = [(0, {"waiting"})] * 12 + [(10, set())] * 20 + [(9, {"friendly staff"})] * 12
    report = find_drivers(rows, "nps")
    month = window_of(today_of(ws), MONTH)
    Finding.objects.create(
        workspace=ws,
        kind=Finding.Kind.DRIVERS,
        group="customer",
        every=MONTH,
        start=month.start,
        key="nps",
        sentence=report.summary,
        payload={
            "method": report.method,
            "effects": [
                {"status": e.status, "sentence": e.sentence, "how": e.how} for e in report.effects
            ],
        },
    )
    login(client, personas.alice)

    html = client.get(
        reverse("insights:group", args=[ws.slug, "customers"]), {"period": month.label}
    ).content.decode()
    words = words_outside_details(html)
    assert "Comments about waiting come with an NPS" in words
    assert "very likely a real link" in words
    assert not JARGON.search(words), JARGON.search(words)
    hows = how_we_know(html)
    assert any("95% interval" in h and "Holm-adjusted p=" in h for h in hows)
