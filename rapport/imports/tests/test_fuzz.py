"""Every importer against random and malformed files (hypothesis): whatever the file holds,
the command ends with a count or one sentence, never a traceback; a run's counts add up, every
rejected row has its line and reason, and exactly the rows it counts as created are stored.

Deterministic (``derandomize``) so that a run of the suite is the same run on every machine;
the examples still come from hypothesis's generators and shrink to the smallest failure."""

import csv
import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.imports.models import ImportRun
from rapport.people.models import Interaction, Person, Purchase
from rapport.test import main

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIXTURES = Path(__file__).parent / "fixtures" / "survey_exports"
# (kind, extra arguments, header of a well-formed file)
KINDS = {
    "people": (["--group", "customer"], ["ID", "Name", "Email", "Phone", "Tags", "Birthday"]),
    "interactions": ([], ["Customer ID", "Date", "Channel", "Direction", "Text"]),
    "purchases": ([], ["Customer ID", "Date", "Amount", "Items"]),
    "deliveries": ([], ["Supplier", "Promised date", "Delivered", "Quality"]),
    "employment": ([], ["Employee ID", "Name", "Event", "Date", "Days"]),
}
SUFFIXES = [".csv", ".xlsx", ".json", ".txt"]

# Cells a file might really hold, and the ones that break careless code: quotes, separators,
# line breaks, NUL, formulas, huge numbers, far dates, right-to-left and combining marks.
NASTY = st.sampled_from(
    [
        "",
        " ",
        '"',
        '""',
        ",",
        ";",
        "\n",
        "\r\n",
        "\x00",
        "=1+1",
        "@SUM(A1)",
        "1e309",
        "-0",
        "NaN",
        "9" * 400,
        "2999-12-31",
        "0000-00-00",
        "31/02/2024",
        "\u202etxet",
        "e\u0301",
        "\ufeffID",
        "C1",
        "dana@example.com",
    ]
)
CELL = st.one_of(NASTY, st.text(max_size=40))


def cli_import(tmp_path, kind: str, name: str, content: bytes, capsys) -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_bytes(content)
    extra, _ = KINDS.get(kind, ([], []))
    rc = main(
        ["import", kind, str(path), "--workspace", "alices-bakery", "--progress", "never", *extra]
    )
    out, err = capsys.readouterr()
    return rc, out, err


def assert_told_in_words(rc: int, out: str, err: str) -> None:
    assert rc in (0, 2), (rc, out, err)
    assert "Traceback" not in out + err
    if rc == 2:
        assert err.strip() and err.strip().count("\n") == 0, err


def assert_runs_add_up() -> None:
    for run in ImportRun.objects.all():
        if run.status == "done":
            counted = run.created + run.updated + run.unchanged + run.rejected
            assert counted == run.rows_done, (run.kind, run.rows_done, counted)
        for issue in run.issues.all():
            assert issue.line >= 1 and issue.reason.strip(), (issue.line, issue.reason)


@FUZZ
@given(
    kind=st.sampled_from([*KINDS, "responses"]),
    suffix=st.sampled_from(SUFFIXES),
    content=st.binary(max_size=2048),
)
def test_random_bytes_are_refused_in_one_sentence_or_read(
    kind, suffix, content, personas, tmp_path, capsys
):
    rc, out, err = cli_import(tmp_path, kind, f"random{suffix}", content, capsys)
    assert_told_in_words(rc, out, err)
    assert_runs_add_up()


@FUZZ
@given(
    kind=st.sampled_from(list(KINDS)),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=12),
    quoted=st.booleans(),
)
def test_malformed_rows_are_rejected_by_line_and_the_rest_kept(
    kind, rows, quoted, personas, tmp_path, capsys
):
    last_run = ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    people, interactions, purchases = (
        Person.objects.count(),
        Interaction.objects.count(),
        Purchase.objects.count(),
    )
    _, header = KINDS[kind]
    good = ["G1", "Good Person", "good@example.com", "", "", ""]
    if kind == "people":  # one good row among the bad: it must be stored
        rows = [*rows[:3], good, *rows[3:]]
    buffer = io.StringIO()
    if quoted:  # well-formed CSV whatever the cells hold
        csv.writer(buffer).writerows([header, *rows])
    else:  # what a hand-made file looks like: cells joined with commas, nothing quoted
        buffer.write("\n".join(",".join(row) for row in [header, *rows]) + "\n")
    rc, out, err = cli_import(
        tmp_path, kind, "rows.csv", buffer.getvalue().encode("utf-8", "surrogatepass"), capsys
    )
    assert_told_in_words(rc, out, err)
    assert_runs_add_up()
    # Hypothesis runs every example in the same database: only this example's run counts.
    runs = list(ImportRun.objects.filter(pk__gt=last_run, kind=kind, status="done"))
    if runs and kind == "people":
        assert Person.objects.count() - people == runs[0].created
        if quoted:
            assert Person.objects.filter(external_id="G1", name="Good Person").exists()
    if runs and kind == "interactions":
        assert Interaction.objects.count() - interactions == runs[0].created
    if runs and kind == "purchases":
        assert Purchase.objects.count() - purchases == runs[0].created


def _damaged(data: bytes, seed: int, flips: int) -> bytes:
    rng = random.Random(seed)
    damaged = bytearray(data)
    for _ in range(flips):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged)


@FUZZ
@given(seed=st.integers(0, 10**6), flips=st.integers(1, 40), cut=st.integers(0, 100))
def test_a_damaged_real_export_is_refused_in_one_sentence_or_read(
    seed, flips, cut, personas, tmp_path, capsys
):
    """Real exports (SurveyMonkey's XLSX, Google Forms' CSV, Typeform's JSON) with bytes
    changed at random or the file cut short, as a failed download leaves them."""
    source = sorted(FIXTURES.iterdir())[seed % len(list(FIXTURES.iterdir()))]
    data = _damaged(source.read_bytes(), seed, flips)
    data = data[: max(1, len(data) * cut // 100)] if cut < 100 else data
    rc, out, err = cli_import(tmp_path, "responses", f"export{source.suffix}", data, capsys)
    assert_told_in_words(rc, out, err)
    assert_runs_add_up()


@FUZZ
@given(member=st.sampled_from(["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"]))
def test_an_xlsx_with_a_broken_part_is_refused_in_one_sentence(member, personas, tmp_path, capsys):
    """A workbook whose zip is whole but one of its XML parts is not XML."""
    source = FIXTURES / "surveymonkey_customer_survey.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(buffer, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            zout.writestr(item, b"<not xml" if item.filename == member else body)
    rc, out, err = cli_import(tmp_path, "people", "broken.xlsx", buffer.getvalue(), capsys)
    assert_told_in_words(rc, out, err)
