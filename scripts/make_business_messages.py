"""Write business_messages.csv: Rapport's own labelled set of small-business messages.

Every template below was written by hand for the Rapport project (AGPL-3.0-or-later, like the
rest of the repository), so the file may train shipped models. Names, order numbers, amounts,
addresses, e-mail addresses (example.com) and phone numbers (555-01xx, +33 1 99 00 xx xx,
01632 960xxx) are invented. See BUSINESS_MESSAGES.md for the label guide and counts.

A template line reads ``SENTIMENT REASON CHANNELS | text``:

- SENTIMENT: ``-`` negative, ``0`` neutral, ``+`` positive; a leading ``~`` marks sarcasm or
  irony (the label is always the intended sentiment).
- REASON: ``.`` when no human is needed, otherwise the reason a human is needed.
- CHANNELS: letters among E email, C chat, R review, S social, P phone, V survey, T ticket.
- text: ``[a|b|c]`` picks one of the choices, ``{slot}`` is filled from the lists below.

Each template gives at most three rows (two when a human is needed), all with different texts. The output is
deterministic (fixed seed, no set or hash ordering). Standard library only.

    python scripts/make_business_messages.py            # writes the CSV
    python scripts/make_business_messages.py --counts   # prints the counts
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import random
import re
import sys
from collections import Counter
from pathlib import Path

SEED = 20250611
# The data and its card live in the library (rapport.engine.datasets); this script does not.
DATASETS = Path(__file__).resolve().parents[1] / "rapport" / "engine" / "datasets"
DEFAULT_OUT = DATASETS / "business_messages.csv"

COLUMNS = ["id", "text", "sentiment", "needs_human", "reason", "group", "channel"]
SENTIMENTS = {"-": "negative", "0": "neutral", "+": "positive"}
REASONS = (
    "anger",
    "fear_or_safety",
    "threat_to_leave",
    "money",
    "legal",
    "health",
    "repeated_contact",
    "distress",
    "complex_request",
)
GROUPS = ("customer", "employee", "supplier", "community")
CHANNELS = {
    "E": "email",
    "C": "chat",
    "R": "review",
    "S": "social",
    "P": "phone",
    "V": "survey",
    "T": "ticket",
}
# Rows one template may give. Escalation templates give fewer, so that needs_human stays near a
# quarter of the rows and each escalation case is seen in no more than two wordings.
MAX_PER_TEMPLATE = 3
MAX_PER_ESCALATION_TEMPLATE = 2
INFORMAL_CHANNELS = ("chat", "social", "review")
INFORMAL_RATE = 0.15  # share of those rows written with a lower-case start and no final full stop

NAMES = [
    "Ines", "Tomasz", "Priya", "Colm", "Maelle", "Jonah", "Aisha", "Rafael", "Nadia", "Callum",
    "Yusuf", "Freya", "Mateo", "Lena", "Oskar", "Siobhan", "Kwame", "Hana", "Arjun", "Elodie",
    "Bram", "Zofia", "Dev", "Ruth", "Teodor", "Mina", "Ewan", "Lucia", "Femi", "Greta",
]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
TIMES = ["7:30", "8am", "9.15", "10:00", "11am", "12:30", "2pm", "3.45pm", "5:15", "6pm"]
STREETS = [
    "12 Rue Haute", "48 Mill Lane", "7 Orchard Road", "3B Canal Street", "221 Elm Avenue",
    "16 Chemin des Vignes", "9 Harbour View", "5 Quarry Close", "31 Bakers Row", "2 Linden Court",
]  # fmt: skip
SMALL_AMOUNTS = ["12.50", "18.40", "24", "27.90", "35", "42.50", "49", "58.20", "64", "89"]
BIG_AMOUNTS = ["240", "385", "612.40", "850", "1,120", "1,480", "2,300", "3,950", "4,800"]
CURRENCIES = ["£", "€", "$"]
MAILBOXES = ["home", "office", "accounts", "orders", "hello", "admin"]


def _fill(slot: str, rng: random.Random) -> str:
    """One invented value for a {slot}."""
    if slot == "order":
        return str(rng.randint(1000, 9999))
    if slot == "ref":
        return f"#{rng.randint(10000, 99999)}"
    if slot == "inv":
        return f"INV-{rng.randint(1000, 9999)}"
    if slot == "amount":
        return rng.choice(CURRENCIES) + rng.choice(SMALL_AMOUNTS)
    if slot == "bigamount":
        return rng.choice(CURRENCIES) + rng.choice(BIG_AMOUNTS)
    if slot == "name":
        return rng.choice(NAMES)
    if slot == "day":
        return rng.choice(DAYS)
    if slot == "month":
        return rng.choice(MONTHS)
    if slot == "date":
        day, month = rng.randint(1, 28), rng.choice(MONTHS)
        return f"{day} {month}" if rng.random() < 0.6 else f"{month} {day}"
    if slot == "time":
        return rng.choice(TIMES)
    if slot == "n":
        return str(rng.randint(2, 5))
    if slot == "pct":
        return str(rng.randint(4, 12))
    if slot == "street":
        return rng.choice(STREETS)
    if slot == "email":
        return f"{rng.choice(NAMES).lower()}.{rng.choice(MAILBOXES)}@example.com"
    if slot == "phone":
        kind = rng.randrange(3)
        if kind == 0:
            return f"555-01{rng.randint(0, 99):02d}"
        if kind == 1:
            return f"+33 1 99 00 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
        return f"01632 960{rng.randint(0, 999):03d}"
    raise ValueError(f"unknown slot {{{slot}}}")


CHOICE = re.compile(r"\[([^\[\]]+)\]")
SLOT = re.compile(r"\{(\w+)\}")


# Messages from customers (and would-be customers) to the business.
CUSTOMER = """
# money
- money ET | Order #{order} was charged twice on my card, [{amount} each time|once on the 3rd and again on the 4th]. Please refund the duplicate.
~- money CST | Thanks a lot for charging me twice. [Really appreciate it.|Brilliant.|Great way to start the month.]
- money EP | I cancelled my [gym membership|subscription|coffee subscription] in {month} and you've still taken {amount} [this month|two months running].
- money ET | The quote said {bigamount} for the [boiler service|bathroom tap replacement|rewiring of the kitchen] and the invoice is nearly double. Nobody mentioned extra parts.
- money E | I returned the [bike helmet|rain jacket|hedge trimmer] on {date} with the receipt and I still haven't had my refund.
- money CT | your website took the payment but the order never went through?? no confirmation email, [nothing|no order number, nothing]
- money EP | If the refund for order #{order} isn't in my account by [Friday|the end of the week|Monday] I'll raise a chargeback with my bank.
- money E | You charged me for a [colour and cut|full head of highlights|balayage] but I only had a [cut|trim]. Can someone correct this please.
- money ET | The {bigamount} deposit for the [wedding cake|catering|christening buffet] was taken but you've now cancelled on us. I want it back in full.
- money ET | Your invoice {inv} includes {n} hours of [support|consultancy|training] we never agreed to. We won't pay it until it's corrected.
- money P | Caller about [her accounts|his tax return|the payroll service]: fee went up to {bigamount} without warning, wants someone to explain before paying.
- money ECT | The gift voucher [my sister gave me|I bought in December|from my work colleagues] was refused at the till as expired. It clearly says valid 12 months.
- money E | I paid for next-day delivery and the [flowers|parcel|order] turned up [three days later|on Monday]. I'd like the delivery charge back at least.
- money C | sorry to ask, i'm really struggling this month and the [membership|payment plan|instalment] comes out tomorrow. is there anything i can do?
- money ET | Two annual renewals went out on our card for the same licence, {bigamount} each. We only have one office.
- money E | We were promised a [10%|15%] discount for booking the whole [venue|back room] and it isn't on the bill.
- money T | Your system billed us for 14 seats again. We reduced to 9 in {month} and have the confirmation email.
- money P | Voicemail: the [man who came to fix the boiler|locksmith|electrician] asked for {bigamount} in cash and didn't leave a receipt. Please call me on {phone}.
- money ER | Paid for a [six-week course|ten-class pass|block of driving lessons] and half the sessions were cancelled by you. How do I get the money back for those?
- money E | I've been charged a late cancellation fee but I cancelled [two days|48 hours] ahead by phone. Please remove it.

# health
- health ETP | My [son|daughter|husband] had an allergic reaction after eating the [almond croissant|brownie|carrot cake] we bought [yesterday|on Saturday]. The label didn't mention [nuts|sesame|peanuts].
- health EP | I asked twice if the [salad|soup|curry] was gluten free and was told yes. I've been ill all night. I'm coeliac.
- health ERT | Found a piece of [plastic|metal|glass] in my [sandwich|loaf|pie]. Nearly broke a tooth.
- health CE | After the [hair dye|keratin treatment|bleach] my scalp is burning and there are [blisters|red patches] this morning. What was in that product?
- health PT | I think I've got food poisoning from the [chicken wrap|seafood platter|sushi] I had at yours on {day}. So has my [partner|friend].
- health ER | I slipped on the wet floor [by the entrance|near the showers|at the till] and there was no sign up. My wrist is [swollen|sprained].
- health E | My dog came back from grooming with a [cut on his ear|nasty clipper rash|limp] and he won't stop shaking. The vet says it needs treatment.
- health RT | The [milk|yoghurt|cream] in my order was [out of date|off] and my little one drank some before I noticed.
- health E | I pulled something in my back at the induction on {day}. The trainer had me lifting far too much on my first session and I can barely walk today.
- health C | is there egg in the [focaccia|bagels|pretzels]? my son just ate one and his lips are swelling

# safety
- fear_or_safety PE | The [new socket|light fitting|extractor fan] your electrician fitted on {day} is [sparking|buzzing and hot to touch]. I've switched it off at the mains.
- fear_or_safety PC | Water is coming through the ceiling [under the bathroom|above the oven|in the hallway] where your plumber worked [yesterday|this morning]. Please send someone now.
- fear_or_safety PT | The brakes on the bike you serviced [last week|on {day}] failed going down [the hill|Station Road]. I'm ok but shaken.
- fear_or_safety P | Smells strongly of gas in the kitchen since the boiler was [serviced|replaced]. We've opened the windows, what do we do?
- fear_or_safety ES | There's a man who keeps waiting outside your [gym|studio] at night and following women to the car park. Please do something.
- fear_or_safety PT | The [child seat|trailer hitch|pannier rack] you fitted came loose on the school run this morning with my daughter on the back.
- fear_or_safety C | your [locksmith|guy] left my back door not locking properly, i'm on my own tonight and can't secure the house
- fear_or_safety ER | The [weights rack|treadmill|cable machine] in the back room is wobbling badly, someone is going to get hurt.
- fear_or_safety E | The garden centre's [fence panel|archway|trellis display] by the car park is leaning right over the path where kids walk.
- fear_or_safety T | Urgent: we can see logins to our account from [another country|an unknown device] and we think someone has our admin password.

# legal
- legal E | I've passed this to my solicitor. You have {n} weeks to [finish the work|refund the deposit|put right the damage] before we issue a claim.
- legal ER | I'll be reporting this to Trading Standards. The [meat|cheese|honey] was sold as [local|organic] and it clearly isn't.
- legal ET | I never agreed to be on your mailing list and you've emailed me {n} times this week. Remove me or I'll complain to the [ICO|regulator].
- legal E | The contract says the [website|booking app|online shop] would be live by {date}. We're [six weeks|two months] past that and considering our legal options.
- legal ES | You posted a photo of my [kids|daughter|son] on your [Instagram|Facebook page] without asking. Take it down today please.
- legal E | Your builder damaged our neighbour's wall and now they're threatening to sue us. We need your insurance details.
- legal T | Your privacy policy says data is stored in the EU but the invoice says the servers are in [the US|another country]. Our DPO needs an answer this week.

