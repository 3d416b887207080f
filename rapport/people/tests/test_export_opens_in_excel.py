import codecs
import csv

from django.urls import reverse

from rapport.people.tests.factories import make_customer
from rapport.test import login


def test_the_export_starts_with_a_byte_order_mark_and_keeps_accents(client, personas):
    # Without the mark Excel reads the file in the machine's legacy code page: "Zoë" turns
    # into "ZoÃ«".
    make_customer(personas.bakery, name="Zoë Lefèvre-Ançel")
    response = login(client, personas.alice).get(reverse("people:export", args=["alices-bakery"]))
    body = b"".join(response.streaming_content)

    assert body.startswith(codecs.BOM_UTF8)
    assert body.count(codecs.BOM_UTF8) == 1
    rows = list(csv.DictReader(body.decode("utf-8-sig").splitlines()))
    assert [row["name"] for row in rows] == ["Zoë Lefèvre-Ançel"]
