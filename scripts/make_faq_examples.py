"""Write rapport/engine/datasets/faq_examples.csv: small FAQs of three invented businesses,
with questions people might ask each entry, and questions none of the entries answers.

Standard library only, deterministic. Everything below was written by hand for Rapport (see
rapport/engine/datasets/FAQ_EXAMPLES.md); the CSV is exactly what this script writes.

    python scripts/make_faq_examples.py
"""

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "rapport" / "engine" / "datasets" / "faq_examples.csv"

# business -> entry id -> (answer, questions). Questions vary wording, length and register on
# purpose: short and long, polite and blunt, with and without the entry's own words.
FAQS: dict[str, dict[str, tuple[str, list[str]]]] = {
    "bakery": {
        "opening_hours": (
            "We open at 7:00 on weekdays and 8:00 at weekends, and close at 18:00.",
            [
                "What are your opening hours?",
                "when do you open",
                "Are you open on Sunday?",
                "what time do you close today",
                "How early can I come in to pick up bread?",
                "are you open saturday morning",
                "Until what time are you open in the evening?",
                "Do you open at the weekend?",
                "what time does the shop open tomorrow",
                "Hi, can I still pop in at 5:30 pm?",
                "hours?",
                "Is the bakery open early enough to grab a croissant before work at 7?",
            ],
        ),
        "delivery": (
            "We deliver within 5 km on weekdays for orders over 20 euros.",
            [
                "Do you deliver?",
                "Can you deliver a birthday cake to my house?",
                "is there home delivery",
                "How far do you deliver?",
                "do you bring orders to offices nearby",
                "Can I get bread delivered on a weekday?",
                "what's the minimum order for delivery",
                "Could you drop some pastries off at my flat?",
                "Do you offer delivery to the next village?",
                "delivery available?",
                "Can my order be delivered instead of picked up?",
            ],
        ),
        "allergens": (
            "Every product has an allergen card at the counter; ask us for the full list.",
            [
                "Do your breads contain nuts?",
                "Is there sesame in the seeded loaf?",
                "which cakes have dairy in them",
                "Can I see the allergen information?",
                "do you list allergens for your pastries",
                "Is the brownie made with eggs?",
                "What allergens are in the croissants?",
                "does the banana bread have walnuts",
                "Where can I find ingredient lists for your products?",
                "Is there soy in any of your loaves?",
                "Are your biscuits made in a kitchen that handles peanuts?",
            ],
        ),
        "gluten_free": (
            "We bake a gluten-free loaf and brownies on Fridays; order ahead to be sure.",
            [
                "Do you have gluten free bread?",
                "anything gluten-free?",
                "Is there a coeliac-friendly option?",
                "Do you make gluten free cakes?",
                "which days do you bake gluten free",
                "My daughter can't eat wheat, do you sell anything she could have?",
                "Can I order a gluten-free loaf for Friday?",
                "do you have any wheat free pastries",
                "Are there GF options at the counter?",
                "is your gluten free bread baked every day",
            ],
        ),
        "custom_cakes": (
            "We make cakes to order with a week's notice; tell us the size, flavour and date.",
            [
                "Can you make a custom birthday cake?",
                "I'd like to order a wedding cake",
                "do you do cakes with a photo on them",
                "How much notice do you need for a special cake?",
                "Could you bake a cake shaped like a dinosaur for my son?",
                "do you take orders for celebration cakes",
                "Can I order a cake with a name written on it?",
                "what sizes do your made-to-order cakes come in",
                "Is it possible to get a personalised cake for Saturday week?",
                "do you make christening cakes",
                "How do I order a cake for an anniversary?",
            ],
        ),
        "gift_cards": (
            "Gift cards are sold at the counter from 10 to 100 euros and last a year.",
            [
                "Do you sell gift cards?",
                "Can I buy a voucher for a friend?",
                "how long is a gift card valid",
                "do you have gift vouchers",
                "Can I get a gift card for 50 euros?",
                "is there an expiry date on your vouchers",
                "I want to give someone a bakery gift card, how does it work?",
                "can gift cards be used for cake orders",
                "What amounts do gift cards come in?",
                "gift certificate?",
            ],
        ),
        "payment": (
            "We take cash, cards and contactless; there is no minimum for card payments.",
            [
                "Do you take card?",
                "can I pay contactless",
                "Is it cash only?",
                "Do you accept Apple Pay?",
                "what payment methods do you accept",
                "is there a minimum spend on card",
                "Can I pay by phone at the till?",
                "do you take american express",
                "Can I pay with my debit card?",
                "Do you accept cash?",
            ],
        ),
        "parking": (
            "There is free parking for 30 minutes on Mill Lane behind the shop.",
            [
                "Is there parking nearby?",
                "where can I park",
                "Do you have a car park?",
                "is parking free near the bakery",
                "Can I park outside the shop?",
                "where's the nearest place to leave my car",
                "Is there somewhere to park when I collect a big order?",
                "parking?",
                "How long can I park on Mill Lane?",
                "is there a space for bikes or cars",
            ],
        ),
        "vegan": (
            "Our sourdough, baguettes and the oat cookies are vegan; ask about the daily specials.",
            [
                "Do you have vegan options?",
                "Is the sourdough vegan?",
                "anything without eggs or dairy?",
                "Are your cookies vegan?",
                "Which of your breads are plant-based?",
                "do you do vegan cakes",
                "I'm vegan, what can I eat?",
                "Is there milk in the baguette?",
                "do you have any dairy free pastries",
                "are there vegan treats today",
            ],
        ),
        "preorder": (
            "Order by 14:00 the day before and we keep it for you until noon.",
            [
                "Can I reserve bread for tomorrow?",
                "how do I pre-order",
                "Can you put aside two baguettes for me?",
                "is it possible to order in advance and pick up later",
                "Can I order croissants for a meeting on Thursday?",
                "what is the deadline to order for the next day",
                "Could you hold a loaf of rye for me until lunchtime?",
                "Do you take orders by phone for collection?",
                "Can I book a dozen pastries for Saturday morning?",
                "how late can I place an order for tomorrow",
            ],
        ),
        "wholesale": (
            "We supply cafés and restaurants; write to us for the wholesale price list.",
            [
                "Do you supply cafes?",
                "We run a restaurant, could you sell us bread wholesale?",
                "do you have trade prices",
                "Can my coffee shop stock your pastries?",
                "Is there a wholesale price list?",
                "do you do bulk orders for businesses",
                "We'd like daily bread for our hotel breakfast, is that possible?",
                "what are your terms for trade customers",
                "Do you deliver wholesale orders every morning?",
                "can we become a stockist",
            ],
        ),
        "jobs": (
            "We post vacancies on the shop window; send a CV to the owner any time.",
            [
                "Are you hiring?",
                "do you have any jobs going",
                "How can I apply to work at the bakery?",
                "Are there any weekend jobs for students?",
                "where do I send my CV",
                "Do you take apprentices?",
                "Is there a vacancy for a baker?",
                "I'm looking for part time work, do you need anyone?",
                "how do I apply for a job with you",
                "Any openings for a shop assistant?",
            ],
        ),
    },
    "bikes": {
        "service_booking": (
            "Book a service online or at the counter; most bikes are ready in two days.",
            [
                "How do I book my bike in for a service?",
                "can I get my bike serviced this week",
                "Do I need an appointment for a tune-up?",
                "How long does a service take?",
                "when can you look at my bike",
                "Can I drop my bike off for a check-up tomorrow?",
                "do you do bike servicing",
                "I'd like a full service on my road bike",
                "how soon can you fit me in for a service",
                "Is there a waiting list for repairs?",
            ],
        ),
        "puncture": (
            "We fix punctures while you wait, usually within 20 minutes.",
            [
                "Can you fix a flat tyre?",
                "I have a puncture, can you repair it today?",
                "how long does a puncture repair take",
                "do you replace inner tubes",
                "My tyre keeps going flat, can you help?",
                "Can I wait while you fix my flat?",
                "do you do puncture repairs",
                "how quickly can you sort a flat tire",
                "Could you change the tube on my back wheel?",
                "flat tyre fix?",
            ],
        ),
        "rental": (
            "We rent city and electric bikes by the day; bring ID and a card for the deposit.",
            [
                "Do you rent bikes?",
                "Can I hire an e-bike for the weekend?",
                "how much is bike hire per day",
                "do you have bikes to rent for tourists",
                "What do I need to rent a bike?",
                "Is there a deposit for hiring a bike?",
                "Can we rent four bikes for a family ride?",
                "do you hire out electric bikes",
                "I'd like to rent a bike tomorrow",
                "bike rental?",
            ],
        ),
        "cycle_to_work": (
            "We accept cycle-to-work scheme vouchers from all the main providers.",
            [
                "Do you take cycle to work vouchers?",
                "Can I buy a bike through my employer's scheme?",
                "are you part of the cycle to work scheme",
                "Can I use a bike scheme certificate in your shop?",
                "does my company's bike scheme work with you",
                "Which cycle-to-work providers do you accept?",
                "I have a voucher from work, can I spend it here?",
                "do you do salary sacrifice bikes",
                "cycle to work accepted?",
                "Can I get an e-bike on the work scheme from you?",
            ],
        ),
        "opening_hours": (
            "We are open Tuesday to Saturday, 9:00 to 18:00; closed Sunday and Monday.",
            [
                "What are your opening hours?",
                "Are you open on Monday?",
                "when do you close",
                "Is the shop open on Sundays?",
                "what time do you open on saturday",
                "hours?",
                "Can I collect my bike after 6?",
                "what days are you open",
                "are you open today",
                "When does the workshop open in the morning?",
            ],
        ),
        "trade_in": (
            "We take used bikes in part exchange after a free inspection.",
            [
                "Do you take trade-ins?",
                "Can I part exchange my old bike?",
                "will you buy my used bike",
                "How much would you give me for my old mountain bike?",
                "do you accept bikes in part exchange",
                "Can I swap my bike for a new one and pay the difference?",
                "do you buy second hand bikes",
                "Is there a trade in offer on new bikes?",
                "I want to sell my bike to you",
                "Could you value my hybrid for a trade-in?",
            ],
        ),
        "kids_bikes": (
            "We stock children's bikes from balance bikes to 26-inch wheels, and fit them in store.",
            [
                "Do you sell bikes for kids?",
                "What size bike for a 6 year old?",
                "do you have balance bikes",
                "Can my son try a bike in the shop?",
                "are there children's bikes in stock",
                "I'm looking for a first bike for my daughter",
                "Do you sell bikes with stabilisers?",
                "what bikes do you have for teenagers",
                "kids bikes?",
                "Can you help choose the right bike size for a child?",
            ],
        ),
        "warranty": (
            "New bikes carry the maker's warranty and a free first service within six weeks.",
            [
                "Is there a warranty on new bikes?",
                "do I get a free first service",
                "how long is the guarantee on the frame",
                "What does the warranty cover?",
                "is the first check-up included when I buy a bike",
                "Does my new bike come with a guarantee?",
                "how long do I have to claim on the warranty",
                "Are parts covered by warranty?",
                "warranty?",
                "Do you honour the manufacturer's guarantee?",
            ],
        ),
    },
    "salon": {
        "booking": (
            "Book online, by phone or at the desk; we keep two walk-in slots each afternoon.",
            [
                "How do I book an appointment?",
                "Can I book a haircut online?",
                "do you take walk-ins",
                "Is there any space for a cut on Friday?",
                "can I make a booking by phone",
                "I need an appointment this week, how do I get one?",
                "Do I need to book or can I just come in?",
                "how far ahead can I book",
                "Are there appointments available tomorrow afternoon?",
                "booking?",
            ],
        ),
        "prices": (
            "A women's cut starts at 35 euros, men's at 22 and children's at 15; colour from 60.",
            [
                "How much is a haircut?",
                "what are your prices",
                "How much does colour cost?",
                "Is there a price list?",
                "how much for a kids cut",
                "What do you charge for a men's trim?",
                "How much are highlights?",
                "prices?",
                "what does a cut and blow dry cost",
                "Are your prices different for long hair?",
            ],
        ),
        "cancellation": (
            "Please cancel or move a booking at least 24 hours ahead; later we charge half.",
            [
                "How do I cancel my appointment?",
                "Can I move my booking to next week?",
                "what is your cancellation policy",
                "is there a fee if I cancel late",
                "I need to reschedule, how do I do it?",
                "Can I change the time of my appointment?",
                "how much notice do you need to cancel",
                "Do you charge for missed appointments?",
                "I can't make it tomorrow, can I rebook?",
                "cancel booking?",
            ],
        ),
        "patch_test": (
            "A patch test is needed 48 hours before any colour if you are new or it's been six months.",
            [
                "Do I need a patch test before colouring?",
                "how long before my colour should I do the skin test",
                "Can I do the patch test on the same day?",
                "is a patch test free",
                "When do I have to come in for an allergy test before dye?",
                "do you require a skin test for hair colour",
                "I had colour with you last year, do I need another patch test?",
                "patch test?",
                "How does the patch test work?",
                "Why do you need a patch test?",
            ],
        ),
        "products": (
            "We sell the shampoos and styling products we use; ask at the desk.",
            [
                "Do you sell hair products?",
                "Can I buy the shampoo you used on me?",
                "what styling products do you stock",
                "do you sell conditioner",
                "Which brands do you carry?",
                "Can I buy hair wax at the salon?",
                "do you have products for curly hair for sale",
                "Is there a shop in the salon?",
                "products for sale?",
                "Could you recommend a product for dry hair that I can buy from you?",
            ],
        ),
        "gift_vouchers": (
            "Gift vouchers for any amount are sold at the desk and by phone.",
            [
                "Do you do gift vouchers?",
                "Can I buy a voucher for a haircut?",
                "how long do your vouchers last",
                "I'd like to get my mum a salon gift card",
                "can vouchers be used for colour",
                "Do you sell gift certificates?",
                "Can I buy a voucher over the phone?",
                "voucher?",
                "What amounts can I put on a gift voucher?",
                "are vouchers valid for products too",
            ],
        ),
    },
}

