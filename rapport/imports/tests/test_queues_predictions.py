"""An import that created or updated rows refreshes the predictions (in the background; these
tests run tasks at once)."""

from rapport.imports.actions import create_run, execute_run
from rapport.predictions.models import PredictionRun


def test_an_import_that_changed_rows_refreshes_the_predictions(
    personas, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "customers.csv"
    path.write_text("Customer ID,Name\nC1,Ann\nC2,Ben\n")
    made = PredictionRun.objects.filter(workspace=personas.bakery, current=True)
    for expected_runs in (3, 3):  # the second import changes nothing: no new runs
        with django_capture_on_commit_callbacks(execute=True):
            execute_run(
                create_run(
                    personas.bakery,
                    "people",
                    path,
                    original_filename="customers.csv",
                    member=personas.alice_member,
                    options={"group": "customer"},
                )
            )
        assert made.count() == expected_runs
    assert PredictionRun.objects.filter(workspace=personas.bakery).count() == 3
