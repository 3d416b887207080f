"""The menu's inbox entry: how many open conversations are the member's or nobody's."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_waiting(context) -> int:
    from rapport.inbox.queries import counts_for

    request = context.get("request")
    if request is None or getattr(request, "membership", None) is None:
        return 0
    counts = counts_for(request)
    return counts["mine"] + counts["unassigned"]
