"""Consent takes effect as it is saved: a person whose ``may_analyse`` is off loses what
Rapport read about them in the same transaction (``actions.withdraw_analysis``). Bulk
writes (the people import) send no signal; the clock's sweep (``tasks.apply_due``) catches
them within minutes."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from rapport.people.models import Person
from rapport.privacy.actions import withdraw_analysis


@receiver(post_save, sender=Person, dispatch_uid="privacy-consent")
def consent_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.may_analyse:
        return
    withdraw_analysis(instance.workspace, [instance.pk])
