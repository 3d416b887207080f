"""Message templates for the demo: what customers, staff, suppliers and partners write.

Each key holds several hand-written templates; ``{slots}`` are filled either by the caller
(names, dates, order references) or from ``SLOTS`` with the caller's seeded generator, so
the same seed always writes the same words. Tone lives in the key (``one_on_one_tired``,
``office_cooling``), which is how the demo's stories steer what later analysis will find.
"""

import random
import string

SLOTS: dict[str, tuple[str, ...]] = {
    "bread": (
        "sourdough loaf",
        "country loaf",
        "rye loaf",
        "seeded sourdough",
        "baguette tradition",
        "spelt loaf",
        "walnut bread",
        "brioche loaf",
        "olive fougasse",
        "buckwheat loaf",
    ),
    "pastry": (
        "croissants",
        "pains au chocolat",
        "almond croissants",
        "cinnamon buns",
        "apple turnovers",
        "canelés",
        "lemon tarts",
        "pains aux raisins",
        "cardamom knots",
    ),
    "cake": (
        "birthday cake",
        "chocolate layer cake",
        "fraisier",
        "lemon meringue tart",
        "carrot cake",
        "Saint-Honoré",
        "number cake",
        "raspberry charlotte",
    ),
    "gf_item": (
        "gluten-free loaf",
        "gluten-free brownies",
        "gluten-free seeded rolls",
        "gluten-free lemon cake",
        "gluten-free financiers",
    ),
    "allergen": ("nuts", "sesame", "eggs", "dairy", "hazelnuts", "soy", "almonds"),
    "day": ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "time": ("7:45", "8:30", "9:00", "10:15", "11:30", "12:00", "16:00", "17:30"),
    "guests": ("8", "10", "12", "15", "20", "25", "30", "40"),
    "age": ("4", "6", "7", "10", "18", "30", "40", "50", "60"),
    "minutes": ("15", "20", "25", "30", "40"),
    "qty": ("2", "3", "4", "6"),
    "platter": (
        "breakfast platter",
        "mini-viennoiserie tray",
        "sandwich lunch box",
        "sweet afternoon platter",
        "savoury brunch box",
    ),
    "equipment": (
        "spiral mixer",
        "deck oven",
        "proofing cabinet",
        "dough sheeter",
        "blast chiller",
        "espresso machine",
    ),
    "colleague": ("Marta", "Jonas", "Inès", "Teodor", "Hana", "Rémi", "Selma", "Oskar"),
    "shop": ("Old Town", "Station"),
    "shift": (
        "the 4:30 start",
        "the Saturday early shift",
        "Sunday morning",
        "the closing shift",
        "the Friday late",
    ),
}

