"""Survey responses exported from Google Forms, Typeform, SurveyMonkey or as JSON.

Unlike the other kinds, most columns of a survey export are questions, and what they are is
only known from the file: the kind's ``fields`` name the *metadata* columns (when, who,
which tool's id), and everything else becomes a question. The files need their own reading
(SurveyMonkey's two header rows, JSON) and the answers go through
``feedback.actions.submit_response``, so the kind runs itself: ``read_header`` and
``execute`` replace the generic engine (see ``rapport/imports/surveys/``).
"""

from __future__ import annotations

from rapport.imports.kinds.base import Field, ImportKindBase

# What each metadata field means, for the docs and the mapping shown before a run.
METADATA = ("submitted_at", "respondent_id", "email", "name", "ip_address", "tool_metadata")


class ResponsesKind(ImportKindBase):
    name = "responses"
    label = "Survey responses"
    suffixes = (".csv", ".tsv", ".txt", ".xlsx", ".json")
    fields = (
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

    def read_header(self, path):
        """``(column names, estimated rows)`` of an export; raises ``TabularError``."""
        from rapport.imports.surveys.reading import open_export

        export = open_export(path)
        return export.names, export.estimated_rows

    def execute(self, run, **options):
        """Run the import of ``run`` (the generic engine hands over to this)."""
        from rapport.imports.surveys.run import execute_responses

        return execute_responses(run, **options)
