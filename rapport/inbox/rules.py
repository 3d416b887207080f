"""The owner's escalation rules as the settings page edits them: the reason vocabulary in
plain words, a rule as a sentence, the verbs that add, change, remove, reorder and switch
rules (validated, audited), and :func:`try_message`, which reads a pasted message and
triages it with the business's active rules, as the automation would.

The stored codes are ``engine.text.needs_human``'s reason codes (``LABELS`` and
``DIRECT_LABELS``); ``automation.engine_rules`` turns the rows into ``engine.triage`` rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from rapport.accounts.audit import diff_fields, record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership, Workspace
from rapport.engine import triage
from rapport.engine.answers import REASON_WORDS
from rapport.engine.text.needs_human import DIRECT_LABELS, LABELS, asks_something
from rapport.inbox.automation import engine_rules
from rapport.inbox.choices import Priority
from rapport.inbox.models import EscalationRule
from rapport.inbox.policy import PolicyError, duration_text, in_words, read_duration
from rapport.inbox.routing import takers
from rapport.people.choices import Group

# Every reason a rule may name, strongest first, with its plain label (what the form shows).
_ALL = {**LABELS, **DIRECT_LABELS}
# Strongest first, as the triage weighs them; a code added to the vocabulary later goes last.
_ORDER = (
    "fear_or_safety",
    "health",
    "money",
    "legal",
    "threat_to_leave",
    "asks_for_person",
    "distress",
    "anger",
    "repeated_contact",
    "complex_request",
)
REASONS: dict[str, str] = {
    code: _ALL[code]
    for code in sorted(_ALL, key=lambda c: (_ORDER.index(c) if c in _ORDER else len(_ORDER), c))
}
# A reason in a rule's sentence: the short words an owner would use.
SHORT: dict[str, str] = {**REASON_WORDS, "asks_for_person": "asks for a person"}
ROUTES = {"owner": "the owner", "relationship_owner": "the relationship owner"}
GROUP_WORDS = {
    Group.CUSTOMER: "customers",
    Group.EMPLOYEE: "employees",
    Group.SUPPLIER: "suppliers",
    Group.COMMUNITY: "community partners",
}
MAX_RULES = 100
MAX_TRY = 5_000


class RuleError(Exception):
    """The rule cannot be saved; ``errors`` says why, one plain sentence each."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def route_choices(workspace: Workspace) -> list[tuple[str, str]]:
    members = takers(workspace).select_related("user").order_by("user__name", "pk")
    return [
        ("owner", "The owner"),
        ("relationship_owner", "The relationship owner (or whoever covers)"),
        *((str(m.pk), m.user.name or m.user.email) for m in members),
    ]


def sentence(rule: EscalationRule, names: dict[str, str] | None = None) -> str:
    """The rule in one line: "money or legal + threat to leave → the owner, within 2
    business hours". ``names``: member ids (as text) → names, for rules naming a member."""
    words = [" or ".join(SHORT.get(c, c) for c in rule.any_of or ())]
    words += [SHORT.get(c, c) for c in rule.all_of or ()]
    when = " + ".join(w for w in words if w)
    if rule.groups:
        who = " or ".join(GROUP_WORDS.get(g, g) for g in rule.groups)
        when = f"{when} from {who}" if when else f"any message from {who}"
    if rule.key_account:
        when = f"{when}, key accounts only" if when else "any message from a key account"
    target = ROUTES.get(rule.route_to) or (names or {}).get(rule.route_to, "a former member")
    said = f"{when or 'any message'} → {target}"
    if rule.within_minutes:
        said += f", within {in_words(rule.within_minutes)}"
    return f"{said} ({Priority(rule.priority).label.lower()} priority at least)"


@dataclass(frozen=True)
class RuleInput:
    name: str
    all_of: list[str]
    any_of: list[str]
    groups: list[str]
    key_account: bool
    priority: int
    route_to: str
    within_minutes: int | None


def read_rule(workspace: Workspace, data) -> RuleInput:
    """The rule form (``name``, ``all_of``, ``any_of``, ``groups`` as lists, ``key_account``,
    ``priority``, ``route_to``, ``within``). Raises RuleError with every problem at once."""
    errors: list[str] = []
    name = (data.get("name") or "").strip()
    if not name:
        errors.append("Name: give the rule a name.")
    elif len(name) > 120:
        errors.append("Name: at most 120 characters.")
    all_of, any_of = data.getlist("all_of"), data.getlist("any_of")
    for field, codes in (("All of", all_of), ("Any of", any_of)):
        unknown = [c for c in codes if c not in REASONS]
        if unknown:
            errors.append(f"{field}: “{unknown[0][:40]}” is not one of the reasons listed.")
    groups = data.getlist("groups")
    if any(g not in Group.values for g in groups):
        errors.append("Groups: choose among customers, employees, suppliers and community.")
    key_account = bool(data.get("key_account"))
    if not (all_of or any_of or groups or key_account):
        errors.append(
            "When: choose at least one reason, group or “key accounts only”; a rule with no "
            "condition would take every message."
        )
    priority = data.get("priority", "")
    if not priority.isdigit() or int(priority) not in Priority.values:
        errors.append("Priority: choose urgent, high, normal or low.")
    route_to = data.get("route_to", "")
    if route_to not in dict(route_choices(workspace)):
        errors.append("Route to: choose the owner, the relationship owner or a member.")
    within = None
    try:
        within = read_duration(data.get("within", ""), "Within", required=False)
    except PolicyError as e:
        errors.extend(e.errors)
    if errors:
        raise RuleError(errors)
    return RuleInput(
        name,
        [c for c in REASONS if c in all_of],
        [c for c in REASONS if c in any_of and c not in all_of],
        sorted(set(groups)),
        key_account,
        int(priority),
        route_to,
        within,
    )