TEMPLATES: dict[str, tuple[str, ...]] = {
    # ---- Customers: questions and their answers ------------------------------------------
    "opening_hours": (
        "Hello, are you open on {day} afternoon? I'd like to come by around {time}.",
        "Hi! What time does the {shop} shop close on Sundays?",
        "Are you open on the bank holiday Monday? Planning a family brunch.",
        "Quick question: do you still open at 7 on weekdays? My train is at 7:40.",
        "Hello, what are your opening hours during the school holidays?",
        "Is the {shop} shop open at lunchtime on {day}? Last time the shutter was half down.",
    ),
    "opening_hours_reply": (
        "Hi {first}, yes, we're open on {day} until 19:00, see you then!",
        "Hello {first}, the {shop} shop is open 7:00–13:30 on Sundays and closed on Mondays.",
        "Good morning {first}, we open at 7:00 sharp on weekdays, the first baguettes come out at 6:50.",
        "Hi {first}, during the holidays we keep our usual hours except the last two weeks of August.",
    ),
    "opening_hours_bot": (
        "Hi {first}, I'm Levain Assistant. The {shop} shop is open Tuesday to Saturday 7:00–19:30 and Sunday 7:00–13:30. We're closed on Mondays.",
        "Hello {first}! Our shops open at 7:00 from Tuesday to Sunday. On Sundays we close at 13:30. Anything else I can help with?",
        "Hi {first}, yes, we're open on {day}. Opening hours: 7:00–19:30 (Sunday until 13:30).",
    ),
    "allergy": (
        "Hello, does your {bread} contain {allergen}? My son is allergic.",
        "Hi, I'm severely allergic to {allergen}. Are your {pastry} made on the same line as products with {allergen}?",
        "Could you tell me which of your pastries are free from {allergen}? We have a guest with an allergy on {day}.",
        "Is there any {allergen} in the {cake}? Ordering for a party and want to be sure.",
        "Do you have an allergen list for the {pastry}? I couldn't find it on the website.",
    ),
    "allergy_reply": (
        "Hi {first}, the {bread} has no {allergen} in the recipe, but we do handle {allergen} in the bakehouse, so we can't guarantee it is trace-free.",
        "Hello {first}, thank you for asking. I've attached our allergen sheet; please tell the team at the counter and they'll use fresh tongs and paper.",
        "Hi {first}, our {pastry} contain {allergen}, I'm afraid. The plain croissants and the country loaf don't, but traces are possible.",
        "Hello {first}, we can make the {cake} without {allergen} if you order 72 hours ahead. Shall I note it?",
    ),
    "allergy_bot": (
        "Hi {first}, our allergen sheet is here: maisonlevain.example.com/allergens. For a severe allergy I'll pass your question to a member of the team, who will reply today.",
        "Hello {first}! All our products may contain traces of nuts, sesame and eggs. I've forwarded your question to our bakers for the details.",
    ),
    "gluten_free": (
        "Do you still make the {gf_item}? It was sold out twice this week.",
        "Hello, is your {gf_item} baked in a separate area? I'm coeliac.",
        "Hi, could I reserve two {gf_item} for {day}? I can pick up before {time}.",
        "Is the gluten-free range available at the {shop} shop too or only in the Old Town?",
        "My daughter loved the {gf_item}! Do you do a gluten-free birthday cake as well?",
    ),
    "gluten_free_reply": (
        "Hi {first}, yes, the {gf_item} is baked on Tuesdays, Thursdays and Saturdays in our separate gluten-free corner. I've put two aside for you.",
        "Hello {first}, the gluten-free range is made in a dedicated area with its own tools, but the bakehouse uses wheat flour, so we can't call it certified.",
        "Hi {first}, both shops get the gluten-free range, the {shop} shop from 8:00. A gluten-free cake is possible with 3 days' notice.",
    ),
    "gluten_free_bot": (
        "Hi {first}! The gluten-free range is baked on Tuesdays, Thursdays and Saturdays. You can reserve items at maisonlevain.example.com/reserve.",
        "Hello {first}, I've reserved your {gf_item} for {day}; the team will confirm by email.",
    ),
    "order_cake": (
        "Hello, I'd like to order a {cake} for {guests} people for {day}. Could it say 'Joyeux anniversaire Léo'?",
        "Hi, could you make a {cake} for my mother's {age}th birthday? Pickup {day} around {time} at the {shop} shop.",
        "We need a {cake} for {guests} guests this {day}, ideally with fresh fruit on top. What are the options?",
        "Good evening, is it still possible to order a {cake} for {day}? Sorry for the short notice!",
        "Hello, I'd like the {cake} again, the one we had last year for {guests} people, with the candles please.",
    ),
    "order_ack": (
        "Thank you {first}, we've received your order request {ref}. A member of our team will confirm the details within one working day.",
        "Hello {first}, your request {ref} is with us. We'll get back to you shortly with the price and pickup time.",
    ),
    "order_cake_reply": (
        "Hi {first}, your {cake} for {guests} is confirmed for {day} at the {shop} shop from {time}. Total €{price}, payable at pickup.",
        "Hello {first}, that's all noted: {cake}, {guests} portions, with the message you asked for. Ready {day} from {time}.",
        "Hi {first}, we can do it! We'll need the order confirmed by Wednesday noon. The {cake} for {guests} comes to €{price}.",
        "Hello {first}, sorry, we're fully booked for cakes on {day}. We could do {day} the week after, or a fraisier from the counter on the day.",
    ),
    "order_cake_bot": (
        "Hi {first}, I'm Levain Assistant. I've noted a {cake} for {guests} people, pickup {day} from {time} at the {shop} shop. Estimated total €{price}; you'll receive a confirmation email.",
        "Hello {first}! Your {cake} request for {day} is booked. Pickup at the {shop} shop from {time}. If you need a message on the cake, reply with the text.",
    ),
    "praise_bot": (
        "Thank you so much, {first}! I've shared your message with the whole team.",
        "That's lovely to hear, {first}. I'll pass it on to the bakers!",
    ),
    "seasonal_order": (
        "Hello, can I pre-order a {seasonal} for {day}? Last year they were gone by ten.",
        "Hi, we'd like two {seasonal}s for the family lunch. Is it too late to reserve?",
        "Do you take pre-orders for the {seasonal} this year? We'll be {guests} at the table.",
        "Is the {seasonal} with frangipane or with brioche this year? I'd like to order one.",
    ),
    "seasonal_order_reply": (
        "Hi {first}, your {seasonal} is reserved for {day} at the {shop} shop, under your name.",
        "Hello {first}, pre-orders are open: I've noted two {seasonal}s for you. Pickup from 8:00.",
        "Hi {first}, we still have some space for the {seasonal}. Reserved, see you on {day}!",
    ),
    "seasonal_order_bot": (
        "Hi {first}! {seasonal} pre-orders are open. I've reserved one for you at the {shop} shop for {day}; you'll get a confirmation email.",
        "Hello {first}, I've noted your {seasonal} pre-order. Pickup from 8:00 on {day}.",
    ),
    "order_status": (
        "Hi, I ordered online for {day}, is everything ok with order {ref}?",
        "Hello, I haven't received a confirmation for my order {ref}. Did it go through?",
        "Can I still change my order {ref}? I'd need {qty} more {pastry}.",
        "Is my order {ref} ready to pick up? I'm at the {shop} shop in 10 minutes.",
    ),
    "order_status_reply": (
        "Hi {first}, order {ref} is confirmed and will be ready {day} from {time}.",
        "Hello {first}, no problem, I've added {qty} {pastry} to {ref}.",
        "Hi {first}, yes, it's bagged and waiting for you at the counter.",
    ),
    "order_status_bot": (
        "Hi {first}, order {ref} is confirmed for {day}. You can change it until 18:00 the day before.",
        "Hello {first}! Your order {ref} is being prepared and will be ready from {time}.",
        "Hi {first}, I've updated order {ref}: {qty} more {pastry}. New total in your confirmation email.",
    ),
    "loyalty_card": (
        "Hello, I lost my loyalty card, can my stamps be transferred to a new one?",
        "Hi, how many stamps do I have left before a free loaf?",
        "Does the loyalty card work in both shops?",
    ),
    "loyalty_card_reply": (
        "Hi {first}, no problem, ask at the counter and we'll look you up by phone number.",
        "Hello {first}, you're two stamps away from a free loaf!",
        "Hi {first}, yes, the card works at the Old Town and Station shops alike.",
    ),
    "loyalty_card_bot": (
        "Hi {first}, loyalty stamps are kept against your phone number, so a new card keeps them. Just ask at the counter.",
        "Hello {first}! The loyalty card works in both shops: 10 stamps = a free loaf of your choice.",
    ),
    "complaint_quality": (
        "I bought a {bread} yesterday and it was raw in the middle. Not what I expect at €6.",
        "The {pastry} this morning were dry and tasted like yesterday's. Disappointed, they are usually so good.",
        "Found a piece of paper baked into my {bread}. Please check your line.",
        "The {cake} we picked up on {day} had collapsed on one side. It was for a birthday, a bit embarrassing.",
        "Honestly the baguettes have been pale and soft for two weeks now. Has something changed?",
    ),
    "complaint_quality_reply": (
        "Dear {first}, I'm so sorry about the {bread}. Please come by the {shop} shop and we'll replace it, and I've passed it on to the bakehouse.",
        "Hello {first}, thank you for telling us, this isn't the standard we want. The next {pastry} are on us.",
        "Dear {first}, I'm sorry the cake let you down on such a day. I'd like to refund it in full; could you reply with your phone number?",
        "Hi {first}, you're right, our oven was running cold this week; it's been serviced. Thanks for the honest feedback.",
    ),
    "complaint_service": (
        "Waited 20 minutes at the {shop} shop on {day} morning with only one person serving. Gave up.",
        "The young man at the till was quite rude when I asked for the bread to be sliced.",
        "I reserved a {bread} by phone and it had been sold when I arrived at {time}.",
        "The card machine was down again at the {shop} shop and I had no cash on me.",
    ),
    "complaint_service_reply": (
        "Dear {first}, I'm sorry about the wait. Saturday mornings are busy, and we've added a second person at the till from 8 to 11.",
        "Hello {first}, thank you for letting us know, and sorry. I've spoken with the team about it.",
        "Hi {first}, I apologise, your reservation should have been kept aside. A {bread} is waiting for you, no charge.",
    ),
    "praise": (
        "Best {pastry} in town, no contest. Thank you!",
        "Just wanted to say the {cake} was a triumph at the party. Everyone asked where it came from.",
        "The staff at the {shop} shop are always so kind to my dad. It makes his morning.",
        "Your {bread} keeps for days and still tastes great. We're converts.",
        "Thank you for the {gf_item}, it is the first gluten-free bread my daughter actually enjoys.",
        "Lovely new {pastry}, please keep them on the menu!",
    ),
    "praise_reply": (
        "Thank you so much, {first}! We'll pass it on to the bakers.",
        "That made our day, {first}. See you soon at the {shop} shop!",
        "Thank you {first}, the team will be delighted to hear it.",
    ),
    "review_positive": (
        "5 stars. Crisp crust, open crumb, proper sourdough. The {pastry} are worth the queue.",
        "Friendly staff and the best {bread} in Valmont. Slightly pricey but worth it.",
        "We ordered a {cake} for 20 people: beautiful, delicious, on time. Highly recommended.",
        "Great little bakery near the station, perfect {pastry} before the train.",
        "Consistently excellent. The gluten-free options are a real plus.",
    ),
    "review_negative": (
        "2 stars. The {pastry} were greasy and the queue was endless.",
        "Prices have gone up again and the loaves got smaller. Not what it used to be.",
        "Ordered a cake that wasn't ready at the agreed time. Had to wait 25 minutes.",
        "The bread is good but the service at the {shop} shop is slow and disorganised.",
    ),
    "review_reply": (
        "Thank you for the review, {first}. We're glad you enjoyed it and hope to see you again soon.",
        "Hello {first}, thank you for the feedback. We're sorry about the wait and are working on the morning rush.",
        "Thank you {first}. Our prices followed the rise in flour and butter costs; we kept the weight of the loaves the same, but we hear you.",
    ),
    "counter_note": (
        "{first} asked us to keep a {bread} aside every {day}; noted in the reservation book.",
        "Chatted with {first} at the counter: their daughter starts school next month, will come by less in the mornings.",
        "{first} mentioned the {pastry} were better than ever this week.",
        "{first} asked whether we deliver to the retirement home on rue Haute. Said I'd ask Julien.",
        "{first} found the new paper bags too flimsy for two loaves.",
        "{first} is hosting a christening in six weeks and wants to discuss a cake; gave them the order form.",
        "{first} said the {shop} shop felt very busy and understaffed on {day}.",
        "Regular {first} brought back the cake stand from last month's order and said thank you again.",
    ),
    "bot_handover": (
        "I've passed your message to our team, {first}. Someone will reply personally within one working day.",
        "Thanks {first}, this one needs a human touch: I've forwarded it to the shop team.",
    ),
    "lost_item": (
        "I think I left my umbrella at the {shop} shop on {day}, a green one. Did anyone find it?",
        "Hello, my scarf might be on the coat hook by the window at the {shop} shop.",
    ),
    "lost_item_reply": (
        "Hi {first}, yes, it's behind the counter with your name on it!",
        "Hello {first}, we've looked but couldn't find it, sorry. We'll keep an eye out.",
    ),
    "newsletter_reply": (
        "Thanks for the newsletter! Is the {pastry} from the photo available every day?",
        "Please take me off the list, I've moved away. Good luck with everything!",
        "Lovely newsletter. Could you save me a {bread} on {day}?",
    ),
    "newsletter_reply_reply": (
        "Hi {first}, thank you! The {pastry} are baked every morning except Mondays.",
        "Hi {first}, done, and thank you for all those years of visits.",
        "Hi {first}, with pleasure, a {bread} will be waiting for you on {day}.",
    ),
    # ---- Office catering and wholesale accounts ----------------------------------------------
    "catering_request": (
        "Hello, we have a team meeting on {day} for {guests} people. Could you deliver a {platter} at {time}?",
        "Hi, same as usual for {day} please: {platter} for {guests}, delivered to reception at {time}.",
        "We'd like to set up a weekly {platter} for our Friday stand-up, about {guests} people. Can you quote?",
        "Could we add {qty} {pastry} trays to Thursday's order? We have visitors.",
        "Do you do lunch boxes with a vegetarian option? {guests} people for a workshop on {day}.",
    ),
    "catering_reply": (
        "Hello {first}, confirmed: {platter} for {guests}, delivered at {time} on {day}. Invoice with the monthly statement.",
        "Hi {first}, all set for {day}. Our driver will call reception when he arrives.",
        "Hello {first}, here is the quote for a weekly {platter}: €{price} per week, delivery included. Happy to start next week.",
        "Hi {first}, yes, {qty} extra trays added to Thursday. Vegetarian boxes are marked with a green sticker.",
    ),
    "office_cooling": (
        "We'll skip this week's {platter}: half the team works from home on Fridays now.",
        "Hi, we'd like to reduce our standing order from {guests} to 8 people from next month.",
        "The last two deliveries came {minutes} minutes late and the coffee break had already started. Please check.",
        "Budgets are tight this quarter, so we are pausing the weekly breakfast for now.",
        "To be honest the {platter} has felt a bit repetitive lately. Some colleagues asked to try another caterer.",
        "We're cancelling Thursday's order, sorry for the short notice. The meeting moved online.",
        "The croissants were squashed in the box on {day} and the invoice had the wrong quantity.",
    ),
    "office_cooling_reply": (
        "Hello {first}, understood, we've paused the standing order. Just let us know when you'd like to resume.",
        "Hi {first}, I'm sorry about the delays; our courier changed the route. We've moved you to the first run.",
        "Hello {first}, noted, 8 people from next month. Would a smaller seasonal menu help keep things varied?",
        "Hi {first}, thank you for the honest feedback. I'd love to come by and taste a new menu with you.",
    ),
    "wholesale_order": (
        "Hi, for tomorrow please: {qty} dozen {pastry}, 15 baguettes tradition and 6 {bread}s.",
        "Can we bump Saturday's order? Terrace season has started: double the croissants.",
        "Bread order for the week attached, same as last week but no rye on Sunday.",
        "Could we try your {gf_item} for the brunch menu? A small batch first.",
    ),
    "wholesale_reply": (
        "Hi {first}, order noted for tomorrow, delivery before 7:00 as usual.",
        "Hello {first}, Saturday doubled, see you at dawn!",
        "Hi {first}, we'll add a trial batch of {gf_item} to Friday's delivery, on us.",
    ),
    # ---- Employees -----------------------------------------------------------------------------
    "sick": (
        "Hi {lead}, I'm sick, fever all night. I won't make it in today, sorry.",
        "Morning {lead}, my back went again lifting sacks yesterday. Doctor says two days off.",
        "{lead}, my little one has a temperature and the nursery won't take her. Can't come in today.",
        "Sorry for the late message, I have a migraine and can't stand up. I'll let you know tomorrow.",
        "I've got the flu that's going round. Sending the doctor's note later today.",
        "Hi {lead}, stomach bug, won't be able to come in for {shift}. Really sorry.",
    ),
    "sick_tired": (
        "{lead}, I'm exhausted, I've barely slept this week and my doctor signed me off for a few days.",
        "Sorry {lead}, I can't do {shift} today. My wrist is swollen from the shaping and I need to rest it.",
        "I'm not coming in, I'm completely drained. We were two short all week and I can't keep this pace.",
        "Hi {lead}, doctor's note for three days: overwork and back pain. Sorry to leave you short again.",
    ),
    "get_well": (
        "Take care of yourself, {first}, we'll manage. Let me know how you feel tomorrow.",
        "Get well soon {first}. Don't worry about {shift}, it's covered.",
        "Thanks for telling me early, {first}. Rest up.",
    ),
    "shift_swap": (
        "Hi {lead}, could I swap {shift} next week with {colleague}? She agreed.",
        "Would it be possible to finish at 14:00 on {day}? I have a dentist appointment.",
        "Is the rota for next month out yet? I need to plan childcare.",
        "Can I take {shift} instead of Sunday? Family thing.",
        "Hi {lead}, I can do extra hours on {day} if you're short.",
    ),
    "shift_swap_reply": (
        "Fine by me {first}, I've updated the rota.",
        "Yes, no problem, {colleague} will cover the end of the shift.",
        "The rota goes up on Friday, {first}. I'll make sure your Wednesdays stay free.",
        "Thanks {first}, that helps a lot, noted for {day}.",
        "Sorry {first}, we're already short that day. Can we look at the week after?",
    ),
    "holiday_request": (
        "Dear {lead}, I'd like to request leave from the 12th to the 19th of next month.",
        "Hello {lead}, could I take two days around the long weekend? I'd be back on the Thursday.",
        "Hi, I'd like to book my summer leave: the last week of July and the first of August, if that works for the team.",
    ),
    "holiday_reply": (
        "Approved, {first}. Enjoy the break!",
        "Hi {first}, that's fine, I've put it in the planner.",
        "Hello {first}, two others are off that week. Could you move it by one week? Then it's a yes.",
    ),
    "one_on_one_good": (
        "1:1 with {first}: enjoying the new {pastry} recipe, wants to learn laminated doughs next. Agreed on a training day.",
        "1:1 with {first}: happy with the schedule, feels the team works well together. Asked about the pastry certificate.",
        "1:1 with {first}: proud of the Christmas rush; suggested a better layout for the cooling racks. Good idea, trying it.",
        "1:1 with {first}: settling in well, customers like them. Wants more morning shifts.",
        "1:1 with {first}: energetic, would like to run the school workshop next term.",
    ),
    "one_on_one_neutral": (
        "1:1 with {first}: things fine overall; would like clearer handovers between early and late shifts.",
        "1:1 with {first}: quiet month. Asked about the pay review date; told them September.",
        "1:1 with {first}: wants to reduce to four days after the summer, discussing options.",
        "1:1 with {first}: ok, a bit bored with the till; could rotate into the pastry bench on Tuesdays.",
    ),
    "one_on_one_tired": (
        "1:1 with {first}: tired. Three 4:30 starts in a row and the {equipment} broke again. Says the bakehouse is running on goodwill.",
        "1:1 with {first}: frustrated that the vacancy hasn't been filled; covering two stations every morning.",
        "1:1 with {first}: says they dread weekends now, no time to recover. Asked if we can hire a second night baker.",
        "1:1 with {first}: sleeping badly, back pain from lifting. Worried about the pace before the holidays.",
        "1:1 with {first}: morale low in the bakehouse; people skip breaks to get the orders out. We need to talk staffing.",
        "1:1 with {first}: thinking about whether this job is sustainable. Didn't want to say more yet.",
    ),
    "workload": (
        "We were two short again this morning. Orders went out late and the dough overproofed.",
        "{lead}, the {equipment} stopped mid-batch again. We lost forty loaves. I'm at my wits' end.",
        "Can we please talk about staffing? I've done six early starts this week.",
        "Honestly I'm knackered. We can't keep covering the wholesale orders with this crew.",
        "Nobody took a break today. Again. Something has to change before Christmas.",
        "Third weekend in a row on {shift}. I haven't seen my kids awake since Tuesday.",
    ),
    "workload_reply": (
        "I hear you, {first}. I'm raising it with Camille this week, we're looking at a second night baker.",
        "Thanks for flagging, {first}. I'll take the Saturday early myself so you get a break.",
        "Sorry {first}. The repair is booked for Thursday; I'll sort the rota so you get two days off in a row.",
        "You're right, and thank you for holding it together. Let's talk tomorrow after the bake.",
    ),
    "team_chat": (
        "Flour delivery is in, stacked in the dry store.",
        "Who took the big proofing baskets? Need them for the rye.",
        "The new {pastry} sold out by 11 at the {shop} shop!",
        "Reminder: deep clean of the {equipment} on Monday.",
        "Card machine at the till is fixed.",
    ),
    "recognition": (
        "{first}, thank you for stepping in on Sunday. The customers never noticed we were short.",
        "Great job on the wedding order, {first}. The couple sent a lovely note.",
        "Well done on your first month, {first}. The regulars already ask for you.",
        "Thanks {first} for training the new apprentice, it shows.",
    ),
    "birthday": (
        "Happy birthday {first}! There's a cake with your name on it in the staff room.",
        "Bon anniversaire {first}, enjoy your day off!",
    ),
    "welcome": (
        "Welcome to Maison Levain, {first}! Your first shift is on {day} at {time}; {lead} will show you around.",
        "Hello {first}, we're glad you're joining the team. Please bring comfortable shoes and your bank details on day one.",
    ),
    "payslip": (
        "Hi Noor, I think my overtime from last month is missing on the payslip.",
        "Hello, could I get a copy of my employment certificate for my flat application?",
        "My bank details have changed, where should I send the new ones?",
    ),
    "payslip_reply": (
        "Hi {first}, you're right, I've added the overtime; it'll come with this month's pay.",
        "Hello {first}, the certificate is attached.",
        "Hi {first}, just send them to me by email and I'll update the payroll.",
    ),
    "resignation_workload": (
        "Dear {lead}, I'm resigning from my position as {job}. The early starts and the constant understaffing in the bakehouse have become too much, and I need to look after my health. I'll work my notice period.",
    ),
    "resignation": (
        "Dear {lead}, I'm writing to let you know I'll be leaving Maison Levain: {reason_lower}. Thank you for everything.",
        "Hello {lead}, it's with mixed feelings that I hand in my notice. {reason}. I've really enjoyed working with the team.",
    ),
    "exit_interview": (
        "Exit conversation with {first}: {reason_lower}. Would recommend us as an employer, would come back.",
        "Exit conversation with {first}: {reason_lower}. Suggested better induction for new staff.",
    ),
    "exit_interview_workload": (
        "Exit conversation with {first}: leaving because of workload. Felt the bakehouse has been short-staffed since spring, too many early starts, repeated equipment breakdowns. Would not recommend the bakehouse role as it is now.",
    ),
    "dismissal": (
        "Meeting with {first} to confirm the end of employment: {reason_lower}. Paperwork handed over.",
    ),
    # ---- Suppliers ------------------------------------------------------------------------------
    "delivery_ok": (
        "Delivery {ref}: {quantity} {unit} of {item}, received and checked by {staff}.",
        "{ref} delivered on time: {quantity} {unit} {item}. All good.",
        "Received {quantity} {unit} of {item} ({ref}). Stored and signed off.",
    ),
    "delivery_late": (
        "Delivery {ref} arrived {late} day(s) late: {quantity} {unit} of {item}. Had to rework the production plan.",
        "{ref}: {item} only arrived today, {late} day(s) after the promised date. Bakehouse used the reserve stock.",
        "Late again: {ref} ({quantity} {unit} {item}) came {late} day(s) late. No advance notice.",
    ),
    "delivery_defect": (
        "Delivery {ref}: {defect} out of {quantity} {unit} damaged ({item}). Photos taken, credit note requested.",
        "{ref} received, but {defect} {unit} of {item} unusable on arrival.",
    ),
    "invoice": (
        "Please find attached invoice {ref} for last month's deliveries. Payment due within 30 days.",
        "Invoice {ref} attached. Thank you for your business.",
        "Hello, here is our statement for the month with invoice {ref}.",
    ),
    "invoice_query": (
        "Hello, invoice {ref} charges full price for the damaged goods; please send a credit note.",
        "Hi, could you check invoice {ref}? The quantities don't match our delivery notes.",
    ),
    "mill_apology": (
        "Dear Maison Levain, we apologise for the delayed delivery. One of our two lorries is off the road and we are catching up.",
        "We're very sorry about this week's delay. Our grinding line had a breakdown; we expect to be back on schedule next week.",
        "Apologies again for the late flour. We are short of drivers this month and have prioritised the large accounts, which was wrong of us.",
        "Please accept our apologies: the delivery planned for {day} will arrive a day later. We will add a sack free of charge.",
        "We know the last deliveries have not been up to standard. Our new logistics partner should improve things by next month.",
    ),
    "mill_complaint": (
        "Hello, that's the third late flour delivery this month. We bake at 4:00, we can't work with afternoon deliveries.",
        "Hi, delivery {ref} didn't arrive yesterday and nobody called. We had to buy flour from a wholesaler at twice the price.",
        "We need a firm delivery window or we will have to look at another mill. We've worked together for eight years, but this can't go on.",
        "Please confirm by return when {ref} will arrive. Our stock is down to two days.",
    ),
    "supplier_order": (
        "Hello, could you add {qty} extra units to next week's delivery? We have a large catering order.",
        "Hi, please pause our standing order for the two weeks of the August closure.",
        "Good morning, we'd like to try your new organic range. Could you send a sample with the next delivery?",
        "Hello, for December we'll need roughly double the usual quantities. Can you confirm you can follow?",
    ),
    "supplier_order_reply": (
        "Noted, the extra units will come with the next delivery.",
        "Thank you, the standing order is paused for the closure and restarts automatically.",
        "Of course, a sample will be on the next truck.",
        "December volumes confirmed. We'll deliver a day early in Christmas week.",
    ),
    "price_notice": (
        "Dear customer, due to rising energy and raw material costs, our prices will increase by 6% from the first of next month.",
        "Please note our updated price list attached, effective next quarter. Standing orders keep current prices until then.",
    ),
    "maintenance_report": (
        "Service report: preventive maintenance on the {equipment}; door seals replaced, thermostat recalibrated.",
        "Visit report: {equipment} checked, belts tensioned, no further issue found.",
        "Annual inspection completed: all ovens compliant. Next visit scheduled in three months.",
    ),
    "breakdown_call": (
        "Hello, our {equipment} stopped in the middle of the morning batch. Can someone come today?",
        "The {equipment} is making a grinding noise again, same as last month. Urgent please.",
        "Second breakdown of the {equipment} in two weeks. We need a technician before Saturday.",
    ),
    "breakdown_reply": (
        "A technician will be with you this afternoon between 14:00 and 16:00.",
        "We've ordered the spare part; the technician will come on {day} morning.",
        "Sorry for the trouble. Our technician can come tomorrow at 7:00, before you open.",
    ),
    "accountant_monthly": (
        "Hello Camille, could you send last month's till reports and supplier invoices by the 10th?",
        "Reminder: the VAT return is due next week. We're missing two purchase invoices.",
        "Please find attached the quarterly management accounts. Margins are stable; flour and butter costs are up.",
        "We'd like to schedule the year-end meeting. Would {day} morning work?",
    ),
    "accountant_reply": (
        "Hi, the documents are in the shared folder. Thanks!",
        "Thanks for the reminder, the two invoices are attached.",
        "{day} morning works for us, see you at 10:00.",
    ),
    "courier": (
        "Pickup confirmed for {day} at {time}: {qty} catering boxes to the business park.",
        "Our driver couldn't access the delivery entrance at the business park today; please give us the new code.",
        "Monthly statement attached: 46 deliveries, 2 delayed due to roadworks.",
    ),
    "courier_reply": (
        "Thanks, the new code is 4711B. Sorry for the trouble.",
        "Perfect, boxes will be ready at the back door.",
    ),
    "roaster_news": (
        "Our new seasonal blend is in: notes of cherry and cocoa. Would you like a 1 kg sample for the shops?",
        "Reminder: we're closed for roasting maintenance next week; please place your order by Thursday.",
        "Barista training for your shop staff: we have two places left on {day}.",
    ),
    "roaster_reply": (
        "Yes please, send a sample with the next delivery!",
        "Thanks, order placed for this week.",
        "We'd love two places for the barista training.",
    ),
    # ---- Community -----------------------------------------------------------------------------
    "sponsorship_request": (
        "Hello, the {partner} is organising {event} and we're looking for local sponsors. Could Maison Levain contribute pastries or a raffle prize?",
        "Dear Maison Levain, would you be willing to sponsor our {event}? Your logo would be on the programme.",
        "Hi, we're raising money for new equipment. Could you donate a cake for our tombola at {event}?",
    ),
    "sponsorship_yes": (
        "Hello, we'd be glad to help: we'll provide {qty} trays of mini-viennoiseries for {event}.",
        "Happy to support {event}! A voucher for a celebration cake will be ready for your raffle.",
    ),
    "sponsorship_no": (
        "Thank you for thinking of us. We're already committed this month, but please ask us again for the next one.",
    ),
    "event_invite": (
        "Dear Camille, we'd love Maison Levain to take part in {event}. Would you have a stall or a workshop?",
        "Hello, save the date: {event}. Shall we count on you as last year?",
        "Hi, could your bakers run a bread-making workshop for two classes as part of {event}?",
    ),
    "event_invite_reply": (
        "Count us in for {event}! We'll bring a stall and two bakers.",
        "Yes, we'd be delighted. {staff} will coordinate on our side.",
        "With pleasure. Could you send us the timings and the expected number of children?",
    ),
    "event_report": (
        "{event}: about {attendance} people came by the stall. {staff} ran the tasting; we handed out 300 mini-brioches.",
        "{event}: bread workshop with {attendance} children. Lots of flour everywhere, great fun.",
        "{event}: good turnout ({attendance}). Several people said they had never been to the Station shop.",
        "{event}: quiet because of the rain, around {attendance} visitors. Still a nice moment with the neighbours.",
    ),
    "event_thanks": (
        "Thank you so much for {event}! The children are still talking about the bread they shaped.",
        "A big thank you to your team for {event}. Your stall was the busiest of the day.",
        "Thanks again for your support of {event}. We raised more than last year.",
    ),
    "press_request": (
        "Hello, I'm writing a piece on independent bakeries in Valmont. Could I interview the owner next week?",
        "Hi, we'd like to feature your gluten-free range in our food column. Could we take a few photos?",
    ),
    "press_reply": (
        "Happy to! Camille is free on {day} at {time} at the Old Town shop.",
        "With pleasure, come by on {day} morning when the bakehouse is in full swing.",
    ),
    "press_article": (
        "The article on Maison Levain is out in this week's edition, page 6. Readers loved the photos of the bakehouse.",
        "Our readers voted your croissant the best in the neighbourhood. Congratulations!",
    ),
    "foodbank": (
        "Collected {quantity} kg of unsold bread and pastries this week. Thank you, it goes to 40 families.",
        "Weekly pickup done: {quantity} kg. The volunteers asked if we could come an hour earlier on Saturdays.",
        "Thank you for this month's donations, {quantity} kg in total. The Friday soup kitchen relies on it.",
    ),
    "foodbank_reply": (
        "Of course, 18:30 on Saturdays is fine.",
        "Thank you for doing the rounds, it's great to know nothing is wasted.",
    ),
}

