"""Survey feedback to follow up, in the inbox: which responses, what is kept of an anonymous
respondent, triage, and status and owner kept in step with the feedback inbox both ways."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rapport.engine.periods import week_start
from rapport.feedback import actions as feedback
from rapport.feedback.choices import Channel, FollowUp, SurveyStatus
from rapport.feedback.models import Response, ResponseReading
from rapport.inbox import actions, surveys
from rapport.inbox.choices import EventKind, Priority, Source, Status
from rapport.inbox.models import Conversation, Duty
from rapport.inbox.tasks import file_survey_followups, tick
from rapport.people.actions import create_person
from rapport.people.models import Team
from rapport.people.tests.factories import make_customer

NOW = timezone.now()


def open_survey(workspace, blueprint):
    survey = feedback.create_survey(workspace, blueprint=blueprint)
    feedback.set_status(survey, SurveyStatus.OPEN)
    return survey


def run_worker():
    """What the task worker does after answers arrive: run the queued survey follow-up tasks."""
    for row in DBTaskResult.objects.ready().filter(task_path=file_survey_followups.module_path):
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.delete()


def answer(survey, answers, capture=None, **fields):
    """An answer as the public page or a personal link stores it; ``capture`` runs what
    waits for the commit and then the worker (the inbox files an answer in the background,
    after its answers are written)."""
    raw = {survey.questions.get(key=key): value for key, value in answers.items()}

    def submit():
        return feedback.submit_response(
            survey, raw, channel=fields.pop("channel", Channel.PUBLIC), **fields
        ).response

    if capture is None:
        return submit()
    with capture(execute=True):
        response = submit()
    run_worker()
    return response


def conversation_of(response):
    return Conversation.objects.get(response_id=response.pk)


def read_response(response, *, needs_human=False, reasons=(), sentiment=0.0, at=None):
    """What the text model would have stored for the response's comments."""
    return ResponseReading.objects.create(
        workspace_id=response.workspace_id,
        response=response,
        model_version="test",
        sentiment_score=sentiment,
        needs_human=needs_human,
        reasons=[{"code": c, "label": c, "evidence": "", "weight": 1.0} for c in reasons],
        emotion_groups={"anger": 0.7} if sentiment < 0 else {},
        analysed_at=at or timezone.now(),
    )


@pytest.fixture
def dana(personas):
    return make_customer(personas.bakery, name="Dana Weiss", email="dana@example.com")


@pytest.fixture
def detractor(personas, dana, django_capture_on_commit_callbacks):
    survey = open_survey(personas.bakery, "customer_nps")
    return answer(
        survey,
        {"nps": 3, "reason": "The sourdough was stale twice."},
        django_capture_on_commit_callbacks,
        person=dana,
        channel=Channel.PERSONAL,
    )


# --- which responses, and what is kept -------------------------------------------------------


def test_an_identified_detractor_is_in_the_inbox_as_soon_as_it_arrives(personas, dana, detractor):
    c = conversation_of(detractor)
    assert c.workspace == personas.bakery and c.person == dana
    assert (c.source, c.channel, c.thread_key) == (
        Source.SURVEY,
        "survey",
        f"survey:{detractor.pk}",
    )
    assert c.subject.startswith("How likely are you to recommend us? · ")
    assert "stale" not in c.subject
    assert c.status == Status.WAITING and c.owner is None and c.automation_stopped
    assert c.priority == Priority.NORMAL and "a detractor (3 of 10)" in c.reasons
    assert c.opened_at == detractor.submitted_at and c.read_at is not None
    assert not c.messages.exists()  # the conversation with the respondent stays in feedback
    assert surveys.feedback_url(c).endswith(f"/feedback/inbox/{detractor.pk}/")


def test_a_silent_eight_waits_for_no_one(personas, dana, django_capture_on_commit_callbacks):
    survey = open_survey(personas.bakery, "customer_nps")
    answer(survey, {"nps": 8}, django_capture_on_commit_callbacks, person=dana)
    assert surveys.sync_survey_followups(personas.bakery) == 0
    assert not Conversation.objects.exists()


