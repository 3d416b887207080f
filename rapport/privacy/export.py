"""One person's data as one ZIP archive: ``person.json`` (everything, complete), one CSV
per kind (for a spreadsheet: the downloads' byte-order mark and formula escaping) and a
README.txt that says what each file holds."""

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder

from rapport.lib.csvstream import csv_download_lines
from rapport.privacy.holdings import HOLDINGS, Found, Holding

README = """\
What {business} holds about {name}
{rule}

This archive was made on {made} with Rapport, the software {business} uses to keep
track of its relationships. It holds everything Rapport stores about this person.

person.json    everything below in one file, complete, for a program to read.
README.txt     this file.

One spreadsheet file (CSV) per kind of data; a kind with nothing in it still has its
file, with only the column names:

{files}

Columns ending in "_id" are the numbers Rapport gives its records inside this business;
they link the files together (a reading's interaction_id is the id of a row in
timeline.csv). Times are in UTC.
"""


def columns(holding: Holding) -> list[str]:
    """The CSV's columns: every stored column of the model (a link as its ``_id``), and the
    tags' names for the person."""
    names = [f.attname for f in holding.model._meta.concrete_fields]
    return [*names, "tags"] if holding.name == "person" else names


def rows(holding: Holding, found: Found) -> Iterator[dict]:
    fields = holding.model._meta.concrete_fields
    tags = ""
    if holding.name == "person":
        tags = "; ".join(found.person.tags.order_by("name").values_list("name", flat=True))
    for obj in holding.rows(found).order_by("pk").iterator(chunk_size=1000):
        row = {f.attname: f.value_from_object(obj) for f in fields}
        if holding.name == "person":
            row["tags"] = tags
        yield row


def _cell(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return "" if value is None else value


def collect(found: Found) -> dict[str, list[dict]]:
    """``{kind: [row, ...]}`` for every holding, in HOLDINGS' order."""
    return {holding.name: list(rows(holding, found)) for holding in HOLDINGS}


def write_archive(found: Found, out, *, business: str, now: dt.datetime) -> dict[str, int]:
    """Write the archive to the binary file ``out``; returns how many rows of each kind."""
    data = collect(found)
    person = found.person
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        document = {
            "business": business,
            "person_id": person.pk,
            "made_at": now.isoformat(),
            "data": data,
        }
        archive.writestr(
            "person.json",
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for holding in HOLDINGS:
            header = columns(holding)
            lines = csv_download_lines(
                header, ([_cell(row.get(c)) for c in header] for row in data[holding.name])
            )
            archive.writestr(f"{holding.name}.csv", "".join(lines).encode("utf-8"))
        width = max(len(h.name) for h in HOLDINGS) + 4
        files = "\n".join(
            f"{h.name + '.csv':<{width + 1}}{h.describe} ({len(data[h.name])} rows)"
            for h in HOLDINGS
        )
        title = f"What {business} holds about {person.name}"
        archive.writestr(
            "README.txt",
            README.format(
                business=business,
                name=person.name,
                rule="=" * len(title),
                made=f"{now:%d %B %Y at %H:%M} UTC",
                files=files,
            ).encode("utf-8"),
        )
    return {name: len(found_rows) for name, found_rows in data.items()}


def archive_bytes(found: Found, *, business: str, now: dt.datetime) -> tuple[bytes, dict]:
    buffer = io.BytesIO()
    counts = write_archive(found, buffer, business=business, now=now)
    return buffer.getvalue(), counts
