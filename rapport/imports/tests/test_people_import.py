import datetime as dt

import pytest

from rapport.accounts.models import AuditEvent
from rapport.imports.choices import ImportStatus
from rapport.people.models import Person

pytestmark = pytest.mark.django_db

STAFF = """EmployeeNumber,First Name,Last Name,Email,Department,Job Title,Hire Date,Birthday,Manager ID,Tags
E1,Ada,Lovelace,ADA@example.com,Kitchen,Head baker,2019-04-01,1990-12-10,,morning; keys
E2,Bob,Baker,bob@example.com,Kitchen,Baker,2021-09-15,1995-02-03,E1,morning
E3,Cy,Counter,,Shop,Cashier,2022-01-10,,E9,
"""


def test_it_imports_employees_with_teams_managers_and_tags(write_file, run_import, personas):
    run = run_import("people", write_file("staff.csv", STAFF), group="employee")
    assert (run.status, run.created, run.rejected) == (ImportStatus.DONE, 3, 0)
    ada = Person.objects.get(workspace=personas.bakery, external_id="E1")
    bob = Person.objects.get(workspace=personas.bakery, external_id="E2")
    assert (ada.name, ada.email, ada.group, ada.team.name) == (
        "Ada Lovelace",
        "ada@example.com",
        "employee",
        "Kitchen",
    )
    assert ada.start_date == dt.date(2019, 4, 1)
    assert sorted(ada.tags.values_list("name", flat=True)) == ["keys", "morning"]
    assert bob.manager == ada


def test_it_keeps_a_person_whose_manager_is_unknown_and_warns(write_file, run_import, personas):
    run = run_import("people", write_file("staff.csv", STAFF), group="employee")
    cy = Person.objects.get(workspace=personas.bakery, external_id="E3")
    assert cy.manager is None
    warning = run.issues.get(is_warning=True)
    assert (warning.line, warning.field) == (4, "manager")


def test_a_manager_further_down_the_file_is_still_linked(write_file, run_import, personas):
    text = "EmployeeNumber,Name,Manager ID\nE2,Bob,E1\nE1,Ada,\n"
    run_import("people", write_file("staff.csv", text), group="employee", batch_size=1)
    assert (
        Person.objects.get(workspace=personas.bakery, external_id="E2").manager.external_id == "E1"
    )


def test_importing_the_same_file_twice_changes_nothing(write_file, run_import):
    path = write_file("staff.csv", STAFF)
    run_import("people", path, group="employee")
    again = run_import("people", path, group="employee")
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)


def test_a_changed_cell_counts_as_updated(write_file, run_import, personas):
    run_import(
        "people", write_file("a.csv", "ID,Name,Phone\nC1,Ann,111\nC2,Ben,222\n"), group="customer"
    )
    run = run_import(
        "people", write_file("b.csv", "ID,Name,Phone\nC1,Ann,999\nC2,Ben,222\n"), group="customer"
    )
    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    assert Person.objects.get(workspace=personas.bakery, external_id="C1").phone == "999"


def test_a_blank_cell_never_erases_what_is_stored(write_file, run_import, personas):
    run_import("people", write_file("a.csv", "ID,Name,Phone\nC1,Ann,111\n"), group="customer")
    run = run_import("people", write_file("b.csv", "ID,Name,Phone\nC1,Ann,\n"), group="customer")
    assert run.unchanged == 1
    assert Person.objects.get(workspace=personas.bakery, external_id="C1").phone == "111"


def test_a_duplicate_external_id_is_reported_and_the_first_row_wins(
    write_file, run_import, personas
):
    run = run_import(
        "people", write_file("d.csv", "ID,Name\nC1,First\nC2,Other\nC1,Second\n"), group="customer"
    )
    assert (run.created, run.rejected) == (2, 1)
    issue = run.issues.get()
    assert issue.line == 4 and "duplicate of line 2" in issue.reason
    assert Person.objects.get(workspace=personas.bakery, external_id="C1").name == "First"


def test_rows_without_external_id_match_by_email_on_reimport(write_file, run_import):
    path = write_file("e.csv", "Name,Email\nAnn,ann@example.com\nBen,ben@example.com\n")
    run_import("people", path, group="customer")
    assert run_import("people", path, group="customer").unchanged == 2


def test_it_stores_a_script_tag_in_a_name_as_plain_text(write_file, run_import, personas):
    run_import(
        "people", write_file("x.csv", 'ID,Name\nX1,"<script>alert(1)</script>"\n'), group="customer"
    )
    assert (
        Person.objects.get(workspace=personas.bakery, external_id="X1").name
        == "<script>alert(1)</script>"
    )


def test_a_birthday_in_the_future_is_rejected(write_file, run_import):
    run = run_import(
        "people",
        write_file("f.csv", "ID,Name,Birthday\nC1,Ann,2999-01-01\nC2,Ben,1980-01-01\n"),
        group="customer",
    )
    assert (run.created, run.rejected) == (1, 1)
    assert "in the future" in run.issues.get().reason


def test_a_group_column_overrides_the_run_group(write_file, run_import, personas):
    run_import(
        "people", write_file("g.csv", "ID,Name,Group\nS1,Mill,vendor\nC1,Ann,\n"), group="customer"
    )
    assert dict(
        Person.objects.filter(workspace=personas.bakery).values_list("external_id", "group")
    ) == {"S1": "supplier", "C1": "customer"}


def test_each_run_is_recorded_in_the_audit_log(write_file, run_import, personas):
    run = run_import("people", write_file("staff.csv", STAFF), group="employee")
    event = AuditEvent.objects.get(workspace=personas.bakery, action="import")
    assert event.object_id == str(run.pk)
    assert event.changes["created"] == [None, 3]


def test_people_land_only_in_the_workspace_imported_into(write_file, run_import, personas):
    run_import("people", write_file("staff.csv", STAFF), personas.garage, group="employee")
    assert not Person.objects.filter(workspace=personas.bakery).exists()
    assert Person.objects.filter(workspace=personas.garage).count() == 3


def test_a_tag_longer_than_a_tag_can_be_rejects_its_row_with_the_reason(write_file, run_import):
    long_tag = "x" * 500
    rows = f"Customer ID,Name,Tags\nC1,Ann,regular\nC2,Ben,{long_tag}; regular\n"
    run = run_import("people", write_file("customers.csv", rows), group="customer")
    assert (run.created, run.rejected) == (1, 1)
    issue = run.issues.get()
    assert (issue.line, issue.field) == (3, "tags") and "longer than 60 characters" in issue.reason
    assert not Person.objects.filter(name="Ben").exists()
