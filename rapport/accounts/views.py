from django.core.paginator import Paginator
from django.shortcuts import render

from rapport.accounts.choices import Role
from rapport.accounts.models import AuditEvent
from rapport.accounts.scope import workspace_view


@workspace_view(min_role=Role.MANAGER)
def audit_log(request):
    events = AuditEvent.objects.filter(workspace=request.workspace).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page})
