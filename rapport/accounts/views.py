from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rapport.accounts.actions import (
    MemberError,
    TokenError,
    change_role,
    invite_member,
    issue_api_token,
    remove_member,
    revoke_api_token,
)
from rapport.accounts.audit import diff_fields, record_audit
from rapport.accounts.choices import AuditAction, Role
from rapport.accounts.forms import (
    AutomationForm,
    InviteMemberForm,
    RoleForm,
    TokenForm,
    WorkspaceSettingsForm,
)
from rapport.accounts.models import ApiToken, AuditEvent, Automation, Membership
from rapport.accounts.scope import workspace_view
from rapport.accounts.signin import locked_emails, unlock


@workspace_view(min_role=Role.MANAGER)
def audit_log(request):
    events = AuditEvent.objects.filter(workspace=request.workspace).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page})


@workspace_view(min_role=Role.MANAGER)
def settings_page(request):
    workspace = request.workspace
    is_owner = request.membership.can(Role.OWNER)
    settings_form = WorkspaceSettingsForm(
        request.POST if request.method == "POST" and is_owner else None,
        initial={field: getattr(workspace, field) for field in WorkspaceSettingsForm.base_fields},
    )
    if request.method == "POST":
        if not is_owner:
            raise Http404("No such page")
        if settings_form.is_valid():
            before = {f: getattr(workspace, f) for f in settings_form.cleaned_data}
            for field, value in settings_form.cleaned_data.items():
                setattr(workspace, field, value)
            workspace.save()
            changes = diff_fields(before, settings_form.cleaned_data)
            if changes:
                record_audit(
                    workspace, AuditAction.UPDATE, workspace, actor=request.user, changes=changes
                )
            messages.success(request, "Settings saved.")
            return redirect("settings", slug=workspace.slug)
    members = list(
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("removed_at", "user__name")
    )
    return render(
        request,
        "accounts/settings.html",
        {
            "settings_form": settings_form,
            "invite_form": InviteMemberForm(),
            "automation_form": AutomationForm(),
            "token_form": TokenForm(),
            "members": members,
            "locked": locked_emails(m.user.email for m in members if m.is_active)
            if is_owner
            else set(),
            "automations": Automation.objects.filter(workspace=workspace),
            "tokens": ApiToken.objects.filter(membership__workspace=workspace)
            .select_related("membership__user")
            .order_by("-created_at"),
            "roles": Role.choices,
            "is_owner": is_owner,
        },
    )


@require_POST
@workspace_view(min_role=Role.OWNER)
def invite(request):
    form = InviteMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please give a valid email address and role.")
        return redirect("settings", slug=request.workspace.slug)
    try:
        membership, password = invite_member(
            request.workspace,
            form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    except MemberError as error:
        messages.error(request, str(error))
    else:
        if password:
            messages.success(
                request,
                f"Added {membership.user.email}. Their first password is "
                f"{password} — hand it over in person; it is shown only once.",
            )
        else:
            messages.success(
                request, f"Added {membership.user.email}; they log in with their existing password."
            )
    return redirect("settings", slug=request.workspace.slug)


def _member(request, membership_id) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "workspace"),
        workspace=request.workspace,
        pk=membership_id,
    )


@require_POST
@workspace_view(min_role=Role.OWNER)
def set_role(request, membership_id):
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            change_role(
                _member(request, membership_id), form.cleaned_data["role"], actor=request.user
            )
            messages.success(request, "Role changed.")
        except MemberError as error:
            messages.error(request, str(error))
    return redirect("settings", slug=request.workspace.slug)


@require_POST
@workspace_view(min_role=Role.OWNER)
def remove(request, membership_id):
    try:
        membership = _member(request, membership_id)
        remove_member(membership, actor=request.user)
        messages.success(request, f"{membership.user.email} no longer has access.")
    except MemberError as error:
        messages.error(request, str(error))
    return redirect("settings", slug=request.workspace.slug)


@require_POST
@workspace_view(min_role=Role.MANAGER)
def add_automation(request):
    form = AutomationForm(request.POST)
    if form.is_valid():
        automation, created = Automation.objects.get_or_create(
            workspace=request.workspace,
            name=form.cleaned_data["name"].strip(),
            defaults={
                "kind": form.cleaned_data["kind"],
                "started_on": form.cleaned_data["started_on"],
            },
        )
        if created:
            record_audit(request.workspace, AuditAction.CREATE, automation, actor=request.user)
            messages.success(request, f"Automation “{automation.name}” added.")
        else:
            messages.error(request, f"There is already an automation called “{automation.name}”.")
    else:
        messages.error(request, "An automation needs a name and a kind.")
    return redirect("settings", slug=request.workspace.slug)


@require_POST
@workspace_view(min_role=Role.OWNER)
def unlock_member(request, membership_id):
    membership = _member(request, membership_id)
    if unlock(membership, actor=request.user):
        messages.success(request, f"{membership.user.email} can sign in again.")
    else:
        messages.success(request, f"{membership.user.email} was not locked out.")
    return redirect("settings", slug=request.workspace.slug)


@require_POST
@workspace_view(min_role=Role.MANAGER)
def issue_token(request):
    """A token acting as the member who asks for it; its secret is shown on this answer
    only (never stored, never put in a message or a redirect)."""
    form = TokenForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = issue_api_token(
                request.membership,
                data["name"],
                read_only=data["read_only"],
                last_day=data["expires"],
                actor=request.user,
            )
        except TokenError as error:
            form.add_error(error.field, str(error))
        else:
            response = render(
                request, "accounts/token_issued.html", {"token": token, "secret": secret}
            )
            response["Cache-Control"] = "no-store"
            return response
    for field, errors in form.errors.items():
        label = form.fields[field].label or field.replace("_", " ").capitalize()
        messages.error(request, f"API token not issued: {label}: {' '.join(errors)}")
    return redirect("settings", slug=request.workspace.slug)


@require_POST
@workspace_view(min_role=Role.OWNER)
def revoke_token(request, token_id):
    token = get_object_or_404(
        ApiToken.objects.select_related("membership__user", "membership__workspace"),
        membership__workspace=request.workspace,
        pk=token_id,
    )
    revoke_api_token(token, actor=request.user)
    messages.success(request, f"The API token “{token.name}” no longer works.")
    return redirect("settings", slug=request.workspace.slug)
