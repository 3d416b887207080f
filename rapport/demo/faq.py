"""Maison Levain's knowledge base: the questions customers ask again and again, each with a
handful of example questions and one answer, in the owner's words. The demo saves them through
``knowledge.actions.save_entry`` like an owner would."""

ENTRIES = (
    (
        "opening-hours",
        (
            "What are your opening hours?",
            "When do you open in the morning?",
            "What time do you close today?",
            "Are you open on Tuesday?",
            "Until what time can I buy bread?",
            "Are you open at 7?",
        ),
        "Both shops are open Tuesday to Saturday from 7:00 to 19:30 and on Sunday from 8:00 "
        "to 13:00. We are closed on Mondays.",
    ),
    (
        "sunday-hours",
        (
            "Are you open on Sunday?",
            "What are your Sunday opening hours?",
            "Can I come by on Sunday afternoon?",
            "What time do you close on Sundays?",
            "Is the shop open on Sunday morning?",
        ),
        "On Sundays both shops open from 8:00 to 13:00. Come early for croissants: they often "
        "sell out by eleven.",
    ),
    (
        "closed-days",
        (
            "Are you open on Mondays?",
            "Why are you closed on Monday?",
            "Can I pick up an order on Monday?",
            "Is the Station shop open on Monday?",
            "Do you open on bank holidays?",
        ),
        "Both shops are closed on Mondays, on 25 December, 1 January and 1 May, and for two "
        "weeks in mid-August. Orders can be picked up from Tuesday.",
    ),
    (
        "gluten-free",
        (
            "Do you have gluten-free bread?",
            "Do you sell anything without gluten?",
            "I have coeliac disease, is there bread I can eat?",
            "Is your buckwheat loaf gluten free?",
            "Do you make gluten-free cakes?",
        ),
        "We bake a buckwheat and rice loaf and almond financiers without gluten on Tuesdays, "
        "Fridays and Saturdays. They are made in the same bakehouse as our wheat bread, so we "
        "cannot promise they are free of traces.",
    ),
    (
        "cake-order",
        (
            "How far in advance do I need to order a cake?",
            "Can I order a birthday cake for Saturday?",
            "How many days ahead should I order a celebration cake?",
            "How do I order a custom cake?",
            "Can I still order a cake for tomorrow?",
            "Do you make wedding cakes?",
        ),
        "Please order celebration cakes at least 3 days ahead (7 days for tiered or wedding "
        "cakes), in the shop, by phone or by e-mail. We ask for a 30% deposit when you order.",
    ),
    (
        "catering",
        (
            "Do you do catering for offices?",
            "What is the minimum order for catering?",
            "Can you deliver breakfast for a meeting of 20 people?",
            "How do I set up a catering account for my company?",
            "Do you cater for events?",
        ),
        "We cater breakfasts and lunches for offices and events from 10 people or €120. Order "
        "by 14:00 the day before; for a regular account, write to us and Julien will set it up.",
    ),
    (
        "allergens",
        (
            "Do your products contain nuts?",
            "Where can I find the allergen list?",
            "Is there sesame in the bread?",
            "Which pastries contain eggs?",
            "Do you have the ingredient list for the croissants?",
        ),
        "Every product has its allergens on the label in the shop, and the full list is in the "
        "folder at the till: ask any of us. Our bakehouse handles nuts, sesame, eggs, milk and "
        "gluten, so traces are possible in everything.",
    ),
    (
        "delivery-area",
        (
            "Do you deliver?",
            "Do you deliver to my office?",
            "What is your delivery area?",
            "How much does delivery cost?",
            "Can you deliver a cake to my home?",
        ),
        "We deliver catering and cake orders within 8 km of the Old Town shop, Tuesday to "
        "Saturday, 7:00 to 12:00. Delivery is free from €60, otherwise €8.",
    ),
    (
        "payment",
        (
            "Can I pay by card?",
            "Do you take contactless payments?",
            "Do you accept cash?",
            "Can I pay by bank transfer for a catering order?",
            "Do you accept meal vouchers?",
        ),
        "We take cards (contactless too), cash and meal vouchers in both shops. Catering "
        "accounts can pay by bank transfer within 30 days of the invoice.",
    ),
    (
        "loyalty-card",
        (
            "Do you have a loyalty card?",
            "How does the loyalty card work?",
            "How many stamps do I need for a free loaf?",
            "I lost my loyalty card, what can I do?",
            "Can I use my loyalty card in both shops?",
        ),
        "Ask for a loyalty card at the till: one stamp for every €5, and a free loaf or a "
        "pastry of your choice at 10 stamps. It works in both shops; a lost card can be "
        "replaced with its stamps if you gave us your e-mail.",
    ),
    (
        "parking",
        (
            "Is there parking near the shop?",
            "Where can I park?",
            "Is there a car park near the Station shop?",
            "Can I park in front of the bakery?",
            "Do you have bike racks?",
        ),
        "At Old Town there are 20-minute spaces on Place du Marché and bike racks at the door; "
        "at Station, the station car park is free for the first 30 minutes.",
    ),
    (
        "vegan",
        (
            "Do you have vegan options?",
            "Is your sourdough vegan?",
            "Are there pastries without butter or eggs?",
            "Do you make vegan cakes?",
            "Which of your breads are dairy free?",
        ),
        "All our sourdough loaves are vegan (flour, water, salt and our starter). For pastries "
        "there is a vegan apple turnover and an oat cookie every day, and vegan cakes to order "
        "3 days ahead.",
    ),
)
