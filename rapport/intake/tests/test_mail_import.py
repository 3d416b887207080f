"""E-mail becomes the timeline: the right person, direction, handler and conversation."""

import datetime as dt

from django_tasks import default_task_backend

from rapport.accounts.models import AuditEvent, Automation
from rapport.intake.threads import key_for, node
from rapport.people.actions import create_person
from rapport.people.models import Interaction, Person

THREAD = ["thread_1_root.eml", "thread_2_reply.eml", "thread_3_reply.eml"]


def test_an_unknown_sender_becomes_a_person_named_from_the_message(personas, import_mail):
    result = import_mail("quoted_printable.eml")

    assert result.created == 1 and result.people_created == 1
    dana = Person.objects.get(workspace=personas.bakery, email="dana.petit@example.net")
    assert dana.name == "Dana Pétit" and dana.group == "customer"
    touch = dana.interactions.get()
    assert touch.channel == "email" and touch.direction == "inbound"
    assert touch.subject == "Gâteau for Saturday"
    assert touch.external_id == "CAF=qp-1@mail.example.net"
    assert touch.occurred_at == dt.datetime(2025, 2, 4, 7, 13, 58, tzinfo=dt.UTC)
    assert dana.last_contact_at == touch.occurred_at  # contact dates refreshed


def test_a_known_person_is_found_by_address_ignoring_case(personas, import_mail):
    nina = create_person(personas.bakery, group="supplier", name="Nina R.", email="Nina@Example.IT")

    import_mail("thread_1_root.eml", group="customer")

    assert Person.objects.filter(workspace=personas.bakery).count() == 1
    assert nina.interactions.count() == 1


def test_the_group_option_places_new_senders(personas, import_mail):
    import_mail("html_only.eml", group="supplier")
    assert Person.objects.get(email="marc@leroy-events.example").group == "supplier"


def test_a_members_reply_is_outbound_and_handled_by_that_member(personas, import_mail):
    import_mail(*THREAD)

    nina = Person.objects.get(workspace=personas.bakery, email="nina@example.it")
    reply = nina.interactions.get(external_id="reply-2@alices-bakery.example")
    assert reply.direction == "outbound"
    assert reply.handled_by == personas.bob_member  # Bob@Example.com is Bob's login
    assert nina.last_human_contact_at == reply.occurred_at
    inbound = nina.interactions.filter(direction="inbound")
    assert inbound.count() == 2 and not inbound.filter(handled_by__isnull=False).exists()


def test_a_conversation_shares_the_key_of_its_first_message(personas, import_mail):
    import_mail(*THREAD)
    keys = set(Interaction.objects.values_list("thread_key", flat=True))
    assert keys == {key_for(node("root-1@example.it"))}


def test_replies_read_before_their_parent_and_in_other_runs_join_the_same_thread(
    personas, import_mail
):
    import_mail("thread_3_reply.eml")
    import_mail("thread_1_root.eml")
    import_mail("thread_2_reply.eml")
    keys = set(Interaction.objects.values_list("thread_key", flat=True))
    assert keys == {key_for(node("root-1@example.it"))}


def test_a_reply_naming_only_its_parent_is_merged_when_the_parent_shows_the_root(
    personas, tmp_path, import_mail
):
    def message(mid, date, refs="", irt=""):
        headers = [
            "From: Pat Client <pat@example.com>",
            "To: hello@alices-bakery.example",
            f"Date: {date}",
            f"Message-ID: <{mid}>",
        ]
        if refs:
            headers.append(f"References: {refs}")
        if irt:
            headers.append(f"In-Reply-To: {irt}")
        path = tmp_path / f"{mid.split('@')[0]}.eml"
        path.write_text("\n".join(headers) + "\n\nSome words about bread.\n")
        return path

    grandchild = message("c@x", "Mon, 03 Feb 2025 12:00:00 +0000", irt="<b@x>")
    child = message("b@x", "Mon, 03 Feb 2025 11:00:00 +0000", refs="<a@x>", irt="<a@x>")
    root = message("a@x", "Mon, 03 Feb 2025 10:00:00 +0000")

    import_mail(grandchild)  # knows only its parent b: keyed by b for now
    import_mail(child)  # shows that b's root is a: c moves to a's thread
    import_mail(root)
    keys = dict(Interaction.objects.values_list("external_id", "thread_key"))
    assert set(keys.values()) == {key_for(node("a@x"))}, keys