def form_values(rule: EscalationRule | None) -> dict:
    """What the form shows for ``rule`` (or a new one)."""
    if rule is None:
        return {"priority": Priority.HIGH, "route_to": "owner", "within": "", "all_of": []}
    return {
        "name": rule.name,
        "all_of": rule.all_of,
        "any_of": rule.any_of,
        "groups": rule.groups,
        "key_account": rule.key_account,
        "priority": rule.priority,
        "route_to": rule.route_to,
        "within": duration_text(rule.within_minutes),
    }


def _stored(rule: EscalationRule) -> dict:
    return {
        "name": rule.name,
        "all_of": list(rule.all_of or ()),
        "any_of": list(rule.any_of or ()),
        "groups": list(rule.groups or ()),
        "key_account": rule.key_account,
        "priority": rule.priority,
        "route_to": rule.route_to,
        "within_minutes": rule.within_minutes,
    }


def save_rule(
    workspace: Workspace, given: RuleInput, *, actor, rule: EscalationRule | None = None
) -> EscalationRule:
    """Add a rule (at the end of the list) or change ``rule``."""
    with transaction.atomic():
        if rule is None:
            if EscalationRule.objects.filter(workspace=workspace).count() >= MAX_RULES:
                raise RuleError([f"At most {MAX_RULES} rules; remove one first."])
            last = EscalationRule.objects.filter(workspace=workspace).aggregate(p=Max("position"))
            rule = EscalationRule(workspace=workspace, position=(last["p"] or 0) + 1)
            before, action = {}, AuditAction.CREATE
        else:
            rule = EscalationRule.objects.select_for_update().get(pk=rule.pk, workspace=workspace)
            before, action = _stored(rule), AuditAction.UPDATE
        for field, value in given.__dict__.items():
            setattr(rule, field, value)
        rule.save()
        changes = diff_fields(before, _stored(rule))
        if changes:
            record_audit(workspace, action, rule, actor=actor, changes=changes)
    return rule


def delete_rule(rule: EscalationRule, *, actor) -> None:
    with transaction.atomic():
        record_audit(
            rule.workspace,
            AuditAction.DELETE,
            rule,
            actor=actor,
            changes={"rule": [rule.name, None]},
        )
        rule.delete()


def set_active(rule: EscalationRule, active: bool, *, actor) -> None:
    if rule.active == active:
        return
    with transaction.atomic():
        rule.active = active
        rule.save(update_fields=["active"])
        record_audit(
            rule.workspace,
            AuditAction.UPDATE,
            rule,
            actor=actor,
            changes={"active": [not active, active]},
        )


def move_rule(rule: EscalationRule, step: int, *, actor) -> None:
    """Move ``rule`` one place up (``step`` −1) or down (+1): the first rule that applies
    wins, so order matters."""
    with transaction.atomic():
        ordered = list(
            EscalationRule.objects.select_for_update().filter(workspace_id=rule.workspace_id)
        )
        at = next(i for i, r in enumerate(ordered) if r.pk == rule.pk)
        to = at + step
        if not 0 <= to < len(ordered):
            return
        ordered[at], ordered[to] = ordered[to], ordered[at]
        for position, r in enumerate(ordered):
            if r.position != position:
                r.position = position
                r.save(update_fields=["position"])
        record_audit(
            rule.workspace,
            AuditAction.UPDATE,
            rule,
            actor=actor,
            changes={"position": [at + 1, to + 1]},
        )


@dataclass(frozen=True)
class Trial:
    """What the automation would make of a message: its triage and what the text reading
    found."""

    result: triage.Triage
    reasons: list[str]  # the reading's reason labels
    sentiment: float | None
    language: str
    route_words: str


def try_message(
    workspace: Workspace, text: str, *, group: str = Group.CUSTOMER, key_account: bool = False
) -> Trial:
    """Read ``text`` (``engine.text.analyze``: this loads the model) and triage it with the
    business's active rules, for a person of ``group``."""
    from rapport.engine.text import analyze

    text = (text or "").strip()
    if not text:
        raise RuleError(["Paste a message to try."])
    if len(text) > MAX_TRY:
        raise RuleError([f"Try a message of at most {MAX_TRY:,} characters."])
    if group not in Group.values:
        group = Group.CUSTOMER
    [reading] = analyze([text], pii=False)
    if reading.error:
        raise RuleError([f"This text could not be read: {reading.error}."])
    flag = reading.needs_human
    codes = tuple(r.code for r in flag.reasons) if flag and flag.flagged else ()
    now = timezone.now()
    message = triage.MessageReading(
        at=now,
        asks=asks_something(text),
        needs_human=bool(flag and flag.flagged),
        reasons=codes,
        sentiment=reading.sentiment.score if reading.sentiment else None,
    )
    result = triage.triage(
        [message],
        triage.Relationship(group=group, key_account=key_account),
        now=now,
        rules=engine_rules(workspace),
    )
    names = dict(route_choices(workspace))
    route = result.route_to
    route_words = (
        ROUTES.get(route) or names.get(route, "a former member")
        if route
        else "the relationship owner, or the next member in turn"
    )
    return Trial(
        result,
        [REASONS.get(c, c) for c in codes],
        message.sentiment,
        reading.language,
        route_words,
    )


def within_words(delta: dt.timedelta) -> str:
    return in_words(int(delta.total_seconds() // 60))


def member_names(workspace: Workspace) -> dict[str, str]:
    return {
        str(m.pk): m.user.name or m.user.email
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
    }
