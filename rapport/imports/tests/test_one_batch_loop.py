"""Survey responses travel the same batch loop as every other kind: a batch the database
refuses is reported with its lines and the others are kept; a crash leaves whole batches and
a re-run completes the rest."""

import shutil
from pathlib import Path

import pytest

from rapport.feedback.models import Response
from rapport.imports.kinds.responses.rows import Writer

pytestmark = pytest.mark.django_db

EXPORT = (
    Path(__file__).parent / "fixtures" / "survey_exports" / "google_forms_customer_feedback.csv"
)


@pytest.fixture
def export(tmp_path):
    return shutil.copy(EXPORT, tmp_path / EXPORT.name)


def test_a_batch_of_responses_the_database_refuses_is_reported_and_the_others_continue(
    export, run_import, personas, monkeypatch
):
    original = Writer.write

    def write(self, rows):
        if rows[0].line == 6:
            raise RuntimeError("disk I/O error")
        return original(self, rows)

    monkeypatch.setattr(Writer, "write", write)
    run = run_import("responses", export, batch_size=4)
    assert (run.status, run.rows_done, run.created, run.rejected) == ("done", 12, 8, 4)
    issue = run.issues.get()
    assert (issue.line, issue.last_line) == (6, 9)
    assert "nothing of lines 6-9 was written (disk I/O error)" in issue.reason
    assert Response.objects.filter(workspace=personas.bakery).count() == 8


def test_a_crash_leaves_whole_batches_of_responses_and_a_rerun_completes_the_rest(
    export, run_import, personas, monkeypatch
):
    original = Writer.write

    class Crash(BaseException):
        """Stands for the process dying: not an error the run can catch."""

    def crashing(self, rows):
        counts = original(self, rows)
        if rows[0].line == 10:
            raise Crash
        return counts

    monkeypatch.setattr(Writer, "write", crashing)
    with pytest.raises(Crash):
        run_import("responses", export, batch_size=4)
    assert Response.objects.filter(workspace=personas.bakery).count() == 8
    monkeypatch.setattr(Writer, "write", original)
    run = run_import("responses", export, batch_size=4)
    assert (run.created, run.unchanged) == (4, 8)
    assert Response.objects.filter(workspace=personas.bakery).count() == 12
