from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.people.models import Person
from rapport.privacy import actions, retention
from rapport.privacy.forms import EraseForm, RetentionForm
from rapport.privacy.holdings import HOLDINGS, Erasure, find


def _person(request, person_id) -> Person:
    return get_object_or_404(Person, workspace=request.workspace, pk=person_id)


@workspace_view(min_role=Role.MANAGER)
def export(request, person_id):
    person = _person(request, person_id)
    if not actions.may_export(request.membership, person):
        raise Http404("No such page")
    data, _ = actions.export_person(person, actor=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{request.workspace.slug}-person-{person.pk}.zip"'
    )
    return response


@workspace_view(min_role=Role.OWNER)
def erase(request, person_id):
    person = _person(request, person_id)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = actions.erase_person(
                person, typed=form.cleaned_data["typed"], actor=request.user
            )
        except actions.PrivacyError as error:
            form.add_error("typed", str(error))
        else:
            removed = sum(n for kind, n in counts.items() if kind != "audit_log_redacted")
            messages.success(request, f"Erased the person and {removed} records linked to them.")
            return redirect("people:directory", request.workspace.slug)
    found = find(person)
    counts = [
        (h.label, n)
        for h in HOLDINGS
        if h.erasure == Erasure.DELETE and (n := h.rows(found).count())
    ]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/erase.html",
        {"person": person, "form": form, "counts": counts},
        status=status,
    )


@workspace_view(min_role=Role.MANAGER)
def settings_page(request):
    rules = actions.retention_rules(request.workspace)
    is_owner = request.membership.can(Role.OWNER)
    form = RetentionForm(request.POST or None, instance=rules)
    if request.method == "POST":
        if not is_owner:
            return HttpResponse("Only an owner can change the retention rules.", status=403)
        if form.is_valid():
            changed = actions.set_retention_rules(
                request.workspace,
                actor=request.user,
                **{field: form.cleaned_data[field] for field in rules.RULES},
            )
            messages.success(
                request, "Saved the retention rules." if changed else "Nothing changed."
            )
            return redirect("privacy:settings", request.workspace.slug)
        rules.refresh_from_db()
    plan = retention.plan(request.workspace, rules, timezone.now())
    return render(
        request,
        "privacy/settings.html",
        {"form": form, "plan": plan, "rules": rules, "is_owner": is_owner},
        status=400 if form.errors else 200,
    )


@require_POST
@workspace_view(min_role=Role.OWNER)
def apply_now(request):
    done = actions.apply_retention(request.workspace, actor=request.user)
    if not done:
        messages.info(request, "No retention rule is set: nothing to apply.")
    else:
        messages.success(
            request, f"Applied the retention rules: {sum(done.values())} records changed."
        )
    return redirect("privacy:settings", request.workspace.slug)
