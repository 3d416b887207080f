"""A mailbox is read over real IMAP (a small server on 127.0.0.1): only new mail each time,
nothing twice, and a clear reason when it cannot be read."""

import io
import logging

import pytest
from django.db import DatabaseError

from rapport.intake import actions
from rapport.intake.actions import add_mailbox
from rapport.intake.imap import MailboxError, is_this_machine, poll
from rapport.intake.models import Mailbox
from rapport.intake.tasks import poll_mailbox
from rapport.intake.tests.fake_imap import FakeImapServer
from rapport.people.models import Interaction
from rapport.test import main


@pytest.fixture
def server():
    with FakeImapServer() as running:
        yield running


@pytest.fixture
def inbox(personas, server):
    return add_mailbox(
        personas.bakery,
        host="127.0.0.1",
        port=server.port,
        ssl=False,
        username=server.user,
        password=server.password,
        own_addresses=["hello@alices-bakery.example"],
    )


def deliver(server, mail, *names):
    for name in names:
        server.folders["INBOX"].add(mail(name).read_bytes())


def test_a_poll_imports_the_folder_without_marking_anything_read(server, inbox, mail):
    deliver(server, mail, "thread_1_root.eml", "thread_2_reply.eml", "no_date.eml")

    result = poll(inbox)

    assert result.created == 2 and result.rejected == 1
    assert Interaction.objects.filter(workspace=inbox.workspace).count() == 2
    assert any(c.startswith("EXAMINE") for c in server.commands)  # read-only
    assert not any("STORE" in c or c.startswith("SELECT") for c in server.commands)
    inbox.refresh_from_db()
    assert inbox.last_uid == 3 and inbox.uid_validity == 1001
    assert inbox.last_polled_at is not None
    assert "UID 3 (no-date-1@example.com): no Date header" in inbox.last_error


def test_the_next_poll_fetches_only_new_uids(server, inbox, mail):
    deliver(server, mail, "thread_1_root.eml")
    poll(inbox)
    deliver(server, mail, "thread_2_reply.eml", "thread_3_reply.eml")
    server.commands.clear()

    result = poll(inbox)

    assert result.created == 2 and result.read == 2
    fetches = [c for c in server.commands if c.startswith("UID FETCH")]
    assert fetches == ["UID FETCH 2,3 (UID BODY.PEEK[])"]
    assert len(set(Interaction.objects.values_list("thread_key", flat=True))) == 1
    inbox.refresh_from_db()
    assert inbox.last_error == ""


def test_nothing_new_means_nothing_fetched(server, inbox, mail):
    deliver(server, mail, "thread_1_root.eml")
    poll(inbox)
    server.commands.clear()

    assert poll(inbox).read == 0
    assert not any(c.startswith("UID FETCH") for c in server.commands)


def test_a_new_uidvalidity_refetches_everything_and_adds_nothing_twice(server, inbox, mail):
    deliver(server, mail, "thread_1_root.eml", "thread_2_reply.eml")
    poll(inbox)
    server.folders["INBOX"].renumber(uid_validity=2002)
    deliver(server, mail, "thread_3_reply.eml")

    result = poll(inbox)

    assert result.read == 3 and result.created == 1 and result.unchanged == 2
    inbox.refresh_from_db()
    assert inbox.uid_validity == 2002 and inbox.last_uid == 3


def test_a_hundred_the_database_refuses_stops_the_poll_and_is_read_again(
    server, inbox, mail, monkeypatch, caplog
):
    monkeypatch.setattr("rapport.intake.imap.FETCH_CHUNK", 1)  # one message a batch
    deliver(server, mail, "thread_1_root.eml", "thread_2_reply.eml", "thread_3_reply.eml")
    real = actions.refresh_contact_dates
    writes = []

    def second_write_fails(people):
        writes.append(people)
        if len(writes) == 2:
            raise DatabaseError("database or disk is full")
        return real(people)

    monkeypatch.setattr("rapport.intake.actions.refresh_contact_dates", second_write_fails)
    refused = "the database refused the messages of UIDs 2–2"
    with caplog.at_level(logging.ERROR), pytest.raises(MailboxError, match=refused):
        poll(inbox)

    inbox.refresh_from_db()
    assert inbox.last_uid == 1 and Interaction.objects.count() == 1
    assert "next poll reads them again (database or disk is full)" in inbox.last_error
    assert "database or disk is full" in caplog.text
    assert not any(c.startswith("UID FETCH 3") for c in server.commands)  # stopped there

    monkeypatch.setattr("rapport.intake.actions.refresh_contact_dates", real)
    server.commands.clear()
    result = poll(inbox)

    assert (result.read, result.created, result.rejected) == (2, 2, 0)
    assert [c for c in server.commands if c.startswith("UID FETCH")][0].startswith("UID FETCH 2 ")
    inbox.refresh_from_db()
    assert inbox.last_uid == 3 and inbox.last_error == ""
    assert Interaction.objects.count() == 3


