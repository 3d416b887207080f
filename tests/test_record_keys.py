"""Record keys are stored (import keys, a message's thread node, a response's key): the same
record sent again must find its row, so each caller's digest is pinned here, computed with
the code as it was before the digests were unified into ``rapport.lib.keys.record_key``.
If one of these fails, existing rows no longer match and a re-import would duplicate them."""

import hashlib

import pytest

from rapport.feedback.choices import Anonymity
from rapport.feedback.models import Question, Survey
from rapport.lib.keys import record_key


def test_record_key_joins_parts_with_the_unit_separator():
    expected = hashlib.sha256(b"a\x1f\x1f3").hexdigest()
    assert record_key("a", None, 3) == expected
    assert record_key("x") == hashlib.sha256(b"x").hexdigest()


def test_an_unpaired_surrogate_is_replaced_or_refused():
    assert record_key("\udcff") == hashlib.sha256(b"?").hexdigest()
    with pytest.raises(UnicodeEncodeError):
        record_key("\udcff", errors="strict")


def test_the_thread_node_of_a_message_id():
    from rapport.intake.threads import node

    assert node("<abc@example.com>") == (
        "d25834a4b4895bb7d24edcd352b003f3ff72aa96d77962f38cc984189271811b"
    )
    assert node("<x\udcff@example.com>") == (
        "9f184c19f0752621653039813b1decaa1b2b7873ee06e75bfb21500f5cc10425"
    )


def test_the_import_key_of_a_mail_message():
    from rapport.intake.mail import mail_identity

    assert mail_identity("<abc@example.com>") == (
        "1a60f2d593c7bd2236501fa53740d52d0bbae9cd87dfbcc8ee294a7962346d2d"
    )
    # A message without a Message-ID is known by its sender, recipients, time and text.
    parts = (
        "no-message-id",
        "ann@example.com",
        "shop@example.com,b@example.com",
        "2026-03-02T09:30:00+01:00",
        "Café order",
        "Bonjour ☕",
    )
    assert record_key(*parts) == "c23ba4da09e45f03d2afb8fe8a049bc82b15cead16d59fa3aafe27499b3c7474"


def test_the_import_key_of_an_interaction_sent_to_the_intake_api():
    assert record_key("intake", "interaction", "tkt-42") == (
        "602c9e4db50a7e080ecdd53f05a0c84d3a97d0d560717016ad981ee340946c1e"
    )


def test_the_import_key_of_a_file_import_row():
    from rapport.imports.kinds.cleaning import digest

    assert digest("purchase", "id", "INV-2026-001") == (
        "49101685d5a42504d0d5092bc615963105cf15d3243becee60871c1abe12358c"
    )
    assert digest("employment", 7, None, "2026-01-31") == (
        "56e40f4dfb0f14c9d7bdb327ecc9213e3402d45c37ab75f52a2bbb9dbdaac36d"
    )
    with pytest.raises(UnicodeEncodeError):  # as before: imports refuse, never replace
        digest("purchase", "id", "\udcff")


def test_the_fingerprint_of_a_submitted_response():
    from rapport.feedback.actions import fingerprint

    answers = {Question(pk=4): "Très bien", Question(pk=3): 9}
    assert fingerprint(Survey(pk=12), answers, "ann") == (
        "d698420b352cf3a8ef97189bc716d2103a1fed7935e5ecc6e634f19c6c28d4e0"
    )


def test_the_import_key_of_a_response_sent_under_its_own_id():
    from rapport.feedback.actions import response_import_key

    survey = Survey(pk=12, anonymity=Anonymity.IDENTIFIED)
    assert response_import_key(survey, "intake", "resp-7") == (
        "a995b0479daeb3a093a5baa5fd84763aadd103f02b946ce1ce560ac796ec75ec"
    )
