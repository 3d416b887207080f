"""``rapport inbox list``, ``show`` and ``tick``."""

import pytest

from rapport.inbox import actions, automation
from rapport.inbox.choices import Delivery, Status
from rapport.inbox.models import Conversation, Message
from rapport.inbox.tests.conftest import later, read_as, write_in
from rapport.people.choices import Channel, Direction
from rapport.people.models import Interaction
from rapport.test import main


@pytest.fixture
def dana_waits(personas, customer):
    """Dana's upset message, handed to Bob, her relationship's owner."""
    customer.owner = personas.bob_member
    customer.save()
    i = write_in(customer, "I was charged twice, I want my money back", subject="Charged twice")
    read_as(i, needs_human=True, reasons=("money",), sentiment=-0.8, feelings={"anger": 0.8})
    automation.process(personas.bakery, now=later())
    return Conversation.objects.get()


def test_list_prints_a_table_of_conversations(personas, dana_waits, capsys):
    assert main(["inbox", "list", "--workspace", "alices-bakery"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "priority", "status", "owner", "waiting", "who", "subject"]
    row = lines[1].split()
    assert row[:5] == [str(dana_waits.pk), "high", "assigned", "Bob", "Okafor"]
    assert "Dana Weiss" in lines[1] and "Charged twice" in lines[1]
    assert lines[-1] == "1 conversation in Alice's Bakery."


def test_list_takes_a_view_and_whose(personas, dana_waits, capsys):
    args = ["inbox", "list", "--workspace", "alices-bakery", "--view"]
    assert main([*args, "mine", "--member", "bob@example.com"]) == 0
    assert "Charged twice" in capsys.readouterr().out
    assert main([*args, "mine", "--member", "alice@example.com"]) == 0
    assert capsys.readouterr().out == "0 conversations in Alice's Bakery.\n"
    assert main([*args, "resolved"]) == 0
    assert "Charged twice" not in capsys.readouterr().out


def test_list_shows_a_page_and_says_how_many_in_all(personas, customer, capsys):
    for n in range(3):
        write_in(customer, f"Question {n}?", thread=f"t{n}", subject=f"Question {n}")
    assert main(["inbox", "list", "--workspace", "alices-bakery", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("2 of 3 conversations in Alice's Bakery.\n")
    assert "Question 2" in out and "Question 0" not in out


def test_show_prints_triage_messages_and_log(personas, dana_waits, capsys):
    actions.note(dana_waits, "Refund at once.", actor=personas.bob_member)
    assert main(["inbox", "show", "--workspace", "alices-bakery", str(dana_waits.pk)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"#{dana_waits.pk} Charged twice\n  who: Dana Weiss (person ")
    assert "status: Assigned; priority: high" in out and "owner: Bob Okafor" in out
    assert "Customer: I was charged twice" in out
    assert "Internal note Bob Okafor: Refund at once." in out
    assert "Rapport [waiting to be sent]: Thank you. This needs a person" in out
    assert "Assigned Bob Okafor" in out and "reply due: 20" in out


def test_tick_runs_the_clock_once(personas, customer, capsys):
    customer.may_analyse = False  # no reading will come: a person must answer at once
    customer.save()
    # Written in bulk (as an import does): no signal filed them.
    Interaction.objects.bulk_create(
        Interaction(
            workspace=personas.bakery,
            person=customer,
            occurred_at=at,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            text=text,
            thread_key=text,
            is_open=is_open,
        )
        for text, at, is_open in (
            ("Hello, anyone?", later(-60), False),
            ("Still waiting for the invoice", later(-60 * 24 * 30), True),
            ("Thanks for last year", later(-60 * 24 * 300), False),  # history: stays out
        )
    )
    assert main(["inbox", "tick"]) == 0
    out = capsys.readouterr().out
    assert "messages filed: 2, survey follow-ups filed: 0, conversations triaged: 2" in out
    assert set(Conversation.objects.values_list("status", flat=True)) == {Status.ASSIGNED}
    told = Message.objects.filter(author="system")
    assert {m.delivery for m in told} == {Delivery.PENDING}  # the worker is down
    told.update(at=later(-5))
    assert main(["inbox", "tick"]) == 0
    assert "e-mails sent again: 2" in capsys.readouterr().out
    assert {m.delivery for m in told.all()} == {Delivery.SENT}


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["list", "--workspace", "nowhere"], "no workspace 'nowhere'"),
        (["list", "--workspace", "alices-bakery", "--view", "all"], "--view 'all': choose one"),
        (["list", "--workspace", "alices-bakery", "--view", "mine"], "needs --member"),
        (["list", "--workspace", "alices-bakery", "--member", "x@y.z"], "x@y.z is not a member"),
        (["list", "--workspace", "alices-bakery", "--limit", "0"], "--limit must be at least 1"),
        (["show", "--workspace", "alices-bakery", "999"], "no conversation 999 in alices-bakery"),
        (["show", "--workspace", "charlies-garage", "{dana}"], "no conversation"),
    ],
)
def test_bad_input_is_one_line(personas, dana_waits, capsys, argv, says):
    argv = [a.replace("{dana}", str(dana_waits.pk)) for a in argv]
    assert main(["inbox", *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and err.startswith("rapport inbox: ")
