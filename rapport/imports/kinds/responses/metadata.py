"""The metadata columns of a survey export: when, who, which tool's id, the tool's own columns.

Unlike the other kinds, most columns of a survey export are questions, and what they are is
only known from the file: these fields name the *metadata* columns, and everything else
becomes a question. ``columns`` recognises them by name; the kind shows them as its fields.
"""

from __future__ import annotations

from rapport.imports.mapping import Field

# What each metadata field means, for the docs and the mapping shown before a run.
METADATA = ("submitted_at", "respondent_id", "email", "name", "ip_address", "tool_metadata")

FIELDS = (
    Field(
        "submitted_at",
        "Submitted at",
        (
            "timestamp",
            "submit date (utc)",
            "submitted at",
            "submit date",
            "submitted",
            "submission date",
            "end date",
            "date submitted",
            "completed at",
            "completion time",
            "response date",
            "date",
            "created at",
            # Google Forms in other languages.
            "horodateur",
            "marca temporal",
            "zeitstempel",
            "carimbo de data/hora",
            "informazioni cronologiche",
            "tijdstempel",
            "sygnatura czasowa",
        ),
        is_date=True,
        help="the row's time: the response is dated by it (in the workspace's time zone "
        "unless the cell or the header says otherwise)",
    ),
    Field(
        "respondent_id",
        "Respondent id",
        (
            "#",
            "respondent id",
            "response id",
            "token",
            "submission id",
            "response_id",
            "id",
            "respondent",
        ),
        help="the tool's id of the response: what makes a re-import find it",
    ),
    Field(
        "email",
        "Respondent's email",
        (
            "email address",
            "email",
            "e-mail",
            "username",
            "respondent email",
            "adresse e-mail",
            "e-mail-adresse",
            "dirección de correo electrónico",
            "endereço de e-mail",
        ),
        help="links the response to a known person (not for anonymous surveys)",
    ),
    Field(
        "name",
        "Respondent's name",
        ("first name", "last name", "full name", "name", "respondent name"),
        help="read, never stored: people are matched by email",
    ),
    Field(
        "ip_address",
        "IP address",
        ("ip address", "ip", "ip_address", "ipaddress", "network address"),
        help="never stored",
    ),
    Field(
        "tool_metadata",
        "The tool's own columns",
        (
            "collector id",
            "start date",
            "start date (utc)",
            "stage date (utc)",
            "network id",
            "response type",
            "ending",
            "tags",
            "landed at",
            "landed_at",
            "user agent",
            "user_agent",
            "platform",
            "referer",
            "browser",
            "score",
            "total score",
            "custom data",
        ),
        patterns=(r"^customdata\d+$", r"^customvariable\d*$"),
        help="start dates, collector and network ids, tags, quiz scores: not stored",
    ),
)
FIELD_NAMES = [f.name for f in FIELDS]