def test_an_anonymous_suggestion_keeps_nothing_that_identifies_its_writer(
    personas, django_capture_on_commit_callbacks
):
    box = feedback.suggestion_box(personas.bakery)
    text = "I am the only baker on nights and Marc shouts at me, call me on 0612345678"
    response = answer(
        box, {"writer": "A member of staff", "suggestion": text}, django_capture_on_commit_callbacks
    )
    # Not filed the moment it arrives: the clock files it, so the moment says nothing.
    assert not Conversation.objects.exists()
    now = timezone.now()
    assert surveys.sync_survey_followups(personas.bakery, now=now) == 1
    c = conversation_of(response)
    monday = dt.datetime.combine(
        week_start(response.submitted_on), dt.time(), tzinfo=personas.bakery.zone
    )
    expected = {
        "person": None,
        "visitor_name": "Anonymous",
        "visitor_email": "",
        "visitor_key": "",
        "subject": f"Suggestion box · Week of {monday.day} {monday:%b %Y}",
        "opened_at": monday,
        "last_message_at": monday,
        "source": Source.SURVEY,
        "channel": "survey",
        "thread_key": f"survey:{response.pk}",
        "response_id": response.pk,
        "status": Status.WAITING,
        "owner": None,
        "awaiting_since": None,
    }
    assert {name: getattr(c, name) for name in expected} == expected
    # Every other value: no word of the comment, and no moment but the week and the clock's.
    assert c.reply_due is None  # no reply clock: the inbox does not know when it was written
    for field in Conversation._meta.concrete_fields:
        if field.name == "resolve_due":  # the clocks' own: the week plus the agreed time
            continue
        value = getattr(c, field.attname)
        if isinstance(value, str):
            for word in ("Marc", "nights", "0612345678", "baker"):
                assert word not in value, field.name
        if isinstance(value, dt.datetime):
            assert value in (monday, now) or value > now, field.name
    for event in c.events.all():
        assert event.at in (monday, now), event.kind
        assert "Marc" not in event.detail
    assert "a suggestion" in c.reasons


def test_a_confidential_answer_has_no_person_in_the_inbox(
    personas, django_capture_on_commit_callbacks
):
    supplier = create_person(personas.bakery, group="supplier", name="Minoterie Roux", via="test")
    survey = open_survey(personas.bakery, "supplier_check")
    response = answer(
        survey,
        {"nps": 2, "change": "Pay us on time."},
        django_capture_on_commit_callbacks,
        person=supplier,
        channel=Channel.PERSONAL,
    )
    assert not Conversation.objects.exists()  # staff see it without a name: the clock files it
    surveys.sync_survey_followups(personas.bakery)
    c = conversation_of(response)
    assert c.person is None and c.visitor_name == "Confidential respondent"
    opened = c.opened_at.astimezone(personas.bakery.zone)
    assert "Roux" not in c.subject and opened.weekday() == 0 and opened.time() == dt.time()


def test_an_anonymous_answer_held_back_by_the_feedback_inbox_is_held_back_here(personas):
    team = Team.objects.create(workspace=personas.bakery, name="Bakehouse")
    survey = open_survey(personas.bakery, "employee_pulse")
    k = personas.bakery.min_comment_group_size
    staff = [
        create_person(personas.bakery, group="employee", name=f"Baker {n}", team=team, via="test")
        for n in range(k)
    ]
    first = answer(survey, {"went_well": "Too tired this week."}, person=staff[0])
    read_response(first, sentiment=-0.6)
    assert surveys.sync_survey_followups(personas.bakery) == 0  # one answer would name its author
    for person in staff[1:]:
        read_response(
            answer(survey, {"went_well": f"Exhausted, says {person.name}."}, person=person),
            sentiment=-0.6,
        )
    assert surveys.sync_survey_followups(personas.bakery) == k
    assert conversation_of(first).person is None


