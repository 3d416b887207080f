"""The inbox pages: the list of conversations and one conversation with its context card.
Views parse, call ``inbox/actions.py`` and render; an ``InboxError`` is shown as a message."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.engine.acknowledge import suggest
from rapport.engine.text.emotions import EMOTION_GROUPS, GROUP_NAMES
from rapport.inbox import actions, queries
from rapport.inbox.choices import Author, Priority, Source, Status
from rapport.inbox.context import card
from rapport.inbox.forms import AssignForm, LinkPersonForm, SavedViewForm, TextForm
from rapport.inbox.models import Conversation, SavedView
from rapport.knowledge.models import Entry
from rapport.people.actions import create_person
from rapport.people.choices import Group
from rapport.people.lookup import by_email


def url_of(c: Conversation) -> str:
    """Where a row leads: a survey follow-up's page is its feedback item."""
    slug = c.workspace.slug
    if c.response_id:
        return reverse("feedback:item", args=[slug, c.response_id])
    return reverse("inbox:conversation", args=[slug, c.pk])


@workspace_view(min_role=Role.STAFF)
def inbox_list(request):
    workspace, membership = request.workspace, request.membership
    filters = queries.read_filters(request.GET)
    found, number, has_next = queries.page_of(
        queries.conversations(workspace, membership, filters), request.GET.get("page", "")
    )
    for c in found:
        c.workspace = workspace
    saved = list(SavedView.objects.filter(workspace=workspace, membership=membership))
    here = queries.query_of(filters)
    return render(
        request,
        "inbox/list.html",
        {
            "rows": queries.present(found, membership, url_of),
            "number": number,
            "has_next": has_next,
            "filters": filters,
            "query": here,
            "views": [(key, label) for key, (label, _) in queries.VIEWS.items()],
            "view_label": queries.VIEWS.get(filters["view"], ("",))[0],
            "saved": saved,
            "saved_here": next((s for s in saved if s.query == here), None),
            "statuses": Status.choices,
            "priorities": Priority.choices[::-1],
            "owners": list(queries.members(workspace)),
            "groups": Group.choices,
            "channels": Source.choices,
            "emotions": [(g, GROUP_NAMES[g]) for g in EMOTION_GROUPS],
            "who_filtered": any(filters[key] for key in queries.WHO_FILTERS),
            "inbox_counts": queries.counts_for(request),
        },
    )


@require_POST
@workspace_view(min_role=Role.STAFF)
def save_view(request):
    form = SavedViewForm(request.POST)
    query = queries.clean_query(request.POST.get("query", ""))
    back = reverse("inbox:list", args=[request.workspace.slug])
    if not form.is_valid():
        messages.error(request, "Not saved: give the view a name of at most 60 characters.")
        return redirect(f"{back}?{query}" if query else back)
    try:
        with transaction.atomic():
            SavedView.objects.create(
                workspace=request.workspace,
                membership=request.membership,
                name=form.cleaned_data["name"].strip(),
                query=query,
            )
    except IntegrityError:
        messages.error(request, "Not saved: you already have a view with that name.")
    else:
        messages.success(request, f"Saved as “{form.cleaned_data['name'].strip()}”.")
    return redirect(f"{back}?{query}" if query else back)


@require_POST
@workspace_view(min_role=Role.STAFF)
def delete_view(request, view_id):
    saved = get_object_or_404(
        SavedView, workspace=request.workspace, membership=request.membership, pk=view_id
    )
    saved.delete()
    messages.success(request, f"The view “{saved.name}” is removed.")
    return redirect("inbox:list", slug=request.workspace.slug)


def _conversation_or_404(request, conversation_id) -> Conversation:
    return get_object_or_404(
        Conversation.objects.select_related("person__owner__user", "person__organisation"),
        workspace=request.workspace,
        pk=conversation_id,
    )


def _suggestion(c: Conversation, timeline) -> str:
    """The suggested first line of a reply, from the latest customer message's reading."""
    last = next((m for m in reversed(timeline) if m.author == Author.CUSTOMER), None)
    reading = getattr(last.interaction, "reading", None) if last and last.interaction_id else None
    feelings = reading.detected_groups if reading else ([c.emotion] if c.emotion else [])
    first_name = c.person.name.split()[0] if c.person_id and c.person.name else ""
    if not c.person_id and c.visitor_name:
        first_name = c.visitor_name.split()[0]
    return suggest(
        first_name=first_name, feelings=feelings, reasons=c.reason_codes or [], seed=str(c.pk)
    )


