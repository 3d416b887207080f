from django_tasks import task

from rapport.intake.imap import MailboxError, poll, poll_all
from rapport.intake.models import Mailbox


@task()
def poll_mailbox(mailbox_id: int) -> int:
    """Import the new mail of one mailbox (runs in the background worker); returns how many
    messages were added."""
    mailbox = Mailbox.objects.select_related("workspace").filter(pk=mailbox_id).first()
    if mailbox is None or not mailbox.active:
        return 0
    try:
        return poll(mailbox).created
    except MailboxError:
        return 0  # kept in mailbox.last_error for `rapport mailbox list`


@task()
def poll_mailboxes() -> int:
    """Import the new mail of every active mailbox of every business."""
    return sum(result.created for _, result, _ in poll_all() if result is not None)
