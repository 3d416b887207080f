"""The inbox's settings pages (opening hours and holidays, service levels, members' duty,
escalation rules with a "try it" box, the chat widget) and its figures page: parse, call a verb of
``policy``, ``duty`` or ``rules``, render. Staff see the settings; managers and owners change
them, and every member changes their own duty. Bad input comes back as plain errors on the
page, with what was typed kept."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.inbox import duty, policy, rules, widget
from rapport.inbox.choices import Priority
from rapport.inbox.clocks import limits
from rapport.inbox.figures import figures
from rapport.inbox.models import Duty, EscalationRule
from rapport.inbox.routing import inbox_settings, takers
from rapport.people.choices import Group


def _manager(request) -> None:
    if not request.membership.can_manage:
        raise Http404("No such page")


def _page(request, template: str, tab: str, **context):
    return render(
        request,
        template,
        {"tab": tab, "can_change": request.membership.can_manage, **context},
    )


# --- opening hours and holidays -----------------------------------------------------------


def _hour_rows(hours: dict, data=None) -> list[dict]:
    """Each weekday with its spans as the form shows them (``data``: what was posted)."""
    rows = []
    for day, name in enumerate(policy.DAYS):
        spans = hours.get(str(day)) or []
        cells = []
        for i in range(policy.SPANS_PER_DAY):
            if data is not None:
                opens, closes = data.get(f"open-{day}-{i}", ""), data.get(f"close-{day}-{i}", "")
            else:
                opens, closes = spans[i] if i < len(spans) else ("", "")
                closes = "24:00" if closes == "00:00" and opens else closes
            cells.append({"i": i, "opens": opens, "closes": closes})
        closed = bool(data.get(f"closed-{day}")) if data is not None else not spans
        rows.append({"day": day, "name": name, "spans": cells, "closed": closed})
    return rows


@workspace_view(Role.STAFF)
def hours_page(request):
    settings = inbox_settings(request.workspace)
    errors, data = [], None
    if request.method == "POST":
        _manager(request)
        try:
            policy.set_hours(request.workspace, policy.read_hours(request.POST), actor=request.user)
        except policy.PolicyError as error:
            errors, data = error.errors, request.POST
        else:
            messages.success(request, "Opening hours saved.")
            return redirect("inbox:settings", slug=request.workspace.slug)
    holidays = sorted(dt.date.fromisoformat(d) for d in settings.holidays or ())
    response = _page(
        request,
        "inbox/settings_hours.html",
        "hours",
        rows=_hour_rows(settings.hours or {}, data),
        errors=errors,
        holidays=holidays,
        today=request.workspace.today(),
        example=policy.example(request.workspace),
    )
    if errors:
        response.status_code = 400
    return response


def _holiday_change(request, verb, done: str):
    _manager(request)
    try:
        day = policy.read_holiday(request.POST.get("day", ""))
        verb(request.workspace, day, actor=request.user)
    except policy.PolicyError as error:
        for e in error.errors:
            messages.error(request, e)
    else:
        messages.success(request, done.format(day=day))
    return redirect("inbox:settings", slug=request.workspace.slug)


@require_POST
@workspace_view(Role.STAFF)
def add_holiday(request):
    return _holiday_change(request, policy.add_holiday, "{day:%-d %B %Y} is now a holiday.")


@require_POST
@workspace_view(Role.STAFF)
def remove_holiday(request):
    return _holiday_change(
        request, policy.remove_holiday, "{day:%-d %B %Y} is no longer a holiday."
    )


# --- service levels -----------------------------------------------------------------------


def _sla_values(settings) -> dict:
    values = {
        f"{level}-{clock}": policy.duration_text(limits(settings, p)[clock])
        for p, level in zip(sorted(Priority, key=lambda p: -p.value), policy.LEVELS, strict=True)
        for clock, _ in policy.CLOCKS
    }
    values["warn_before"] = policy.duration_text(settings.warn_before_minutes)
    values["alert_after"] = policy.duration_text(settings.unassigned_alert_minutes)
    values["reply_from"] = settings.reply_from
    return values


@workspace_view(Role.STAFF)
def sla_page(request):
    settings = inbox_settings(request.workspace)
    errors, values = [], _sla_values(settings)
    if request.method == "POST":
        _manager(request)
        try:
            levels = policy.read_service_levels(request.POST)
            policy.set_service_levels(request.workspace, levels, actor=request.user)
        except policy.PolicyError as error:
            errors = error.errors
            values = {key: request.POST.get(key, "") for key in values}
        else:
            messages.success(request, "Service levels saved.")
            return redirect("inbox:settings-sla", slug=request.workspace.slug)
    levels = [
        {
            "level": level,
            "label": level.capitalize(),
            "clocks": [
                {"key": f"{level}-{clock}", "words": words, "value": values[f"{level}-{clock}"]}
                for clock, words in policy.CLOCKS
            ],
        }
        for level in policy.LEVELS
    ]
    response = _page(
        request,
        "inbox/settings_sla.html",
        "sla",
        levels=levels,
        values=values,
        errors=errors,
        example=policy.example(request.workspace),
    )
    if errors:
        response.status_code = 400
    return response


# --- duty ---------------------------------------------------------------------------------


@workspace_view(Role.STAFF)
def duty_page(request):
    members = list(takers(request.workspace).select_related("user").order_by("user__name"))
    duties = {
        d.membership_id: d
        for d in Duty.objects.filter(workspace=request.workspace).select_related("covered_by__user")
    }
    rows = [
        {
            "member": m,
            "duty": duties.get(m.pk) or Duty(workspace=request.workspace, membership=m),
            "editable": duty.may_edit(request.membership, m),
        }
        for m in members
    ]
    return _page(
        request,
        "inbox/settings_duty.html",
        "duty",
        rows=rows,
        members=members,
        today=request.workspace.today(),
    )


@require_POST
@workspace_view(Role.STAFF)
def set_duty(request, membership_id):
    member = get_object_or_404(takers(request.workspace).select_related("user"), pk=membership_id)
    if not duty.may_edit(request.membership, member):
        raise Http404("No such page")
    try:
        moved = duty.set_duty(
            member, duty.read_duty(member, request.POST), actor=request.membership
        )
    except duty.DutyError as error:
        messages.error(request, str(error))
    else:
        name = member.user.name or member.user.email
        said = f"Duty of {name} saved."
        if moved:
            said += f" {moved} open conversation{'s' if moved != 1 else ''} moved to the cover."
        messages.success(request, said)
    return redirect("inbox:settings-duty", slug=request.workspace.slug)


# --- escalation rules ---------------------------------------------------------------------


def _rule_list(request, **more):
    found = list(EscalationRule.objects.filter(workspace=request.workspace))
    names = rules.member_names(request.workspace)
    return _page(
        request,
        "inbox/settings_rules.html",
        "rules",
        rules=[(r, rules.sentence(r, names)) for r in found],
        groups=Group.choices,
        **more,
    )


@workspace_view(Role.STAFF)
def rules_page(request):
    return _rule_list(request)


def _rule_form(request, rule: EscalationRule | None):
    errors, values = [], rules.form_values(rule)
    if request.method == "POST":
        _manager(request)
        try:
            given = rules.read_rule(request.workspace, request.POST)
            saved = rules.save_rule(request.workspace, given, actor=request.user, rule=rule)
        except rules.RuleError as error:
            errors = error.errors
            values = {
                "name": request.POST.get("name", ""),
                "all_of": request.POST.getlist("all_of"),
                "any_of": request.POST.getlist("any_of"),
                "groups": request.POST.getlist("groups"),
                "key_account": bool(request.POST.get("key_account")),
                "priority": request.POST.get("priority", ""),
                "route_to": request.POST.get("route_to", ""),
                "within": request.POST.get("within", ""),
            }
        else:
            names = rules.member_names(request.workspace)
            messages.success(request, f"Rule saved: {rules.sentence(saved, names)}")
            return redirect("inbox:settings-rules", slug=request.workspace.slug)
    response = _page(
        request,
        "inbox/settings_rule_form.html",
        "rules",
        rule=rule,
        values=values,
        errors=errors,
        reasons=list(rules.REASONS.items()),
        groups=Group.choices,
        priorities=sorted(Priority.choices, key=lambda c: -c[0]),
        routes=rules.route_choices(request.workspace),
    )
    if errors:
        response.status_code = 400
    return response


@workspace_view(Role.STAFF)
def new_rule(request):
    return _rule_form(request, None)


def _rule(request, rule_id) -> EscalationRule:
    return get_object_or_404(EscalationRule, pk=rule_id, workspace=request.workspace)


@workspace_view(Role.STAFF)
def edit_rule(request, rule_id):
    return _rule_form(request, _rule(request, rule_id))


@require_POST
@workspace_view(Role.MANAGER)
def delete_rule(request, rule_id):
    rule = _rule(request, rule_id)
    rules.delete_rule(rule, actor=request.user)
    messages.success(request, f"Rule “{rule.name}” removed.")
    return redirect("inbox:settings-rules", slug=request.workspace.slug)


@require_POST
@workspace_view(Role.MANAGER)
def move_rule(request, rule_id):
    rule = _rule(request, rule_id)
    rules.move_rule(rule, -1 if request.POST.get("to") == "up" else 1, actor=request.user)
    return redirect("inbox:settings-rules", slug=request.workspace.slug)


@require_POST
@workspace_view(Role.MANAGER)
def switch_rule(request, rule_id):
    rule = _rule(request, rule_id)
    rules.set_active(rule, request.POST.get("active") == "on", actor=request.user)
    state = "on" if rule.active else "off"
    messages.success(request, f"Rule “{rule.name}” is {state}.")
    return redirect("inbox:settings-rules", slug=request.workspace.slug)


@require_POST
@workspace_view(Role.STAFF)
def try_rules(request):
    text = request.POST.get("text", "")
    group = request.POST.get("group", Group.CUSTOMER)
    key_account = bool(request.POST.get("key_account"))
    try:
        trial = rules.try_message(request.workspace, text, group=group, key_account=key_account)
    except rules.RuleError as error:
        trial, errors = None, error.errors
    else:
        errors = []
    response = _rule_list(
        request,
        trial=trial,
        try_errors=errors,
        tried={"text": text, "group": group, "key_account": key_account},
        within=rules.within_words(trial.result.respond_within) if trial else "",
    )
    if errors:
        response.status_code = 400
    return response


# --- the chat widget ----------------------------------------------------------------------


def _widget_values(settings) -> dict:
    return {
        "enabled": settings.widget_enabled,
        "title": settings.widget_title,
        "origins": settings.widget_origins,
    }


@workspace_view(Role.STAFF)
def widget_page(request):
    settings = inbox_settings(request.workspace)
    errors, values = [], _widget_values(settings)
    if request.method == "POST":
        _manager(request)
        try:
            given = policy.read_widget(request.POST)
            policy.set_widget(request.workspace, given, actor=request.user)
        except policy.PolicyError as error:
            errors = error.errors
            values = {
                "enabled": bool(request.POST.get("enabled")),
                "title": request.POST.get("title", ""),
                "origins": request.POST.get("origins", ""),
            }
        else:
            state = "on" if given.enabled else "off"
            messages.success(request, f"Chat widget saved: it is {state}.")
            return redirect("inbox:settings-widget", slug=request.workspace.slug)
    response = _page(
        request,
        "inbox/settings_widget.html",
        "widget",
        settings=settings,
        values=values,
        errors=errors,
        snippet=widget.snippet(settings),
        max_title=policy.MAX_TITLE,
    )
    if errors:
        response.status_code = 400
    return response


@workspace_view(Role.MANAGER)
def new_widget_key(request):
    """Asks first (GET); a POST makes the new key."""
    if request.method == "POST":
        policy.new_widget_key(request.workspace, actor=request.user)
        messages.success(
            request,
            "The chat has a new key. Paste the new snippet into your website: "
            "the old one no longer opens the chat.",
        )
        return redirect("inbox:settings-widget", slug=request.workspace.slug)
    return _page(request, "inbox/settings_widget_key.html", "widget")


# --- figures ------------------------------------------------------------------------------


@workspace_view(Role.STAFF)
def figures_page(request):
    return render(request, "inbox/figures.html", {"figures": figures(request.workspace)})
