from django.urls import reverse

from rapport.accounts.models import AuditEvent
from rapport.people.tests.factories import make_customer
from rapport.test import login


def test_the_audit_log_shows_a_directory_export_with_its_filters(client, personas):
    make_customer(personas.bakery, name="Dana Petit")
    login(client, personas.alice)
    export = client.get(reverse("people:export", args=["alices-bakery"]), {"q": "Dana"})
    b"".join(export.streaming_content)

    page = client.get(reverse("audit-log", args=["alices-bakery"]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "people directory export" in html
    assert "<strong>q</strong>: — → Dana" in html


def test_the_export_records_its_filters_as_before_and_after(client, personas):
    login(client, personas.alice)
    export = client.get(reverse("people:export", args=["alices-bakery"]), {"group": "customer"})
    b"".join(export.streaming_content)

    event = AuditEvent.objects.get(workspace=personas.bakery, action="export")
    assert event.changes == {"group": [None, "customer"]}
