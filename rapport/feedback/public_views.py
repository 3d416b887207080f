"""The pages respondents use, with no login: a survey's public link (/s/<token>/) and its
website version (/s/<token>/embed/), a personal link (/a/<token>/), and the respondent's
side of the conversation about their answers (/r/<token>/).

They are built for a phone first, need no JavaScript, load one small stylesheet and nothing
else, and speak the survey's language (``phrases.py``). Every fixed word comes from there;
the questions are the business's own.

These views are exempt from CSRF checks on purpose: no one is logged in, so there is no
session to ride on; the personal and conversation links are themselves the secret; and the
website version runs in a third-party frame where browsers withhold cookies. Abuse is held
back by a honeypot, a rate limit and a size limit instead (``abuse.py``).
"""

import secrets
from dataclasses import dataclass, field

from csp.decorators import csp_replace
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from rapport.accounts.models import Workspace
from rapport.feedback import abuse, actions, shown_pages
from rapport.feedback.answers import MAX_TEXT
from rapport.feedback.choices import Author, QuestionKind, SurveyKind
from rapport.feedback.models import FollowUpMessage, Invitation, Question, Survey
from rapport.feedback.phrases import language_of, phrases_for
from rapport.lib.rows import Rows

K = QuestionKind

# The words at the two ends of each kind of scale.
SCALE_ENDS = {
    K.NPS: ("nps_low", "nps_high"),
    K.ENPS: ("nps_low", "nps_high"),
    K.CSAT: ("csat_low", "csat_high"),
    K.CES: ("agree_low", "agree_high"),
    K.LIKERT: ("agree_low", "agree_high"),
    K.RATING: ("rating_low", "rating_high"),
}

# The hidden field that tells one filled-in form from the same form sent twice.
SUBMISSION_FIELD = "submission"
SUBMISSION_SECONDS = actions.DUPLICATE_WINDOW_DAYS * 24 * 3600


@dataclass
class Choice:
    value: str
    label: str
    checked: bool
    # Read out by screen readers on the first and last point of a scale.
    end: str = ""


@dataclass
class Field:
    """One question as the form shows it, with what the respondent sent and its error."""

    question: Question
    name: str
    kind: str  # scale, single, multiple or text
    choices: list[Choice] = field(default_factory=list)
    text: str = ""
    error: str = ""
    low: str = ""
    high: str = ""
    hint: str = ""

    @property
    def described_by(self) -> str:
        ids = []
        if self.question.help_text:
            ids.append(f"{self.name}-help")
        if self.hint:
            ids.append(f"{self.name}-hint")
        if self.error:
            ids.append(f"{self.name}-error")
        return " ".join(ids)


def _name(question: Question) -> str:
    return f"q{question.pk}"


def _sent(question: Question, post) -> list[str]:
    if question.kind == K.MULTIPLE:
        return post.getlist(_name(question))
    value = post.get(_name(question), "")
    return [value] if value else []


def _raw_answers(questions: list[Question], post) -> dict:
    return {
        q.pk: (post.getlist(_name(q)) if q.kind == K.MULTIPLE else post.get(_name(q), ""))
        for q in questions
    }


def _fields(questions, words: dict, post=None, errors: dict | None = None) -> list[Field]:
    errors = errors or {}
    fields = []
    for question in questions:
        sent = _sent(question, post) if post is not None else []
        f = Field(question=question, name=_name(question), kind="text")
        f.error = errors.get(question.pk, "")
        if question.scale:
            low, high = question.scale
            low_key, high_key = SCALE_ENDS[question.kind]
            f.kind, f.low, f.high = "scale", words[low_key], words[high_key]
            f.choices = [
                Choice(
                    str(n),
                    str(n),
                    str(n) in sent,
                    f.low if n == low else f.high if n == high else "",
                )
                for n in range(low, high + 1)
            ]
        elif question.kind in (K.SINGLE, K.MULTIPLE):
            f.kind = "single" if question.kind == K.SINGLE else "multiple"
            f.hint = words["choose_several"] if question.kind == K.MULTIPLE else ""
            f.choices = [Choice(str(o), str(o), str(o) in sent) for o in question.options]
        else:
            f.text = sent[0] if sent else ""
            f.hint = words["text_hint"]
        fields.append(f)
    return fields


