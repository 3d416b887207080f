from django.db import models


class Group(models.TextChoices):
    """The four groups a business depends on."""

    CUSTOMER = "customer", "Customer"
    EMPLOYEE = "employee", "Employee"
    SUPPLIER = "supplier", "Supplier or partner"
    COMMUNITY = "community", "Community"


class PartyKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    VISIT = "visit", "Visit"
    CHAT = "chat", "Chat"
    REVIEW = "review", "Review"
    SOCIAL = "social", "Social"
    TICKET = "ticket", "Ticket"
    SURVEY = "survey", "Survey"
    EVENT = "event", "Event"
    DELIVERY = "delivery", "Delivery"
    PURCHASE = "purchase", "Purchase"
    OTHER = "other", "Other"


class Direction(models.TextChoices):
    INBOUND = "inbound", "From them"
    OUTBOUND = "outbound", "To them"
    INTERNAL = "internal", "Internal note"


class HandlerKind(models.TextChoices):
    HUMAN = "human", "A person"
    AUTOMATION = "automation", "Automation"
    NONE = "none", "Nobody yet"


class EmploymentEventKind(models.TextChoices):
    HIRE = "hire", "Hired"
    EXIT_VOLUNTARY = "exit_voluntary", "Left (voluntary)"
    EXIT_INVOLUNTARY = "exit_involuntary", "Left (involuntary)"
    ABSENCE = "absence", "Absence"
    ROLE_CHANGE = "role_change", "Role or team change"


EXIT_KINDS = (EmploymentEventKind.EXIT_VOLUNTARY, EmploymentEventKind.EXIT_INVOLUNTARY)


class CommunityKind(models.TextChoices):
    ASSOCIATION = "association", "Association or club"
    SCHOOL = "school", "School"
    PRESS = "press", "Local press"
    CHARITY = "charity", "Charity"
    COUNCIL = "council", "Council or public body"
    BUSINESS = "business", "Neighbouring business"
    OTHER = "other", "Other"
