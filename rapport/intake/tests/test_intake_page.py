"""Managers make and revoke webhooks on the intake page; the secret is shown once."""

from rapport.feedback import actions as feedback
from rapport.intake.actions import add_mailbox, create_webhook
from rapport.intake.models import WebhookEndpoint
from rapport.test import login

URL = "/w/alices-bakery/settings/intake/"


def test_an_owner_makes_a_webhook_and_sees_its_secret_once(client, personas):
    login(client, personas.alice)
    response = client.post(URL, {"action": "add", "name": "Till", "kind": "interactions"})

    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get(workspace=personas.bakery)
    assert endpoint.created_by == personas.alice_member
    html = response.content.decode()
    assert endpoint.secret in html and endpoint.path in html

    again = client.get(URL).content.decode()
    assert "Till" in again and endpoint.secret not in again


def test_a_webhook_for_answers_needs_a_survey_of_this_business(client, personas):
    garage_survey = feedback.create_survey(personas.garage, blueprint="customer_nps")
    login(client, personas.alice)
    response = client.post(
        URL, {"action": "add", "name": "Kiosk", "kind": "responses", "survey": garage_survey.pk}
    )
    assert response.status_code == 400
    assert "needs its survey" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_revoking_from_the_page(client, personas):
    endpoint = create_webhook(personas.bakery, name="Till", kind="interactions")
    login(client, personas.alice)
    response = client.post(URL, {"action": "revoke", "endpoint": str(endpoint.pk)})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.active


def test_the_page_lists_mailboxes_without_their_password(client, personas):
    add_mailbox(personas.bakery, host="imap.example.com", username="hello", password="hunter22")
    html = login(client, personas.alice).get(URL).content.decode()
    assert "hello@imap.example.com/INBOX" in html and "hunter22" not in html


def test_staff_and_strangers_get_404(client, personas):
    endpoint = create_webhook(personas.bakery, name="Till", kind="interactions")
    login(client, personas.bob)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"action": "revoke", "endpoint": str(endpoint.pk)}).status_code == 404
    login(client, personas.charlie)
    assert client.get(URL).status_code == 404
    # Charlie names Alice's endpoint on his own business's page.
    response = client.post(
        "/w/charlies-garage/settings/intake/", {"action": "revoke", "endpoint": str(endpoint.pk)}
    )
    assert response.status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.active
