from django_tasks import task

from rapport.accounts.models import Workspace
from rapport.outreach import digest


@task()
def send_digests() -> dict:
    """The clock: each business's weekly reach-out e-mails, once they are due."""
    totals = {"sent": 0, "empty": 0, "failed": 0}
    for workspace in Workspace.objects.all():
        report = digest.send_due(workspace)
        for key in totals:
            totals[key] += getattr(report, key)
    return totals
