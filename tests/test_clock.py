import threading

from rapport.lib.clock import start_clock


def test_the_clock_calls_every_job_again_and_survives_a_failing_one():
    calls = []
    done = threading.Event()

    def fails():
        raise RuntimeError("queue unavailable")

    def counts():
        calls.append(1)
        if len(calls) == 3:
            done.set()

    stop = threading.Event()
    thread = start_clock([fails, counts], stop, every=0.01)
    assert done.wait(5)
    stop.set()
    thread.join(5)
    assert not thread.is_alive() and len(calls) >= 3


def test_the_clock_of_rapport_serve_queues_each_apps_periodic_tasks():
    from django_tasks.base import Task

    from rapport.lib.serving import clock_tasks

    tasks = clock_tasks()
    assert all(isinstance(task, Task) for task in tasks)
    assert [f"{task.func.__module__}.{task.func.__name__}" for task in tasks] == [
        "rapport.accounts.tasks.back_up_nightly",
        "rapport.accounts.tasks.prune_rate_counts",
        "rapport.feedback.schedule.tick",
        "rapport.intake.tasks.poll_mailboxes",
        "rapport.insights.tasks.refresh_all",
        "rapport.inbox.tasks.tick",
        "rapport.predictions.tasks.refresh_due",
        "rapport.outreach.tasks.send_digests",
        "rapport.privacy.tasks.apply_due",
    ]