def _localise(message: str, words: dict, language: str) -> str:
    """An answer error from ``answers.py`` / ``actions.py`` in the survey's language."""
    if message == "This question needs an answer.":
        return words["need_answer"]
    if message == "No question was answered.":
        return words["nothing_answered"]
    if "characters long" in message:
        return words["too_long"]
    # The precise English reason helps an English respondent; the others get a plain one.
    return message if language == "en" else words["invalid"]


def _context(survey: Survey, **extra) -> dict:
    words = phrases_for(survey.language)
    return {
        "survey": survey,
        "business": survey.workspace,
        "words": words,
        "lang": survey.language or "en",
        "max_text": MAX_TEXT,
        **extra,
    }


def _private(response):
    """Pages that carry a secret link: never cached, never leaked in a Referer."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _notice(request, survey, title_key, text_key, *, status=200, embed=False, retry_after=None):
    context = _context(survey, embed=embed)
    context["title"] = context["words"][title_key]
    context["text"] = context["words"][text_key]
    response = render(request, "feedback/answer/notice.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return _private(response)


def _thanks(request, survey, *, reply_token="", duplicate=False, embed=False):
    reply_url = ""
    key = ""
    if reply_token and not duplicate:
        # The same page for every answer of this survey but for the reply link: kept.
        key = f"thanks {request.build_absolute_uri()}"
        if kept := shown_pages.page(key, reply_token):
            return _private(kept)
        reply_url = request.build_absolute_uri(
            reverse("answer:conversation", args=[shown_pages.SLOT])
        )
    context = _context(survey, embed=embed, reply_url=reply_url, duplicate=duplicate)
    if key:
        return _private(_kept(request, key, "feedback/answer/thanks.html", context, reply_token))
    return _private(render(request, "feedback/answer/thanks.html", context))


def _kept(request, key: str, template: str, context: dict, fill: str):
    """Render a page with ``shown_pages.SLOT`` in it, keep it, and send it with ``fill``."""
    response = render(request, template, context)
    content = response.content.decode()
    shown_pages.keep(key, content)
    response.content = content.replace(shown_pages.SLOT, fill)
    return response


def _guard(request, survey, scope: str, texts: int, embed: bool):
    """The polite page for an oversized or too frequent POST, or None to go on."""
    if abuse.body_too_large(request, abuse.body_limit(texts)):
        return _notice(request, survey, "large_title", "large", status=413, embed=embed)
    if not abuse.allow(request, scope):
        rate = abuse.answer_rate()
        return _notice(
            request, survey, "rate_title", "rate", status=429, embed=embed, retry_after=rate.seconds
        )
    return None


# --- who is answering: contact consent, or a name in the suggestion box -------------------
# Both are kept on the response as typed (``contact_email``, ``contact_name``): nothing typed
# on a page without a login is trusted to say which Person is writing.


@dataclass
class Extras:
    """What the respondent said about themselves, beside their answers."""

    may_contact: bool = False
    email: str = ""
    name: str = ""
    # As typed, to show again when something needs fixing.
    typed_email: str = ""
    errors: dict = field(default_factory=dict)


def _clean_email(value: str) -> str:
    value = value.strip()
    if len(value) > 254:
        raise ValidationError("too long")
    validate_email(value)
    return value


def _extras(post, mode: str, words: dict) -> Extras:
    """``mode``: "identity" (suggestion box), "contact" (public link), "consent" (personal
    link, whose person is known), or "" (nothing asked)."""
    extras = Extras(typed_email=post.get("email", "").strip()[:254])
    if mode == "identity":
        extras.name = post.get("name", "").strip()[:200]
        email = post.get("email", "").strip()
        if email:
            try:
                extras.email = _clean_email(email)
                extras.may_contact = True
            except ValidationError:
                extras.errors["identity"] = words["email_invalid"]
        elif extras.name:
            extras.errors["identity"] = words["identity_need_email"]
    elif mode in ("contact", "consent"):
        extras.may_contact = post.get("may_contact") == "yes"
        email = post.get("email", "").strip()
        if mode == "contact" and extras.may_contact:
            if not email:
                extras.errors["contact"] = words["contact_email_needed"]
            else:
                try:
                    extras.email = _clean_email(email)
                except ValidationError:
                    extras.errors["contact"] = words["email_invalid"]
    return extras


def _extras_mode(survey: Survey, personal: bool) -> str:
    if survey.kind == SurveyKind.SUGGESTIONS:
        return "" if personal else "identity"
    if survey.ask_contact and not survey.is_anonymous:
        return "consent" if personal else "contact"
    return ""


# --- one submission, once ----------------------------------------------------------------


def _submission_key(survey: Survey, post) -> str:
    """The cache key of this filled-in form, or "" when the form carries none."""
    token = post.get(SUBMISSION_FIELD, "")
    if not (8 <= len(token) <= 64) or not token.replace("-", "").replace("_", "").isalnum():
        return ""
    return f"rapport:answer-once:{survey.pk}:{token}"


FORM = "feedback/answer/form.html"


def _new_submission() -> str:
    return secrets.token_urlsafe(16)


def _answer(request, survey: Survey, *, embed=False, invitation: Invitation | None = None):
    """Show the survey's form, or take its answers."""
    words = phrases_for(survey.language)
    language = language_of(survey.language)
    if not survey.accepts_answers():
        return _notice(request, survey, "closed_title", "closed", embed=embed)
    if invitation is not None:
        round_key = invitation.round
    else:
        round_key = actions.round_of(survey, survey.workspace.today())
    questions = actions.questions_for_round(survey, round_key, _all_questions(survey))
    mode = _extras_mode(survey, personal=invitation is not None)
    post, errors, form_error, extras = None, {}, "", Extras()

    if request.method == "POST":
        texts = sum(1 for q in questions if q.kind == K.TEXT)
        scope = f"invitation:{invitation.pk}" if invitation else f"survey:{survey.pk}"
        stop = _guard(request, survey, scope, texts, embed)
        if stop is not None:
            return stop
        post = request.POST
        if abuse.is_robot(post):
            return _thanks(request, survey, embed=embed)
        raw = _raw_answers(questions, post)
        extras = _extras(post, mode, words)
        if extras.errors:
            _, errors = actions.clean_answers(questions, raw)
        else:
            result = _submit(request, survey, raw, extras, invitation, embed, questions, round_key)
            if not isinstance(result, dict):
                return result
            errors = result
        form_error = errors.pop("", "")
        errors = {k: _localise(v, words, language) for k, v in errors.items()}
        form_error = _localise(form_error, words, language) if form_error else ""

    fields = _fields(questions, words, post, errors)
    context = _context(
        survey,
        embed=embed,
        fields=fields,
        any_required=any(q.required for q in questions),
        errors=bool(errors or form_error or extras.errors),
        form_error=form_error,
        extras=extras,
        extra_errors=extras.errors,
        mode=mode,
        anonymous_notice=invitation is not None and survey.is_anonymous,
        submission=_new_submission(),
        honeypot=abuse.HONEYPOT_FIELD,
    )
    status = 422 if context["errors"] else 200
    if status == 200 and invitation is None and request.method == "GET":
        # The page as everyone first sees it: kept (shown_pages.py).
        submission, context["submission"] = context["submission"], shown_pages.SLOT
        return _kept(request, request.path, FORM, context, submission)
    response = render(request, FORM, context, status=status)
    return _private(response) if invitation is not None else response


