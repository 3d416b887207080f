"""The person page's "Personal data" section: export for managers, erasure for owners
(registered in ``apps.ready``; people never imports privacy)."""

from rapport.people.panels import Panel, register_person_panel
from rapport.privacy.actions import may_export


def person_panel(request, person, entries):
    if not request.membership.can_manage:
        return None
    return Panel(
        "privacy/_person.html",
        {"person": person, "may_export": may_export(request.membership, person)},
    )


def register() -> None:
    register_person_panel(person_panel)
