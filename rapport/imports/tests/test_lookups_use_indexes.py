"""Each batch finds its rows through an index: a lookup that reads every row of the
workspace makes each batch slower than the last (1,400 rows/s at 1.5 million people).

SQLite's plan is read for every query an import sends; PostgreSQL chooses its plans by
table size, so this is checked on SQLite only.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans"),
]

TABLES = ("people_person", "people_interaction", "people_purchase", "feedback_response")


def whole_workspace_reads(queries) -> list[str]:
    """The queries on the big tables that SQLite answers by reading the whole table, every
    row of the workspace or every person of a group."""
    found = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or not any(f'FROM "{t}"' in sql for t in TABLES):
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            for *_, step in cursor.fetchall():
                # Reading every row of a workspace, or of one group of its people.
                if re.match(r"SCAN (people|feedback)_", step) or re.search(
                    r"\(workspace_id=\?(?: AND group=\?)?\)$", step
                ):
                    found.append(f"{step}: {sql[:200]}")
    return found


def test_people_are_found_by_id_email_and_name_through_indexes(write_file, run_import):
    rows = "".join(f"C{i},Person {i},p{i}@example.com\n" for i in range(30))
    rows += "".join(f",Only Email {i},e{i}@example.com\n" for i in range(5))
    rows += "".join(f",Only Name {i},\n" for i in range(5))
    path = write_file("people.csv", "ID,Name,Email\n" + rows)
    run_import("people", path, group="customer")
    with CaptureQueriesContext(connection) as captured:
        run = run_import("people", path, group="customer")
    assert run.unchanged == 40
    assert whole_workspace_reads(captured.captured_queries) == []


def test_interactions_and_purchases_find_people_and_keys_through_indexes(write_file, run_import):
    people = "".join(f"C{i},Person {i},p{i}@example.com\n" for i in range(20))
    run_import("people", write_file("people.csv", "ID,Name,Email\n" + people), group="customer")
    by_id = "".join(f"C{i},2024-05-0{1 + i % 9} 10:00,email,Hello {i}\n" for i in range(20))
    by_email = "".join(f"P{i}@example.com,2024-06-01,12.50\n" for i in range(20))
    with CaptureQueriesContext(connection) as captured:
        for _ in range(2):  # the second run finds every row already there
            run_import(
                "interactions", write_file("i.csv", "Customer ID,When,Channel,Message\n" + by_id)
            )
            run_import("purchases", write_file("p.csv", "Email,Date,Amount\n" + by_email))
    assert whole_workspace_reads(captured.captured_queries) == []


def test_new_people_by_email_or_name_are_looked_for_through_indexes(write_file, run_import):
    # Nobody in the file is stored yet, so every address and name is also looked for
    # ignoring case: that look-up read every person of the workspace, each batch.
    stored = "".join(f"C{i},Person {i},p{i}@example.com\n" for i in range(30))
    run_import("people", write_file("old.csv", "ID,Name,Email\n" + stored), group="customer")
    rows = "".join(f",New Email {i},New{i}@Example.com\n" for i in range(5))
    rows += "".join(f",New Name {i},\n" for i in range(5))
    path = write_file("people.csv", "ID,Name,Email\n" + rows)
    with CaptureQueriesContext(connection) as captured:
        run = run_import("people", path, group="customer")
    assert run.created == 10
    assert whole_workspace_reads(captured.captured_queries) == []


def test_interactions_of_people_named_by_email_in_another_case_use_an_index(write_file, run_import):
    people = "".join(f"C{i},Person {i},p{i}@example.com\n" for i in range(20))
    run_import("people", write_file("people.csv", "ID,Name,Email\n" + people), group="customer")
    rows = "".join(f"P{i}@EXAMPLE.com,2024-05-01 10:00,email,Hello {i}\n" for i in range(20))
    with CaptureQueriesContext(connection) as captured:
        run = run_import("interactions", write_file("i.csv", "Email,When,Channel,Message\n" + rows))
    assert run.created == 20
    assert whole_workspace_reads(captured.captured_queries) == []
