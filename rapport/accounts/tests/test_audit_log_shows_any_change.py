from django.urls import reverse

from rapport.accounts.audit import record_audit
from rapport.test import login


def test_the_audit_log_shows_changes_that_are_not_before_and_after_pairs(client, personas):
    # Older events, and any future caller, may have stored plain values: the page must
    # still open and show them as they are.
    record_audit(
        personas.bakery,
        "import",
        object_type="entry",
        object_repr="knowledge base import",
        changes={
            "created": 3,
            "filters": {"q": "Dana"},
            "note": "by hand",
            "three": [1, 2, 3],
            "role": ["staff", "manager"],
        },
    )

    page = login(client, personas.alice).get(reverse("audit-log", args=["alices-bakery"]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>created</strong>: 3<" in html
    assert "<strong>note</strong>: by hand<" in html
    assert "<strong>role</strong>: staff → manager<" in html
    assert "q" in html and "Dana" in html
