from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, Role
from rapport.accounts.models import Membership
from rapport.accounts.scope import workspace_view
from rapport.lib.csvstream import csv_download_lines
from rapport.people.actions import update_person
from rapport.people.choices import Group
from rapport.people.forms import PersonForm
from rapport.people.models import Delivery, Interaction, Person, Tag, Team
from rapport.people.panels import directory_columns, person_panels
from rapport.people.queries import filter_people

PAGE_SIZE = 50
TIMELINE_PAGE = 50


def _filters(request) -> dict:
    return {key: request.GET.get(key, "").strip() for key in ("q", "group", "tag", "team", "owner")}


@workspace_view()
def directory(request):
    workspace = request.workspace
    filters = _filters(request)
    people = filter_people(workspace, **filters).select_related("team", "owner__user")
    columns = directory_columns()
    for column in columns:
        people = column.annotate(people, request)
    sort = request.GET.get("sort", "")
    key = sort.removeprefix("-")
    if key in {c.key for c in columns}:
        order = (
            F(key).desc(nulls_last=True) if sort.startswith("-") else F(key).asc(nulls_last=True)
        )
        people = people.order_by(order, "name", "pk")
    else:
        sort = ""
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    return render(
        request,
        "people/directory.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "unsorted": unsorted.urlencode(),
            "columns": columns,
            "sort": sort,
            "groups": Group.choices,
            "teams": Team.objects.filter(workspace=workspace),
            "tags": Tag.objects.filter(workspace=workspace),
            "owners": Membership.objects.filter(
                workspace=workspace, removed_at__isnull=True
            ).select_related("user"),
            "now": timezone.now(),
        },
    )


@workspace_view()
def person_page(request, person_id):
    workspace = request.workspace
    person = get_object_or_404(
        Person.objects.select_related(
            "team", "owner__user", "manager", "organisation", "referred_by"
        ),
        workspace=workspace,
        pk=person_id,
    )
    timeline = Interaction.objects.filter(person=person).select_related(
        "handled_by__user", "handled_by_automation"
    )
    before = request.GET.get("before", "")
    if before.isdigit():
        timeline = timeline.filter(pk__lt=int(before))
    entries = list(timeline[: TIMELINE_PAGE + 1])
    more = len(entries) > TIMELINE_PAGE
    entries = entries[:TIMELINE_PAGE]

    year_ago = timezone.now() - timedelta(days=365)
    handling = Interaction.objects.filter(person=person, occurred_at__gte=year_ago).aggregate(
        total=Count("id"),
        human=Count("id", filter=Q(handled_by__isnull=False)),
        automated=Count("id", filter=Q(handled_by_automation__isnull=False)),
    )
    open_items = list(
        Interaction.objects.filter(person=person, is_open=True)
        .select_related("handled_by__user", "handled_by_automation")
        .order_by("occurred_at")[:20]
    )
    context = {
        "person": person,
        "tags": list(person.tags.all()),
        "entries": entries,
        "more": more,
        "next_before": entries[-1].pk if more and entries else None,
        "handling": handling,
        "open_items": open_items,
        "days_since_human": person.days_since_human_contact(),
        "alert_days": workspace.human_contact_alert_days,
    }
    panels = person_panels(request, person, entries)
    context["panels"] = panels
    context["entry_templates"] = [p.entry_template for p in panels if p.entry_template]
    if person.group == Group.CUSTOMER:
        context["purchases"] = person.purchases.aggregate(count=Count("id"), total=Sum("amount"))
        context["referrals"] = person.referrals.count()
    elif person.group == Group.EMPLOYEE:
        context["employment_events"] = list(person.employment_events.all()[:20])
        context["reports"] = list(person.reports.only("id", "name")[:20])
    elif person.group == Group.SUPPLIER:
        deliveries = person.deliveries.all()
        context["deliveries"] = deliveries.aggregate(
            count=Count("id", filter=Q(delivered_on__isnull=False)),
            pending=Count("id", filter=Q(delivered_on__isnull=True)),
            on_time=Count(
                "id", filter=Q(delivered_on__isnull=False, delivered_on__lte=F("promised_on"))
            ),
        )
        context["recent_deliveries"] = list(deliveries[:10])
        context["pending_deliveries"] = list(
            Delivery.objects.filter(supplier=person, delivered_on__isnull=True).order_by(
                "promised_on"
            )[:10]
        )
    elif person.group == Group.COMMUNITY:
        context["community_events"] = list(person.community_events.all()[:20])
    return render(request, "people/person.html", context)


@workspace_view(min_role=Role.STAFF)
def edit_person(request, person_id):
    person = get_object_or_404(Person, workspace=request.workspace, pk=person_id)
    form = PersonForm(request.POST or None, instance=person, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # ModelForm.is_valid already wrote the cleaned values onto the instance; reload so
        # the action sees the stored values and can record a true before/after.
        person.refresh_from_db()
        update_person(person, actor=request.user, tags=form.cleaned_data["tags"], **fields)
        return redirect("people:person", slug=request.workspace.slug, person_id=person.pk)
    return render(request, "people/edit.html", {"person": person, "form": form})


EXPORT_FIELDS = [
    "id",
    "group",
    "kind",
    "name",
    "external_id",
    "email",
    "phone",
    "address",
    "team",
    "job_title",
    "start_date",
    "end_date",
    "segment",
    "first_purchase_on",
    "last_purchase_on",
    "category",
    "community_kind",
    "owner",
    "may_contact",
    "may_analyse",
    "tags",
    "last_human_contact_at",
]


def _export_row(p: Person) -> list:
    return [
        p.pk,
        p.group,
        p.kind,
        p.name,
        p.external_id,
        p.email,
        p.phone,
        p.address,
        p.team.name if p.team_id else "",
        p.job_title,
        p.start_date or "",
        p.end_date or "",
        p.segment,
        p.first_purchase_on or "",
        p.last_purchase_on or "",
        p.category,
        p.community_kind,
        str(p.owner) if p.owner_id else "",
        p.may_contact,
        p.may_analyse,
        ";".join(t.name for t in p.tags.all()),
        p.last_human_contact_at or "",
    ]


@workspace_view(min_role=Role.MANAGER)
def export_people(request):
    people = filter_people(request.workspace, **_filters(request)).select_related(
        "team", "owner__user"
    )
    people = people.prefetch_related("tags")
    record_audit(
        request.workspace,
        AuditAction.EXPORT,
        actor=request.user,
        object_type="person",
        object_repr="people directory export",
        # The audit log reads changes as [before, after]; a filter has no before.
        changes={key: [None, value] for key, value in _filters(request).items() if value},
    )
    rows = (_export_row(p) for p in people.iterator(chunk_size=2000))
    response = StreamingHttpResponse(
        csv_download_lines(EXPORT_FIELDS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{request.workspace.slug}-people.csv"'
    return response
