"""The knowledge base pages: who sees what, and what each form does."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from rapport.accounts.models import AuditEvent
from rapport.knowledge.actions import knowledge_settings, refresh_reports
from rapport.knowledge.models import Entry
from rapport.test import login

BASE = "/w/alices-bakery/knowledge/"


def test_staff_see_the_entries_and_can_search_them(client, personas, faq):
    page = login(client, personas.bob).get(BASE)
    assert page.status_code == 200
    assert b"When do you open?" in page.content and b"Knowledge base</a>" in page.content
    assert b"Add an entry" not in page.content  # Bob is staff: he reads, managers edit
    found = client.get(BASE + "?q=gluten")
    assert b"gluten-free" in found.content and b"We open at 7" not in found.content


@pytest.mark.parametrize("url", ["", "suggestions/", "export.csv"])
def test_a_viewer_gets_404(client, personas, faq, url):
    assert login(client, personas.vera).get(BASE + url).status_code == 404


@pytest.mark.parametrize("url", ["new/", "import/", "threshold/", "entries/hours/"])
def test_staff_cannot_reach_the_editing_pages(client, personas, faq, url):
    assert login(client, personas.bob).get(BASE + url).status_code == 404


def test_the_owner_adds_an_entry_and_sees_every_problem_at_once(client, personas, faq):
    login(client, personas.alice)
    refused = client.post(
        BASE + "new/", {"questions": "When do you open?", "answer": "", "language": "en"}
    )
    assert refused.status_code == 200
    assert b"write the answer" in refused.content
    assert b"is in both" in refused.content and b"hours" in refused.content
    added = client.post(
        BASE + "new/",
        {
            "questions": "Do you deliver?\nCan you bring a cake to my office?",
            "answer": "<b>Yes</b>, within 5 km.",
            "language": "en",
            "active": "on",
        },
        follow=True,
    )
    assert "Entry “do-you-deliver” added." in added.content.decode()
    assert b"&lt;b&gt;Yes&lt;/b&gt;" in added.content  # shown as written, never as HTML
    assert Entry.objects.get(key="do-you-deliver").updated_by == personas.alice_member


def test_a_huge_answer_is_refused_with_its_length(client, personas):
    login(client, personas.alice)
    page = client.post(
        BASE + "new/", {"questions": "Menu?", "answer": "x" * 1_000_000, "language": "en"}
    )
    assert "1,000,000 characters; an answer may have at most 5,000" in page.content.decode()


def test_the_owner_edits_and_deletes_an_entry(client, personas, faq):
    login(client, personas.alice)
    form = client.get(BASE + "entries/hours/")
    assert b"Are you open on Sunday?" in form.content
    client.post(
        BASE + "entries/hours/",
        {"questions": "When do you open?", "answer": "At 8.", "language": "en"},
    )
    hours = Entry.objects.get(key="hours")
    assert hours.answer == "At 8." and not hours.active
    assert b"Delete" in client.get(BASE + "entries/hours/delete/").content
    client.post(BASE + "entries/hours/delete/")
    assert not Entry.objects.filter(key="hours").exists()
    assert client.get(BASE + "entries/hours/").status_code == 404


def test_an_upload_shows_its_counts_and_each_bad_row(client, personas):
    text = io.StringIO()
    csv.writer(text).writerows(
        [
            ["id", "question", "answer"],
            ["hours", "When do you open?", "At 7."],
            ["", "Lost question?", "An answer."],
        ]
    )
    upload = SimpleUploadedFile("faq.csv", text.getvalue().encode(), content_type="text/csv")
    page = login(client, personas.alice).post(BASE + "import/", {"file": upload})
    content = page.content.decode()
    assert "1 new entry, 0 updated, 0 unchanged; 1 problem below" in content
    assert "<td>3</td><td>id</td><td>empty; row left out</td>" in content


def test_an_xlsx_upload_is_read_as_a_workbook(client, personas):
    book = Workbook()
    book.active.append(["id", "question", "answer"])
    book.active.append(["hours", "When do you open?", "At 7."])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("faq.xlsx", data.getvalue())
    login(client, personas.alice).post(BASE + "import/", {"file": upload})
    assert Entry.objects.get(key="hours").answer == "At 7."


def test_an_unreadable_upload_says_why(client, personas):
    upload = SimpleUploadedFile("faq.csv", b"name,text\na,b\n")
    page = login(client, personas.alice).post(BASE + "import/", {"file": upload})
    assert b"This file cannot be read: no column id" in page.content


def test_the_export_is_the_import_format(client, personas, faq):
    response = login(client, personas.bob).get(BASE + "export.csv")
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")  # Excel keeps accents with the byte-order mark
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == ["id", "question", "answer", "language"]
    assert ["hours", "When do you open?", "We open at 7, Sundays at 8.", "en"] in rows
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_the_threshold_page_before_and_after_the_report(client, personas, faq):
    login(client, personas.alice)
    assert b"Not worked out yet" in client.get(BASE + "threshold/").content
    refresh_reports(personas.bakery)
    page = client.get(BASE + "threshold/").content.decode()
    assert "Not enough history yet: Rapport found 0 messages" in page


def test_the_owner_chooses_a_threshold(client, personas):
    login(client, personas.alice)
    client.post(BASE + "threshold/choose/", {"threshold": "0.9", "auto_answer": "on"})
    assert knowledge_settings(personas.bakery).threshold == 0.9
    refused = client.post(BASE + "threshold/choose/", {"threshold": "0.2"}, follow=True)
    assert "Not saved: 0.2 is outside 0.5 to 1" in refused.content.decode()
    client.post(BASE + "threshold/choose/", {"threshold": ""})
    settings = knowledge_settings(personas.bakery)
    assert settings.threshold is None and not settings.auto_answer


def test_recompute_queues_the_background_task(client, personas, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    login(client, personas.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BASE + "recompute/")
    assert DBTaskResult.objects.filter(
        task_path="rapport.knowledge.tasks.refresh_knowledge_reports"
    ).exists()


def test_a_suggestion_prefills_a_new_entry(client, personas):
    settings = knowledge_settings(personas.bakery)
    settings.suggestions = [
        {"questions": ["Do you deliver to offices?"], "answer": "Yes, within 5 km.", "size": 3}
    ]
    settings.reports_at = timezone.now()
    settings.save()
    login(client, personas.alice)
    page = client.get(BASE + "suggestions/")
    assert b"Asked 3 times" in page.content and b"?suggestion=0" in page.content
    form = client.get(BASE + "new/?suggestion=0").content.decode()
    assert "Do you deliver to offices?</textarea>" in form and "Yes, within 5 km." in form
    assert client.get(BASE + "new/?suggestion=7").status_code == 200
