"""A suggested first line for a person's reply: it names what the writer seems to feel, in
plain words, and what they asked about, without sounding like a machine.

It is written from templates, not generated, and it is only a suggestion: the member writes
the reply. The opening names the strongest feeling the reading found (frustration, worry,
disappointment...), the middle what is at stake (money, a threat to leave, waiting), and it
never uses the phrases people recognise as a form letter ("we apologise for any
inconvenience", "your call is important to us").

    >>> suggest(first_name="Claire", feelings=("frustration",), reasons=("repeated_contact",))
    "Claire, I understand how frustrating this is, and you shouldn't have had to ask more than once."

No Django here; the inbox's context card calls it with a message's reading.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

# The feeling named first, strongest concern first (emotion groups of rapport.engine.text).
FEELING_ORDER = ("fear", "anger", "frustration", "sadness", "confusion", "gratitude", "joy", "love")

OPENINGS: dict[str, tuple[str, ...]] = {
    "fear": (
        "I can tell this is worrying, and I want to sort it out with you",
        "I understand why this is worrying",
    ),
    "anger": (
        "I can hear how angry you are, and I'm sorry",
        "You have every reason to be upset, and I'm sorry",
    ),
    "frustration": (
        "I'm sorry — I can hear how frustrating this has been",
        "I understand how frustrating this is",
    ),
    "sadness": (
        "I'm sorry, that's disappointing, and not what you should have had from us",
        "I'm sorry this let you down",
    ),
    "confusion": (
        "I can see this wasn't clear, and that's on us",
        "Sorry for the confusion — let me make it clear",
    ),
    "gratitude": ("Thank you, that's kind of you", "Thank you so much for writing"),
    "joy": ("That's lovely to hear", "I'm so glad to hear it"),
    "love": ("That means a lot to us", "Thank you, that really made our day"),
}
NEUTRAL = ("Thank you for writing to us", "Thanks for getting in touch")

# What is at stake, added after the opening. The first that applies is used.
STAKES: tuple[tuple[str, str], ...] = (
    ("fear_or_safety", "your safety comes first, so I'm looking at this now"),
    ("health", "anything about health or allergies comes first, so I'm looking at this now"),
    ("repeated_contact", "you shouldn't have had to ask more than once"),
    ("money", "I'll make sure the money side is put right"),
    ("threat_to_leave", "I'd really like the chance to put this right"),
    ("legal", "I'm taking this seriously and will come back to you properly"),
    ("asks_for_person", "you've got a person now, and I'll see it through"),
    ("distress", "please take your time; I'm here to help"),
)

# What a reply must never say: the phrases that make a message read as a form letter.
FORM_LETTER = (
    "apologise for any inconvenience",
    "apologize for any inconvenience",
    "your call is important",
    "valued customer",
    "we regret",
    "as per",
)


def suggest(
    *,
    first_name: str = "",
    feelings: Sequence[str] = (),
    reasons: Sequence[str] = (),
    seed: str = "",
) -> str:
    """The suggested first sentence. ``feelings``: the emotion groups detected in the
    message (any order); ``reasons``: its need-for-a-human reason codes; ``seed``: anything
    stable for the conversation (its id), so the same conversation always gets the same
    wording while different ones vary."""
    feeling = next((f for f in FEELING_ORDER if f in feelings), None)
    openings = OPENINGS.get(feeling, NEUTRAL) if feeling else NEUTRAL
    pick = int(hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest(), 16)
    opening = openings[pick % len(openings)]
    stake = next((words for code, words in STAKES if code in reasons), None)
    if stake and feeling in {"gratitude", "joy", "love"}:
        stake = None  # a thank-you does not need reassurance
    name = first_name.strip()
    sentence = opening
    if name:
        # "I" stays a capital; any other first word does not start the sentence any more.
        keep = opening.startswith(("I ", "I'"))
        sentence = f"{name}, {opening if keep else opening[0].lower() + opening[1:]}"
    if stake:
        sentence += f", and {stake}"
    return sentence + "."