SUBJECTS: dict[str, tuple[str, ...]] = {
    "opening_hours": ("Opening hours", "Are you open?", "Hours this week"),
    "allergy": ("Allergy question", "Allergens", "Question about ingredients"),
    "gluten_free": ("Gluten-free range", "Gluten-free bread", "Coeliac question"),
    "order_cake": ("Cake order", "Birthday cake", "Celebration cake request"),
    "seasonal_order": ("Pre-order", "Holiday pre-order", "Reservation"),
    "order_status": ("My order", "Order question", "Change to my order"),
    "loyalty_card": ("Loyalty card", "Stamps"),
    "complaint_quality": ("Disappointed", "Quality problem", "About yesterday's purchase"),
    "complaint_service": ("Service at the shop", "Feedback", "Reservation not kept"),
    "praise": ("Thank you!", "Compliments to the bakers", "Just a note"),
    "lost_item": ("Lost umbrella", "Left something behind"),
    "newsletter_reply": ("Re: the Levain Letter",),
    "catering_request": ("Catering order", "Breakfast delivery", "Order for our meeting"),
    "office_cooling": ("Our standing order", "Catering feedback", "Change to our order"),
    "wholesale_order": ("Order for tomorrow", "Weekly bread order", "Order update"),
    "holiday_request": ("Leave request", "Holiday"),
    "payslip": ("Payslip question", "Employment certificate", "Bank details"),
    "resignation": ("Resignation", "My notice"),
    "welcome": ("Welcome to Maison Levain",),
    "invoice": ("Invoice {ref}", "Monthly statement"),
    "invoice_query": ("Query on invoice {ref}",),
    "mill_apology": ("Delivery delay", "Apologies for the late delivery", "Our deliveries"),
    "mill_complaint": ("Late delivery again", "Delivery {ref} missing", "Delivery reliability"),
    "supplier_order": ("Order change", "Next delivery", "December volumes"),
    "price_notice": ("Price update", "New price list"),
    "breakdown_call": ("Breakdown", "Urgent: technician needed"),
    "accountant_monthly": ("Monthly documents", "VAT return", "Management accounts"),
    "courier": ("Pickup confirmation", "Access problem", "Monthly statement"),
    "roaster_news": ("News from the roastery", "Seasonal blend"),
    "sponsorship_request": ("Sponsorship request", "Could you support us?"),
    "event_invite": ("Invitation", "Save the date", "Workshop request"),
    "event_thanks": ("Thank you!", "Thanks from all of us"),
    "press_request": ("Interview request", "Food column"),
    "press_article": ("The article is out",),
}