def _submit(request, survey, raw, extras, invitation, embed, questions, round_key):
    """Store the answers and return the thanks page, or return the errors (a dict)."""
    once = _submission_key(survey, request.POST)
    # A form that carries its own key is told apart from an identical one sent by someone
    # else (two customers may both give a 10 and say nothing); a form without one falls
    # back to the answers' fingerprint. The cache stops a double click at once in this
    # process; the key in the stored fingerprint stops it across processes.
    if once and not cache.add(once, 1, timeout=SUBMISSION_SECONDS):
        return _duplicate(request, survey, invitation, embed)
    try:
        # One transaction (submit_response's own). Only a personal link says who is
        # answering. An email typed on a public page proves nothing, so it is kept as typed
        # and never finds or adds a Person: otherwise anyone could post under a customer's
        # or a colleague's name.
        submitted = actions.submit_response(
            survey,
            raw,
            channel=actions.channel_for(invitation, embedded=embed),
            invitation=invitation,
            may_contact=extras.may_contact,
            contact_email=extras.email if invitation is None else "",
            contact_name=extras.name if invitation is None else "",
            round_key=round_key,
            submission_key=request.POST.get(SUBMISSION_FIELD, "") if once else "",
            questions=questions,
        )
    except actions.Duplicate:
        return _duplicate(request, survey, invitation, embed)
    except actions.SubmissionError as error:
        if once:
            cache.delete(once)
        return dict(error.errors)
    except BaseException:
        if once:
            cache.delete(once)
        raise
    return _thanks(request, survey, reply_token=submitted.reply_token, embed=embed)


