"""Write pii_messages.jsonl: short business messages with every piece of personal data marked.

Every template below was written by hand for the Rapport project (AGPL-3.0-or-later, like the
rest of the repository). All personal data in it is invented: names, e-mail addresses
(example.com/.org/.net), phone numbers from ranges kept for fiction (UK 01632 960xxx,
07700 900xxx, 020 7946 0xxx, 0113 496 0xxx; US 555-01xx; France 01 99 00 xx xx and
06 39 98 xx xx), payment-card test numbers, the published example IBANs, documentation IP
ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) and street addresses.
See PII_MESSAGES.md for what is marked and how.

A template is one line of text with ``{slot}`` markers; each slot is filled with an invented
value and, when it is personal data, recorded as a span with exact character offsets. Lines
without slots are messages with no personal data at all (many are hard negatives: order
numbers, prices, times, product names, a card number that fails its checksum).

Deterministic (fixed seed, no set or hash ordering); standard library only.

    python scripts/make_pii_messages.py            # writes the JSONL
    python scripts/make_pii_messages.py --counts   # prints the counts
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

SEED = 20251123
# The data and its card live in the library (rapport.engine.datasets); this script does not.
DATASETS = Path(__file__).resolve().parents[1] / "rapport" / "engine" / "datasets"
DEFAULT_OUT = DATASETS / "pii_messages.jsonl"
KINDS = ("person", "email", "phone", "card", "iban", "address", "url", "ip")

FIRST = [
    "Sarah", "Priya", "Tomasz", "Amara", "Luis", "Chloé", "Wei", "Fatima", "Oliver", "Siobhan",
    "Dmitri", "Aisha", "Hannah", "Kwame", "Maria", "Jonas", "Emily", "Raj", "Sophie", "Marcus",
    "Nadia", "Grace", "Ben", "Ingrid", "Yusuf", "Ellie", "Callum", "Zoë", "Mateo", "Freya",
]  # fmt: skip
LAST = [
    "Jones", "Patel", "Nowak", "Okafor", "Fernández", "Martin", "Chen", "Haddad", "Hughes",
    "Murphy", "Volkov", "Khan", "Schmidt", "Mensah", "Rossi", "Berg", "Clarke", "Sharma",
    "Dubois", "Reid", "Benali", "Liu", "Carter", "Larsen", "Demir", "Thompson", "O'Connor",
    "MacLeod", "Okonkwo", "Lindqvist",
]  # fmt: skip
MAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com"]

UK_STREETS = [
    "Orchard Road", "Mill Lane", "Church Street", "Station Road", "Park Crescent",
    "Willow Close", "Baker Street", "High Street", "Chapel Row", "Elm Grove", "Castle Terrace",
    "Victoria Avenue", "Meadow Way", "Quarry Hill", "Linden Court", "Harbour View",
]  # fmt: skip
UK_TOWNS = [
    ("London", "NW1 6XE"), ("Leeds", "LS6 2AB"), ("Bristol", "BS1 4QA"),
    ("Manchester", "M4 1HN"), ("York", "YO1 7HH"), ("Cardiff", "CF10 1AA"),
    ("Brighton", "BN1 3XE"), ("Norwich", "NR2 4TF"), ("Glasgow", "G12 8QQ"),
]  # fmt: skip
FR_STREETS = [
    "rue des Lilas", "avenue Victor Hugo", "boulevard Voltaire", "place du Marché",
    "rue de la Paix", "chemin des Vignes", "allée des Tilleuls", "rue Saint-Honoré",
]  # fmt: skip
FR_TOWNS = [("75011", "Paris"), ("69003", "Lyon"), ("33000", "Bordeaux"), ("44000", "Nantes")]
US_STREETS = ["Maple Avenue", "Elm Street", "Oak Drive", "Pine St", "Cedar Lane", "Lakeview Blvd"]
US_TOWNS = [
    ("Springfield", "IL", "62704"), ("Portland", "OR", "97205"), ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"), ("Madison", "WI", "53703"),
]  # fmt: skip

# Payment-card test numbers (they pass Luhn) and the published example IBANs (they pass
# mod-97); the checks below make sure of it.
CARDS = [
    "4111111111111111", "5555555555554444", "4012888888881881", "378282246310005",
    "6011111111111117", "5105105105105100", "4242424242424242", "4000056655665556",
]  # fmt: skip
IBANS = [
    "GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
    "NL91ABNA0417164300", "IE29AIBK93115212345678", "ES9121000418450200051332",
    "BE68539007547034", "GB33BUKB20201555555555",
]  # fmt: skip

TEMPLATES = """
Hi, this is {name}. Could you call me back on {phone_uk} about my order?
Please send the invoice to {email}, not the old address.
My card {card} was charged twice for order #4471.
Refund to {iban} please, reference INV-2031.
Deliver to {addr_uk} between 8 and 10 tomorrow.
{name} here, I left my umbrella in the café on Tuesday.
Thanks {first}, the cake for Saturday was perfect.
Dear Mr {last}, your table for four is booked for 19:30 on Friday.
Can {first} ring me on {phone_us}? It's about the catering quote.
New address from 1 June: {addr_uk}.
Can you update my email to {email}? Thanks.
Payment bounced, try card {card} instead.
Our bank changed, the new IBAN is {iban}.
Please collect the trays from {addr_fr}.
Bonjour, je suis {name}, mon numéro est {phone_fr}.
The courier left my parcel at {addr_us} but I live next door.
Regards, {name} ({email})
Call me on {phone_fr} or email {email}.
Best wishes, {name}
I spoke to {name} on the phone yesterday and she promised a refund.
{first} at the till was so helpful today!
Please ask {name} to contact me at {email}.
Hi {first}, could you send me the rota for next week?
Mrs {last} called about the cake order, her number is {phone_uk}.
My postcode is {postcode} and the van never turned up.
Our login page logs {ip} as the source of the failed attempts.
Server {ip} keeps timing out when the till syncs.
My profile is at {url} if you need the photos.
The review link is {url}, thanks for asking.
Card ending with the full number {card} – please delete it from your records.
Wire the deposit to {iban} (account name {name}).
{name}, {addr_uk}, {phone_uk}
Send the signed contract to {name}, {addr_us}.
Driver couldn't find {addr_uk}, please call {phone_uk}.
Hello, my name is {name} and I'd like to book the back room for 12 people.
Thank you {name} for organising the school visit!
Booking for {name}, tel {phone_us}, party of 6.
Can I change the delivery address to {addr_fr}?
My email is {email} and my phone is {phone_us}.
Invoice to: {name}, {addr_uk}. VAT number to follow.
I paid with {card} on 3 May and was charged £24.99 twice.
The refund went to {iban} but that account is closed.
Please stop emailing {email}, I unsubscribed in March.
{first} and {first2} did a fantastic job at the wedding.
Kind regards, {name}, Operations, {phone_intl}
We have a new supplier contact: {name}, {email}, {phone_uk}.
Please ring {phone_intl} if the order is late.
I'm at {addr_us} if the driver gets lost.
{first} from the delivery team was rude to my mother.
Who is {name}? She says she works for you and asked for my card details.
Contact for invoices: {email} / {phone_fr}.
Shipping label says {addr_uk} but it should be {addr_uk2}.
Someone using {ip} tried to log into my account.
Check the photos on {url} before you reply.
Could {name} send me the allergy sheet?
I'd like to thank {name}, who stayed late to fix our oven.
Hi, it's {first} again, still waiting for my refund.
Send the spare keys to {name} at {addr_fr}.
Please charge the deposit to {card}, expiry 09/27.
Dear {name}, your order #8812 is ready for collection.
Account holder {name}, IBAN {iban}.
Parcel for {name}, {addr_us}, phone {phone_us}.
Mr {last} asked whether the hall is free on 14 June.
Text me on {phone_uk} when the cake is ready.
Can we meet at {addr_uk}? It's the blue door.
For the school fair contact {name} ({phone_uk}) or {name2} ({email}).
{email} is my work address, please use {email2} for receipts.
WhatsApp me at {phone_intl}.
The tenant at {addr_uk} reported the leak again.
Visit us at {addr_fr}, ouvert du mardi au samedi.
Please remove {name} from the newsletter list.
Our accountant {name} will email you from {email}.
My daughter {first} left her coat in the hall after Brownies.
I bought the cake for {name}'s birthday and it was stale.
Your colleague {name} gave me the wrong change this morning.
The IP {ip} has hit the booking page 4,000 times since 07:00.
Ms {last} from the council will visit the kitchen on Thursday.
Ask for {name} at reception.
Please forward this to {name} in accounts.
Leave it with the neighbour at {addr_us}.
Customer {name} ({phone_us}) wants a callback before 5pm.
Billing address: {addr_uk}. Card: {card}.
Pay the invoice to {iban}, BIC WESTGB2L.
Hi {first}, lovely to meet you at the market on Sunday!
Can you deliver to {postcode} on Saturdays?
I'm {name}, the new manager at the community centre.
Dear {first}, thanks for the flowers, they made our week.
Call {name} on {phone_fr} about the wine order.
Please send the quote to {email} by Friday.
{name} has been our best volunteer this year.
Dr {last} recommended your gluten-free range.
The login from {ip} wasn't me, please lock my account.
You charged {card} but I asked to pay cash.
Sorry for the late reply, {first}. Tuesday works.
I'm moving to {addr_us} next month, please update my details.
Please post the voucher to {addr_fr}.
Emergency contact: {name}, {phone_intl}.
My mum {name} would love a birthday card from the team.
Thanks again to {first} and the Saturday crew.
Forward the complaint to {email}, I'm away.
Meet me at {addr_uk} at 7am for the delivery.
The direct debit should come from {iban} from next month.
Big thanks to {name} for the tour!
Is {first} working tomorrow? I want to thank her.
Details: {name}, {email}, {phone_uk}, {addr_uk}.
My old number {phone_uk} no longer works, use {phone_uk2}.
Hi team, {name} from {addr_fr} here, the bread order was short.
Sent from {email}: please confirm receipt.
Can you ring me? {phone_us}
Our shop moved to {addr_us}.
Card on file {card} expired, please use the new one I gave {first}.
The link {url} shows my old photo, please remove it.
I was served by {first} and she was wonderful.
Dear Mrs {last}, we're sorry the order arrived late.
Attendees: {name}, {name2} and {name3}.
Reply to {email} or {email2}, whichever is quicker.
The charity's account is {iban}, thank you for donating.
{name} complained at the counter about the price of the flat white.
Invoice #2024-118 for {name}: please pay by 30 June.
The engineer will visit {addr_uk} on Monday.
Ping me at {email} when the new menu is out.
The cake is for {first}'s retirement party.
Can you confirm that {phone_fr} is the right number for the Lyon shop?
We've blocked {ip} after the spam bookings.
Portfolio: {url}
Please address the letter to {name}, {addr_fr}.
Apply online or email {email} with your CV.
Lost property: a purse belonging to {name} was handed in.
Hey {first}! Any chance of a table at 8?
I told {name} twice that I'm allergic to nuts.
Please check the card {card}; my bank says you tried it three times.
Account name: {name}. Sort code and number in the attachment.
Hello from {addr_us}! Loving the new blend.
{first} was amazing with the kids at the party.
Could someone call {phone_intl}? I'm abroad until the 20th.
The volunteer rota is with {name}, {phone_uk}.
Refunds go back to {iban} within five days.
Best, {first}
Cheers, {first}
Sent by {name}, {phone_us}, {email}.
spoke to {first_lower} on the phone, she said the order is late
my email is {email} pls reply asap
call me 2morrow on {phone_uk} cheers
The unsubscribe link {url} didn't work for me.
Please don't publish my photo from {url} again.
Failed payments all came from {ip} last night.
Allow {ip} through the firewall for the card terminal.
Refund the £18 to card {card}, please.
My new card is {card}, the old one was stolen.
Standing order from {iban}, reference RENT-04.
Could {first} email the rota to {email}?
Our new warehouse is at {addr_uk}, loading bay at the back.
Mail the cheque to {addr_us}, attention {name}.
"""

# No personal data at all; many look like it (numbers, times, capitalised product names).
NO_PII = """
Order #4471 for £12.50 at 07:30 on 3 May.
Thanks Bakehouse team, the sourdough was perfect again.
Invoice INV-2024-0117 for £1,250.00 is due on 30 June.
Can we move the delivery from 06:45 to 07:15 on Tuesdays?
The Earl Grey loaf cake sold out by 11am.
Batch 20240503 of oat milk tasted sour.
Table for 6 at 19:45 on Friday, please.
Tracking number 1Z999AA10123456784 says delivered but nothing arrived.
The number on my receipt, 4111 1111 1111 1112, doesn't match my bank statement.
The app version 2.4.1 crashes when I open the basket.
Room 101 was freezing during the workshop.
We sold 1,240 croissants in March, up 12% on February.
Your Victoria sponge is the best in town.
Loved the Orchard Crumble special!
Can I swap my 2 x 500g bags for the 1kg one?
Please call back about order 77812 when you can.
The 10:30 train from Leeds was late so I missed my shift.
Closing at 16:00 on 24 December and reopening on 2 January.
Staff discount code STAFF15 isn't working at the till.
I paid £45.99 by card on 12/05/2024 but got no receipt.
Account ending 4471 was charged twice.
Sorted! Many thanks for the quick fix.
Great service from the Harbour Café crew today.
Meeting moved to Room 3B at 14:00.
Supplier order PO-88213 is short by 12 trays.
Temperature log shows 3.5°C at 06:00 and 4.1°C at 18:00.
Five stars, would recommend the Sunday roast.
The Lemon Drizzle and the Black Forest gateau were both superb.
Is the Apple Crumble gluten free?
Our fundraiser raised £2,315.60 for the school library.
Hi team, the fridge in unit 4 is making a noise again.
Please add 24 x Oat Latte to next Monday's standing order.
Ticket 2024-118 reopened: card reader still offline.
Version 3.12.0 of the booking page is much faster.
Serial number SN-20931-4471-BX is on the oven label.
Rated 4.5 out of 5 by 1,032 customers.
I waited 25 minutes at 12:15 for a flat white.
Happy Christmas to everyone at Bakehouse!
Who is in charge of the Saturday rota?
Grand Opening on Saturday 14 June from 9am.
Thanks, Bakehouse!
Pay IBAN GB82 WEST 1234 5698 7654 33? The bank says that number is wrong.
The 12 Days of Christmas box sold out in an hour.
Order 2024-05-03-118 arrived with 3 of 12 eggs broken.
We're open 7 days a week, 8:00 to 18:00.
Parking costs £3.20 per hour after 10.
Please bring 2 kg of flour and 500 g of butter.
The Kings Cross branch needs more Bakewell tarts.
Best coffee in Norwich, hands down.
Cheers for the quick reply!
Code 0800 on the card machine means declined.
The Grand Hotel ordered 60 mince pies for Thursday.
"""

SLOT = re.compile(r"\{(\w+?)(\d?)\}")


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in ".-"))


def _grouped(number: str, sizes: list[int], sep: str) -> str:
    parts, i = [], 0
    for size in sizes:
        parts.append(number[i : i + size])
        i += size
    return sep.join(parts)


class Filler:
    """Invented values for one message; the same slot name gives the same value in it."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.people = [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(3)]
        while len({first for first, _ in self.people}) < 3:
            self.people = [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(3)]
        self.values: dict[tuple[str, str], str] = {}

    def value(self, slot: str, number: str) -> tuple[str, str | None]:
        """(text, kind) for ``{slot}`` or ``{slot2}``; kind None is not personal data."""
        key = (slot, number)
        if key not in self.values:
            self.values[key] = self._new(slot, int(number or 1) - 1)
        kind = {
            "name": "person", "first": "person", "last": "person", "first_lower": "person",
            "email": "email", "phone_uk": "phone", "phone_us": "phone", "phone_fr": "phone",
            "phone_intl": "phone", "card": "card", "iban": "iban", "addr_uk": "address",
            "addr_fr": "address", "addr_us": "address", "postcode": "address", "url": "url",
            "ip": "ip",
        }[slot]  # fmt: skip
        return self.values[key], kind

    def _new(self, slot: str, person: int) -> str:
        rng = self.rng
        first, last = self.people[person]
        if slot == "name":
            return f"{first} {last}"
        if slot == "first":
            return first
        if slot == "first_lower":
            return first.lower()
        if slot == "last":
            return last
        if slot == "email":
            user = rng.choice(
                [
                    f"{_ascii(first).lower()}.{_ascii(last).lower()}",
                    f"{_ascii(first)[0].lower()}{_ascii(last).lower()}",
                    f"{_ascii(first).lower()}{rng.randint(1, 99)}",
                    f"{_ascii(last).lower()}_{_ascii(first).lower()}",
                ]
            )
            return f"{user}@{rng.choice(MAIL_DOMAINS)}"
        if slot == "phone_uk":
            n = rng.randint(0, 999)
            return rng.choice(
                [
                    f"01632 960{n:03d}",
                    f"07700 900{n:03d}",
                    f"020 7946 0{n:03d}",
                    f"0113 496 0{n:03d}",
                    f"+44 7700 900{n:03d}",
                    f"+44 (0)20 7946 0{n:03d}",
                ]
            )
        if slot == "phone_us":
            n = rng.randint(0, 99)
            area = rng.choice(["212", "312", "415", "617", "503"])
            return rng.choice(
                [f"({area}) 555-01{n:02d}", f"{area}-555-01{n:02d}", f"{area}.555.01{n:02d}"]
            )
        if slot == "phone_fr":
            a, b = rng.randint(0, 99), rng.randint(0, 99)
            return rng.choice(
                [
                    f"01 99 00 {a:02d} {b:02d}",
                    f"+33 1 99 00 {a:02d} {b:02d}",
                    f"06 39 98 {a:02d} {b:02d}",
                    f"01.99.00.{a:02d}.{b:02d}",
                ]
            )
        if slot == "phone_intl":
            n = rng.randint(0, 99)
            return rng.choice(
                [
                    f"+44 7700 900{n:03d}",
                    f"+1 312 555 01{n:02d}",
                    f"+33 6 39 98 {n:02d} {rng.randint(0, 99):02d}",
                    f"+1 (415) 555-01{n:02d}",
                ]
            )
        if slot == "card":
            number = rng.choice(CARDS)
            sizes = [4, 6, 5] if len(number) == 15 else [4, 4, 4, 4]
            return rng.choice([_grouped(number, sizes, " "), _grouped(number, sizes, "-"), number])
        if slot == "iban":
            iban = rng.choice(IBANS)
            return rng.choice([" ".join(iban[i : i + 4] for i in range(0, len(iban), 4)), iban])
        if slot == "addr_uk":
            house = rng.choice([str(rng.randint(1, 120)), f"{rng.randint(1, 60)}B"])
            street = f"{house} {rng.choice(UK_STREETS)}"
            town, postcode = rng.choice(UK_TOWNS)
            return rng.choice(
                [
                    street,
                    f"{street}, {town}",
                    f"{street}, {town} {postcode}",
                    f"Flat {rng.randint(1, 9)}, {street}, {town} {postcode}",
                ]
            )
        if slot == "addr_fr":
            street = f"{rng.randint(1, 90)} {rng.choice(FR_STREETS)}"
            code, town = rng.choice(FR_TOWNS)
            return rng.choice([street, f"{street}, {code} {town}"])
        if slot == "addr_us":
            street = f"{rng.randint(10, 4999)} {rng.choice(US_STREETS)}"
            town, state, zipcode = rng.choice(US_TOWNS)
            return rng.choice([street, f"{street}, {town}, {state} {zipcode}"])
        if slot == "postcode":
            return rng.choice(UK_TOWNS)[1]
        if slot == "url":
            user = f"{_ascii(first).lower()}-{_ascii(last).lower()}"
            return rng.choice(
                [
                    f"https://example.com/people/{user}",
                    f"https://www.example.org/u/{user}",
                    f"www.example.net/~{_ascii(first).lower()}",
                    f"http://photos.example.com/albums/{user}/2024",
                ]
            )
        if slot == "ip":
            return rng.choice(
                [
                    f"192.0.2.{rng.randint(1, 254)}",
                    f"198.51.100.{rng.randint(1, 254)}",
                    f"203.0.113.{rng.randint(1, 254)}",
                    f"2001:db8::{rng.randint(1, 0xFFFF):x}",
                ]
            )
        raise ValueError(f"unknown slot {{{slot}}}")