NEWSLETTERS: tuple[tuple[str, str], ...] = (
    (
        "New season, new loaves",
        "Dear {first}, autumn is here and so is our walnut and fig loaf. Come and taste it at both shops this week, and don't miss the return of the apple turnovers.",
    ),
    (
        "Our bakers' Christmas",
        "Dear {first}, the bûche pre-orders are open! Chocolate-hazelnut, chestnut or our new citrus bûche. Order before the 20th to be sure of your favourite.",
    ),
    (
        "Galette season",
        "Dear {first}, from January 2nd the galettes des rois are back, frangipane or brioche with candied fruit. Who will find the fève this year?",
    ),
    (
        "Behind the counter",
        "Dear {first}, meet the team of the Station shop, who start at 6:30 so your croissant is warm before your train. Plus: our gluten-free corner explained.",
    ),
    (
        "Spring at Maison Levain",
        "Dear {first}, rhubarb tarts, wild garlic fougasse and longer Sunday hours. See you soon!",
    ),
    (
        "Easter is coming",
        "Dear {first}, Easter brioches and chocolate nests will be in the shops from Thursday. Pre-order online to skip the queue.",
    ),
    (
        "Summer hours",
        "Dear {first}, both shops stay open all summer except the two weeks around mid-August, when our bakers take a well-earned rest.",
    ),
    (
        "Back to school",
        "Dear {first}, new term, new after-school snack: the chocolate-rye cookie. And our bread-making workshops for children start again in October.",
    ),
    (
        "Ten years of sourdough",
        "Dear {first}, our starter turns ten this month! Join us on Saturday for a tasting of our sourdough family, from rye to spelt.",
    ),
    (
        "The gluten-free range grows",
        "Dear {first}, by popular demand, gluten-free seeded rolls are now baked three times a week. Thank you for your feedback.",
    ),
)

