"""Anonymous responses sent through the API or a webhook kept the sender's id
(``external_id``), which can lead back to a person in the sender's system, and an import key
that was a plain hash of it. This forgets the id and keys the import key with the server's
secret, as ``feedback.actions.prepare_response`` and ``response_import_key`` now do.

The key is computed here rather than imported, so this migration keeps doing what it did
when it was written.
"""

import hashlib

from django.db import migrations
from django.utils.crypto import salted_hmac

SALT = "rapport.feedback.anonymous-response-key"


def _message(survey_id, external_id: str) -> bytes:
    return "\x1f".join(("intake", "response", str(survey_id), external_id)).encode(
        "utf-8", "replace"
    )


def forget_sender_ids(apps, schema_editor):
    Response = apps.get_model("feedback", "Response")
    sent = (
        Response.objects.filter(survey__anonymity="anonymous")
        .exclude(external_id="")
        .only("pk", "survey_id", "external_id", "import_key", "person_id", "contact_email")
    )
    changed = []
    for response in sent.iterator(chunk_size=500):
        message = _message(response.survey_id, response.external_id)
        if response.import_key == hashlib.sha256(message).hexdigest():
            response.import_key = salted_hmac(SALT, message, algorithm="sha256").hexdigest()
        # A suggestion box's writer who chose to give a name or an email keeps the id.
        if response.person_id is None and not response.contact_email:
            response.external_id = ""
        changed.append(response)
    Response.objects.bulk_update(changed, ["import_key", "external_id"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_sender_ids, migrations.RunPython.noop),
    ]