def fill(template: str, rng: random.Random) -> tuple[str, list[dict]]:
    filler = Filler(rng)
    parts: list[str] = []
    spans: list[dict] = []
    length = 0
    position = 0
    for match in SLOT.finditer(template):
        literal = template[position : match.start()]
        parts.append(literal)
        length += len(literal)
        value, kind = filler.value(match.group(1), match.group(2))
        if kind is not None:
            spans.append({"start": length, "end": length + len(value), "kind": kind})
        parts.append(value)
        length += len(value)
        position = match.end()
    parts.append(template[position:])
    return "".join(parts), spans


def _lines(block: str) -> list[str]:
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


def build_rows() -> list[dict]:
    rng = random.Random(SEED)
    rows = [fill(template, rng) for template in _lines(TEMPLATES)]
    rows += [(text, []) for text in _lines(NO_PII)]
    rng.shuffle(rows)
    out = []
    for number, (text, spans) in enumerate(rows, start=1):
        for span in spans:
            value = text[span["start"] : span["end"]]
            if span["kind"] == "card":
                assert luhn_ok(value), value
            if span["kind"] == "iban":
                assert iban_ok(value), value
        out.append({"id": f"pii-{number:03d}", "text": text, "spans": spans})
    return out


def to_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def counts(rows: list[dict]) -> str:
    kinds = Counter(span["kind"] for row in rows for span in row["spans"])
    empty = sum(not row["spans"] for row in rows)
    lines = [
        f"messages: {len(rows)}",
        f"messages with no personal data: {empty} ({empty / len(rows):.0%})",
        f"spans: {sum(kinds.values())}",
    ]
    lines += [f"  {kind}: {kinds[kind]}" for kind in KINDS]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSONL")
    parser.add_argument("--counts", action="store_true", help="print the counts, write nothing")
    args = parser.parse_args(argv)
    rows = build_rows()
    if args.counts:
        sys.stdout.write(counts(rows))
        return 0
    args.out.write_text(to_jsonl(rows), encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
