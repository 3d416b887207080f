"""Two `rapport worker` processes, each inbox reply queued twice (the reply's own task and,
say, the clock's retry): every customer gets one e-mail, over a real SMTP conversation."""

from django.db import transaction

from rapport.inbox import actions
from rapport.inbox.choices import Delivery
from rapport.inbox.delivery import send_message
from rapport.inbox.models import Conversation, Message
from rapport.people.actions import record_interaction
from rapport.people.choices import Channel, Direction
from rapport.people.tests.factories import make_customer
from tests.worker_processes import logs, start_worker, stop, wait_for

CUSTOMERS = 12


def test_two_workers_send_each_reply_once(personas, worker_database, tmp_path, smtp_server):
    for n in range(CUSTOMERS):
        person = make_customer(personas.bakery, name=f"Customer {n}", email=f"c{n}@example.com")
        record_interaction(
            person,
            occurred_at=person.created_at,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            text="Do you deliver on Sundays?",
        )
    for conversation in Conversation.objects.filter(workspace=personas.bakery):
        with transaction.atomic():
            message = actions.reply(conversation, "Yes, until noon.", actor=personas.alice_member)
        send_message.enqueue(message.pk)  # a second, concurrent try
    # A slow server: while one worker waits for it, the other takes the second try.
    smtp_server.delay = 0.5
    host, port = smtp_server.server_address
    smtp = {
        "RAPPORT_SMTP_HOST": host,
        "RAPPORT_SMTP_PORT": str(port),
        "RAPPORT_SMTP_TLS": "false",
    }
    workers = [start_worker(worker_database, tmp_path, **smtp) for _ in range(2)]
    replies = Message.objects.filter(workspace=personas.bakery, delivery=Delivery.SENT)
    try:
        wait_for(lambda: replies.count() == CUSTOMERS, timeout=120, what="every reply sent")
        wait_for(lambda: not _waiting_sends(), timeout=60, what="the second tries")
    finally:
        stop(*workers)
    recipients = sorted(r for rcpt, _ in smtp_server.mails for r in rcpt)
    assert recipients == sorted(f"c{n}@example.com" for n in range(CUSTOMERS)), logs(tmp_path)


def _waiting_sends() -> bool:
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(task_path__endswith="send_message")
        .exclude(status__in=["SUCCESSFUL", "FAILED"])
        .exists()
    )
