"""The four stories, as the dashboards tell them: each is among the alerts computed when
the demo is generated, and the overview shows them."""

import pytest

from rapport.demo.tests.conftest import AS_OF
from rapport.insights.models import Finding, InsightSettings, Snapshot

PERIOD = f"{AS_OF.year}-Q{(AS_OF.month - 1) // 3 + 1}"


def alerts(demo) -> list[str]:
    return list(
        Finding.objects.filter(workspace=demo, kind=Finding.Kind.ALERT).values_list(
            "sentence", flat=True
        )
    )


def test_the_demo_comes_with_its_dashboards_computed(demo, db):
    state = InsightSettings.objects.get(workspace=demo)
    assert state.refreshed_through == AS_OF
    assert Snapshot.objects.filter(workspace=demo, every="quarter", group="customer").exists()


def test_the_chatbot_shows_as_relational_decay(demo, db):
    decay = Finding.objects.filter(workspace=demo, kind=Finding.Kind.ALERT, key="relational_decay")
    sentences = [f.sentence for f in decay]
    assert any(s.startswith("Customers") and "human-touch share fell" in s for s in sentences)


def test_the_bakehouse_shows_in_absence_or_engagement(demo, db):
    found = [s for s in alerts(demo) if s.startswith("Employees, Bakehouse")]
    assert any("Absenteeism rose" in s or "Engagement fell" in s for s in found), found


def test_the_flour_mill_shows_in_on_time_deliveries(demo, db):
    found = [s for s in alerts(demo) if "Moulin des Trois Ponts" in s]
    assert any("On-time deliveries fell" in s for s in found), found


def test_office_catering_shows_cooling(demo, db):
    found = [s for s in alerts(demo) if s.startswith("Customers, Office catering")]
    assert any(" fell " in s for s in found), found


@pytest.mark.parametrize("path", ["", "customers/", "employees/?team=Bakehouse", "suppliers/"])
def test_the_dashboard_pages_open_on_the_demo(demo, db, client, path):
    from rapport.accounts.models import User

    client.force_login(User.objects.get(email="owner@demo.rapport.local"))
    joiner = "&" if "?" in path else "?"
    page = client.get(f"/w/{demo.slug}/insights/{path}{joiner}period={PERIOD}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Not enough data: no group has an index" not in text
    if path == "":
        assert "relational decay" in text
        assert "Moulin des Trois Ponts" in text
