"""The signing examples in docs/intake.md work: the Python one posts through the real view,
the openssl one computes the same signature as Rapport."""

import io
import json
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from rapport.intake.actions import create_webhook
from rapport.intake.webhooks import sign
from rapport.people.models import Interaction

DOC = Path(__file__).resolve().parents[3] / "docs" / "intake.md"


def python_example() -> str:
    text = DOC.read_text()
    return re.search(r"Python \(standard library only\):\n\n```python\n(.*?)```", text, re.S)[1]


class _Reply(io.BytesIO):
    def __init__(self, status, content):
        super().__init__(content)
        self.status = status


def _through_django(request, timeout=None):
    """urlopen at the network edge: the request goes to the real view via the test client."""
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.header_items()}
    response = Client().post(
        urllib.request.urlparse(request.full_url).path,
        request.data,
        content_type=headers.pop("HTTP_CONTENT_TYPE"),
        **headers,
    )
    if response.status_code >= 400:
        raise urllib.error.HTTPError(
            request.full_url, response.status_code, "refused", None, io.BytesIO(response.content)
        )
    return _Reply(response.status_code, response.content)


def test_the_python_example_delivers_signed_items(personas, monkeypatch):
    hook = create_webhook(personas.bakery, name="Till", kind="interactions")
    namespace: dict = {}
    exec(python_example(), namespace)  # noqa: S102 - our own documentation
    monkeypatch.setattr(urllib.request, "urlopen", _through_django)
    item = {
        "id": "till-1042",
        "occurred_at": "2025-02-03T09:30:00+01:00",
        "channel": "visit",
        "text": "Lovely cake",
        "person": {"email": "ann@example.com", "name": "Ann Lee"},
    }

    status, body = namespace["post_to_rapport"](
        f"http://testserver{hook.path}", hook.secret, [item]
    )
    assert status == 200 and body["created"] == 1
    assert Interaction.objects.get().external_id == "till-1042"

    status, body = namespace["post_to_rapport"](f"http://testserver{hook.path}", "wrong", item)
    assert status == 401 and "signature" in body["error"]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl on this machine")
def test_the_openssl_example_signs_like_rapport():
    text = DOC.read_text()
    line = next(x for x in text.splitlines() if x.startswith("SIG=$("))
    secret, timestamp = "whsec_example-secret", "1738571400"
    body = json.dumps({"id": "x", "text": "Crème brûlée"}, ensure_ascii=False)
    done = subprocess.run(
        [shutil.which("bash") or "/bin/bash", "-c", line + '\nprintf %s "$SIG"'],
        env={"SECRET": secret, "TS": timestamp, "BODY": body, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "sha256=" + done.stdout.strip() == sign(secret, timestamp, body.encode())
