from django.urls import reverse

from rapport.accounts.models import AuditEvent
from rapport.people.tests.factories import make_customer
from rapport.test import login


def test_it_records_changes_to_personal_data_in_the_audit_log(client, personas):
    dana = make_customer(personas.bakery, email="dana@example.com")
    login(client, personas.bob)

    response = client.post(
        reverse("people:edit", args=["alices-bakery", dana.pk]),
        {
            "name": "Dana Petit",
            "email": "dana.petit@example.com",
            "phone": "",
            "address": "",
            "owner": "",
            "segment": "",
            "category": "",
            "job_title": "",
            "birthday": "",
            "may_contact": "on",
            "notes": "",
            "tags": "VIP, allergy: nuts",
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.filter(workspace=personas.bakery, action="update").get()
    assert event.actor == personas.bob
    assert event.changes["email"] == ["dana@example.com", "dana.petit@example.com"]
    assert event.changes["may_analyse"] == [True, False]
    assert event.changes["tags"] == ["", "VIP, allergy: nuts"]


def test_it_does_not_let_a_viewer_edit(client, personas):
    dana = make_customer(personas.bakery)
    response = login(client, personas.vera).get(
        reverse("people:edit", args=["alices-bakery", dana.pk])
    )
    assert response.status_code == 404


def test_it_shows_the_audit_log_to_managers_only(client, personas):
    make_customer(personas.bakery)
    assert (
        login(client, personas.alice).get(reverse("audit-log", args=["alices-bakery"])).status_code
        == 200
    )
    assert (
        login(client, personas.bob).get(reverse("audit-log", args=["alices-bakery"])).status_code
        == 404
    )


def test_it_audits_an_export(client, personas):
    make_customer(personas.bakery, name="Dana Petit")
    response = login(client, personas.alice).get(reverse("people:export", args=["alices-bakery"]))
    body = b"".join(response.streaming_content).decode()
    assert "Dana Petit" in body
    assert AuditEvent.objects.filter(workspace=personas.bakery, action="export").count() == 1


def test_an_export_never_hands_a_spreadsheet_a_formula(client, personas):
    make_customer(
        personas.bakery, name='=HYPERLINK("http://evil.example","Dana")', phone="+33 1 99 00 06 47"
    )
    response = login(client, personas.alice).get(reverse("people:export", args=["alices-bakery"]))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert ",+33 1 99 00 06 47," in body


def test_a_tag_too_long_is_refused_with_the_reason_not_cut(client, personas):
    from rapport.people.models import Tag
    from rapport.people.tests.factories import make_customer
    from rapport.test import login

    dana = make_customer(personas.bakery)
    login(client, personas.alice)
    page = client.post(
        f"/w/alices-bakery/people/{dana.pk}/edit/",
        {"name": "Dana Petit", "group": "customer", "tags": "regular, " + "y" * 500},
    )
    assert page.status_code == 200
    assert "A tag can have at most 60 characters" in page.content.decode()
    assert not Tag.objects.exists()