def test_a_second_import_adds_nothing(personas, import_mail):
    first = import_mail(*THREAD, "bakery.mbox", "quoted_printable.eml")
    count = Interaction.objects.count()
    again = import_mail(*THREAD, "bakery.mbox", "quoted_printable.eml")

    assert first.created == count == 7
    assert again.created == 0 and again.unchanged == first.created
    assert Interaction.objects.count() == count
    # Dana, Nina, Tom and Rita, once each.
    assert Person.objects.filter(workspace=personas.bakery).count() == 4


def test_the_same_message_in_two_files_is_added_once(personas, import_mail, mail, tmp_path):
    copy = tmp_path / "copy.eml"
    copy.write_bytes(mail("thread_1_root.eml").read_bytes())
    result = import_mail("thread_1_root.eml", copy)
    assert result.created == 1 and result.unchanged == 1


def test_bad_messages_are_named_by_file_number_and_message_id_and_the_rest_is_kept(
    personas, import_mail
):
    result = import_mail("bakery.mbox", "no_date.eml")

    reasons = [str(p) for p in result.problems]
    assert result.rejected == 3
    assert any(
        r.endswith(
            "bakery.mbox, message 3 (m3-bad-date@example.net): unreadable Date header "
            "'32 Foo 2025 99:99:99'"
        )
        for r in reasons
    ), reasons
    assert any(
        "bakery.mbox, message 4 (m4-no-from@alices-bakery.example): no From address" in r
        for r in reasons
    )
    assert any("no_date.eml (no-date-1@example.com): no Date header" in r for r in reasons)
    # Messages 1, 2 and 6 are stored; 5 is mail between Alice and Bob.
    assert result.created == 3 and result.skipped == 1
    assert not Interaction.objects.filter(subject="Rota").exists()


def test_an_auto_reply_is_handled_by_the_auto_reply_automation(personas, import_mail):
    import_mail("bakery.mbox")

    touch = Interaction.objects.get(external_id="m6-auto@alices-bakery.example")
    assert touch.direction == "outbound" and touch.handled_by is None
    assert touch.handled_by_automation == Automation.objects.get(
        workspace=personas.bakery, name="E-mail auto-replies"
    )
    assert touch.person.email == "rita@example.org"


def test_a_reply_to_a_message_without_references_still_threads_by_in_reply_to(
    personas, import_mail
):
    import_mail("bakery.mbox")
    first = Interaction.objects.get(external_id="m1@example.co.uk")
    answer = Interaction.objects.get(external_id="m2@alices-bakery.example")
    assert first.thread_key == answer.thread_key
    assert answer.handled_by == personas.alice_member
    assert "From now on I will call you myself" in answer.text


def test_a_whole_domain_can_be_the_business(personas, import_mail):
    result = import_mail("bakery.mbox", ours=["@alices-bakery.example"])
    assert result.created == 3


def test_mail_stays_in_its_own_business(personas, import_mail):
    create_person(personas.garage, group="customer", name="Nina", email="nina@example.it")
    import_mail("thread_1_root.eml")
    assert not Interaction.objects.filter(workspace=personas.garage).exists()
    assert Person.objects.get(workspace=personas.bakery, email="nina@example.it")


def test_the_import_is_audited_and_new_messages_are_queued_for_reading(
    personas, import_mail, django_capture_on_commit_callbacks
):
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        import_mail("thread_1_root.eml")
    queued = [r for r in default_task_backend.results if r.task.name == "analyze_workspace"]
    assert [r.args for r in queued] == [[personas.bakery.pk]]

    event = AuditEvent.objects.get(workspace=personas.bakery, object_type="mail")
    assert event.action == "import" and event.changes["created"] == [None, 1]


def test_mail_without_a_message_id_is_not_added_twice(personas, import_mail, tmp_path):
    path = tmp_path / "no-id.eml"
    path.write_text(
        "From: Pat <pat@example.com>\nTo: hello@alices-bakery.example\n"
        "Date: Mon, 03 Feb 2025 10:00:00 +0000\nSubject: Hi\n\nIs the shop open on Monday?\n"
    )
    assert import_mail(path).created == 1
    again = import_mail(path)
    assert again.created == 0 and again.unchanged == 1
    assert Interaction.objects.get().external_id == ""


def test_an_unreadable_file_is_named_and_the_others_are_imported(personas, import_mail, tmp_path):
    locked = tmp_path / "locked.mbox"
    locked.mkdir()  # a folder where a file was expected: reading it fails like a locked file
    result = import_mail(locked, "thread_1_root.eml")
    assert result.created == 1
    assert [str(p) for p in result.problems] == [f"{locked}: cannot read: Is a directory"]
