"""``rapport import-mail`` and ``rapport webhook``: one line per problem, never a traceback."""

import json
import time

from django.test import Client

from rapport.feedback import actions as feedback
from rapport.intake.models import WebhookEndpoint
from rapport.intake.webhooks import sign
from rapport.people.models import Interaction
from rapport.test import main


def test_import_mail_reads_files_and_folders_and_reports_bad_messages(personas, mail, capsys):
    status = main(
        [
            "import-mail",
            str(mail("bakery.mbox")),
            str(mail("thread_1_root.eml")),
            "--workspace",
            "alices-bakery",
            "--ours",
            "hello@alices-bakery.example",
            "--progress",
            "always",
        ]
    )
    out, err = capsys.readouterr()
    assert status == 0
    assert out.strip() == (
        "7 messages: 4 added, 0 already there, 1 internal skipped, 2 rejected (3 people created)"
    )
    assert "bakery.mbox, message 3 (m3-bad-date@example.net): unreadable Date header" in err
    assert "7/7 messages" in err  # the progress bar knew the total

    main(["import-mail", str(mail("thread_1_root.eml").parent), "--workspace", "alices-bakery"])
    out = capsys.readouterr().out
    # The folder holds every fixture: the four stored above are already there.
    assert out.startswith("15 messages: 6 added, 4 already there, 1 internal skipped, 4 rejected")
    assert Interaction.objects.count() == 10


def test_import_mail_names_a_missing_file_and_imports_nothing(personas, mail, capsys):
    status = main(
        ["import-mail", str(mail("thread_1_root.eml")), "nope.mbox", "--workspace", "alices-bakery"]
    )
    assert status == 2
    assert "no such file or folder: nope.mbox" in capsys.readouterr().err
    assert not Interaction.objects.exists()


def test_import_mail_names_an_unknown_workspace(personas, mail, capsys):
    assert main(["import-mail", str(mail("thread_1_root.eml")), "--workspace", "nope"]) == 2
    assert "no workspace 'nope'" in capsys.readouterr().err


def test_a_webhook_made_on_the_command_line_accepts_signed_items(personas, capsys):
    survey = feedback.create_survey(personas.bakery, blueprint="customer_nps", status="open")
    status = main(
        [
            "webhook",
            "add",
            "--workspace",
            "alices-bakery",
            "--name",
            "Kiosk",
            "--kind",
            "responses",
            "--survey",
            str(survey.pk),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    endpoint = WebhookEndpoint.objects.get(workspace=personas.bakery)
    assert f"secret:  {endpoint.secret}" in out
    assert f"address: http://127.0.0.1:8000/hooks/{endpoint.pk}/" in out

    body = json.dumps({"id": "1", "answers": {"nps": 10}}).encode()
    now = str(int(time.time()))
    response = Client().post(
        endpoint.path,
        body,
        content_type="application/json",
        HTTP_X_RAPPORT_TIMESTAMP=now,
        HTTP_X_RAPPORT_SIGNATURE=sign(endpoint.secret, now, body),
    )
    assert response.status_code == 200

    assert main(["webhook", "list", "--workspace", "alices-bakery"]) == 0
    listed = capsys.readouterr().out
    assert f"{endpoint.pk}  Kiosk  [active]" in listed and endpoint.secret not in listed

    assert main(["webhook", "revoke", str(endpoint.pk), "--workspace", "alices-bakery"]) == 0
    endpoint.refresh_from_db()
    assert not endpoint.active


def test_webhook_add_explains_what_is_missing(personas, capsys):
    base = ["webhook", "add", "--workspace", "alices-bakery", "--name", "X", "--kind"]
    assert main([*base, "responses"]) == 2
    assert "--kind responses needs --survey ID" in capsys.readouterr().err
    assert main([*base, "responses", "--survey", "9999"]) == 2
    assert "no survey 9999 in alices-bakery" in capsys.readouterr().err


def test_a_webhook_of_another_business_cannot_be_revoked(personas, capsys):
    main(
        [
            "webhook",
            "add",
            "--workspace",
            "charlies-garage",
            "--name",
            "G",
            "--kind",
            "interactions",
        ]
    )
    garage = WebhookEndpoint.objects.get()
    assert main(["webhook", "revoke", str(garage.pk), "--workspace", "alices-bakery"]) == 2
    assert main(["webhook", "revoke", "not-an-id", "--workspace", "alices-bakery"]) == 2
    garage.refresh_from_db()
    assert garage.active
