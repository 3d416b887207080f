"""The reach-out page: parse, call an action, render."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.outreach import actions, digest, effect
from rapport.outreach.forms import ItemForm, SnoozeForm
from rapport.outreach.models import WEEKDAYS

# Items shown per kind unless the member asks for all: a list to act on this week.
PER_KIND = 10


@workspace_view(Role.STAFF)
def reach_out_page(request):
    everyone = request.GET.get("who") == "everyone" and request.membership.can_manage
    listed = actions.reach_out_list(request.workspace, request.membership, everyone=everyone)
    show_all = request.GET.get("all") == "1"
    if not show_all:
        listed.trim(PER_KIND)
    return render(
        request,
        "outreach/list.html",
        {
            "listed": listed,
            "effect": effect.list_effect(request.workspace, listed.today),
            "show_all": show_all,
            "snooze_default": listed.today + timedelta(days=7),
            "settings": listed.settings,
            "digest": digest.subscription(request.membership),
            "weekdays": list(enumerate(WEEKDAYS)),
            "weekday_name": WEEKDAYS[listed.settings.digest_weekday],
        },
    )


def _back(request):
    url = "outreach:list"
    response = redirect(url, slug=request.workspace.slug)
    if request.POST.get("who") == "everyone":
        response["Location"] += "?who=everyone"
    return response


@require_POST
@workspace_view(Role.STAFF)
def done(request):
    form = ItemForm(request.POST)
    if not form.is_valid():
        raise Http404("No such item")
    try:
        actions.mark_done(
            request.workspace,
            request.membership,
            form.cleaned_data["kind"],
            form.cleaned_data["subject_id"],
        )
    except actions.OutreachError as error:
        raise Http404(str(error)) from None
    messages.success(request, "Marked done. It stays off the list for four weeks.")
    return _back(request)


@require_POST
@workspace_view(Role.STAFF)
def snooze(request):
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        raise Http404("No such item")
    try:
        actions.snooze(
            request.workspace,
            request.membership,
            form.cleaned_data["kind"],
            form.cleaned_data["subject_id"],
            form.cleaned_data["until"],
        )
    except actions.NotOnList as error:
        raise Http404(str(error)) from None
    except actions.OutreachError as error:
        messages.error(request, str(error))
        return _back(request)
    messages.success(request, f"Snoozed until {form.cleaned_data['until']:%-d %B %Y}.")
    return _back(request)


@require_POST
@workspace_view(Role.MANAGER)
def update_settings(request):
    actions.set_individual_employees(
        request.workspace,
        request.POST.get("individual_employees") == "on",
        actor=request.user,
    )
    weekday = request.POST.get("digest_weekday", "")
    if weekday.isdigit() and int(weekday) in range(7):
        digest.set_digest_weekday(request.workspace, int(weekday), actor=request.user)
    messages.success(request, "Reach-out settings saved.")
    return _back(request)


@require_POST
@workspace_view(Role.STAFF)
def digest_setting(request):
    on = request.POST.get("digest") == "on"
    digest.set_digest(request.membership, on)
    messages.success(
        request, "You will get this list by e-mail every week." if on else "No more e-mails."
    )
    return _back(request)
