"""The predictions page: each model's current run (what it used, its version, when), the
hold-out, the individual-scores switch (owner) and a refresh button (managers)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rapport.accounts.choices import Role
from rapport.accounts.scope import workspace_view
from rapport.predictions import actions, holdout
from rapport.predictions.choices import Subject
from rapport.predictions.models import PredictionRun


@workspace_view()
def overview(request):
    workspace = request.workspace
    runs = [(label, actions.current_run(workspace, value)) for value, label in Subject.choices]
    history = PredictionRun.objects.filter(workspace=workspace, current=False).order_by("-as_of")[
        :20
    ]
    return render(
        request,
        "predictions/overview.html",
        {
            "runs": runs,
            "history": history,
            "holdout": {"h": holdout.customers(workspace), "short": False},
            "settings": actions.prediction_settings(workspace),
        },
    )


@workspace_view(Role.MANAGER)
@require_POST
def refresh(request):
    actions.refresh(request.workspace)
    messages.success(request, "Predictions refreshed from today's data.")
    return redirect("predictions:overview", slug=request.workspace.slug)


@workspace_view(Role.OWNER)
@require_POST
def update_settings(request):
    enabled = request.POST.get("individual_employee_scores") == "on"
    actions.set_individual_scores(request.workspace, enabled, actor=request.user)
    messages.success(
        request,
        "Individual employee scores are on: only each person's manager and you see them, "
        "and every view is audited."
        if enabled
        else "Individual employee scores are off; the stored ones are deleted. Teams only.",
    )
    return redirect("predictions:overview", slug=request.workspace.slug)
