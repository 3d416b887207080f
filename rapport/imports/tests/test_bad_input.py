"""The issue's bad inputs, end to end, through both the CLI and the web flow.

Each bad row is reported with its line and field while the good rows around it are kept;
each unreadable file gets one clear sentence, never a traceback or an error page.
"""

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rapport.imports.models import ImportRun
from rapport.lib.tabular import open_table
from rapport.people.models import Person
from rapport.test import login, main

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

# (kind, file content, options, created, line, field, reason); the customer C1 exists.
BAD_ROWS = {
    "a malformed CSV row": (
        "people",
        'ID,Name\nC2,Ann\nC3,"Ben\nC4,Cy\n',
        {"group": "customer"},
        2,
        3,
        "",
        "malformed CSV",
    ),
    "a date in the future": (
        "purchases",
        "Customer ID,Date,Amount\nC1,2024-01-05,3.50\nC1,2999-01-01,2.00\n",
        {},
        1,
        3,
        "purchased_on",
        "2999-01-01 is in the future",
    ),
    "an impossible amount": (
        "purchases",
        "Customer ID,Date,Amount\nC1,2024-01-05,3.50\nC1,2024-01-06,99999999\n",
        {},
        1,
        3,
        "amount",
        "implausibly large",
    ),
    "a duplicate external id": (
        "people",
        "ID,Name\nC2,Ann\nC2,Annie\n",
        {"group": "customer"},
        1,
        3,
        "",
        "duplicate of line 2",
    ),
    "an unknown channel holding a script": (
        "interactions",
        f"Customer ID,When,Channel\nC1,2024-01-05 10:00,email\nC1,2024-01-05 11:00,{XSS}\n",
        {},
        1,
        3,
        "channel",
        "unknown value",
    ),
    "a one-megabyte name": (
        "people",
        "ID,Name\nC2,Ann\nC3," + "n" * 1_000_000 + "\n",
        {"group": "customer"},
        1,
        3,
        "name",
        "longer than 200 characters",
    ),
    "a one-megabyte message": (
        "interactions",
        "Customer ID,When,Message\nC1,2024-01-05 10:00,hi\nC1,2024-01-05 11:00,"
        + "m " * 500_000
        + "\n",
        {},
        1,
        3,
        "text",
        "longer than 100,000 characters",
    ),
}

# (file name, content, what the one-line message says)
UNREADABLE = {
    "an empty file": ("empty.csv", b"", "empty"),
    "binary garbage": ("garbage.csv", bytes(range(256)) * 20, "not a text table"),
    "an image renamed .csv": ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG image"),
    "Shift-JIS text": (
        "sjis.csv",
        "ID,Name\n1,山田太郎\n2,佐藤花子\n3,鈴木一郎\n".encode("shift_jis"),
        "Shift-JIS",
    ),
    "a PDF renamed .xlsx": ("report.xlsx", b"%PDF-1.4\n" + bytes(64), "not a readable XLSX"),
}


@pytest.fixture(autouse=True)
def migrated(monkeypatch):
    # The test database is already migrated; skipping migrate keeps each CLI call fast.
    monkeypatch.setattr("rapport.lib.commands.migrate", lambda verbosity=0: None)


@pytest.fixture
def customer(personas):
    return Person.objects.create(
        workspace=personas.bakery, group="customer", name="Cleo", external_id="C1"
    )


def cli_import(kind, path, options, *extra) -> int:
    group = ["--group", options["group"]] if options.get("group") else []
    return main(
        ["import", kind, str(path), "--workspace", "alices-bakery", "--progress", "never"]
        + group
        + [str(arg) for arg in extra]
    )


