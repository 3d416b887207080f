from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "rapport.inbox"
    label = "inbox"
    verbose_name = "Inbox"
