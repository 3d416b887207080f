from django.conf import settings
from django_tasks import task

from rapport.accounts import ratelimit
from rapport.lib.backup import back_up, due, prune


@task()
def back_up_nightly() -> str:
    """Back up the installation into RAPPORT_BACKUP_DIR once a day and keep the newest
    RAPPORT_BACKUP_KEEP archives (queued by the clock every few minutes; does nothing when
    the folder is not set or today's backup is there)."""
    folder = settings.RAPPORT_BACKUP_DIR
    if not folder or not due(folder):
        return ""
    made = back_up(folder)
    prune(folder, max(1, settings.RAPPORT_BACKUP_KEEP))
    return str(made.path)


@task()
def prune_rate_counts() -> int:
    """Forget the rate limits' counts whose window has ended (queued by the clock)."""
    return ratelimit.prune()