def upload(client, name, content, kind="people"):
    return client.post(
        reverse("imports:list", args=["alices-bakery"]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def start(client, run, options):
    """Confirm the detected mapping, as a person pressing Start would."""
    with open_table(run.stored_path) as table:
        header = table.header
    data = {f"col_{i}": run.mapping.get(column, "") for i, column in enumerate(header)}
    return client.post(reverse("imports:run", args=["alices-bakery", run.pk]), data | options)


def assert_no_error_page(response):
    body = response.content.decode()
    assert response.status_code in (200, 302), response.status_code
    assert "Traceback" not in body and "Server Error" not in body


@pytest.mark.parametrize("case", BAD_ROWS)
def test_the_cli_reports_a_bad_row_by_line_and_field_and_keeps_the_rest(
    case, customer, write_file, tmp_path, capsys
):
    kind, content, options, created, line, field, reason = BAD_ROWS[case]
    errors = tmp_path / "errors.csv"
    assert cli_import(kind, write_file("in.csv", content), options, "--errors-csv", errors) == 0
    assert f"{created} created" in capsys.readouterr().out
    rows = list(csv.reader(errors.open(encoding="utf-8-sig")))
    assert len(rows) == 2 and rows[1][0] == str(line)
    assert rows[1][1].startswith(f"{field}: " if field else "") and reason in rows[1][1]


@pytest.mark.parametrize("case", BAD_ROWS)
def test_the_web_flow_reports_a_bad_row_by_line_and_field_and_keeps_the_rest(
    case, customer, client, personas
):
    kind, content, options, created, line, field, reason = BAD_ROWS[case]
    login(client, personas.alice)
    assert_no_error_page(upload(client, "in.csv", content.encode(), kind))
    run = ImportRun.objects.get()
    preview = client.get(reverse("imports:run", args=["alices-bakery", run.pk]))
    assert_no_error_page(preview)
    assert reason in preview.content.decode().replace("&#x27;", "'")
    assert_no_error_page(start(client, run, options))
    run.refresh_from_db()
    assert (run.status, run.created, run.rejected) == ("done", created, 1)
    page = client.get(reverse("imports:run", args=["alices-bakery", run.pk]))
    assert_no_error_page(page)
    issue = run.issues.get()
    assert (issue.line, issue.field) == (line, field) and reason in issue.reason
    assert f"<td>{line}</td><td>{field or '—'}</td>" in page.content.decode()
    assert "<script>" not in page.content.decode().split("<main", 1)[-1]


@pytest.mark.parametrize("case", UNREADABLE)
def test_the_cli_refuses_an_unreadable_file_in_one_line(case, personas, write_file, capsys):
    name, content, message = UNREADABLE[case]
    assert cli_import("people", write_file(name, content), {"group": "customer"}) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("case", UNREADABLE)
def test_the_upload_form_refuses_an_unreadable_file_with_a_clear_error(
    case, client, personas, settings
):
    name, content, message = UNREADABLE[case]
    login(client, personas.alice)
    response = upload(client, name, content)
    assert_no_error_page(response)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportRun.objects.exists()
    assert not list((settings.MEDIA_ROOT / "imports").rglob("*.*"))


def test_utf16_without_a_byte_order_mark_is_read_correctly(personas, write_file):
    path = write_file("u16.csv", "ID,Name\nC1,Zoë\n".encode("utf-16-le"))
    assert cli_import("people", path, {"group": "customer"}) == 0
    assert Person.objects.get(external_id="C1").name == "Zoë"


def test_a_file_with_a_header_and_no_rows_says_so(client, personas, write_file, capsys):
    assert cli_import("people", write_file("h.csv", "ID,Name\n"), {"group": "customer"}) == 0
    assert "the file has a header but no rows" in capsys.readouterr().out
    login(client, personas.alice)
    upload(client, "h.csv", b"ID,Name\n")
    run = ImportRun.objects.get(via="web")
    page = client.get(reverse("imports:run", args=["alices-bakery", run.pk]))
    assert "The file has a header but no rows." in page.content.decode()


def test_a_script_in_a_name_is_stored_as_text_and_escaped_on_every_page(
    client, personas, write_file
):
    login(client, personas.alice)
    upload(client, "p.csv", f"ID,Name,Birthday\nC2,{XSS},2999-01-01\nC3,{XSS},\n".encode())
    run = ImportRun.objects.get()
    preview = client.get(reverse("imports:run", args=["alices-bakery", run.pk])).content.decode()
    assert ESCAPED in preview and XSS not in preview
    start(client, run, {"group": "customer"})
    person = Person.objects.get(external_id="C3")
    assert person.name == XSS
    run_page = client.get(reverse("imports:run", args=["alices-bakery", run.pk])).content.decode()
    assert XSS not in run_page
    errors = client.get(reverse("imports:errors", args=["alices-bakery", run.pk]))
    assert XSS in b"".join(errors.streaming_content).decode()
    person_page = client.get(reverse("people:person", args=["alices-bakery", person.pk]))
    assert ESCAPED in person_page.content.decode() and XSS not in person_page.content.decode()


def test_an_unknown_workspace_is_a_404_page_on_the_web(client, personas):
    login(client, personas.alice)
    response = client.get(reverse("imports:list", args=["no-such-bakery"]))
    assert response.status_code == 404 and "Traceback" not in response.content.decode()
    assert upload(client, "p.csv", b"ID,Name\nC2,Ann\n").status_code == 302
    run = ImportRun.objects.get()
    response = client.get(reverse("imports:run", args=["no-such-bakery", run.pk]))
    assert response.status_code == 404


def test_an_upload_over_the_limit_gets_a_form_error_and_nothing_is_stored(
    client, personas, settings
):
    settings.RAPPORT_MAX_UPLOAD_MB = 1
    login(client, personas.alice)
    big = b"ID,Name\n" + b"C1,Ann\n" * 200_000
    response = upload(client, "big.csv", big)
    assert_no_error_page(response)
    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert not ImportRun.objects.exists()
    assert not (settings.MEDIA_ROOT / "imports").exists()


def test_an_upload_that_hides_its_size_is_stopped_at_the_limit(client, personas, settings):
    from rapport.imports.views import UploadLimitHandler

    settings.RAPPORT_MAX_UPLOAD_MB = 1
    handler = UploadLimitHandler(type("Request", (), {})())
    handler.handle_raw_input(None, {}, 100, "boundary")
    handler.new_file("file", "big.csv", "text/csv", None)
    handler.receive_data_chunk(b"x" * 1024, 0)
    from django.core.files.uploadhandler import SkipFile

    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 64 * 1024, 1024 * 1024 - 100)
    assert handler.request.upload_too_large


def test_the_upload_still_checks_the_csrf_token(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, personas.alice)
    assert upload(client, "p.csv", b"ID,Name\nC2,Ann\n").status_code == 403
    assert not ImportRun.objects.exists()


def test_an_exported_formula_comes_back_without_the_escape(personas, write_file):
    from rapport.lib.csvstream import csv_download_lines

    content = "".join(csv_download_lines(["ID", "Name"], [["C7", '=HYPERLINK("x")']]))
    assert "'=HYPERLINK" in content
    assert cli_import("people", write_file("back.csv", content), {"group": "customer"}) == 0
    assert Person.objects.get(external_id="C7").name == '=HYPERLINK("x")'
