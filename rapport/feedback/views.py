"""Survey list, builder and distribution pages."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.feedback import actions, distribution, shown_pages
from rapport.feedback.blueprints import BLUEPRINTS
from rapport.feedback.choices import SurveyKind, SurveyStatus
from rapport.feedback.forms import NewSurveyForm, QuestionForm, SurveySettingsForm
from rapport.feedback.models import Invitation, Question, Survey


def _survey(request, survey_id) -> Survey:
    return get_object_or_404(Survey, workspace=request.workspace, pk=survey_id)


@workspace_view()
def survey_list(request):
    surveys = Survey.objects.filter(workspace=request.workspace).annotate(
        answers=Count("responses", distinct=True)
    )
    return render(
        request,
        "feedback/surveys.html",
        {
            "surveys": surveys,
            "blueprints": BLUEPRINTS.values(),
            "form": NewSurveyForm(),
            "suggestion_box": actions.find_suggestion_box(request.workspace),
        },
    )


@workspace_view(Role.MANAGER)
@require_POST
def survey_new(request):
    form = NewSurveyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a template or a blank survey.")
        return redirect("feedback:surveys", slug=request.workspace.slug)
    settings = {"title": form.cleaned_data["title"]} if form.cleaned_data["title"] else {}
    if not form.cleaned_data["blueprint"]:
        settings.setdefault("title", "New survey")
    survey = actions.create_survey(
        request.workspace,
        blueprint=form.cleaned_data["blueprint"],
        created_by=request.membership,
        **settings,
    )
    messages.success(
        request, f"“{survey.title}” is ready to edit. It takes no answers until opened."
    )
    return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)


@workspace_view()
def survey_page(request, survey_id):
    survey = _survey(request, survey_id)
    invitations = Invitation.objects.filter(survey=survey).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(sent_at__isnull=False)),
        answered=Count("id", filter=Q(answered=True)),
    )
    context = {
        "survey": survey,
        "questions": list(survey.questions.all()),
        "responses": survey.responses.count(),
        "invitations": invitations,
        "audience": actions.audience(survey).count(),
        "public_link": distribution.public_link(survey),
        "round": actions.round_of(survey, request.workspace.today()),
    }
    return render(request, "feedback/survey.html", context)


@workspace_view(Role.MANAGER)
def survey_edit(request, survey_id):
    survey = _survey(request, survey_id)
    locked = survey.responses.exists() or survey.invitations.exists()
    form = SurveySettingsForm(
        request.POST or None, instance=survey, workspace=request.workspace, locked=locked
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Survey settings saved.")
        return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)
    return render(request, "feedback/survey_edit.html", {"survey": survey, "form": form})


@workspace_view(Role.MANAGER)
@require_POST
def survey_status(request, survey_id):
    survey = _survey(request, survey_id)
    status = request.POST.get("status", "")
    if survey.kind == SurveyKind.SUGGESTIONS and status == SurveyStatus.CLOSED:
        messages.error(
            request, "The suggestion box is always open; turn off its public link instead."
        )
    elif status not in SurveyStatus.values:
        messages.error(request, "Unknown status.")
    elif status == SurveyStatus.OPEN and not survey.questions.exists():
        messages.error(request, "Add a question before opening the survey.")
    else:
        actions.set_status(survey, status, actor=request.user)
        messages.success(request, f"The survey is now {survey.get_status_display().lower()}.")
    return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)


@workspace_view(Role.MANAGER)
@require_POST
def survey_invite(request, survey_id):
    """Personal links for the audience in the current round, emailed now."""
    survey = _survey(request, survey_id)
    if survey.status != SurveyStatus.OPEN:
        messages.error(request, "Open the survey before sending personal links.")
        return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)
    with transaction.atomic():
        created = actions.invite(survey)
    sent = distribution.send_invitations(survey)
    note = f"{len(created)} new personal link(s); {sent.sent} email(s) sent"
    if sent.failed:
        note += f", {sent.failed} refused by the mail server (tried again next time)"
    messages.success(request, note + ".")
    return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)


@workspace_view(Role.MANAGER)
@require_POST
def survey_remind(request, survey_id):
    survey = _survey(request, survey_id)
    sent = distribution.send_reminders(survey)
    messages.success(
        request,
        f"{sent.sent} reminder(s) sent. Each person is reminded once, "
        f"{survey.remind_after_days} days after their link.",
    )
    return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)


def _question_locked(question: Question) -> bool:
    return question.pk is not None and question.answers.exists()


@workspace_view(Role.MANAGER)
def question_edit(request, survey_id, question_id=None):
    survey = _survey(request, survey_id)
    question = (
        get_object_or_404(Question, survey=survey, pk=question_id)
        if question_id
        else Question(survey=survey, position=survey.questions.count())
    )
    form = QuestionForm(request.POST or None, instance=question, locked=_question_locked(question))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Question saved.")
        return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)
    return render(
        request,
        "feedback/question_edit.html",
        {"survey": survey, "question": question, "form": form},
    )


@workspace_view(Role.MANAGER)
@require_POST
def question_delete(request, survey_id, question_id):
    survey = _survey(request, survey_id)
    question = get_object_or_404(Question, survey=survey, pk=question_id)
    if _question_locked(question):
        messages.error(request, "This question has answers; it cannot be deleted.")
    else:
        question.delete()
        messages.success(request, "Question deleted.")
    return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)


@workspace_view(Role.MANAGER)
@require_POST
def question_move(request, survey_id, question_id):
    survey = _survey(request, survey_id)
    questions = list(survey.questions.all())
    index = next((i for i, q in enumerate(questions) if q.pk == question_id), None)
    if index is None:
        return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
        for position, q in enumerate(questions):
            q.position = position
        Question.objects.bulk_update(questions, ["position"])
        shown_pages.forget()
    return redirect("feedback:survey", slug=request.workspace.slug, survey_id=survey.pk)


@workspace_view()
def suggestion_box(request):
    """The business's suggestion box: its survey page. A GET never creates it (a link, a
    prefetch or a viewer's visit must change nothing); a manager's POST sets it up."""
    if request.method == "POST":
        if not request.membership.can_manage:
            raise Http404("No such page")
        box = actions.suggestion_box(request.workspace, created_by=request.membership)
    else:
        box = actions.find_suggestion_box(request.workspace)
        if box is None:
            messages.info(
                request,
                "There is no suggestion box yet. A manager or the owner can set it up here.",
            )
            return redirect("feedback:surveys", slug=request.workspace.slug)
    return redirect("feedback:survey", slug=request.workspace.slug, survey_id=box.pk)


routes = [
    path("", survey_list, name="surveys"),
    path("new/", survey_new, name="survey-new"),
    path("suggestions/", suggestion_box, name="suggestion-box"),
    path("surveys/<int:survey_id>/", survey_page, name="survey"),
    path("surveys/<int:survey_id>/edit/", survey_edit, name="survey-edit"),
    path("surveys/<int:survey_id>/status/", survey_status, name="survey-status"),
    path("surveys/<int:survey_id>/invite/", survey_invite, name="survey-invite"),
    path("surveys/<int:survey_id>/remind/", survey_remind, name="survey-remind"),
    path("surveys/<int:survey_id>/questions/new/", question_edit, name="question-new"),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/",
        question_edit,
        name="question-edit",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/delete/",
        question_delete,
        name="question-delete",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/move/",
        question_move,
        name="question-move",
    ),
]