_FORMATTER = string.Formatter()


def slot_names(template: str) -> list[str]:
    """The slots of ``template`` in order of first appearance (a list, never a set: the order
    decides which random draws fill which slot, and must not vary between processes)."""
    return list(dict.fromkeys(name for _, name, _, _ in _FORMATTER.parse(template) if name))


def draw_slots(rng: random.Random, **given: str) -> dict[str, str]:
    """One value for every slot, so a question and its answer talk about the same loaf."""
    return {
        name: given[name] if name in given else rng.choice(options)
        for name, options in SLOTS.items()
    } | given


def render(rng: random.Random, key: str, **given: str) -> str:
    """Pick one template of ``key`` and fill it; slots not given are drawn from ``SLOTS``."""
    template = rng.choice(TEMPLATES[key])
    return fill(rng, template, **given)


def fill(rng: random.Random, template: str, **given: str) -> str:
    """Fill ``template``'s slots from ``given``, drawing missing ones from ``SLOTS``."""
    values = {}
    for name in slot_names(template):
        values[name] = given[name] if name in given else rng.choice(SLOTS[name])
    return template.format(**values)


def subject(rng: random.Random, key: str, **given: str) -> str:
    """An email subject for a ``key`` conversation, or an empty string for chat-like topics."""
    options = SUBJECTS.get(key)
    return fill(rng, rng.choice(options), **given) if options else ""