# threat to leave
- threat_to_leave ECS | If this happens [again|one more time] I'm taking my business elsewhere.
- threat_to_leave ET | We've been customers for [six|eight|ten] years but after this [month|quarter] we'll be looking at other [accountants|IT providers|printers].
- threat_to_leave ER | Cancel my membership. [The showers have been cold for a month|Half the classes get cancelled|The heating's been off since October] and nobody cares.
- threat_to_leave CS | honestly thinking of switching to the [bakery|café|deli] on the corner, at least they open on time
- threat_to_leave E | Please don't renew our [support contract|hosting plan|maintenance plan] in {month}. The response times this year haven't been acceptable.
~- threat_to_leave RS | Great, another price rise. Guess I'll be finding a new [hairdresser|barber|groomer] then. Cheers.
- threat_to_leave P | Voicemail: it's about the [weekly veg box|office fruit delivery|bread order], we want to stop it from next week, it's been short {n} weeks running.
- threat_to_leave E | We've decided not to book you for the [Christmas party|summer event|team lunch] this year. Last time's mix-ups were too much.
- threat_to_leave C | last chance tbh. one more late delivery and i'm cancelling the subscription
- threat_to_leave E | I've used your shop for every birthday cake since my kids were born, but after this one I'm not sure I'll be back.

# repeated contact
- repeated_contact ET | This is the [third|fourth|fifth] time I'm writing about [this|order #{order}|the missing refund].
- repeated_contact PC | I've called [three times|twice] and left messages and no one has rung me back about the [leaking tap|quote|repair].
- repeated_contact ET | Ticket {ref} was closed again without anyone fixing the [login bug|export|sync problem]. Reopening for the [second|third] time.
~- repeated_contact ES | Still waiting on a reply to my [three|four] emails. No rush, it's only been [a month|three weeks]!
- repeated_contact C | hello?? anyone there. i asked this [yesterday and the day before|on monday and again today]
- repeated_contact E | As I said in my last two emails, the [frame|bike|watch] still hasn't come back from repair and I've had no update since {date}.
- repeated_contact T | Same issue as {ref} and the ticket before it. Still not resolved. Please escalate.
- repeated_contact P | Third call this week about the [damp patch|broken gate|missing invoice]. Nobody rang back.
- repeated_contact E | I raised this in person with {name} last week and by email on {date}, and I'm still being charged the old rate.

# anger
- anger RS | ABSOLUTELY DISGUSTING service. [Waited an hour|Rude staff the whole time] and then [they lost my booking|they told me to come back tomorrow].
- anger ECS | The [manager|woman on the till|man at the counter] was incredibly rude to my [mother|elderly dad] and laughed when they asked for help. Unacceptable.
- anger CS | what a joke. booked a [table|cut|session] for {time} and got told there's no record of it 😡
- anger R | Worst [haircut|meal|service] I've had in years and when I said so the owner told me to leave.
- anger E | I am furious. The [cake|flowers] for my [mum's 70th|wedding] were completely wrong and nobody even apologised.
- anger S | Shame on you for [turning away|refusing to serve] a man in a wheelchair because "the aisle is too narrow". Disgraceful.
- anger ET | Your technician [swore at me|called me stupid] in front of my staff. I expect an apology from the owner.
- anger R | Do NOT go here. Overcharged, patronised, and the [gardener|cleaner|decorator] left a mess everywhere.

# distress
- distress EP | The [wreath|flowers] for my dad's funeral [never arrived|went to the wrong church]. I don't know what to do, the service is at {time}.
- distress E | My [husband|wife] passed away last month and I keep getting [invoices|renewal letters] in their name. Please can someone help me close the account.
- distress C | i've locked myself out and my baby is inside asleep, how fast can someone come
- distress P | Elderly gentleman rang, confused, says he's had no hot water for days and doesn't remember booking. Daughter's number {phone}.
- distress E | I'm sorry for the angry message yesterday. It's been a terrible week, my mum is in hospital, and the missing order just tipped me over.

# negative, routine: the normal queue can handle these
- . RV | Staff were lovely but the [cake|sponge|scone] was dry.
- . R | The [croissants|pastries] used to be amazing. Lately they're [smaller|flat and greasy] and the price has gone up.
- . RV | Coffee was lukewarm [again|today]. Not the end of the world but worth knowing.
- . ET | Order #{order} arrived [two days|a week] late and the box was crushed.
- . RV | The music was [so loud|far too loud] we couldn't hear each other. Food was fine.
- . RS | The [sourdough|baguette|rye] was sold out by 9am [again|for the third Saturday]. Bake more!
- . V | Booking system is confusing. Took me [three goes|ages] to find a free slot.
- . R | Parking is impossible round here and the shop doesn't open till 10, which is no use to commuters.
- . VT | The app logs me out every time I switch screens.
- . R | [Bit overpriced|Rather pricey|Overpriced] for what it is.
- . RS | The toilets were [filthy|out of order] and there was no soap.
- . V | The [changing rooms|showers] are cold and the lockers are broken.
- . R | Hairdresser was nice enough but the cut is uneven at the back and I had to get it fixed elsewhere.
- . R | Books arrived with the [corners bent|covers scuffed]. Shame as they were gifts.
- . ET | The invoice has the wrong company name on it again, can you fix it.
- . R | Lovely bunch but half the [tulips|roses|ranunculus] had drooped by the next day.
- . V | Too many emails. I get something from you [almost daily|every other day].
- . R | The new menu is a step backwards. Bring back the [old breakfast|halloumi wrap|soup of the day].
- . CR | Plumber turned up [two hours late|at 4 instead of 9] and didn't call ahead.
- . R | Service was slow and our mains came out at different times.
- . V | The update moved all the buttons around and now I can't find anything.
- . R | Café is nice but the plants looked tired and half the [herbs|perennials|seedlings] were dead.
- . R | The bike was ready on time but the gears are still slipping in [third|top gear].
- . R | meh. nothing special and the staff seemed like they didnt want to be there
- . V | Classes are overbooked, you can barely move in [spin|yoga|pilates].
- . R | Ordered medium rare, got well done. Didn't want to make a fuss.
- . S | not impressed with the new opening hours tbh
- . T | Export to CSV drops the last column.
- . T | The dashboard takes about [30 seconds|a minute] to load since the last release.
- . R | I asked for pastels and got bright orange. Still pretty, just not what I wanted.
- . R | Way too sweet. Couldn't finish it.
- . V | Nobody explained the equipment on my first visit.
- . R | Accountant was competent but slow, we had to chase every step.
- . R | The colour has faded after [two washes|a week]. Not cheap either.
- . V | Website is hard to use on a phone.
- . R | Cold chips, warm drinks. Wrong way round.
- . RS | Shop was closed at 4 on a Saturday even though Google says open till 6.
- . T | The reminder emails go out in the wrong time zone, an hour early.
- . R | The dentist was fine but the receptionist was quite abrupt.
- . V | Prices have crept up a lot this year.
- . R | Nice room, but the breakfast was the same every day and the shower barely worked.
- . R | The teacher kept cancelling at short notice, so we only got through half the book.
- . R | Table was sticky and we had to ask twice for menus.
- . ET | The shirt I collected still has the stain on the collar.
- . R | Gave it a go. Won't rush back.
- . V | The loyalty card never seems to work.
- . R | Decent bread, terrible queue.
- . R | The [plants|seedlings|bulbs] I bought in spring never came up. Bit disappointing.
- . R | The clean was rushed, they missed the skirting boards and the oven completely.
- . R | Lessons were fine but the car smelled of smoke.
- . T | Two of our users can't see the new reports tab.
- . V | I'd like more vegetarian options, there's only ever one.

# negative sarcasm, routine
~- . RS | Love waiting [40|45|50] minutes for a flat white. Great start to the day.
~- . R | Five stars for the [decor|playlist|lighting]. Shame about the [food|coffee|service].
~- . RS | Oh good, the card machine is down again. Who carries cash these days anyway 🙄
~- . S | Nothing says customer service like being ignored at the counter for [ten|fifteen] minutes.
~- . R | Really impressive how they managed to burn [a bagel|toast|a croissant].
~- . RSC | So glad I paid extra for express delivery so it could sit in your depot [all weekend|for three days].
~- . R | Fantastic, my "express" dry cleaning only took a week and a half.
~- . S | Another Monday, another "sorry, closed due to staff shortage" sign. Love it.
~- . R | Wow, a whole three blueberries in my blueberry muffin. Spoiling us.
~- . RS | Brilliant idea to [repaint|refit] the gym in January, when literally everyone wants to use it.
~- . R | Nice of the mechanic to leave greasy handprints all over my new bike as a souvenir.
~- . S | Can't fault the consistency: wrong order three Fridays in a row 👏
~- . R | Such a relaxing haircut. I only got my ear nicked twice.
~- . RS | Yeah I definitely wanted oat milk when I asked for regular. Mind reader.
~- . V | The new app is great if you enjoy resetting your password every day.
~- . R | Lovely surprise to find the hotel "sea view" is a view of the bins.
~- . T | Another update, another feature I used every day gone. Thanks, I guess.
~- . R | Top marks for creativity: I ordered a lemon drizzle and got a coffee cake.

# neutral: questions, requests, information
0 . ET | Please update my address to {street}.
0 . C | Are you open on [bank holiday Monday|Easter Sunday|Boxing Day]?
0 . CS | Do you do [gluten-free|vegan|dairy-free] [birthday cakes|brownies|loaves]?
0 . E | Can I move my delivery from {day} to [Thursday|the following week]?
0 . P | Caller asked what time you close on {day}.
0 . ET | Could you send a VAT receipt for order #{order} made out to my company rather than to me?
0 . C | How long does a [full service|puncture repair|wheel true] usually take?
0 . E | Please cancel my {time} appointment on {day}, I'll rebook next week.
0 . CS | Is there parking nearby?
0 . CS | do you deliver to [the business park|Westfield Road|the hospital]?
0 . E | We'd like to order [40|60|80] [sandwich platters|mince pies|cupcakes] for an office event on {date}. What are the options?
0 . T | How do I reset my password? The link in the email has expired.
0 . T | Can we add [two|three] more users to our plan?
0 . E | Please send me the [receipt|invoice] for {month} again, I can't find it.
0 . C | What's the difference between the [basic|standard] and [premium|plus] membership?
0 . P | Message for {name}: please call back about the [quote|kitchen tap|survey] on {phone}.
0 . E | Attached are the bank statements for {month} as requested.
0 . E | Do you need anything else from me before the [year-end accounts|VAT return|payroll] deadline?
0 . CS | Can I bring my dog inside?
0 . S | What time does the [market stall|pop-up|Sunday brunch] open on {day}?
0 . C | Do you sell gift cards?
0 . E | I'd like to book a [cut and blow-dry|trim|colour consultation] with {name} if there's anything [next week|on {day}].
0 . RV | Average. Does what it says.
0 . V | I come in about once a week, usually for lunch.
0 . T | Where can I find the API key for the [staging|test] account?
0 . ET | Please add {email} as a second contact on our account.
0 . C | Do you repair [e-bikes|carbon frames|hub gears]?
0 . CE | Can I pay by bank transfer?
0 . E | Our office moves to {street} from {date}; please deliver there from then on.
0 . P | Customer asked if the [dahlias|peonies|Christmas trees] are in yet. Will call back {day}.
0 . C | is the [yoga|spin|boxing] class on {day} still on?
0 . E | Is the price on the website [including|before] VAT?
0 . C | I don't understand the bill, what is the "service fee" line?
0 . V | It was [ok|fine|alright].
0 . V | No comments, thanks.
0 . C | whats the wifi password
0 . E | Could you hold the [blue road bike|pushchair|armchair] in the window until {day}? I can pay a deposit.
0 . C | Do you have the new [crime novel|cookbook|atlas] by the author who was in the paper? I can't remember the title.
0 . E | Could you order in two copies of [a book on beekeeping|the Year 9 reading list|a Spanish grammar] for me?
0 . CP | How much would it cost to [fix a dripping tap|replace a toilet cistern|bleed all the radiators]?
0 . E | Please use {email} for invoices from now on.
0 . C | What are your opening hours over Christmas?
0 . ET | Can we switch from monthly to annual billing?
0 . T | Is there a way to export the data to Excel?
0 . E | I'll be [ten minutes|a bit] late for my {time} appointment.
0 . C | Do you still have any [tomato plants|olive trees|lavender] left?
0 . S | Are you hiring?
0 . E | Could we get the [wine list|set menu|allergen sheet] for a party of [12|16] on {date}?
0 . C | can i change the name on the cake to {name}?
0 . P | Lady rang to ask whether [you sharpen knives|you do home visits|you take cheques]. Told her we'd call back.
0 . E | Please find the signed engagement letter attached.
0 . E | Quick question: do the classes run during the school holidays?
0 . T | What's the rate limit on the public API?
0 . V | I heard about you from a friend.
0 . C | Do you do student discount?
0 . E | Could you confirm the delivery slot for order #{order}?
0 . C | Is the cheese counter open on Mondays?
0 . E | Can I collect the [suit|curtains|duvet] on {day} instead of tomorrow?
0 . S | Which bus stops closest to the shop?
0 . ET | Please change the card on file; the old one expires this month.

# neutral, but a person has to deal with it
0 legal ET | Under GDPR I'm asking you to delete all the personal data you hold on me, including my [email|phone number|order history].
0 legal E | Could you keep the CCTV from {day} around {time}? My car was hit in your car park and the insurer needs it.
0 legal T | Please send us your data processing agreement and a list of sub-processors before we sign.
0 complex_request E | We're planning a wedding for 120 guests in {month}: three tiers, one gluten-free, one vegan, no nuts anywhere, delivered to a farm with no road access. Can we talk it through?
0 complex_request ET | We need to migrate about [8,000|12,000] customer records from our old system, with custom fields and attachments. Is that something you can quote for?
0 complex_request E | I use a wheelchair and I'd like to join. Which machines could I use, and is the changing area accessible?
0 complex_request E | We'd like a quote for [weekly cleaning of three offices|gardening across four rental properties|IT support for a practice of 14 people], starting in {month}.
0 complex_request EP | Could you rebuild an old [steel frame|tandem|Dutch bike] with modern gears? It was my grandad's, so I'd rather keep the original parts where possible.
0 complex_request E | Our company is changing year end and moving to a new payroll provider at the same time. Can we meet to plan what you'll need from us?
0 health CE | My daughter has a severe [sesame|peanut|egg] allergy. Can you tell me exactly which of your [breads|cakes] are made on separate equipment?
0 health E | I'm [pregnant|on blood thinners] and booked a massage for {day}. Is there anything the therapist needs to know beforehand?
0 money E | Can we pay the {bigamount} invoice in three instalments? Cash flow is tight until the grant arrives.
0 money T | Our finance team says we were billed in dollars instead of euros this quarter. Could you check?
0 money E | Our card was declined for the renewal, but we've just switched banks. Please don't suspend the account; can we pay by transfer?

# positive
+ . RS | Best [croissant|sourdough|cinnamon bun] in town, hands down.
+ . E | Just wanted to say thank you to {name} for [sorting my bike out so quickly|the lovely haircut|fixing the leak on a Sunday].
+ . R | Friendly staff, fair prices, and they remembered my order. What more could you want?
+ . S | the flowers for my mum's birthday were STUNNING 😍 thank you!!
+ . V | Really happy with the [new class timetable|longer opening hours|app update].
+ . R | Small wait at the till but honestly the best [coffee|bacon roll|pain au chocolat] around.
+ . E | The accounts were done early and the notes explaining them were really clear. Thank you.
~+ . RS | Dangerous place. I can't walk past without buying [a cake|a book|another plant].
+ . R | Brought my [road bike|kid's bike|old commuter] in with a wobbly wheel, fixed while I waited and they didn't charge for the tweak. Will be back.
+ . RS | Favourite café in the neighbourhood. Cosy, calm, and the flat whites are spot on ☕
+ . R | Great haircut, {name} actually listened to what I wanted.
+ . E | Thank you for squeezing us in at short notice, the [cake|flowers|buffet] made the day.
+ . S | shoutout to the team at the garden centre for helping me carry 12 bags of compost to the car 💪
+ . R | The [plumber|electrician|locksmith] was on time, tidy, and explained everything. Fair price too.
+ . V | Keep doing what you're doing.
+ . R | Lovely little bookshop with staff who actually read. Got three great recommendations.
+ . T | The new export feature saved me about two hours a week. Thank you!
+ . RS | Ordered the [brunch platter|tasting menu|Sunday roast] and every single thing was delicious.
+ . R | Really patient instructor. I passed first time!
+ . E | Just a note to say how impressed we were with the support team this year. Quick, friendly, and they never made us feel silly for asking.
+ . R | [Amazing|Fantastic|Brilliant] value for the quality.
+ . CS | you guys are the best 🙌
+ . R | Sorted my tax return in a week after I'd put it off for months. Huge relief.
+ . R | Spotless rooms and the breakfast was fantastic. We'll definitely be back.
+ . S | Can't recommend this gym enough. The coaches are so encouraging and nobody judges beginners.
+ . R | Took my grandmother's wedding dress in to be altered for me and it came back perfect. I cried.
+ . V | The new booking app is so much easier, well done.
+ . RS | Bought a birthday bouquet and the florist wrote the card for me in beautiful handwriting. Such a nice touch 💐
+ . E | Received the order this morning, everything well packed and exactly as described. Thanks!
+ . R | The dog came back fluffy and happy, and they sent us a photo. Lovely people.
+ . R | Ten out of ten. The kids loved the pottery class.
+ . R | It was a bit of a wait for a table but the food was worth it. Best curry we've had in ages.
+ . R | Cleaners did a wonderful job on the end-of-tenancy clean; got our full deposit back.
+ . E | Thanks for the quick fix this morning. Everything's working again.
+ . RS | This is the cutest café. Honestly the cardamom bun alone is worth the trip.
+ . R | Professional, friendly and clear about costs from the start. Couldn't ask for more from an accountant.
+ . S | new glasses from the little optician on the high street and i can finally see the board at work 😂👓
+ . V | Very satisfied overall.
+ . R | Absolutely loved it!
+ . R | Good coffee, nice people.
+ . E | The team were brilliant on the day, thank you. Several guests asked for your details.
+ . R | A proper old-fashioned butcher. Knows his stuff and the sausages are the best.
+ . S | Thank you for staying open late so I could pick up the [cake|present|prescription glasses]! Absolute lifesavers.
+ . E | Just to say the new website is working beautifully and we've already had three bookings through it.
+ . R | Mixed feelings going in, but honestly the massage fixed my shoulder. Will book again.
+ . R | Easy to book, easy to park, and they were done in half an hour.
+ . V | Staff always greet me by name. Makes a difference.
+ . C | thank you so much for your help!!
+ . T | Thanks, that fixed it. You can close the ticket.
+ . R | Nice touch that the bike came back cleaner than it's been in years.
+ . R | The garden centre has the best selection of roses for miles and staff who really know them.
+ . RS | Our wedding flowers were everything we dreamed of 💕 thank you thank you
+ . E | We're so pleased with the new logo, thank you for all the patience with our endless changes.
# more positive: praise, thank-you notes, mixed where the praise is the point
+ . RS | The [almond croissants|cinnamon knots|lemon tarts] are worth the queue every single time.
+ . E | Thank you for the [christening cake|retirement cake|birthday cake]. It looked beautiful and tasted even better.
+ . R | [Great|Lovely|Brilliant] little café with proper coffee and homemade soup.
+ . S | Shout out to {name} at the bike shop for getting my chain sorted in [ten minutes|no time] 🚴
+ . E | Just a quick note to say the new [boiler|shower|radiators] have been perfect all winter. Thanks again.
+ . R | The staff went out of their way to find a [gluten-free|nut-free|vegan] option for my daughter. So kind.
+ . R | Best haircut I've had in [years|ages|a decade]. Will be back.
+ . V | [Everything was great|All good|Really good experience], thank you.
+ . R | The bouquet lasted [two weeks|nearly three weeks|ages]. Gorgeous colours too.
+ . C | that's perfect, thank you so much for [sorting it|your help|getting back to me so fast]!
+ . E | We've had nothing but praise for the [website|menus|brochures] you designed. Thank you!
+ . R | Honest mechanic. Told me I [didn't need new tyres yet|could wait on the brakes|only needed a cheap part] when he could have charged me.
+ . S | just had the [best|most amazing] brunch at the little place by the station, go go go 🥞
+ . R | Friendly, knowledgeable, and they never rush you. A proper [bookshop|cheese shop|wine shop].
+ . E | Our accountant has saved us [a small fortune|hours of stress|so much worry] this year. Thank you.
+ . R | The coaches remember everyone's name and [push you just enough|make beginners feel welcome|actually check your form].
+ . V | [Very happy|Really pleased|Delighted] with the service overall.
+ . R | Spotless, calm and the [massage|facial|pedicure] was heavenly.
+ . T | [Thanks|Cheers|Many thanks] for the quick reply, that's exactly what I needed.
+ . R | Ordered on {day}, arrived the next morning, beautifully wrapped. [Impressed|Very impressed|Superb].
+ . S | happy 5th birthday to our favourite [bakery|café|bookshop] in town 🎉
+ . R | Came for a coffee, stayed for [three hours|the whole afternoon]. Such a nice atmosphere.
+ . E | The [delivery driver|courier|fitter] was so helpful and even carried everything upstairs for my mum. Please pass on our thanks.
+ . R | They fixed my laptop [the same day|in under an hour|when two other shops said it was dead].
+ . R | The quiche is [the best I've ever had|unbelievable|ridiculously good].
+ . R | Kind and patient with my nervous [dog|cat|rabbit]. Would recommend.
+ . E | I wanted to thank your team for [sorting out the refund so quickly|handling my complaint so fairly|being so patient on the phone].
+ . R | Prices are fair and the [bread|veg|meat] is so much better than the supermarket.
+ . RS | Gorgeous [wedding|birthday|anniversary] cake and the delivery was right on time 🎂
+ . V | The instructor was [excellent|great|brilliant].
+ . R | Found a first edition of my [favourite|favorite] childhood book here. Made my year.
+ . S | The window display at the florist this week is [stunning|gorgeous|a work of art] 🌷
+ . R | Good food, generous portions, fair prices. [Simple as that.|What more do you need.|Job done.]
+ . E | Thank you for the [card|flowers|voucher] on my birthday, what a lovely surprise.
+ . R | Really [flexible|accommodating] when we had to move our booking at the last minute.
+ . R | The plumber found the leak in ten minutes after two others had given up. [Genius.|Magic.|Hero.]
+ . R | The [gardeners|landscapers] transformed our overgrown yard. Neighbors keep stopping to look.
+ . R | My go-to for [birthday presents|gifts|cards]. Always something unusual.
+ . E | The training day was [excellent|superb|really useful]; the team are already using the new software.
+ . RS | [Honestly|Genuinely] the friendliest gym I've ever been to.
+ . R | It's a bit out of the way, but [worth the trip|worth every minute of the drive|absolutely worth it].
+ . R | The tiramisu was a little too sweet for me, but everything else was [fantastic|perfect|outstanding].
+ . R | Service was slow because they were packed, but the food more than made up for it.
+ . V | Staff are great. Only wish you opened [earlier|on Sundays|a bit later].
+ . R | Not the cheapest, but the quality is [excellent|superb|the best around].
+ . C | omg the [cake|dress|frame] is PERFECT 😭 thank you
+ . R | Loved the colour they chose for my hair, I'd never have been brave enough on my own.
+ . E | The [kitchen|bathroom|garden office] is finished and we're over the moon. Thank you for the care you took.
+ . R | My [kids|children] beg to go to the Saturday story time now. Thank you!
+ . R | They [remembered|noted] my allergy from last time without me saying anything. Made me feel safe.
+ . S | Absolutely love this place ❤️
+ . E | We've used you for five years and we'll keep using you. Thank you for always being there.
+ . R | First time at this [dentist|optician|physio] and I was really put at ease.
+ . R | {name} is a star. [Always cheerful|Always helpful|Goes above and beyond].
+ . S | new favourite lunch spot unlocked 🔓
+ . R | Great advice on which [roses|fruit trees|climbers] would suit our shady garden.
+ . E | Thank you for the [extra pastries|free coffee|discount] after the mix-up, that was really decent of you.
+ . V | The [new chairs|new lighting|redesign] make it so much nicer to sit in.
+ . R | Reliable, tidy, reasonably priced. [Five stars.|Top marks.|Highly recommended.]
~+ . R | Terrible news for my waistline: they've started doing [doughnuts|cheese scones|cinnamon buns] on Fridays.
~+ . S | Warning: do not go to this bookshop if you have any self-control issues. I came out with [six|seven|nine] books.
~+ . R | Only complaint is that I now can't drink coffee anywhere else.

# more neutral
0 . C | Do you have any [appointments|slots|tables] left for {day}?
0 . E | Could you tell me whether the [sofa|table|bookcase] would fit through a standard door?
0 . C | what's the price for a [men's cut|kids' cut|beard trim]?
0 . E | I'd like to renew my membership for another year. How do I do that?
0 . P | Caller wants to know if we can [fit a new chain|service a tandem|look at an electric scooter] this week.
0 . T | Is the [calendar|invoicing|reports] module included in the standard plan?
0 . E | Please send the quote to {email} as well.
0 . C | Can I order a cake for collection on {day}?
0 . S | Are you doing [pancakes|hot cross buns|stollen] this year?
0 . E | What documents do you need from me for the [self-assessment|company accounts|VAT registration]?
0 . C | Is the [florist|bakery] open for collections this Sunday?
0 . E | Please can you confirm my booking for {n} people on {date} at {time}.
0 . V | I usually shop [online|in store|by phone].
0 . T | Could you add single sign-on to our account?
0 . C | do you have [size 10|a medium|a larger frame] in stock?
0 . E | Could I get a copy of the [warranty|guarantee|service record] for my [bike|boiler|laptop]?
0 . C | How early do I need to order for [Mother's Day|Valentine's Day|a wedding]?
0 . E | We're thinking about a [catering|coffee cart|cake] order for a conference in {month}. Could you send prices?
0 . R | Standard [café|bakery|gym]. Nothing to write home about.
0 . S | Do you ship abroad?
0 . C | Can I swap the [bread|veg|flower] subscription to every other week?
0 . E | Could you let me know when the [dentist|therapist|stylist] has a cancellation?
0 . T | Which browsers do you support?
0 . P | Man called about [renting the back room|a job advert|the noticeboard]. Left number {phone}.
0 . V | This was my first visit.

# more negative, routine, and sarcasm
~- . R | Amazing how a "quick trim" can take [an hour and a half|two hours|all afternoon].
~- . RS | Cheers for cancelling my class by text [ten|twenty] minutes before it started. Love the spontaneity.
~- . S | So the "fresh" bread was baked [yesterday|on Tuesday|last week]? Good to know.
~- . R | Ten out of ten for the [parking ticket|wet seat|cold draught] that came free with my lunch.
~- . V | Great survey. Shame nobody reads these.
~- . T | Oh wonderful, the [login|export|sync] is broken again. Exactly what I needed on month-end.
~- . RS | Just what I wanted on my birthday: a [cake|bouquet|card] with someone else's name on it.
~- . R | Loved the part where I paid [{amount}|a fortune] for a salad that was mostly lettuce.
- . R | Portions have [shrunk|got smaller] but the prices haven't.
- . R | Nice people but the [repair|alteration|service] took three weeks longer than promised.
- . T | The mobile app crashes when I attach a photo.

# longer messages
- money E | Hello, I'm writing about order #{order}. I paid {amount} on {date} for [a birthday hamper|two cake boxes|a gift set] to be delivered to my mother. It arrived a day late, the card was missing and one of the jars was broken. I'd like a partial refund, please, or at least the delivery charge back. I've attached photos.
- threat_to_leave E | I've been a member for nearly four years and I've always recommended you to friends, but the last few months have been poor: classes cancelled at the last minute, the showers cold, and nobody answering the phone. I'd like to know what's going to change, because at the moment I'm planning to cancel when my contract ends in {month}.
+ . E | I just wanted to drop you a line to say thank you. We came in on {day} with two tired toddlers and a grandmother in a wheelchair, and your staff moved tables, brought crayons and made sure we had a quiet corner. The food was lovely too. It's rare to feel so welcome anywhere these days, so please pass our thanks to the whole team.
0 complex_request E | Hi, we're a small charity and we'd like to order lunch for about 40 volunteers on {date}. Several are vegetarian, two are coeliac and one has a severe nut allergy. We'd also need it delivered to the hall by 12 and the boxes labelled. Could you let me know if that's possible and roughly what it would cost?
- health E | I'm writing to let you know that after eating at your restaurant on {day} evening, my husband and I were both unwell through the night, with vomiting and stomach cramps. We'd both had the [mussels|chicken|prawn starter]. We're feeling better now, but I thought you should know in case other diners are affected. Could you let me know you've received this?
+ . R | We've been going to this garden centre for years and it just keeps getting better. The staff really know their plants, they'll happily spend ten minutes helping you choose, and the café does a proper scone. Yes, it's a bit more expensive than the big chains, but you get what you pay for and everything we've bought has thrived.
- repeated_contact E | I've now emailed three times and phoned twice about the invoice for the kitchen repair, and I still haven't had an answer. The invoice is for {bigamount} but the quote was much lower, and nobody told us the work would cost more. I'm happy to pay the agreed amount, but I need someone to call me before I pay anything else.
0 . E | Hello, I'm moving house next month and I'd like to carry on with the fortnightly [cleaning|gardening|window cleaning]. The new address is {street}, which I think is still in your area. Could you let me know if the day and time can stay the same, and whether the price changes for a slightly bigger house?
+ . E | A short note from a very happy client: the new booking system went live on {day} and we've already had more online bookings than in the whole of last month. Your team were patient with our many questions and the training session was clear. Thank you, and we're looking forward to the next phase.
- . R | Had high hopes after reading the reviews, but it was disappointing. The room was small and a bit tired, the breakfast was lukewarm and the coffee came from a machine. The owner was friendly enough and the location is good, but for the price we expected more. Probably won't be back.
# positive and neutral, third batch
+ . R | Cosy [bookshop|café|wine bar] with a lovely owner who clearly loves what she does.
+ . E | Thanks so much for [fitting me in|seeing me] on such short notice yesterday. Really appreciated.
+ . RS | [Superb|Excellent|Wonderful] service from start to finish.
+ . R | The [sourdough|seeded rye|focaccia] is the real deal. Crust, chew, flavour, all of it.
+ . S | can confirm the [hot chocolate|chai latte|mocha] at the corner café is elite ☕✨
+ . R | Came in with a vague idea and left with the perfect [present|bouquet|outfit]. Thank you!
+ . E | Just to say the [wedding flowers|table centrepieces|buttonholes] were exactly as we imagined. Thank you so much.
+ . V | [Quick|Fast|Efficient] and friendly, as always.
+ . R | Clear pricing, no hard sell, and the [bike|car|boiler] runs like new.
+ . R | Our [puppy|old dog|cat] actually enjoys going to the groomer now. That says it all.
+ . T | [Really|Very] impressed with how fast you fixed the [bug|sync issue|billing error]. Thanks team.
+ . R | My [nan|grandad|mum] loves coming here because the staff always have time for a chat.
+ . R | The pastry chef is a genius. That's all.
+ . E | A belated thank you for the catering at our [open day|launch|retirement do]. Everyone loved it.
+ . R | Great [selection|range] of [local beers|natural wines|cheeses] and they let you taste before you buy.
+ . S | Best [decision|thing] I did this year was join this running club 🏃‍♀️
+ . R | The [yoga|pilates|spin] teacher is amazing. My back has never felt better.
+ . R | Affordable, quick, and the [alteration|repair] is invisible.
+ . V | Everyone was helpful and [polite|kind|professional].
+ . R | We had our [engagement|anniversary|birthday] dinner here and they made it feel so special.
+ . E | Thanks for spotting the [error in our VAT return|missing expense claims|duplicated invoice]. That would have cost us.
0 . C | Can I [pick up|collect] my order earlier than planned, around {time}?
0 . E | Could you send me your [price list|brochure|menu for private events]?
0 . C | how long is the wait for a [table|haircut|repair] right now?
0 . T | When will the [new version|update|mobile app] be released?
0 . E | Can you tell me if [the shop|the salon|the studio] is accessible by wheelchair?
0 . S | [Are you|Will you be] open this bank holiday weekend?
0 . E | I'd like to change the [card|address|name] on my account.
0 . C | Is it possible to reserve a [copy|loaf|bouquet] for tomorrow?
0 . E | Could you resend the confirmation for booking {ref}?
0 . V | I found you on [social media|a map search|the local paper].

# sarcasm, routine
~- . R | Wow, [a full hour|forty minutes] to bring the bill. Truly relaxing.
~- . S | Thrilled to discover my "waterproof" [jacket|boots|tent] from you is a sponge.
~- . RS | Thanks for the [flat|soggy|burnt] pizza. Really made my evening.
~- . R | Loved paying for a "deluxe" wash and getting my car back dirtier.
~- . V | Great [choice|idea] to get rid of the only [comfy chairs|vegan option|decent coffee].
~- . C | perfect, another automated reply. so helpful
~- . T | Love that the [password reset|invoice download|search] works one day in three.
~- . S | Oh nice, the price of a [croissant|coffee|loaf] went up again. Must be gold-plated.

# longer messages
- distress E | I'm sorry to write again, but I don't know who else to ask. My father, who is 84 and lives alone at {street}, had a new boiler fitted by your company last month. Since then the heating keeps cutting out, the display shows an error he can't read, and he's been sitting in his coat in the evenings. I live two hours away and can't get there until the weekend. Please could someone visit him, and call me first?
+ . E | I just wanted to say a huge thank you for the cake you made for my son's tenth birthday. He's obsessed with the solar system, and the planets you made out of icing were perfect, right down to the rings on Saturn. His friends couldn't stop talking about it, and he made me promise we'll order from you every year. You've made a ten-year-old very happy, and his mum too.
# more escalations
- anger CS | this is the WORST customer service i have ever had. [nobody listens|nobody cares|you should be ashamed]
- anger E | Your [driver|delivery man|courier] threw the parcel over my gate and [smashed the contents|broke the vase inside]. When I rang, your staff hung up on me.
- anger R | Rude, dismissive and [completely unapologetic|frankly insulting]. I've never been spoken to like that in a shop.
- threat_to_leave ET | We'll be moving our [payroll|bookkeeping|IT support] to another firm at the end of the quarter unless the errors stop.
- threat_to_leave CS | cancel my [box|order|subscription] please, i've had enough of [the mix-ups|the late deliveries|the missing items]
- distress C | please help, the [cake|flowers|food] for the [party|wake|christening] hasn't arrived and guests are already here
- distress E | I'm a carer for my disabled son and the [engineer|fitter|technician] didn't turn up [again|for the second time]. I took unpaid leave for this.
- repeated_contact ET | [Again|Once again|For the third time]: please stop sending [letters|invoices|reminders] to my old address.
0 complex_request E | We'd like to book the whole [restaurant|café|studio] for a private event of about [50|70] people, with a [live band|projector|photographer]. Who should I talk to?
0 legal E | My solicitor has asked for a copy of the [contract|invoice history|booking terms] for my late mother's account. Could you send it to me?
- fear_or_safety C | there's a [strong burning smell|lot of smoke|sparking noise] coming from the [coffee machine|heater|till] you installed, should i unplug it?
# American spelling and wording
+ . R | Best [donuts|bagels|pie] in the neighborhood, and the staff are super friendly. My [favorite|go-to] Saturday stop.
+ . S | took my mom here for her birthday and she loved it!! the [cheesecake|pie|coffee cake] was incredible
0 . C | Can I get the check split [three ways|between two cards]?
- . R | The [color|gray] they used on my hair is way off from what we discussed. Pretty bummed.
- money E | My order was canceled without notice, but the charge is still pending on my card. Please fix this ASAP.
0 . E | Could you mail the gift certificate to my cell phone number's billing address, or do I need to pick it up at the store?
+ . R | The fall [planters|wreaths|mums] from this garden center are gorgeous. Great customer service too.
- . T | The program doesn't recognize the new [zip codes|license keys|tax IDs] we entered.
+ . E | Thanks for getting back to me so fast. Y'all are awesome.
0 . P | Customer called about a [check|money order] that hasn't been cashed yet. Wants a callback at {phone}.
"""

# Messages from staff to the owner or manager (chat, email, staff surveys, phone notes).
EMPLOYEE = """
# distress and burnout
- distress EC | I'm not coping. I've done [six|seven] closes in a row and I cried in the walk-in fridge today.
- distress V | I'm exhausted all the time and dread coming in. [I don't know how much longer I can do this.|Something has to change.]
- distress E | Can we talk privately this week? Things at home are really hard at the moment and it's affecting my work.
- distress C | sorry, i had a panic attack on the bus and went home. i know we're short today
- distress V | I haven't had a proper day off in [five|six] weeks. I'm running on empty.
- distress E | I didn't want to say in front of everyone, but my dad was diagnosed last week and I might need some flexibility.
- distress V | Burnt out. The last few months have been the hardest of my working life.

# pay
- money E | My payslip for {month} is short by about [{n} hours|a week's overtime]. Can you check?
- money E | I still haven't been paid for the [extra shifts|bank holiday overtime|training days] in {month}.
- money C | my wages didn't go in today?? rent is due tomorrow
- money E | I was told I'd move to the new rate after six months. It's now been nine and my pay hasn't changed.
- money V | Tips aren't shared fairly. Kitchen staff never see any of it.
- money E | I paid for my own [safety boots|first-aid course|knife set] on the understanding I'd be reimbursed. That was in {month}.
- money E | The holiday pay on my last payslip looks wrong. I took {n} days and was paid for one.

# threats to leave
0 threat_to_leave E | I've been offered another job. I'd rather stay, but not on the current [hours|pay|contract].
0 threat_to_leave E | Please accept this as my [one month's|two weeks'] notice. My last day will be {date}.
- threat_to_leave C | if the rota changes again at the last minute i'm done honestly
- threat_to_leave V | I'm actively looking for another job.
- threat_to_leave E | Unless I can get a weekday off to look after my son, I'll have to leave at the end of the month.
0 threat_to_leave E | After [four|five] years I've decided it's time to move on. I've loved working here, but I need a change.

# safety and health at work
- health PC | Cut my hand quite badly on the [slicer|bread knife|mandoline], I'm at A&E now. Won't make my shift tomorrow.
- fear_or_safety C | The fire exit at the back is blocked with [delivery crates|flour sacks|chairs] again.
- fear_or_safety C | The [fryer|oven|proofer] thermostat is [stuck|reading way too high] and it's smoking, I've turned it off.
- fear_or_safety E | A customer threatened me at closing last night and said he'd be back. I don't feel safe locking up alone.
- fear_or_safety C | ladder in the stockroom has a cracked rung, someone nearly fell off it
- health E | My back has been bad since the [flour delivery|pallet move|big stocktake]. The doctor says no lifting for [two|three] weeks.
- health C | i think i got a burn from the steam wand, its blistering. is there a burns kit anywhere?
- fear_or_safety P | Voicemail from {name}: the alarm is going off at the shop and there's glass on the pavement. Police are on their way.
- health V | I've had headaches all month. The back office has no window and the fumes from the [dye|paint|cleaning products] are strong.
- fear_or_safety E | The van's brakes have been grinding for a week. I don't want to do the deliveries in it tomorrow.

# legal and conduct
- legal E | {name} made comments about my [religion|accent|age] again in front of customers. I want to make a formal complaint.
0 legal E | I'd like a copy of my contract and all the records you hold about me, please.
- legal E | I was told not to take my break because we're busy. That's the [third|fourth] shift in a row.
- legal V | A senior member of staff keeps touching my back and shoulders. I've asked him to stop.
- legal E | I'm pregnant and I've been taken off the rota for next month without anyone asking me.

# repeated and angry
- repeated_contact E | I've asked [three times|twice now] about getting my rota a fortnight ahead. Still nothing.
- repeated_contact C | third time asking, has anyone ordered the new gloves? we're down to the last box
- anger C | absolutely fuming. who moved my shift without telling me, i've booked a train
- anger E | Being shouted at in front of customers is not ok. I expect an apology.
- anger V | Management treats us like we're disposable.

# complex requests
0 complex_request E | Would it be possible to move to four days a week from {month}? Happy to discuss how to cover the gap.
0 complex_request E | I'd like to go back to university part-time from {month}. Could we look at a contract that fits around lectures?
0 complex_request E | I'm due back from parental leave in {month}. Could we talk about a phased return and the early shifts?
0 complex_request C | could i do the bookkeeping course this autumn? it's {bigamount} but i'd take over the invoicing afterwards

# negative, routine
- . C | The coffee machine in the break room is broken again.
- . V | The new till system is slower than the old one.
- . V | Nobody says thank you. You only hear from management when something's wrong.
- . V | Too much work for the number of people on shift.
- . V | The training was rushed and I still don't know how to use the booking software.
- . C | the dishwasher's leaking again, put a towel under it
- . V | Communication between the kitchen and front of house is poor.
- . V | Rota comes out too late. Hard to plan childcare.
- . V | The staff room is freezing in winter.
- . C | we ran out of oat milk at 11 again
- . V | I feel like my ideas are never taken seriously.
- . V | Saturday shifts are always understaffed.
- . E | The new uniform shirts are really uncomfortable in the heat.
- . V | Not enough hours. I'd like more shifts.
- . C | printer's jammed and the receipts are all coming out blank
- . V | Promotions seem to go to whoever the manager likes.
- . V | The stockroom is a mess and it takes ages to find anything.
- . C | The delivery didn't come this morning so no croissants till 10.
- . V | Pay is below what other cafés in town offer.
- . C | heads up the card reader keeps dropping connection
~- . V | Love how the rota comes out at 10pm the night before. Really helps plan my life.
~- . C | oh great, another "quick" stocktake on a Sunday. can't wait
~- . V | Wonderful to be told about the new procedures after we'd already been told off for not following them.
~- . V | Really enjoying the two-hour unpaid "team meetings" after close.
~- . C | nice to know the heating is fixed in the office, maybe one day it'll reach the kitchen 🙃
~- . V | Ten out of ten communication: I found out about my own shift change from a customer.

# neutral
0 . C | Can anyone swap my {day} [late|early] for a [Thursday|Friday]?
0 . E | I'd like to book the week of {date} as annual leave please.
0 . C | Where do we keep the spare [till rolls|aprons|keys]?
0 . C | I'm running [10|15] minutes late, bus is stuck in traffic.
0 . E | Please find my fit note attached. I'll be back on {day}.
0 . C | what time is the delivery coming tomorrow?
0 . E | Could I have a reference letter for my mortgage application?
0 . C | Is the team meeting still at {time} on {day}?
0 . E | I've updated my bank details, the new form is attached.
0 . V | I've been here about two years.
0 . C | Do we still do the loyalty stamp if they pay by app?
0 . C | Who's opening tomorrow?
0 . E | Can I leave an hour early on {day} for a dentist appointment? I'll make it up later in the week.
0 . C | The [electrician|window cleaner|fridge engineer] is here, where should he start?
0 . V | Full time, front of house.
0 . E | Please confirm the dates of the first-aid training so I can arrange childcare.
0 . C | customer left a [phone|scarf|umbrella] on table 4, it's behind the till
0 . E | Could you add my new address to my file? It's {street}.
0 . C | how many [sausage rolls|baguettes|scones] do we need for the order on {day}?
0 . C | Are we closing early on Christmas Eve?
0 . E | I've finished the stock count, the sheet is on the shared drive.
0 . V | Neither agree nor disagree.
0 . C | Did anyone call back the lady about the cake order?

# positive
+ . C | Thanks for the [pizza|team breakfast|bonus] last week, it was really appreciated 🙏
+ . V | I like working here. The team is kind and the owner listens.
+ . E | I passed my [barista|first-aid|food hygiene] course! Thanks for paying for it.
+ . V | Best job I've had. Flexible hours and I'm learning a lot.
+ . C | great shift today team, smashed it 💪
+ . E | Thank you for being so understanding when my mum was ill. It meant a lot.
+ . V | The new rota system is much better, I can finally plan ahead.
+ . V | My manager always backs me up with difficult customers.
+ . C | the new coffee grinder is amazing, shots are so much more consistent
+ . E | Just wanted to say I really enjoyed running the workshop on {day}. Would love to do more.
+ . V | Proud of what we've built this year.
+ . C | thanks for covering for me yesterday {name}, owe you one
+ . V | Good pay, good people.
+ . E | Thank you for the pay rise. I wasn't expecting it and it really helps.
+ . V | I feel trusted to get on with my work.
+ . C | customer just left a five-star review naming the whole kitchen team 😊
+ . V | The training this year has been excellent.
+ . E | Loved the team day out, can we do it every year?
+ . V | Despite the busy summer, I've felt supported the whole time.
+ . C | new apprentice is doing great btw, really quick learner
# more positive
+ . C | thanks [all|everyone|team] for pulling together today, what a day 🙌
+ . V | [Lovely|Great|Supportive] team, and the owner genuinely cares.
+ . E | Thank you for letting me swap to mornings, it's made such a difference [for my kids|to my sleep|at home].
+ . C | the regulars keep asking for {name}'s [banana bread|sourdough|flat whites], just saying ⭐
+ . V | I feel [valued|appreciated|listened to] here.
+ . E | Just wanted to say how much I enjoyed the [Christmas party|summer barbecue|team dinner]. Thank you for organising it.
+ . V | The mentoring from {name} has helped me [a lot|loads|so much].
+ . C | all the [bread|cakes|orders] are out on time today, we're on fire 🔥
+ . V | I like that we close on Sundays now. [Best change this year.|Much better for everyone.|Thank you for listening.]
+ . E | Thanks for trusting me with the [new shop|stock ordering|supplier meetings]. I won't let you down.
~+ . C | worst thing about the new espresso machine is that i now drink [five|six] coffees a shift
+ . V | The new break room is great, [finally somewhere to sit|thank you for sorting it|much appreciated].
+ . E | I'm really grateful for the flexibility over the school holidays. Thank you.

# more neutral
0 . C | [Can|Could] someone cover my {day} shift? Happy to swap for any weekday.
0 . E | Attached is my timesheet for [last week|the fortnight|{month}].
0 . C | fyi the [card machine|fridge|oven] engineer is coming at {time}
0 . E | I'd like to use my two remaining days of leave before the end of [the year|March]. Is {day} possible?
0 . C | who's got the key for the [bike store|stockroom|side gate]?
0 . V | [Part time|Part-time], in the kitchen.
0 . E | Please find attached my application for the [supervisor|shift lead|assistant manager] role.
0 . C | what's the [soup|special|cake of the day] today?
0 . E | Could we have five minutes after the shift on {day} to talk about my training plan?
0 . C | parcel came for you, left it in the office
0 . E | I've changed my phone number, it's now {phone}.

# more negative
~- . V | Great that the [bonus|pay rise|new kit] we were promised in spring is still "coming soon".
~- . C | love it when the [delivery|stock order|rota] gets changed and nobody tells the kitchen
- . V | We need more [staff at lunch|help on Saturdays|training on the new till].
- . C | [We're out of|Nearly out of|No more] [piping bags|gloves|takeaway cups] again.
- . V | The workload has gone up but the team hasn't.
- . V | I don't get enough feedback to know if I'm doing well.
- . E | The new shift pattern means I finish at 11 and start at 7. That's not enough rest.

# longer messages
- distress E | I don't really know how to start this. For the last couple of months I've been struggling to sleep, I'm anxious before every shift and I've been snapping at people, which isn't like me. I love the job and the team, but the extra hours since {name} left have been too much. Could we talk about cutting my hours for a while?
0 complex_request E | I've been thinking about the weekend rota. If we moved the bread bake to Friday night and had two people on from 6 on Saturday instead of one from 5, I think we'd cover the morning rush better and nobody would be alone for the early start. Happy to try it for a month if you agree. Can we discuss on {day}?
+ . E | Now that I've finished my first year here I wanted to say thank you. When I started I'd never worked in a kitchen and I was terrified, but everyone has been patient and I've learned more than I did at college. I'm proud of the pastry section now and I hope I can keep growing here.
- money E | I've gone through my last three payslips and I think the overtime isn't being calculated correctly. I worked 12 extra hours in {month} and was paid for 7, and the weekend rate doesn't seem to be applied at all. I've attached my own record of the hours. Could someone check with the payroll company this week?
# third batch
+ . C | Thanks for [the lift home|covering my break|sorting the rota] yesterday, lifesaver
+ . V | I'm [proud|happy|glad] to work somewhere that treats people fairly.
+ . E | Just wanted to say the new [ordering system|prep list|closing checklist] is working really well.
+ . V | The team feels like a family.
+ . C | [customer|regular|lady from the flower shop] said our scones were the best she's had, passing it on 😊
+ . E | Thanks for the [birthday cake|card|afternoon off], that was really thoughtful.
0 . C | Is anyone free to [do a double|cover the bar|help at the event] on {day}?
0 . E | Could I have my holiday allowance for next year, please?
0 . C | [Delivery's here|Bread's arrived|Milk's here], where do you want it?
0 . V | I've worked here [less than a year|over five years|about three years].
# more escalations
- anger E | I'm sick of being [blamed|shouted at|singled out] for things that aren't my fault. This has to stop.
- distress C | sorry can't come in today, [my grandmother died last night|my partner's been taken to hospital|things are really bad at home]
- threat_to_leave C | [honestly|tbh] if nothing changes with the [rota|pay|workload] i'm handing in my notice
- fear_or_safety C | [the floor by the fryer|the back step|the cellar stairs] is [covered in oil|icy|broken] and someone's going to fall
0 complex_request E | Could I [job-share|split my role|work from home two days a week] with {name} from {month}? We've worked out a plan and would like to show you.
"""

# Messages from suppliers, wholesalers, contractors and service providers to the business.
SUPPLIER = """
# money
- money E | Invoice {inv} is now [30|45|60] days overdue. If we don't receive payment by {date} we'll have to put your account on hold.
- money E | Your payment of {bigamount} bounced. Please arrange a transfer today so we can release {day}'s delivery.
- money E | We've noticed you deducted {amount} from invoice {inv} without a credit note. Please explain or pay the balance.
- money EP | The card on file for your [linen service|waste collection|coffee machine lease] has expired and two payments have failed.
0 money E | From {date} our prices will rise by {pct}% because of [energy|flour|transport|dairy] costs. The new price list is attached.
0 money E | Please note the minimum order for free delivery goes up to {bigamount} from next month.
0 . E | Our records show a credit of {amount} on your account. Would you like it refunded or carried forward?
- money E | We can't hold last year's prices any longer. Either we agree a new rate by {day} or we'll invoice at list price.
0 . T | Could you confirm which purchase order number should go on invoice {inv}? Your finance team rejected it.
0 money E | Following the review, we propose moving you from 30 to 14 day payment terms from {month}.

# legal and threats to stop supplying
- legal E | We note the {bigamount} remains unpaid despite {n} reminders. This matter will be passed to our debt recovery agency on {date}.
- threat_to_leave E | Given the repeated late payments we won't continue supplying you on credit after {month}.
- threat_to_leave E | We've decided to stop delivering to your area from {month}; it's no longer viable for us. You may want to find another supplier.
- legal E | Our contract requires 90 days' notice, so we'll still invoice for the [linen|coffee machine|hosting] until {date}.
0 legal E | Please review and sign the updated terms of supply before {date}. The main change is the liability clause in section 7.
- legal T | The font on your new menus is licensed to us for print only. Using it on your website breaks the licence; please remove it.

# safety and health
- health E | Product recall: batch L{n}{order} of our [tahini|hazelnut spread|frozen berries] may contain undeclared [peanut|sesame|milk]. Please remove it from sale today.
- fear_or_safety P | Driver reports your loading bay gate is hanging off its hinges. He won't unload there until it's fixed.
- health E | The last chilled delivery may have been above 8°C for two hours because the van's fridge failed. Please check the temperature log before using it.
- fear_or_safety E | The gas engineer's report on the oven flue is attached. It's classed as at risk and shouldn't be used until repaired.
- health E | Warning: our flour mill had a [pest|contamination] issue this week. Please hold bags from delivery note {ref} until we confirm they're safe.

# complex requests
- complex_request E | We can't supply the [organic flour|oat milk|free-range eggs] for the next {n} weeks. We can offer an alternative at a higher price; please let us know by {day}.
0 . E | We're launching a wholesale range of [frozen pastries|cold brew|plant-based cheese] and would like to trial it with a few independent shops. Could we meet?
0 . E | Could you give us your forecast for the [Christmas|Easter|summer] period by the end of the month? Capacity is tight and we're allocating by order.
0 complex_request E | Your bespoke shelving needs a structural survey before we can fit it. Shall we arrange one, or would you prefer the freestanding design?

# negative, routine
- . E | Apologies, today's delivery will be about two hours late due to a [van breakdown|road closure|staff shortage].
- . E | We're out of stock of the [rye flour|oat milk|25cm pizza boxes] until {date}. Sorry for the inconvenience.
- . P | Driver couldn't get in at {time}, nobody answered the back door. We'll try again tomorrow.
- . E | Unfortunately the [espresso machine part|bike frames|printer cartridges] are stuck at customs and won't arrive before the end of the month.
- . T | Order {ref} was short-shipped: 3 of the 8 cases missing. We'll send the rest {day}.
- . E | Our warehouse system went down overnight, so some orders may be delayed by a day.
- . E | Only half the [seedlings|bulbs|compost bags] passed our quality check this week, so your order will be split in two deliveries.
- . C | sorry boss, stuck in traffic on the ring road, more like {time} now
- . E | The courier has lost one parcel from your order. We've reordered it but it'll be next week.
- . E | We've had to discontinue the [blue linen napkins|cardamom syrup|brass door handles]. The nearest replacement is attached.
- . E | The harvest has been poor this year, so we can only supply about half the usual [apples|berries|honey].
- . E | Your order was delivered to the wrong branch. We'll collect it and bring it over tomorrow.
~- . E | As you may have noticed, your "urgent" order was a little less urgent than planned. Our apologies.
~- . P | Driver says thanks for the lovely welcome at the back door at 5am, i.e. nobody there and a locked gate.
~- . E | Nice to finally get a reply to our quote, only six weeks later. Prices have changed since, of course.

# repeated contact and anger
- repeated_contact E | We've chased this invoice [three|four] times now with no response. Please can someone in accounts get back to us.
- repeated_contact P | Second call today: your staff keep refusing the delivery because it's "not on the list".
- anger E | Our driver was verbally abused by one of your staff this morning. We won't tolerate that.
- anger P | Supplier very unhappy: our chef cancelled the fish order after it was already on the van, third time this month.

# neutral
0 . E | Please find attached invoice {inv} for {bigamount}, due within 30 days.
0 . E | Friendly reminder that invoice {inv} was due on {date}.
0 . E | Could you confirm your order for next week by {day} noon?
0 . P | Driver here, I'm outside but the loading bay is blocked. Where do you want the [pallets|crates|boxes]?
0 . E | Our new price list for {month} is attached. No changes to your regular lines.
0 . E | We'll be closed for stocktaking on {date}; please order by the day before.
0 . E | Please update our bank details for future payments; the letter on headed paper is attached.
0 . T | Delivery {ref} is scheduled for {day} between 6 and 8am.
0 . E | Could you send us a copy of your food hygiene certificate for our records?
0 . E | We've moved to {street}. Deliveries are unaffected.
0 . C | Would you like the usual order this week or any changes?
0 . E | The samples of the new [coffee blend|oat drink|paper cups] will arrive with your next delivery.
0 . E | Your annual service visit is booked for {date}. The engineer needs access to the plant room.
0 . E | Please send the delivery address for the [event|pop-up|new site] order.
0 . P | Rep called to arrange a visit to show the autumn range. Suggests {day} at {time}.
0 . E | Attached is the statement of account for {month}.
0 . E | We need a signed delivery note for order {ref}; the driver forgot to get one.
0 . T | Your licence renews on {date}. No action is needed if the card on file is still valid.
0 . E | The pallet collection is booked for {day}.
0 . E | Can you confirm whether you'd like the [hampers|gift boxes|wreaths] packed individually this year?
0 . E | Just checking you received the revised quote for the refit.
0 . E | Please note our bank holiday delivery schedule, attached.

# positive
+ . E | Thanks for paying so promptly, it makes a real difference to a small firm like ours.
+ . E | Great to see our [flour|beans|cheese] on your counter board, thanks for the shout-out!
+ . P | Rep says the new display looks fantastic and wants photos for their catalogue.
+ . E | Thank you for the order, we're delighted to be working with you again this season.
+ . E | Your team made the delivery so easy this morning, thank you for clearing the bay.
+ . E | Good news: we've found a second mill, so we can guarantee your flour through the winter.
+ . E | We're pleased to offer you our loyal customer discount of {pct}% from {month}.
+ . C | lovely to see the new shop, looks brilliant! 👏
+ . E | Congratulations on the award! Proud to be one of your suppliers.
+ . E | Thanks for the feedback on the new blend, really helpful. We've adjusted the roast as you suggested.
+ . E | We really appreciate you recommending us to the café down the road, they've just placed their first order.
+ . E | Your order is on the way, a day early!
# more
+ . E | Many thanks for your order, it's been a pleasure [working with you|supplying you|serving you] this year.
+ . P | Rep passed on that [the chef|the owner|your manager] was very happy with the last delivery. Thank you!
+ . E | Thank you for the prompt payment of invoice {inv}.
+ . E | We've added a [free sample|complimentary case|small thank-you gift] to your next delivery. Enjoy!
+ . E | Really enjoyed visiting the shop on {day}, your team were [brilliant|lovely|so welcoming].
+ . E | Good news, your order {ref} has shipped early and should arrive [tomorrow|on {day}].
+ . E | Thanks for being so flexible about the delivery window, it really helped us [this week|over the holidays].
0 . E | Please confirm the quantities for the [Easter|Christmas|Mother's Day] order by {day}.
0 . E | Your account manager is changing; from {month} please contact {name} at {email}.
0 . T | Order {ref} has been received and will be processed [today|within 24 hours].
0 . E | We'd like to visit to service the [coffee machine|fridges|ovens] on {date}. Does {time} suit?
0 . E | Please find our updated allergen specification for the [croissant dough|brioche buns|gluten-free bases] attached.
0 . P | Driver will be [30 minutes|an hour] early tomorrow, is that ok?
0 . E | Could you tell us the best contact for invoices going forward?
0 . E | Delivery note {ref} attached. Please sign and return.
~- . E | Thank you for letting us know the order was cancelled. After it had been delivered.
~- . P | Driver says the new "no deliveries before 8" rule would be easier to follow if someone had told us.
- . E | Regret to inform you that the [Italian flour|Spanish olive oil|French butter] will be delayed again due to shortages at source.
- . E | We are unable to deliver on {day} as the [van|lorry|driver] is unavailable. We can come the next day instead.
- . T | Your payment for invoice {inv} was {amount} short. Please pay the balance.
- money E | Following a big rise in our own costs, we'll be adding a {pct}% surcharge to all invoices from {date}. We're sorry to have to do this.
- complex_request E | Due to a fire at our bakery unit we can't produce your wholesale order for the next fortnight. We can partly cover from our other site, but the [sourdough|rye|baguettes] will be short. Please call to agree what you need most.
0 . E | Hello, just a heads-up that our warehouse will move to a new site over the summer. Deliveries should carry on as normal, but the first week after the move may see a few later slots. We'll confirm times the Friday before, and the phone number stays the same. Thanks for your patience, and let us know if you have any questions.
- legal E | We have been informed that your business has used our product photographs on its website and social media without permission. These images are our copyright. Please remove them within seven days or contact us to agree a licence; otherwise we will have to pass the matter to our solicitors.
# third batch
+ . E | [Lovely|Great] to hear the new [coffee|flour|cheese] went down well with your customers!
+ . E | Thank you for the recommendation. We've had [two|three] new enquiries from your neighbours.
+ . C | all delivered, [thanks|cheers] for the coffee this morning ☕
+ . E | We're [delighted|pleased|happy] to confirm your prices stay the same next year.
0 . E | Just confirming we've received your order for {day}.
0 . E | Could you check the attached spec sheet and let us know if the [sizes|quantities|labels] are right?
0 . P | Supplier rang to say the [milk|veg|meat] order will arrive between {time} and midday.
0 . E | Our new online ordering portal opens on {date}. Your login details will follow.
- . E | Unfortunately we have to cancel {day}'s delivery, we'll add it to your next order instead.
0 . E | Hello, as part of our annual review we'd like to check a few details with you: the delivery address, the named contacts for orders and invoices, your preferred delivery days, and whether you'd like to receive our seasonal catalogue by post or only by email. The form is attached and takes about five minutes. If nothing has changed, simply reply to this message to confirm and we'll keep everything as it is. Thank you.
# more escalations
- threat_to_leave E | We're reviewing which accounts we can keep serving, and with [small orders|late payments|frequent cancellations] yours is on the list to close.
- money E | Your cheque for {bigamount} was returned unpaid. Please call us to arrange payment.
0 complex_request E | We've been asked to quote for [a second shop|your new café|a wholesale contract] but need to know [volumes|delivery times|storage space] first. Can we arrange a call?
"""

# Messages from neighbours, schools, charities, clubs, local associations and other partners.
COMMUNITY = """
# complaints
- anger ES | Your delivery lorries are [idling|reversing] outside my window at 5am every day. I've had enough.
- legal E | This is the [second|third] noise complaint about the extractor fan this month. The council's environmental health team will be informed.
- health E | The bins behind your [restaurant|café|takeaway] are overflowing and there are rats in our garden now.
- . S | The queue outside your shop blocks the pavement every Saturday, I can't get past with a pram.
- . ES | The bins behind your shop are overflowing again and the gulls are having a field day.
- . E | Customers keep parking across our driveway when they visit your salon.
- . S | The new sign is very bright at night and shines straight into our bedroom.
- repeated_contact E | I've asked [twice|three times] before: please stop your staff smoking by my front door.
- fear_or_safety ES | Your [scaffolding|A-board|awning] has come loose in the wind and is swinging over the pavement.
- . R | Nice shop but they took away the bench outside that the older folk used.
- . S | Music from the bar carries right across the square until midnight.
~- . S | Thanks for the free 6am alarm clock, aka your bottle bin being emptied. Every day.
~- . E | Lovely to hear the beer garden karaoke from three streets away on a school night.
- fear_or_safety P | Neighbour rang: smoke coming from the vent at the back of the [bakery|kitchen] and nobody seems to be inside.
- anger S | Disgusting that you'd cut down the old tree out the back without even telling the neighbours.
~- . S | Good to see the shop's new floodlights are visible from space.

# requests and partnerships, neutral
0 . E | We're organising the [school fair|street party|charity fun run] on {date}. Would you consider donating a [raffle prize|few loaves|voucher]?
0 . E | Residents' association meeting is on {date} at {time} in the church hall; the topic is the new parking scheme.
0 complex_request E | Would you host a monthly [repair café|book swap|language exchange] in your space? We'd need the back room and power for about [30|40] people.
0 . E | Could you put up a poster for our [jumble sale|quiz night|blood drive] in your window?
0 . E | The under-11s football team is looking for a shirt sponsor for next season. Would you like to see the packages?
0 . E | Just letting local businesses know the road will be closed on {date} for resurfacing.
0 complex_request E | We run a programme for young people leaving care. Could you offer a few weeks' work experience this summer?
0 . P | The church hall rang to ask if you'd cater the harvest supper again this year.
0 . E | Could you share the details of your food waste collection? We're setting up a community fridge.
0 . S | Is the shop taking part in the late-night shopping evening on {date}?
0 . E | The market committee is reviewing stall fees. Your feedback form is attached.
0 complex_request E | The town is applying for a grant to pedestrianise the high street and we'd like a letter of support from local traders. Could we meet?
0 . E | Our choir would love to sing outside the shop on {date}, if that's all right with you.
0 . E | Does the café have space for a small exhibition by the art group in {month}?
0 . E | The primary school is asking local firms to give a short talk on careers day, {date}.
0 . S | Who do I speak to about a stall at the Christmas market?
0 money E | The festival sponsorship is {bigamount} for the gold package. We'd need a decision by {day} to print your logo.

# positive
+ . E | Thank you so much for the [cakes|coffee|bikes] for the [hospice|food bank|youth club] fundraiser. We raised {bigamount}!
+ . S | Great to see a local business supporting the [under-10s football team|community garden|library].
+ . E | On behalf of the residents' association, thank you for clearing the snow from the whole pavement this morning.
+ . S | So lovely to see the old shop brought back to life. The street feels different already ❤️
+ . E | The children loved their visit to the bakery and haven't stopped talking about making bread.
+ . E | Thanks for letting the book club use the back room. Everyone said it was our best meeting yet.
+ . S | Brilliant turnout for the litter pick, thanks to everyone and the café for the free teas ☕
+ . E | The food bank would like to thank you for your weekly donation of bread. It makes a big difference.
+ . R | A real asset to the village.
+ . E | The hospice shop volunteers wanted me to say how much they appreciated the Christmas hamper.
+ . S | this little bike shop fixed every kid's bike at the school fair for free. legends 🚲
+ . E | The festival committee was delighted with your stall. We'd love to have you back next year.
+ . E | Thanks for turning the music down after we spoke. Much appreciated.
+ complex_request E | We'd love to have you at the school fete! Could you run a stall for about 300 people, with allergen labels and a card reader? We'll need the menu by {date}.
# more
+ . E | Thank you for [sponsoring|supporting|backing] the [junior netball team|village fete|town's Pride picnic] this year, everyone was so grateful.
+ . S | Lovely to see the café's [window art|bunting|flower boxes] brightening up the high street 🌼
+ . E | The school wanted to say a huge thank you for the [bread-making workshop|bike safety session|careers talk].
+ . S | Proud to have a business like this in our [village|neighbourhood|town].
+ . E | The allotment society thanks you for the [donated seedlings|compost|tools], they're already in the ground.
+ . E | On behalf of the Scouts, thank you for letting us run the [bag pack|cake stall|car wash] outside the shop.
+ . S | amazing community spirit at the [street party|fun run|market] today, thanks to all the local businesses 🎉
+ . R | They always help when the [village hall|school|church] needs a hand. Proper local heroes.
0 . E | The community centre is collecting [coats|school uniforms|toiletries] this month. Would you like a collection box for the shop?
0 . E | We're surveying local businesses about [bus routes|parking|broadband]. The questionnaire takes five minutes.
0 . S | Does anyone know if the [bakery|café|bike shop] is open during the carnival?
0 . E | Reminder: the high street traders' meeting is on {date} at {time}.
0 . E | Could the community choir use your back room for rehearsals on [Tuesday|Wednesday] evenings?
0 . P | Lady from the parish council rang about the Christmas lights. Will email details.
0 . E | We're putting together a local food map for visitors. Could you confirm your opening hours?
0 . E | The library is starting a seed swap. Would the garden centre like to take part?
0 . S | Will there be a stall at the [spring|summer|autumn] fair this year?
0 money E | The youth club's minibus has failed its MOT. Could you help with a donation towards the {bigamount} repair?
~- . S | Nice to see the new outdoor seating has taken over [the whole pavement|half the square|the bus stop].
~- . E | Thanks so much for the [early-morning|late-night] deliveries, we didn't need the sleep anyway.
~- . S | Such a thoughtful idea to put the [bins|smoking area|generator] right under the nursery window.
- . E | The [van|delivery lorry|skip] is parked on the double yellows outside the school again at pick-up time.
- . S | Shame the shop no longer stocks anything for the local [food bank|cat rescue|hospice] tin.
- . E | The smell from the extractor has been strong all week. Could you look into it?
- . S | The litter from your takeaway ends up in the park every weekend.
- . S | Disappointed that the café pulled out of the community fun day at the last minute.
- fear_or_safety E | The [loading bay|car park|side alley] behind your shop has no lighting and two of our residents have fallen there this winter. Could something be done before someone is badly hurt?
0 complex_request E | Hello, I'm writing on behalf of the residents' group for the flats behind your bakery. We'd like to arrange a meeting to talk about early deliveries, the extractor fan and the bins, and also about whether you'd be interested in sponsoring the new planters on the square. Would an evening next week suit?
+ . E | I run the Friday lunch club for older people at the church hall, and I just wanted you to know how much your weekly donation of soup and bread means. For some of our members it's the only hot meal they share with anyone all week. Thank you for thinking of them.
# third batch
+ . E | Thank you for hosting the [blood donation session|job club|craft group], it was a great success.
+ . S | This [bakery|café|bookshop] donated all their leftovers to the shelter tonight. Faith in humanity restored ❤️
+ . E | The residents of {street} would like to thank you for the Christmas mince pies. A lovely gesture.
0 . E | Would you like to advertise in the [village newsletter|school magazine|parish bulletin]? Rates attached.
0 . S | Is anyone from the [bike shop|garden centre|gym] going to the traders' meeting?
# more escalations
- anger S | Absolutely disgraceful [parking|behaviour|litter] from your customers [again|every weekend]. Sort it out.
- legal E | The council has received a complaint about the [outdoor seating|signage|extension] and has asked whether planning permission was granted.
0 complex_request E | The school would like to bring [30|45|60] children to visit the [bakery|garden centre|farm shop] in {month}. Could we discuss safety, timings and cost?
"""


# Customer-service messages as they arrive by social media, chat and ticket, added on
# 2026-12-05; social posts get one of HANDLES in front, as if addressed to the business. They
# cover what the first set had too few of — problem reports worded as questions ("why is my order still not
# here?"), chasing, support that cannot be reached, plans that a failure has wrecked, and
# short thanks once something is sorted — across many trades (deliveries, coach and ferry
# trips, tours, internet, energy, repairs, salons, gyms, vets, restaurants, shops, rentals).
SUPPORT = """
# problem reports worded as questions
- . SCT | Why is order #{order} still showing as "processing"? It was meant to arrive {day}.
- . SC | Any update on my refund? It's been [three weeks|a month|18 days] now.
- . SCT | Why has my [delivery|booking|appointment] been moved to {day} without anyone telling me?
- . SC | Is there a reason the {time} coach just didn't turn up? [Still standing at the stop.|We've been waiting since.]
- . SC | Why does the tracking say delivered when there's nothing here?
- . SCT | How is it that the broadband has dropped [four|five|six] times today?
- . SC | Can anyone tell me why the [ferry|shuttle bus|minibus] left {n} minutes early? [Half of us missed it.|We were at the gate.]
- . SC | Why was my table given away? We were only ten minutes late and I'd rung ahead.
- . SCT | What's happening with my [boiler repair|washing machine repair|fridge repair]? The engineer was due {day} and nobody came.
- . SCT | Is anyone actually reading the emails? Sent {n} about order #{order} and no reply.
- . SC | Why is the [app|website|booking page] still down? I can't [check in|pay|see my booking].
- . SC | So when exactly is my [parcel|sofa|order] coming? The window was [8am to 6pm|all day] and it's now 7pm.
- . SCT | Why have I been charged a [late fee|admin fee|cancellation fee] when I paid on the {date}?
- . SC | How long does it take to answer a chat? [40|55|70] minutes in the queue so far.
- . SC | Why is the tour showing as cancelled? We've travelled [two hours|all morning] to get here.
- . SC | Are you ever going to reply to my DM?
- . SCT | What do I do now? The replacement you sent is [broken too|the wrong size again|missing the same part].
- . SCT | Can you explain why the [hire car|van|bike] I booked isn't available when I've paid in full?
- . SC | Where's the driver? [App says 2 minutes|Said 5 minutes] for the last half hour.
- . SC | Why is there still no hot water? Your engineer said it was fixed on {day}.

# plain problem reports, no emotion words
- . SCT | Order #{order} arrived with [half the items missing|the lid off and the contents everywhere|someone else's shopping in it].
- . SC | The {time} [coach|train connection|ferry] is delayed again, {n} hours now. Going to miss my connection.
- . SCT | Still no internet since {day}. Working from home so that's [three days of work|a week's work] lost.
- . SC | Booked for {n} people, got to the restaurant and there's no record of it.
- . SCT | Been on hold for [45|50|65] minutes and the line just cut off.
- . SC | Your phone line says to use the chat, the chat says to call the phone line.
- . SCT | Parcel marked "left in a safe place". It wasn't. It's gone.
- . SCT | Second time this month the delivery hasn't turned up. No text, no call.
- . SC | The [room|cabin|apartment] we got is not the one we booked. No sea view, [twin beds instead of a double|next to the lift].
- . SCT | My appointment was cancelled by text [an hour|twenty minutes] before. I'd taken the afternoon off work.
- . SC | The [heating|wifi|lift] in the [flat|building|hotel] has been broken since {day}. Nobody has been out.
- . SCT | You sent the invoice to the wrong address and now there's a [late payment charge|reminder fee] on it.
- . SC | Waited in all day for the [engineer|fitter|technician]. No show. No call.
- . SCT | The [jacket|boots|dress] I ordered came in the wrong size and the returns page won't load.
- . SC | Paid for priority boarding and there was no priority boarding.
- . SCT | The [meter reading|bill|statement] is wrong again. We've been away since {month}.
- . SC | Gate changed three times, then the trip was cancelled at the last minute. [No hotel, no transport home.|No help from anyone at the desk.]
- . SC | My [luggage|suitcase|bike box] didn't arrive with me. {n} days and still nothing.
- . SC | No staff on the desk and nobody answering the phone. We've got a [booking|collection] at {time}.
- . SCT | The [car seat|pushchair|cot] we hired was [dirty|broken|missing parts] when we collected it.
- . SC | The [pizza|curry|order] took [90 minutes|75 minutes|two hours] and arrived cold.
- . SC | The [class|session|lesson] was full when I got there even though the app showed me booked in.
- . SCT | You've cancelled my [standing order|direct debit|subscription] by mistake and now the account is in arrears.
- . SCT | Three missed calls from you and when I ring back it goes to a recorded message.
- . SC | Your van [blocked our drive|reversed into our gate|parked across the dropped kerb] this morning.
- . SCT | My password reset email never arrives so I'm locked out of my account.
- . SC | Only one [till|desk|check-in counter] open and a queue out the door again.
- . SC | The [online shop|app] took my order and then emailed to say the item is out of stock. Money's still gone.
- . SC | Overbooked again and I'm the one who gets bumped.
- . SC | The seat [doesn't recline|is broken|has no legroom] and the [charger|screen|light] doesn't work.
- . SCT | The engineer fitted the wrong part and now the [boiler|oven|shower] doesn't work at all.
- . SC | Was told someone would ring me back within the hour. That was {day}.
- . SCT | The confirmation said {date} but the [booking|ticket|voucher] says {month}. Which is it?
- . SC | The [Wi-Fi|hot water|air con] on the [coach|boat|train] wasn't working the whole trip.
- . SCT | We were told to arrive two hours early and then sat in a queue for three.
- . S | Gonna miss my [sister's wedding|dad's birthday|job interview] because of this delay.
- . SC | The rep said I was confirmed and when I got here I was only on standby.
- . SCT | My order has been "out for delivery" for [four|five|three] days.
- . SC | Spent my whole lunch break on your helpline and I'm no further on.
- . SCT | Ordered a [birthday cake|christening cake|retirement cake] for {day}, went to collect it and it hadn't been made.

# sarcasm and irony
~- . S | Love spending my [Saturday|day off|evening] on hold to you. [Great service.|Really great.|Fab.]
~- . S | Another "short delay" of {n} hours. Brilliant.
~- . S | Thanks for losing my bag. Again. 👏
~- . S | Great to know my booking means nothing. Cheers for that.
~- . SC | So helpful that the chat closes the moment it's my turn.
~- . S | Awesome, second cancelled [trip|delivery|appointment] this week. Keep it up 👍
~- . S | Five stars for the hold music, I've heard it for an hour.
~- money S | Nice of you to take the money [twice|three times] and send nothing. Thanks a lot.
~- . S | Well that's my [weekend|holiday|anniversary dinner] ruined. Thanks.
~- . SR | Really appreciate the [detour|three changes|bus replacement] nobody mentioned. Lovely.

# disrupted plans and escalations
- repeated_contact SCT | Third time I've messaged about order #{order}. Can someone please actually answer?
- repeated_contact SCT | I've rung {n} times and been promised a call back every time. Nobody has called.
- repeated_contact SC | This is the fourth DM about the same refund. Please don't send me the link to the form again.
- threat_to_leave SC | That's it, I'm cancelling. [Third outage this month.|Never again.] Switching to someone else.
- threat_to_leave SCT | {n} years as a customer and this is how you treat me. I'll be taking my business elsewhere.
- money SCT | You charged me for [two nights|two tickets|two seats] and we only had one. I want the difference back.
- money SCT | The trip was cancelled and you're offering a voucher. I want a refund to my card.
- anger SC | Absolutely disgusting way to treat a customer. Nobody could be bothered to help us.
- anger S | Worst service I have ever had. Rude staff and not a single apology.
- distress SC | I've got my two kids with me and we're stranded here overnight. Nobody will tell us anything.
- fear_or_safety SC | [The coach|The minibus|The taxi] driver was on his phone the whole way and nearly hit a cyclist.
- health SC | I told the staff about my [nut|sesame|shellfish] allergy and they still served it. Had to use my EpiPen.
- money SCT | Your site sold me a ticket for a [tour|show|trip] that had already been cancelled. Where's my money?
0 complex_request SCT | I use a wheelchair and need to get on the {time} [coach|boat|tour] on {day}. Who can I talk to about the ramp and seating?

# neutral questions, requests and information
0 . SCT | Can I change my booking from {day} to the following week?
0 . SC | Do you deliver to {street} on Saturdays?
0 . SC | What time does the [shop|café|office|workshop] open on {day}?
0 . SCT | How do I add a second [bag|passenger|child] to my booking?
0 . SC | Is there a number I can call to speak to someone?
0 . SC | DM sent with my order number.
0 . SC | Just emailed the details over to you.
0 . SC | Will do, I'll send it now.
0 . SCT | Do you [price match|offer student discount|take cash]?
0 . SC | Is the [car park|garden|terrace] open this weekend?
0 . SCT | Can I pay the deposit by bank transfer instead of card?
0 . SC | Is the {time} [coach|ferry|shuttle] running on bank holiday Monday?
0 . SC | Which [entrance|door|gate] do we use for the {time} tour?
0 . SC | Do you have any [gluten-free|vegan|dairy-free] options on the new menu?
0 . SCT | What's the weight limit for [hand luggage|bikes|the big cases]?
0 . SC | Can I bring my dog on the [boat trip|walking tour|terrace]?
0 . SCT | My order number is #{order}, the email is {email}.
0 . SCT | How long do refunds usually take to show on the card?
0 . SC | Are you open on Boxing Day?
0 . SCT | I need to move my appointment on {day} to the afternoon if possible.
0 . SC | Is there parking near the [salon|studio|clinic]?
0 . SCT | Can someone confirm the pick-up time for {date}?
0 . SCT | What documents do I need to bring for the [hire|rental|lease]?
0 . SC | Which stop is closest to the [market|beach|castle]?
0 . SCT | Could you resend the invoice to {email}?
0 . SC | Do you still have the [blue|green|large] one in stock?
0 . SC | When does the [winter|summer|new] timetable start?
0 . SCT | Can I get a receipt for the [repair|service|booking] on {date}?
0 . SC | Is it possible to [book|reserve] a table for {n} for {day}?
0 . SCT | I moved house, please use {street} for future deliveries.
0 . SC | Is the [sale|offer|discount] online too or just in store?
0 . SC | Saw your [post|advert|flyer] about the [workshop|class|tasting]. Are there places left?
0 . SCT | Do I need to print the [ticket|voucher|booking] or is the email enough?
0 . SC | Hi, what's the best way to reach the [accounts|bookings|repairs] team?
0 . SC | Will the [engineer|driver|fitter] call before arriving?
0 . SC | How early can we check in on {day}?
0 . SCT | Can you tell me whether order #{order} has been posted yet?
0 . SC | The {time} tour on {day}, is it in English?
0 . SC | Ok, I've filled in the form.
0 . SC | Just checking, is the {day} class still on with the weather?
0 . SC | Following you now, can you DM me about [group bookings|gift vouchers|the catering menu]?
0 . SCT | Please cancel my booking for {date}, plans have changed.
0 . SC | If the {time} is full, is there a later one?
0 . SC | Do you know roughly when the [new stock|next delivery|spring range] comes in?
0 . SCT | I'd like to add [insurance|a late checkout|an extra night] to my booking.

# thanks, praise, good news
+ . SC | Thanks {name}, sorted in minutes!
+ . S | Great service today, the driver even helped with the [bags|pushchair|shopping].
+ . SC | That's brilliant, thank you for sorting the refund so quickly.
+ . S | Best [coffee|croissant|pizza] in town, as always ☕
+ . SC | Got the replacement this morning, all working now. Thanks!
+ . S | Lovely crew on the {time} [ferry|coach|boat] today, made the trip 😊
+ . SC | Thank you! Found my [scarf|phone|wallet] in lost property.
+ . S | Shout out to {name} at the [desk|counter|workshop], went above and beyond.
+ . S | Arrived early and the room was ready. Perfect start to the holiday.
+ . SC | All fixed, internet back and faster than before 👍
+ . S | First time using you and really impressed. Will be back.
+ . SC | Thanks for the quick reply, that's all I needed.
+ . S | The new [menu|timetable|app] is so much better. Well done.
+ . SR | On time, friendly and the price was fair. Can't ask for more.
+ . S | You rebooked us on the next one without any fuss. Thank you!
+ . SC | {name} on the chat was so patient with me. Thank you.
+ . S | Can't wait for the [trip|tasting|class] on {day}! 🎉
+ . S | Perfect [cake|flowers|hamper] for mum's birthday, she loved it.
+ . S | Smoothest [check-in|delivery|booking] I've had all year.
+ . SC | Ah that's great news, thanks for letting me know.
+ . S | Cheers for keeping us updated during the delay, it really helped.
+ . SR | Apology accepted, and thanks for the voucher. See you next time.
+ . S | The engineer was spot on, explained everything and tidied up after.
+ . SC | Yes, that works perfectly. Thank you so much!
+ . S | The [upgrade|window seat|extra legroom] was a lovely surprise, thank you!

# longer reports by e-mail and ticket
- . ET | I booked the {time} [airport transfer|station pick-up|coach to the coast] for {date} and paid in full. Nobody came, and when I rang the office it went to voicemail. I had to get a taxi for {bigamount}.
- . ET | Following up on my message of {date} about order #{order}. The [lamp|kettle|heater] stopped working after [two|three|five] days and I've had no reply.
- . ET | We stayed in the [cottage|apartment|lodge] from {date} and the [heating didn't work|shower was cold|oven was broken] the whole week. The number on the welcome sheet just rang out.
- . ET | I was given three different answers by three different people about my [refund|warranty claim|booking change]. Could someone give me one that's right?
- . ET | The [kitchen fitter|decorator|tiler] left on {day} saying he'd be back the next morning. That was [two weeks|ten days|a fortnight] ago and the job is half done.
- . ET | We ordered [forty|thirty|sixty] sandwiches for the [funeral|office lunch|club meeting] and [half|a third] of them were the wrong fillings. Several guests went without.
- . ET | I've had the same fault on my [laptop|phone|e-bike] repaired twice now and it's back again within a week each time.
- . ET | The [photographer|DJ|florist] we booked through you turned up [an hour late|without half the kit|at the wrong venue]. It's our wedding day we'll never get back.
- . ET | Since the new system went in, every [statement|bill|order confirmation] has had someone else's name on it.
- . ET | The online form said we'd hear back within two working days. It's been [eight|nine|twelve]. No acknowledgement, no reference number.
- . T | The card machine at the [front desk|till|reception] declined my card [three|four] times but I've now been charged for each attempt.
- . ET | The [room|hall|marquee] we hired was still full of the previous party's rubbish when we arrived to set up.
- . ET | My [prescription|repeat order|contact lenses] should have been ready on {day}. I've been in twice and it still isn't.
- . ET | I was told on the phone the [part|frame|tyre] was in stock. I drove {n}0 miles to collect it and it wasn't.

# service on the day
- . SR | Waited [forty minutes|nearly an hour] for a coffee and a sandwich. Staff chatting at the back.
- . SRC | The [toilets|changing rooms|showers] were filthy and there was no soap.
- . SR | The receptionist didn't look up from her phone the whole time we were checking in.
- . SR | Music so loud we couldn't hear each other across the table.
- . SRC | Booked a window table for our anniversary and got sat next to the kitchen door.
- . SR | The tour guide rushed us round in half the advertised time.
- . SRC | Half the [machines|lanes|courts] were out of order and the price was the same.
- . SRC | Nobody told us the [pool|spa|restaurant] was closed for refurbishment until we got there.
- . SR | My [hair|nails|brows] came out nothing like the picture I showed and I was still charged full price.
- . SR | The [vet|nurse|receptionist] was curt with us and we felt rushed out of the door.
- . SRC | Asked for the bill three times before anyone brought it.
- . SR | The [bike|kayak|paddleboard] we hired had a [flat tyre|crack in it|broken seat] and we lost half the morning swapping it.

# products that failed
- . SCT | The [blender|hairdryer|toaster] I bought in {month} has stopped working already.
- . SCT | Second [charger|cable|lead] from you that's broken within a month.
- . SCT | The [paint|varnish|sealant] you recommended peeled off after the first rain.
- . SCT | Opened the [coffee|cereal|flour] and it was full of [moths|weevils|lumps].
- . SCT | The [shoes|boots|trainers] fell apart after two weeks of normal wear.
- . SCT | The [plant|tree|hedge] we bought from you was dead within a week of planting.
- . SCT | The [app|software|update] deleted all my saved [recipes|photos|settings].

# communication
- . SCT | Nobody told us the [delivery|appointment|visit] was cancelled. We found out when we rang.
- . SC | Your text said "on the way" at 9. Nobody has turned up and it's [2pm|3pm|gone 4].
- . SCT | Got a letter saying my [account|membership|policy] is closed. I never asked for that.
- . SCT | The email says my booking is confirmed but the app says it doesn't exist.
- . SC | Asked a simple question on {day} and I'm still waiting for an answer.
- . SCT | Sorry but this is the [second|third] wrong order in a row. Does anyone check them?
- . SCT | I keep getting "something went wrong" when I try to [pay|log in|book].
- . SC | Your automated line keeps hanging up on me.

# more sarcasm
~- . SR | Really impressive how you managed to lose a parcel the size of a fridge.
~- . SC | Oh good, the "free" delivery has added {amount} to my bill.
~- . SR | Ten out of ten for the hold music, zero for actually answering.
~- . SC | Fantastic, the new app has logged me out for the fifth time today.
~- . SR | Great to see the prices go up again while the portions shrink.

# escalations
- repeated_contact ET | This is my [fourth|fifth] email about the [leak|damp|broken window] in the flat. Please reply this time.
- threat_to_leave SCT | Please close my account. After [this month's outages|the billing mess|the last three deliveries] I've had enough.
- money ET | You've taken the annual fee of {bigamount} even though I cancelled in writing on {date}. Please refund it.
- anger SC | I'm furious. You cancelled my [daughter's party|booking|order] the night before and nobody even apologised.
- distress CT | I'm on my own with a newborn and the [heating|hot water|electricity] has been off for two days. Please help.
- fear_or_safety SCT | The [gas cooker|heater|fuse box] you installed is making a burning smell. Kids are in the house.
- health SCT | I bought the [chicken|prawns|salad] from your deli on {day} and the whole family has been sick since.

# neutral: information, updates, logistics
0 . SC | Running about ten minutes late for my {time} appointment, sorry!
0 . SCT | Just letting you know I'll be away from {date}, so please hold the [deliveries|post|veg box].
0 . SC | Received, thanks. I'll check with my partner and come back to you.
0 . SCT | Can you tell me the reference number for my [claim|booking|order]?
0 . SCT | What's the difference between the [standard|basic] and [premium|plus] plan?
0 . SC | Is there a charging point for electric cars at the [hotel|venue|site]?
0 . SCT | Please send me a copy of the terms and conditions for the [hire|booking|membership].
0 . SC | Is the {time} [tour|class|sailing] wheelchair accessible?
0 . SCT | I'd like to order {n} of the [large|medium] [trays|boxes|platters] for {date}.
0 . SC | What's the postcode for the [new shop|depot|meeting point]?
0 . SC | Are children's tickets half price?
0 . SCT | Could you let me know when the [engineer|courier|fitter] is likely to arrive?
0 . SCT | I have a question about the invoice {inv}, who should I speak to?
0 . SC | Do you sell gift vouchers online?
0 . SCT | Please can you change the name on the booking to {name}?
0 . SC | Is the [café|bar|restaurant] inside open to non-residents?
0 . SCT | My new phone number is {phone}, please update your records.
0 . SC | How far is the [hotel|campsite|cottage] from the station?
0 . SCT | We'd like to book the [minibus|private room|guide] for a group of {n}0 in {month}.
0 . SC | Do I need to book or can I just turn up?
0 . SC | Is the [shop|market|stall] still at the same place since the move?
0 . SCT | Could you confirm you received my [returns parcel|form|payment]?
0 . SC | What's your returns policy on sale items?
0 . SCT | Is there a cancellation charge if I move the date?

# positive
+ . SR | Booked last minute and they still found us a table. Lovely evening.
+ . SC | Thank you for calling me back so quickly, really appreciated.
+ . SR | The [guide|instructor|stylist] was knowledgeable and made it such fun.
+ . SC | Parcel arrived a day early, well packed and exactly as described.
+ . SR | Spotless room, comfy bed and a great breakfast. Would stay again.
+ . SC | {name} sorted my [bill|booking|account] in one call. Thank you!
+ . SR | Fair price, honest advice and the [car|bike|boiler] runs like new.
+ . S | Thanks for the [birthday treat|free coffee|surprise upgrade], you made my day 😊
+ . SR | They rang to warn us about the delay and offered a free drink while we waited. Great service.
+ . SC | The refund came through today, thank you for your help.
+ . SR | Our [dog|cat|rabbit] was so well looked after. Thank you to the whole team.
+ . S | Another brilliant [market|tasting|class] this weekend. Well done everyone!
+ . SR | Friendly, quick and they remembered my usual order.
+ . SC | Really pleased with the [repair|alterations|new glasses], thank you.
"""

# Each part is a list of (group, block). Rows of the first part keep the ids and texts they had
# before the second was written; the second part's rows are shuffled on their own and numbered
# after them.
PARTS = (
    [
        ("customer", CUSTOMER),
        ("employee", EMPLOYEE),
        ("supplier", SUPPLIER),
        ("community", COMMUNITY),
    ],
    [("customer", SUPPORT)],
)
HANDLES = [
    "@hollowoakbakes", "@tidewaycoaches", "@fernhillfibre", "@kettleyardcafe", "@oxbowcycles",
    "@larkspurstays", "@millraceenergy", "@northgatevets", "@saltmarshferries", "@quillandthread",
]  # fmt: skip


def load_templates() -> list[dict]:
    """Parse the template blocks; raise ValueError on any malformed line."""
    templates = []
    for part, blocks in enumerate(PARTS):
        for group, block in blocks:
            templates += _parse_block(group, block, part)
    return templates


def _parse_block(group: str, block: str, part: int) -> list[dict]:
    templates = []
    for number, raw in enumerate(block.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, sep, text = line.partition(" | ")
        parts = head.split()
        if not sep or len(parts) != 3 or not text:
            raise ValueError(f"{group} line {number}: {line!r}")
        mark, reason, letters = parts
        sarcasm = mark.startswith("~")
        mark = mark.removeprefix("~")
        if mark not in SENTIMENTS or (reason != "." and reason not in REASONS):
            raise ValueError(f"{group} line {number}: bad labels in {line!r}")
        if not letters or any(letter not in CHANNELS for letter in letters):
            raise ValueError(f"{group} line {number}: bad channels in {line!r}")
        templates.append(
            {
                "text": text,
                "sentiment": SENTIMENTS[mark],
                "needs_human": 0 if reason == "." else 1,
                "reason": "" if reason == "." else reason,
                "group": group,
                "channels": [CHANNELS[letter] for letter in letters],
                "sarcasm": sarcasm,
                "part": part,
            }
        )
    return templates


def _variants(text: str) -> list[str]:
    """Every combination of the [a|b] choices in text, in a fixed order."""
    pieces = CHOICE.split(text)  # literal, choices, literal, choices, ...
    options = [p.split("|") if i % 2 else [p] for i, p in enumerate(pieces)]
    return ["".join(combo) for combo in itertools.product(*options)]


def _fill_slots(text: str, rng: random.Random) -> str:
    """Replace each {slot}; the same slot twice in one text gets the same value."""
    values: dict[str, str] = {}

    def value(match: re.Match) -> str:
        if match[1] not in values:
            values[match[1]] = _fill(match[1], rng)
        return values[match[1]]

    return SLOT.sub(value, text)


def _informal(text: str) -> str:
    """How people often type in chat: lower-case start, no final full stop."""
    text = text[:1].lower() + text[1:]
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text


def build_rows(seed: int = SEED) -> list[dict]:
    """All rows, shuffled part by part, with ids; each row also says which template it came from."""
    templates = load_templates()
    rows: list[dict] = []
    seen: set[str] = set()
    for part in range(len(PARTS)):
        # Each part draws from its own generator, so adding a part leaves the earlier rows as
        # they were.
        rng = random.Random(seed + part)
        mine = [(i, t) for i, t in enumerate(templates) if t["part"] == part]
        made_here = [row for index, t in mine for row in _rows_of(index, t, rng, seen)]
        rng.shuffle(made_here)
        rows += made_here
    for number, row in enumerate(rows, 1):
        row["id"] = f"bm-{number:04d}"
    return rows


def _rows_of(index: int, template: dict, rng: random.Random, seen: set[str]) -> list[dict]:
    """Up to MAX_PER_TEMPLATE rows of one template, each a text not seen before."""
    variants = _variants(template["text"])
    rng.shuffle(variants)
    has_slots = bool(SLOT.search(template["text"]))
    cap = MAX_PER_ESCALATION_TEMPLATE if template["needs_human"] else MAX_PER_TEMPLATE
    want = min(cap, max(len(variants), 2 if has_slots else 1))
    rows, attempts = [], 0
    while len(rows) < want and attempts < 40:
        base = variants[attempts % len(variants)]
        attempts += 1
        text = _fill_slots(base, rng)
        channel = rng.choice(template["channels"])
        if channel in INFORMAL_CHANNELS and rng.random() < INFORMAL_RATE:
            text = _informal(text)
        if template["part"] > 0 and channel == "social":
            text = f"{rng.choice(HANDLES)} {text}"
        if text in seen:
            continue
        seen.add(text)
        rows.append(
            {
                "text": text,
                "sentiment": template["sentiment"],
                "needs_human": template["needs_human"],
                "reason": template["reason"],
                "group": template["group"],
                "channel": channel,
                "template": index,
                "sarcasm": template["sarcasm"],
            }
        )
    return rows


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row[column] for column in COLUMNS])
    return out.getvalue()


def counts_markdown(rows: list[dict]) -> str:
    """The counts tables of BUSINESS_MESSAGES.md, computed from rows."""
    total = len(rows)
    lines = ["| column | value | rows | share |", "|---|---|---:|---:|"]
    lines.append(f"| total | all | {total} | 100.0% |")
    orders = {
        "sentiment": list(SENTIMENTS.values()),
        "needs_human": ["0", "1"],
        "reason": list(REASONS),
        "group": list(GROUPS),
        "channel": list(CHANNELS.values()),
    }
    for column, values in orders.items():
        counter = Counter(str(row[column]) for row in rows)
        for value in values:
            lines.append(
                f"| {column} | {value} | {counter[value]} | {counter[value] / total:.1%} |"
            )
    lines += [
        "",
        "| group | negative | neutral | positive | needs_human=1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for group in GROUPS:
        mine = [row for row in rows if row["group"] == group]
        by = Counter(row["sentiment"] for row in mine)
        human = sum(row["needs_human"] for row in mine)
        lines.append(
            f"| {group} | {by['negative']} | {by['neutral']} | {by['positive']} | {human} |"
        )
    return "\n".join(lines) + "\n"


def summary(rows: list[dict]) -> str:
    templates = load_templates()
    per_template = Counter(row["template"] for row in rows)
    sarcastic = sum(row["sarcasm"] for row in rows)
    words = sorted(len(row["text"].split()) for row in rows)
    return (
        f"templates: {len(templates)}; rows per template: max {max(per_template.values())}, "
        f"mean {len(rows) / len(templates):.2f}\n"
        f"sarcasm or irony: {sarcastic} rows ({sarcastic / len(rows):.1%})\n"
        f"words per text: min {words[0]}, median {words[len(words) // 2]}, max {words[-1]}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the CSV")
    parser.add_argument("--counts", action="store_true", help="print the counts, write nothing")
    args = parser.parse_args(argv)
    rows = build_rows()
    if args.counts:
        sys.stdout.write(counts_markdown(rows) + "\n" + summary(rows))
        return 0
    args.out.write_text(to_csv(rows), encoding="utf-8", newline="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
