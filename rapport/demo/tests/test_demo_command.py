from rapport.accounts.models import Workspace
from rapport.demo.generate import DEMO_LOGINS, fingerprint
from rapport.demo.tests.conftest import AS_OF
from rapport.test import main


def test_running_it_again_reuses_the_demo(demo, db, capsys):
    before = fingerprint(demo)
    assert main(["demo", "--no-serve", "--no-read"]) == 0
    out = capsys.readouterr().out
    assert "Reusing the existing demo" in out
    assert Workspace.objects.filter(slug="demo").count() == 1
    assert fingerprint(Workspace.objects.get(slug="demo")) == before


def test_it_prints_every_login_and_the_password(demo, db, capsys):
    main(["demo", "--no-serve", "--no-read"])
    out = capsys.readouterr().out
    assert "rapport-demo" in out
    assert "http://127.0.0.1:8000/" in out
    for login in DEMO_LOGINS:
        assert login.email in out


def test_reset_regenerates_identical_content(demo, db, capsys):
    # Same seed and date, new workspace: the content must match to the byte.
    before = fingerprint(demo)
    assert main(["demo", "--no-serve", "--no-read", "--reset", "--as-of", AS_OF.isoformat()]) == 0
    assert "Generated the demo" in capsys.readouterr().out
    regenerated = Workspace.objects.get(slug="demo")
    assert regenerated.pk != demo.pk
    assert fingerprint(regenerated) == before


def test_a_bad_date_is_a_one_line_error(demo, db, capsys):
    assert main(["demo", "--no-serve", "--no-read", "--as-of", "30/06/2025"]) == 2
    assert (
        capsys.readouterr().err.strip()
        == "rapport demo: --as-of must be a date like 2025-06-30, got '30/06/2025'"
    )


def test_the_themes_are_left_to_the_background_worker(demo, db, capsys):
    from django_tasks_db.models import DBTaskResult

    assert main(["demo", "--no-serve", "--no-read"]) == 0
    assert "being found in the background" in capsys.readouterr().out
    queued = DBTaskResult.objects.filter(task_path="rapport.understanding.tasks.find_themes")
    assert queued.get().args_kwargs["args"] == [demo.pk]


def test_it_serves_before_reading_and_leaves_the_reading_to_the_worker(
    demo, db, capsys, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from rapport.understanding.actions import pending

    waiting = pending(demo).count()
    assert waiting > 1000
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["demo", "--no-serve"]) == 0

    assert f"Reading {waiting:,} messages in the background" in capsys.readouterr().out
    assert pending(demo).count() == waiting  # nothing read before serving
    queued = list(
        DBTaskResult.objects.filter(status="READY")
        .order_by("enqueued_at", "pk")
        .values_list("task_path", flat=True)
    )
    reading = queued.index("rapport.understanding.tasks.analyze_workspace")
    # The dashboards are updated after the reading, with what it read.
    assert queued.index("rapport.insights.tasks.refresh_all") > reading
