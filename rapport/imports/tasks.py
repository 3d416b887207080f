from django_tasks import task

from rapport.imports.running import run_in_background


@task()
def run_import(run_id: int) -> None:
    """Run a queued import in the background worker."""
    run_in_background(run_id)