def _duplicate(request, survey, invitation, embed):
    if invitation is not None:
        return _notice(request, survey, "already_title", "already", embed=embed)
    return _thanks(request, survey, duplicate=True, embed=embed)


def _public_survey(token: str) -> Survey:
    # Every answer reads its survey, business and questions afresh. Building and compiling
    # these queries with the ORM cost three times what running them does, so they are
    # written out once here (lib/rows.py turns each column into its field's value).
    survey = next(iter(_SURVEY_BY_LINK([token, True])), None)
    if survey is None:
        raise Http404("No such survey")
    survey.workspace = _WORKSPACE_BY_ID([survey.workspace_id])[0]
    return survey


def _all_questions(survey: Survey) -> list[Question]:
    return _QUESTIONS_OF_SURVEY([survey.pk])


# The tables are the models' own names; every value is a parameter.
_SURVEY_BY_LINK = Rows(
    Survey,
    f'SELECT * FROM "{Survey._meta.db_table}" WHERE "public_token" = %s AND "public_link" = %s',  # noqa: S608
)
_WORKSPACE_BY_ID = Rows(Workspace, f'SELECT * FROM "{Workspace._meta.db_table}" WHERE "id" = %s')  # noqa: S608
# The questions in Question.Meta.ordering.
_QUESTIONS_OF_SURVEY = Rows(
    Question,
    f'SELECT * FROM "{Question._meta.db_table}" WHERE "survey_id" = %s ORDER BY "position", "id"',  # noqa: S608
)


# --- the pages ----------------------------------------------------------------------------


@csrf_exempt
def survey_page(request, token):
    if request.method == "GET" and (kept := shown_pages.page(request.path, _new_submission())):
        return kept
    return _answer(request, _public_survey(token))


@csrf_exempt
@xframe_options_exempt
# Any website may show the survey in a frame (a survey has no list of sites; the chat
# widget does: inbox/widget_views.py). Every other page refuses frames (settings).
@csp_replace({"frame-ancestors": ["*"]})
def survey_embed(request, token):
    if request.method == "GET" and (kept := shown_pages.page(request.path, _new_submission())):
        return kept
    return _answer(request, _public_survey(token), embed=True)


@csrf_exempt
def personal_page(request, token):
    invitation = (
        Invitation.objects.select_related("survey__workspace", "person").filter(token=token).first()
    )
    if invitation is None:
        raise Http404("No such link")
    survey = invitation.survey
    if invitation.answered:
        return _notice(request, survey, "already_title", "already")
    return _answer(request, survey, invitation=invitation)


@csrf_exempt
def conversation(request, token):
    response = actions.response_by_reply_token(token)
    if response is None:
        raise Http404("No such conversation")
    survey = response.survey
    words = phrases_for(survey.language)
    error, draft = "", ""
    if request.method == "POST":
        stop = _guard(request, survey, f"reply:{response.pk}", 1, embed=False)
        if stop is not None:
            return stop
        if abuse.is_robot(request.POST):
            return _private(HttpResponseRedirect(request.path))
        draft = request.POST.get("message", "")
        try:
            actions.respondent_reply(response, draft)
        except ValueError as problem:
            error = words["message_empty"] if "empty" in str(problem) else words["message_too_long"]
        else:
            return _private(HttpResponseRedirect(request.path + "?sent=1"))

    thread = list(
        FollowUpMessage.objects.filter(workspace_id=response.workspace_id, response=response)
    )
    unread = [m.pk for m in thread if m.author == Author.BUSINESS and not m.read_by_respondent]
    if unread:
        FollowUpMessage.objects.filter(workspace_id=response.workspace_id, pk__in=unread).update(
            read_by_respondent=True
        )
    answers = response.answers.select_related("question")
    context = _context(
        survey,
        response=response,
        answers=answers,
        thread=thread,
        unread=set(unread),
        from_business=words["from_business"].format(business=response.workspace.name),
        error=error,
        draft=draft,
        sent="sent" in request.GET and not error,
        honeypot=abuse.HONEYPOT_FIELD,
    )
    status = 422 if error else 200
    return _private(render(request, "feedback/answer/conversation.html", context, status=status))
