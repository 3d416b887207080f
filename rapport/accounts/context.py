from rapport.accounts.models import Membership


def workspace_context(request):
    """The current workspace and the switcher's choices, for every page."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    workspace = getattr(request, "workspace", None)
    return {
        "workspace": workspace,
        "membership": getattr(request, "membership", None),
        "switcher": Membership.objects.filter(user=request.user, removed_at__isnull=True)
        .select_related("workspace")
        .order_by("workspace__name")
        .values_list("workspace__slug", "workspace__name")
        if workspace is not None
        else [],
    }