# --- triage ----------------------------------------------------------------------------------


def test_a_reading_that_comes_later_raises_the_priority_once(personas, detractor):
    c = conversation_of(detractor)
    read_response(detractor, needs_human=True, reasons=("money",), sentiment=-0.7)
    assert surveys.sync_survey_followups(personas.bakery) == 1
    c.refresh_from_db()
    assert c.priority == Priority.HIGH and c.needs_human and c.reason_codes == ["money"]
    assert c.emotion == "anger" and c.sentiment == -0.7
    assert c.events.filter(kind=EventKind.TRIAGED).count() == 2
    assert surveys.sync_survey_followups(personas.bakery) == 0


# --- in step both ways -----------------------------------------------------------------------


def test_the_feedback_inbox_moves_the_conversation(personas, detractor):
    bob = personas.bob_member
    feedback.assign(detractor, bob)
    c = conversation_of(detractor)
    assert (c.status, c.owner) == (Status.ASSIGNED, bob)
    feedback.reply(detractor, bob, "So sorry, a fresh loaf is on us.")
    assert conversation_of(detractor).status == Status.REPLIED
    feedback.respondent_reply(detractor, "Thank you!")
    assert conversation_of(detractor).status == Status.ASSIGNED
    feedback.move(detractor, FollowUp.DONE, member=bob, what_we_did="Changed the proofing.")
    c = conversation_of(detractor)
    assert (c.status, c.owner, c.last_owner) == (Status.RESOLVED, None, bob)
    feedback.move(detractor, FollowUp.IN_PROGRESS, member=bob)
    assert (conversation_of(detractor).status, conversation_of(detractor).owner) == (
        Status.ASSIGNED,
        bob,
    )
    feedback.assign(detractor, None)
    assert conversation_of(detractor).status == Status.WAITING


def test_an_owner_chosen_in_feedback_holds_it_even_off_duty(personas, detractor):
    Duty.objects.create(workspace=personas.bakery, membership=personas.bob_member, on_duty=False)
    feedback.assign(detractor, personas.bob_member)
    assert conversation_of(detractor).owner == personas.bob_member


def test_the_inbox_moves_the_feedback_item(personas, detractor):
    alice, bob = personas.alice_member, personas.bob_member
    c = actions.assign(conversation_of(detractor), bob, actor=alice)
    detractor.refresh_from_db()
    assert detractor.owner == bob and c.owner == bob
    actions.release(c, actor=bob)  # on to the next in turn: Alice, the only other taker
    detractor.refresh_from_db()
    assert detractor.owner == alice == conversation_of(detractor).owner


def test_resolving_in_the_inbox_closes_the_loop_only_once_someone_said_what_was_done(
    personas, detractor
):
    alice = personas.alice_member
    c = actions.assign(conversation_of(detractor), alice, actor=alice)
    with pytest.raises(actions.InboxError, match="Say what was done"):
        actions.resolve(c, actor=alice)
    detractor.refresh_from_db()
    assert detractor.status == FollowUp.NEW
    assert conversation_of(detractor).status == Status.ASSIGNED  # nothing half-written

    Response.objects.filter(pk=detractor.pk).update(what_we_did="Replaced the loaf.")
    actions.resolve(c, actor=alice)
    detractor.refresh_from_db()
    assert detractor.status == FollowUp.DONE and detractor.done_at is not None
    assert conversation_of(detractor).status == Status.RESOLVED


def test_replies_go_from_the_feedback_page(personas, detractor):
    with pytest.raises(actions.InboxError, match="feedback page"):
        actions.reply(conversation_of(detractor), "Hello", actor=personas.alice_member)
    assert not detractor.messages.exists()


def test_a_member_who_leaves_hands_on_their_survey_feedback(personas, detractor):
    feedback.assign(detractor, personas.bob_member)
    moved = actions.member_left(personas.bob_member)
    assert moved == 1
    detractor.refresh_from_db()
    assert detractor.owner == personas.alice_member == conversation_of(detractor).owner