# Questions each business is asked that its FAQ does not answer: near misses on purpose
# (same trade, same words) as well as things no FAQ holds.
UNANSWERED: dict[str, list[str]] = {
    "bakery": [
        "Do you sell flowers as well?",
        "Can I bring my dog inside?",
        "Is there wifi in the shop?",
        "Do you run bread-making classes?",
        "Are your eggs free range?",
        "Can I leave a parcel with you for my neighbour?",
        "Do you sell coffee beans?",
        "Is the toilet open to customers?",
        "Do you recycle the paper bags?",
        "who bakes the bread",
        "Do you do school visits?",
        "Can we film a short video in the shop?",
        "Where do you get your flour from?",
        "Do you sponsor local sports teams?",
        "Is there seating inside?",
        "what's the soup of the day",
        "Do you sell sandwiches at lunchtime?",
        "Can I buy day-old bread cheaper?",
        "Is the shop wheelchair accessible?",
        "Do you have a loyalty card?",
    ],
    "bikes": [
        "Do you sell running shoes?",
        "Can you fix my electric scooter?",
        "Do you organise group rides?",
        "Where is the nearest bike path?",
        "Can I store my bike with you over winter?",
        "Do you sell car roof racks?",
        "do you have a toilet I could use",
        "Can you recommend a route to the coast?",
        "Do you repair wheelchairs?",
        "Do you sell helmets for horse riding?",
        "Can I leave my bike outside your shop overnight?",
        "Are you on social media?",
        "Do you do bike fitting for triathlons?",
        "How do I join the local cycling club?",
        "Is there a bike wash?",
    ],
    "salon": [
        "Do you do nails?",
        "Can I bring my baby to my appointment?",
        "Do you cut dog hair?",
        "Is there parking near the salon?",
        "Do you do wedding make-up?",
        "Can I watch my friend's appointment?",
        "Do you offer massages?",
        "Are you hiring stylists?",
        "Do you do eyebrow threading?",
        "Do you have wifi?",
        "Can you dye my wig?",
        "Do you sell hair extensions?",
        "Do you do home visits?",
        "Is the salon wheelchair accessible?",
        "Do you give student discounts?",
    ],
}


def build_rows() -> list[dict]:
    rows = []
    for business, entries in FAQS.items():
        for entry, (answer, questions) in entries.items():
            for question in questions:
                rows.append(
                    {"business": business, "entry": entry, "answer": answer, "text": question}
                )
        for question in UNANSWERED[business]:
            rows.append({"business": business, "entry": "", "answer": "", "text": question})
    return rows


def main() -> None:
    rows = build_rows()
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["business", "entry", "answer", "text"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