def _draft(c: Conversation):
    if not c.draft_entry:
        return None

    return Entry.objects.filter(workspace_id=c.workspace_id, key=c.draft_entry).first()


@workspace_view(min_role=Role.STAFF)
def conversation(request, conversation_id):
    c = _conversation_or_404(request, conversation_id)
    if c.response_id:
        return redirect("feedback:item", slug=request.workspace.slug, response_id=c.response_id)
    return _page(request, c)


def _page(request, c: Conversation, *, typed: str | None = None, status: int = 200):
    """The conversation page; ``typed``: a reply that was refused, given back to its writer."""
    c.workspace = request.workspace
    timeline = list(
        c.messages.select_related("interaction__reading", "member__user").order_by("at", "pk")
    )
    draft = _draft(c)
    suggestion = _suggestion(c, timeline)
    use_answer = request.GET.get("answer") == "1" and draft is not None
    me = request.membership
    return render(
        request,
        "inbox/conversation.html",
        {
            "c": c,
            "timeline": timeline,
            "events": list(c.events.select_related("actor__user", "member__user")),
            "card": card(c, me),
            "draft": draft,
            "reply_text": typed
            if typed is not None
            else (f"{suggestion}\n\n{draft.answer}" if use_answer else suggestion),
            "used_answer": use_answer,
            "assign_form": AssignForm(members=queries.members(request.workspace)),
            "link_form": LinkPersonForm(initial={"email": c.visitor_email, "name": c.visitor_name}),
            "mine": c.owner_id == me.pk,
            "may_give_back": c.owner_id is not None and (c.owner_id == me.pk or me.can_manage),
            "sla": queries.sla_words(c, timezone.now()),
        },
        status=status,
    )


def _take(request, c):
    actions.assign(c, request.membership, actor=request.membership)
    return "It is yours now."


def _assign(request, c):
    form = AssignForm(request.POST, members=queries.members(request.workspace))
    if not form.is_valid():
        raise actions.InboxError("Choose a member from the list.")
    member = form.cleaned_data["member"]
    actions.assign(c, member, actor=request.membership)
    return f"Assigned to {member}."


def _give_back(request, c):
    actions.release(c, actor=request.membership)
    return "Given back: it goes to the next person in turn."


def _reply(request, c):
    form = TextForm(request.POST)
    if not form.is_valid():
        raise actions.InboxError(f"A reply can be at most {actions.MAX_REPLY:,} characters.")
    message = actions.reply(c, form.cleaned_data["text"], actor=request.membership)
    return f"Reply sent ({message.get_delivery_display().lower()})."


def _note(request, c):
    form = TextForm(request.POST)
    if not form.is_valid():
        raise actions.InboxError(f"A note can be at most {actions.MAX_REPLY:,} characters.")
    actions.note(c, form.cleaned_data["text"], actor=request.membership)
    return "Note added. Only members see it."


def _resolve(request, c):
    actions.resolve(c, actor=request.membership)
    return "Resolved. If they write again, it comes back to its last person."


def _link(request, c):

    form = LinkPersonForm(request.POST)
    if not form.is_valid():
        raise actions.InboxError("Give a valid e-mail address.")
    email = form.cleaned_data["email"].lower()
    found = by_email(request.workspace, [email]).get(email)
    if found:
        person = found[0]
    elif form.cleaned_data["create"]:
        name = form.cleaned_data["name"].strip() or c.visitor_name or email
        person = create_person(
            request.workspace, actor=request.user, group=Group.CUSTOMER, name=name, email=email
        )
    else:
        raise actions.InboxError(
            "Nobody in your people has that e-mail. Tick “Add them” to add them as a customer."
        )
    actions.link_person(c, person, actor=request.membership)
    return f"Linked to {person.name}."


VERBS = {
    "take": _take,
    "assign": _assign,
    "give-back": _give_back,
    "reply": _reply,
    "note": _note,
    "resolve": _resolve,
    "link": _link,
}


@require_POST
@workspace_view(min_role=Role.STAFF)
def act(request, conversation_id, verb):
    c = _conversation_or_404(request, conversation_id)
    try:
        done = VERBS[verb](request, c)
    except actions.InboxError as error:
        messages.error(request, f"Nothing was changed: {error}")
        if verb == "reply":  # keep what the member wrote
            return _page(request, c, typed=request.POST.get("text", ""), status=400)
    else:
        messages.success(request, done)
    return redirect("inbox:conversation", slug=request.workspace.slug, conversation_id=c.pk)