def test_a_deleted_response_leaves_no_conversation(personas, detractor):
    detractor.delete()
    assert not Conversation.objects.exists()


def test_the_worker_files_answers_after_the_respondent_has_gone_many_in_one_run(
    personas, django_capture_on_commit_callbacks
):
    survey = open_survey(personas.bakery, "customer_nps")
    raw = {survey.questions.get(key="nps"): 2}
    for name in ("Dana Weiss", "Eli Stone", "Fay Moss"):
        person = make_customer(personas.bakery, name=name)
        with django_capture_on_commit_callbacks(execute=True):
            feedback.submit_response(survey, raw, channel=Channel.PERSONAL, person=person)
    # The answers are stored; nothing was filed while the respondent waited.
    assert not Conversation.objects.exists()
    assert DBTaskResult.objects.ready().filter(task_path=file_survey_followups.module_path)
    # One run files every answer that came; the runs queued after it find nothing to do.
    assert file_survey_followups.call(personas.bakery.pk) == 3
    assert file_survey_followups.call(personas.bakery.pk) == 0
    assert Conversation.objects.filter(source=Source.SURVEY).count() == 3


def test_the_worker_reads_and_triages_before_it_takes_the_write_lock(
    personas, django_capture_on_commit_callbacks
):
    """On SQLite a transaction holds the one write lock every public answer waits for, and
    the worker runs at a lower CPU priority: filing reads and thinks outside it, and the
    only read inside is the item's follow-up state, fetched again as the write begins."""
    survey = open_survey(personas.bakery, "customer_nps")
    raw = {survey.questions.get(key="nps"): 2, survey.questions.get(key="reason"): "Cold."}
    for name in ("Dana Weiss", "Eli Stone"):
        person = make_customer(personas.bakery, name=name)
        with django_capture_on_commit_callbacks(execute=True):
            feedback.submit_response(survey, raw, channel=Channel.PERSONAL, person=person)
    with CaptureQueriesContext(connection) as captured:
        assert file_survey_followups.call(personas.bakery.pk) == 2
    depth, reads_inside, writes = 0, [], 0
    for sql in (q["sql"].lstrip().upper() for q in captured.captured_queries):
        if sql.startswith("SAVEPOINT"):  # the test's own transaction makes atomic() these
            depth += 1
        elif sql.startswith("RELEASE SAVEPOINT") or sql.startswith("ROLLBACK TO SAVEPOINT"):
            depth -= int(sql.startswith("RELEASE"))
        elif depth and sql.startswith("SELECT"):
            reads_inside.append(sql)
        elif depth:
            writes += 1
    assert writes >= 2 * 3  # each: the conversation, its "opened" and "triaged" events
    assert len(reads_inside) == 2, reads_inside  # each: the item's status and owner
    assert Conversation.objects.filter(source=Source.SURVEY).count() == 2
    c = Conversation.objects.filter(source=Source.SURVEY).first()
    assert c.read_at is not None and "a detractor (2 of 10)" in c.reasons
    assert list(c.events.values_list("kind", flat=True).order_by("id")) == [
        EventKind.OPENED,
        EventKind.TRIAGED,
    ]


def test_a_silent_good_score_queues_no_filing(personas, django_capture_on_commit_callbacks):
    survey = open_survey(personas.bakery, "customer_nps")
    with django_capture_on_commit_callbacks(execute=True):
        feedback.submit_response(survey, {survey.questions.get(key="nps"): 9}, channel="public")
    # Nothing to follow up, so the worker is not asked (the clock still looks at everything).
    assert not DBTaskResult.objects.filter(task_path=file_survey_followups.module_path).exists()


# --- the backfill ----------------------------------------------------------------------------


