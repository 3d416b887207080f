from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def days_ago(value, now=None):
    """Whole days between ``value`` and now, or None."""
    if value is None:
        return None
    return (timezone.now() - value).days


@register.inclusion_tag("people/_contact_age.html")
def contact_age(value, alert_days=None):
    days = days_ago(value)
    return {
        "days": days,
        "stale": days is not None and alert_days is not None and days > alert_days,
        "value": value,
    }