def test_a_refused_login_is_kept_as_the_mailbox_problem(server, inbox):
    Mailbox.objects.filter(pk=inbox.pk).update(password="wrong")
    inbox.refresh_from_db()

    with pytest.raises(MailboxError, match="login refused"):
        poll(inbox)
    inbox.refresh_from_db()
    assert "login refused" in inbox.last_error and "Invalid credentials" in inbox.last_error


def test_a_password_never_crosses_the_network_in_plain_text(personas, server):
    # "127.1" reaches the same server but is not a name Rapport takes for this machine.
    elsewhere = add_mailbox(
        personas.bakery,
        host="127.1",
        port=server.port,
        ssl=False,
        username=server.user,
        password=server.password,
    )

    with pytest.raises(MailboxError, match="does not offer STARTTLS"):
        poll(elsewhere)
    assert not any(c.startswith("LOGIN") for c in server.commands)
    assert [is_this_machine(h) for h in ("localhost", "127.0.0.1", "::1", "[::1]")] == [True] * 4
    assert not any(is_this_machine(h) for h in ("imap.example.com", "10.0.0.5", "127.1"))


def test_an_unreachable_server_is_named(personas):
    nowhere = add_mailbox(
        personas.bakery, host="127.0.0.1", port=1, ssl=False, username="u", password="p"
    )
    with pytest.raises(MailboxError, match="cannot reach 127.0.0.1:1"):
        poll(nowhere)


def test_the_task_polls_one_mailbox(server, inbox, mail):
    deliver(server, mail, "quoted_printable.eml")
    poll_mailbox.call(inbox.pk)
    assert Interaction.objects.filter(workspace=inbox.workspace).count() == 1


def test_the_commands_add_list_and_poll_a_mailbox(personas, server, mail, monkeypatch, capsys):
    deliver(server, mail, "thread_1_root.eml", "bad_date.eml")
    monkeypatch.setattr("sys.stdin", io.StringIO(server.password + "\n"))
    status = main(
        [
            "mailbox",
            "add",
            "--workspace",
            "alices-bakery",
            "--host",
            "127.0.0.1",
            "--port",
            str(server.port),
            "--no-ssl",
            "--user",
            server.user,
            "--password-stdin",
            "--ours",
            "hello@alices-bakery.example",
            "--group",
            "supplier",
        ]
    )
    assert status == 0
    mailbox = Mailbox.objects.get(workspace=personas.bakery)
    assert mailbox.own_addresses == ["hello@alices-bakery.example"] and mailbox.group == "supplier"

    assert main(["mailbox", "poll", str(mailbox.pk), "--progress", "never"]) == 0
    assert main(["mailbox", "list", "--workspace", "alices-bakery"]) == 0
    out, err = capsys.readouterr()
    assert "2 messages: 1 added" in out
    assert "UID 2 (bad-date-1@example.com): unreadable Date header" in err
    assert f"{mailbox.pk:>4}  alices-bakery  {mailbox}" in out and "last UID 2" in out
    assert Interaction.objects.get().person.group == "supplier"


def test_adding_a_mailbox_checks_the_login_first(personas, server, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("not-the-password\n"))
    status = main(
        [
            "mailbox",
            "add",
            "--workspace",
            "alices-bakery",
            "--host",
            "127.0.0.1",
            "--port",
            str(server.port),
            "--no-ssl",
            "--user",
            server.user,
            "--password-stdin",
        ]
    )
    assert status == 2
    assert "login refused" in capsys.readouterr().err
    assert not Mailbox.objects.exists()