def test_the_clock_files_what_was_written_in_bulk_once(personas, dana):
    """Imports and the demo write responses in bulk, without signals."""
    survey = open_survey(personas.bakery, "customer_nps")
    rows = []
    for score, text in ((2, "Rude at the till."), (9, ""), (5, ""), (10, "Lovely.")):
        clean = {survey.questions.get(key="nps"): score}
        if text:
            clean[survey.questions.get(key="reason")] = text
        prepared = feedback.prepare_response(
            survey, clean, channel=Channel.IMPORT, person=dana, now=timezone.now()
        )
        rows.append(prepared)
    done = rows[0].response
    done.status, done.owner = FollowUp.DONE, personas.alice_member
    done.what_we_did = "Spoke to the team."
    Response.objects.bulk_create([p.response for p in rows])
    for p in rows:
        type(p.answers[0]).objects.bulk_create(p.answers)

    # The silent 9 asks for nothing; the 10 with praise is read in the results, not followed up.
    assert tick.call()["survey_followups"] == 2
    assert Conversation.objects.filter(source=Source.SURVEY).count() == 2
    assert conversation_of(done).status == Status.RESOLVED
    assert surveys.sync_survey_followups(personas.bakery) == 0
    assert Conversation.objects.count() == 2


def test_feedback_that_waited_before_the_inbox_is_flagged_without_an_email_each(
    personas, dana, mailoutbox
):
    survey = open_survey(personas.bakery, "customer_nps")
    old = answer(
        survey,
        {"nps": 4, "reason": "Too dear."},
        person=dana,
        now=timezone.now() - dt.timedelta(days=40),
        check_open=False,
    )
    tick.call()
    c = conversation_of(old)
    assert c.status == Status.WAITING and c.unassigned_alert_at is not None
    assert c.events.filter(kind=EventKind.UNASSIGNED_ALERT).count() == 1
    assert mailoutbox == []


def test_one_business_files_only_its_own_feedback(personas, django_capture_on_commit_callbacks):
    survey = open_survey(personas.garage, "customer_nps")
    driver = make_customer(personas.garage, name="Garage Customer")
    response = answer(
        survey, {"nps": 1, "reason": "Late."}, django_capture_on_commit_callbacks, person=driver
    )
    assert surveys.sync_survey_followups(personas.bakery) == 0
    c = conversation_of(response)
    assert c.workspace == personas.garage and c.person == driver
    with pytest.raises(actions.InboxError):
        actions.assign(c, personas.bob_member, actor=personas.charlie_member)
    response.refresh_from_db()
    assert response.owner is None


def test_an_anonymous_respondent_answering_back_leaves_no_moment_in_the_inbox(
    personas, django_capture_on_commit_callbacks
):
    box = feedback.suggestion_box(personas.bakery)
    response = answer(box, {"suggestion": "More seeded rolls."}, django_capture_on_commit_callbacks)
    surveys.sync_survey_followups(personas.bakery)
    feedback.assign(response, personas.bob_member)
    feedback.reply(response, personas.bob_member, "Good idea, from Monday.")
    c = conversation_of(response)
    logged = c.events.count()
    assert c.status == Status.REPLIED

    feedback.respondent_reply(response, "Thank you!")
    c = conversation_of(response)
    assert c.status == Status.ASSIGNED and c.events.count() == logged
    assert c.awaiting_since is None and c.reply_due is None


def test_a_comment_waits_for_its_reading_and_only_an_unhappy_one_is_followed_up(personas, dana):
    survey = open_survey(personas.bakery, "customer_nps")
    praise = answer(survey, {"nps": 9, "reason": "Lovely croissants, thank you!"}, person=dana)
    moan = answer(survey, {"nps": 8, "reason": "The queue was far too slow."}, person=dana)
    assert surveys.sync_survey_followups(personas.bakery) == 0  # not read yet
    read_response(praise, sentiment=0.8)
    read_response(moan, sentiment=-0.6)
    assert surveys.sync_survey_followups(personas.bakery) == 1
    assert conversation_of(moan).source == Source.SURVEY
    assert not Conversation.objects.filter(response_id=praise.pk).exists()
