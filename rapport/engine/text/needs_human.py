"""Does this message need a person? A calibrated score with the reasons behind it.

Three kinds of signal go into one small logistic regression:

- phrases, per reason (``PATTERNS`` below, written for Rapport): "smells of gas",
  "charged me twice", "taking my business elsewhere", "third time I've asked"…;
- what the model read (``analyze`` in full mode): anger, annoyance, fear, sadness and how
  negative or positive the text reads; in lexicon mode only VADER's tone;
- context, when the caller knows it: how many earlier messages from the same person are
  still unanswered (``prior_contacts``).

The weights, the threshold and the figures measured on held-out templates live in
``assets/needs_human.json``, written by ``scripts/fit_needs_human.py`` from the project's own
labelled messages (``rapport/engine/datasets/business_messages.csv``, written by
``scripts/make_business_messages.py``). Every feature that can raise a score speaks for a
reason code, so each score explains itself: a reason is listed when its share of the
log-odds is positive and at least ``MATERIAL``. See docs/text.md, "Needs a human".
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

# The fixed vocabulary, in the order of BUSINESS_MESSAGES.md's label guide.
REASONS: tuple[str, ...] = (
    "fear_or_safety",
    "health",
    "legal",
    "money",
    "threat_to_leave",
    "repeated_contact",
    "distress",
    "anger",
    "complex_request",
)

LABELS: dict[str, str] = {
    "fear_or_safety": "Mentions a safety risk or fear",
    "health": "Mentions illness, injury or an allergy",
    "legal": "Mentions a legal or data-protection matter",
    "money": "Money is at stake",
    "threat_to_leave": "Threatens to leave or cancel",
    "repeated_contact": "Has asked before without an answer",
    "distress": "The writer seems to be struggling",
    "anger": "Strong anger or abuse",
    "complex_request": "A request that needs judgement",
}

# Reasons that flag a message by themselves, outside the fitted weights: the project's
# labelled set has too few of them to weigh, and the answer does not depend on tone.
DIRECT_LABELS: dict[str, str] = {"asks_for_person": "Asks for a person or to complain formally"}
ASKS_FOR_PERSON = re.compile(
    r"\b(speak(ing)?|spoke|talk(ing|ed)?|chat(ting)?|get(ting)? through)\s+(to|with)\s+"
    r"(a |an |the |your |some |one of your )?(real |actual |live |proper )?"
    r"(person|human( being)?|someone|somebody|manager|supervisor|owner|boss|agent|operator"
    r"|representative|rep)\b"
    r"|\b(real|actual|live) (person|human|agent|operator)\b"
    r"|\b(contact(ing)?|reach(ing)?|get(ting)?) (a |an )?(human|human agent|live agent"
    r"|real person|agent|operator|representative|customer service agent)\b"
    r"|\bput me through to\b"
    r"|\b(fil(e|ing)|mak(e|ing)|lodg(e|ing)|submit(ting)?|rais(e|ing)|register(ing)?|open(ing)?"
    r"|log(ging)?) (a |an )?(formal |official )?complaint\b"
    r"|\b(want|wish|would like|need|'d like) to (complain|make a complaint)\b"
    r"|\bescalat(e|ing|ion)\b",
    re.I,
)

# A reason is shown when it adds at least this much to the log-odds (0.3 ≈ ×1.35 odds).
MATERIAL = 0.3

# Phrases per reason, matched case-insensitively on the cleaned text. Stems and optional
# endings keep them robust to inflection ("charge", "charged", "charging"). A leading "!"
# marks a phrase that states a problem by itself ("charged me twice", "smells of gas"); the
# others name a topic that may or may not be one ("refund", "allergy", "wedding"), so that
# "What is your refund policy?" weighs less than "Thanks a lot for charging me twice."
# Written by hand for Rapport from the label guide; widen a pattern rather than add a
# near-duplicate.
PATTERNS: dict[str, tuple[str, ...]] = {
    "fear_or_safety": (
        r"!\bwater (is |was |keeps |has been )?(coming|pouring|leaking|dripping|gushing|running) (in|through|down|everywhere)",
        r"\b(leak(s|ing|ed)?|flood(s|ed|ing)?|burst pipe)\b",
        r"!\bsmel(l|ls|led|lt|ling) (strongly |really |a lot )?(of )?(gas|burning)\b",
        r"!\bgas (leak|smell)|\bcarbon monoxide\b|\bsmoke alarm\b|\bfire alarm\b|\bevacuat\w*",
        r"!\bspark(s|ing|ed)?\b|\b(electric(al)? shock|exposed wires?|live wires?|shocked me)\b",
        r"\bbrakes?\b|\bsteering\b|\btyres? (burst|blew)\b",
        r"\bfire exits?\b|\b(smok(e|es|ing)|caught fire|flames?)\b",
        r"!\b(get|got|getting|be|been|badly|was|were|seriously|someone) hurt\b|\bhurt (myself|himself|herself|someone)\b",
        r"!\bunsafe\b|\bnot safe\b|\bdon'?t feel safe\b",
        r"\bdanger(ous)?\b|\bhazard\w*|\bsafety\b",
        r"!\bthreat(en|ened|ening|s)?\b|\battack(ed)?\b|\bassault\w*|\bviolen(t|ce)\b|\bweapon\b",
        r"!\b(following|followed|stalking|stalked) (women|me|people|her|him|staff)\b",
        r"\b(scared|afraid|frightened|terrified)\b",
        r"!\b(going to|gonna|about to) (fall|get hurt|collapse|give way)\b|\b(have|has) fallen\b|\bfell (over|down|off)\b|\bslipp(ed|ery)\b|\btripped\b",
        r"!\b(come|came|coming) loose\b|\bswinging\b|\bleaning (right )?over\b|\bhanging off\b|\bcollaps\w*|\bcrack(s|ed)? in the (ceiling|wall)\b",
        r"!\b(break-in|broken into|burglar(s|y)?|intruders?|stolen|theft)\b",
        r"\bpolice\b",
        r"!\b(someone|somebody) has (our|my) [\w ]{0,12}password\b|\bhack(ed|er|ers)\b|\bphishing\b|\bnot me who logged in\b",
        r"!\b(can'?t|cannot) (secure|lock)\b|\bnot locking\b|\bwon'?t lock\b|\btrapped\b|\blocked in\b",
        r"!\balarm (is )?going off\b|\bglass (on|all over)\b",
        r"\b(classed as )?at risk\b|\bemergency\b",
    ),
    "health": (
        r"\ballerg(y|ies|ic|en|ens)\b|\bepipen\b",
        r"!\b(allergic )?reactions?\b|\banaphyla\w*",
        r"!\bfood poisoning\b|\bundercooked\b|\braw (chicken|meat|pork|in the middle)\b",
        r"\b(hospital|a&e|ambulance|doctor|gp|vet|paramedics?|first aid)\b",
        r"!\b(sick|ill|unwell|poorly) (after|all night|since|for days)\b|\b(been|was|were|felt|feel|feeling|fell|got) (ill|unwell|sick|poorly)\b",
        r"!\bvomit\w*|\bthrow(ing|n)? up\b|\bthrew up\b|\bstomach (cramps?|ache|bug)\b|\bdiarrh\w*|\bnause\w*",
        r"!\b(swell(ing|ed|s)?|swollen|rash|hives|blister\w*|burn(s|ed|ing)?|scald(ed|s)?|bleed(ing)?|stitches|bruis\w*|sprain\w*|fractur\w*)\b",
        r"\b(gluten|coeliac|celiac|lactose|peanuts?|sesame|shellfish|nut[- ]free)\b",
        r"!\b(contaminat\w*|out of date|recall(ed)?|pests?|rats|mice|mould\w*|mold\w*|cockroach\w*|maggots?|insects?)\b",
        r"\b(pregnan\w*|blood thinners|medication|medical|diabet\w*|epilep\w*|asthma\w*|heart condition)\b",
        r"!\binjur(y|ies|ed)\b|\bcut my (hand|finger|arm|leg|foot)\b|\bbroke (a|my) (tooth|arm|leg|wrist)\b",
        r"!\b(piece|bit|shard) of (glass|metal|plastic|wire)\b|\bhair in (my|the)\b",
        r"!\bheadaches?\b|\bfumes\b|\bcan barely (walk|move)\b|\bpulled (something|a muscle)\b|\b(in|severe) pain\b|\bpainful\b",
    ),
    "legal": (
        r"!\b(solicitors?|lawyers?|lawsuit|court|sue|suing|liable|negligen\w*|compensation claim)\b|\blegal (action|options|advice|proceedings)\b",
        r"\blegal\b",
        r"!\btrading standards\b|\bombudsman\b|\bregulator\b|\bico\b|\bconsumer rights\b",
        r"\bgdpr\b|\bsubject access\b|\bpersonal data\b|\bdata protection\b|\bprivacy\b|\bright to erasure\b",
        r"!\bdata breach\b",
        r"\bdata processing\b|\brecords you hold\b|\b(delete|erase|remove) (all )?(my|the|our) (personal )?(data|details|information)\b|\bsub-processors\b",
        r"!\bdiscriminat\w*|\bharass\w*|\bracis\w*|\bsexis\w*|\bhomophob\w*|\bbull(y|ying|ied)\b|\binappropriate(ly)?\b",
        r"!\bcomments about my (age|religion|race|colour|accent|weight|gender|sexuality|disability|pregnancy)\b|\btouch(ing|ed|es) my\b",
        r"!\bformal complaint\b|\bgrievance\b|\btribunal\b|\bwhistleblow\w*|\bacas\b|\bunfair(ly)? dismiss\w*|\bdisciplinary\b",
        r"!\bsmall claims\b|\bdebt (recovery|collect\w*)\b|\bbailiffs?\b|\bccj\b",
        r"\bplanning (permission|application)\b|\bcopyright\b|\btrademark\b|\blicen[cs]e\b|\blicensed\b",
        r"!\bdefamat\w*|\blibel\b",
        r"\bliability\b|\bterms of (supply|service|business)\b|\bbreach(ed|es)?\b|\bindemni\w*",
        r"!\bwithout (asking|consent|permission|my permission|my consent)\b",
        r"\bconsent\b|\bmailing list\b",
        r"!\b(not|never) (allowed )?to take (my|a|our) breaks?\b|\bminimum wage\b|\bcontract (says|requires|states)\b",
        r"!\breport(ing)? (you|this|it) to\b",
    ),
    "money": (
        r"!\bcharg(e|ed|ing) (me |us |my card |our card )?(twice|double|again|two times)\b",
        r"!\bdouble[- ]charg\w*|\b(charged|taken|billed|paid) twice\b",
        r"\brefund\w*+(?! polic)|\breimburs\w*|\b(money|charge|it|deposit) back\b|\bcredit note\b",
        r"!\bchargeback\b|\bnever agreed\b",
        r"!\bover-?charg\w*|\bbilled (us|me) for\b|\bbilled in\b|\bcharged (me|us) for\b|\bbilling (error|mistake)\b",
        r"!\b(not|never) (been )?paid\b|\bunpaid\b|\bhaven'?t (been|got) paid\b|\bhasn'?t been paid\b|\bout of pocket\b",
        r"\bowe[sd]?\b",
        r"!\bstill (taken|taking|charging|billing)\b|\b(you'?ve|they'?ve) still taken\b|\btook (the )?money\b|\btaken (the )?(money|payment)\b",
        r"!\boverdue\b|\bpayments? (have |has )?(failed|bounced)\b|\b(card|payment) (was )?declined\b|\breturned unpaid\b",
        r"\bsurcharge\b|\bprices? (will |are going to )?(rise|increase|go up|going up)\b|\b(price|rate|fee) (rise|increase|hike)\b|\brise by \d|\bgoes up to\b",
        r"\bpayslips?\b|\bovertime\b|\bholiday pay\b|\bsick pay\b|\bwages?\b|\bsalary\b|\bmy pay\b|\bpay rise\b|\btips\b|\bexpenses\b",
        r"\bdeposit\b|\b(cancellation|late|admin|booking) fee\b|\bin cash\b|\bvouchers?\b|\bgift card\b",
        r"!\binvoice[^.]{0,40}\b(never agreed|wrong|incorrect|dispute|disputed|double|nearly double|won'?t pay)\b|\bdisputed?\b",
        r"!\bdeducted\b",
        r"\bpayment (terms|plan)\b|\bnew rate\b|\blist price\b|\bcompensation\b|\bdiscount\b",
        r"\b(struggling|can'?t afford|hardship|debt)\b",
        r"\bdonation\b|\bsponsorship\b|\bfund(ing|raising)\b",
        r"[£$€]\s?\d",
    ),
    "threat_to_leave": (
        r"!\bcancel(l?ing|l?ed|s)?( [\w']+){0,2} (membership|subscription|order|account|contract|plan|booking|direct debit)\b",
        r"!\btak(e|ing) (my|our) (business|custom|money|orders?) (elsewhere|somewhere else)\b|\b(go|going|shop|shopping) elsewhere\b",
        r"!\bhand(ing|ed)? in my notice\b|\bmy (\w+ )?(weeks?'?|months?'?) notice\b|\bmy notice\b|\bgive notice\b",
        r"\bnotice period\b",
        r"!\bresign\w*|\bquit(ting)?\b|\bleav(e|ing) (at the end of|the company|my job|this job)\b|\blooking for (another|a new) (job|role|position)\b",
        r"\bswitch(ing)? (to|suppliers|providers|banks)\b|\bmov(e|ing) (our|my) [\w ]{0,20} to (another|a different|a new)\b|\bcompetitors?\b",
        r"\b(another|a new|other|a different) (firm|supplier|provider|company|groomer|hairdresser|gym|bank|accountants?|shop|bakery|it providers?|agency|salon|garage|plumber|builder|cafe|restaurant)\b",
        r"!\blast time i\b|\bnever (coming|going|be coming) back\b|\bwon'?t be (back|returning|coming back|using|ordering|renewing)\b|\bwill never (use|order|shop|come)\b",
        r"!\bnot sure i'?ll be back\b|\bnot coming back\b|\bi'?m done\b|\bdone with (you|this)\b|\blost (a|my|our) (customer|custom|business)\b",
        r"!\b(don'?t|not|won'?t) (be )?renew\w*|\bclose (our|my) account\b|\blist to close\b|\bend (our|the|my) (contract|agreement)\b",
        r"\bterminat\w*",
        r"!\bstop (it|delivering|the order|our order|the service|using you)\b|\bwant to stop\b|\bno longer (use|using|need|viable|order)\b",
        r"!\bone more time\b|\bif this happens again\b|\blast chance\b|\bfinal warning\b",
    ),
    "repeated_contact": (
        r"!\b(second|third|fourth|fifth|2nd|3rd|4th|5th) (time|call|email|e-mail|message|attempt|request|reminder)\b",
        r"!\b(for|asking) the (second|third|fourth|fifth) time\b|\b(third|fourth|fifth) time (asking|writing|calling)\b",
        r"!\b(asked|called|rang|emailed|e-mailed|written|wrote|chased|messaged|phoned|contacted|told|reported)( [\w ]{0,20})? (twice|(two|three|four|five|several|multiple|many|numerous|\d+) times)\b",
        r"!\b(several|multiple|many|numerous|countless) (times|emails|calls|messages)\b|\brepeatedly\b",
        r"!\bstill no (reply|response|answer|update|word|news|call)\b|\bno (reply|response|answer) (yet|again|at all)\b|\bstill haven'?t (heard|had a reply|had an answer)\b",
        r"\bstill waiting\b",
        r"!\b(no one|nobody) (has )?(rang|rung|called|got|gotten|come|written|replied|answers?|responds?)( me| us)?( back)?\b|\bwith no (response|reply)\b|\bignor(ed|ing)\b",
        r"!\bhaven'?t heard (back|anything)\b|\bhad no (reply|update|answer|response)\b|\bnever (got|had|received) a (reply|response|call back)\b",
        r"\bchas(e|ed|ing)( this| it| you)?( up)?( again)?\b|\bonce again\b|\byet again\b|^again\b|\bfollow(ing)? up (again|on my)\b",
        r"!\bas i said (in my last|before|previously)\b|\bmy (last|previous) (two|three|\d )?(emails?|messages?|calls?|tickets?)\b|\bas per my (last|previous)\b",
        r"!\bsame (issue|problem) as\b|\breopen\w*|\banyone there\b|\bstill not (resolved|fixed|sorted)\b|\bstill nothing\b|\balready (asked|told|sent|reported|called|emailed)\b",
    ),
    "distress": (
        r"!\bburn(t|ed)[- ]out\b|\bburnout\b|\boverwhelm\w*|\bat (the end of my|my wits'?) (rope|tether|end)\b",
        r"!\b(can'?t|cannot|not) cop(e|ing)\b|\bcan'?t do this\b|\bhow much longer i can\b|\bbreaking (down|point)\b|\bfalling apart\b",
        r"!\bpassed away\b|\bfuneral\b|\bbereave\w*|\b(died|death|dying|grief|grieving)\b|\bterminal(ly)?\b|\bhospice\b|\bcancer\b",
        r"!\bpanic\w*|\banxi(ety|ous)\b|\bdepress\w*|\bmental health\b|\bcan'?t sleep\b",
        r"\bstress(ed|ful)?\b",
        r"!\b(cried|crying|in tears|sobbing)\b|\bexhausted\b|\bdread\b|\bdesperate\b|\bheartbroken\b|\bdevastated\b",
        r"!\bdon'?t know (what to do|who else|where to turn)\b|\b(really|so) hard (at the moment|right now)\b|\bdiagnosed\b",
        r"\bplease help\b|\bcarer\b|\bhardest\b|\btipped me over\b|\bmy baby\b|\blocked (myself )?out\b|\bon my own\b",
        r"\b(lives|living) alone\b|\belderly\b|\bconfused\b|\bvulnerable\b",
    ),
    "anger": (
        r"!\bdisgust\w*|\bfurious\b|\bfuming\b|\blivid\b|\boutrag\w*|\bdisgrace\w*|\bangry\b|\bappall\w*|\bseething\b",
        r"!\bshame on you\b|\bunacceptable\b|\brude(ly|ness)?\b|\binsult\w*|\bswor(e|earing)\b|\bshout(ed|ing)\b|\byell(ed|ing)\b|\bscream(ed|ing)\b",
        r"!\babus(e|ed|ive)\b|\bsick (and tired )?of\b|\bhad enough\b|\bwhat a joke\b|\bis a joke\b|\bridiculous\b|\bshocking\b",
        r"\bworst\b|\bdo not go\b|\bnever again\b",
        r"!\bidiots?\b|\bstupid\b|\bpathetic\b|\bincompeten\w*|\buseless\b|\bclowns\b|\bcowboys\b",
        r"!\bhung up on\b|\bpatronis\w*|\bpatroniz\w*|\bhow dare\b|\bscam\w*|\bcon artists?\b|\brip[- ]?off\b|\bliars?\b|\blied\b|\bdismissive\b",
        r"\bwtf\b|\bf+u+c+k\w*|\bbloody\b|\bcrap\b|\bshit\w*|\bdamn\b",
        r"[!]{3,}|(?-i:\b[A-Z]{3,}(\s+[A-Z]{2,})+\b)",  # shouting: three bangs, words in capitals
    ),
    "complex_request": (
        r"\bwedding\b|\bbespoke\b|\bquot(e|es|ing) for\b|\b(can|could) you quote\b|\ba quote\b|\bestimate for\b|\bpartnership\b|\bcollaborat\w*",
        r"\bchange (of|to) (my|our|the) (contract|hours|role)\b|\bcontract that\b|\bpart-time\b|\bjob-share\b|\breduce my hours\b|\bsabbatical\b",
        r"\baccessib\w*|\bwheelchair\b|\bhearing (loop|impaired)\b|\bspecial (requirements|needs)\b|\bdietary requirements\b",
        r"\bprivate (event|party|function|hire)\b|\bbook the whole\b|\bexclusive (use|hire)\b|\bsponsor\w*|\bcorporate (event|order|account)\b|\b(bulk|large|wholesale) (order|contract)\b",
        r"\bphased return\b|\b(four|three) days a week\b|\bflexible working\b|\bsplit my role\b|\bparental leave\b",
        r"\bmigrat(e|ion)\b|\bcustom (fields|build|made|design)\b|\bgrant\b|\bletter of support\b|\bwork experience\b|\bproposal\b",
        r"\b\d{2,} (guests|people|children|volunteers|staff|pupils|employees|delegates)\b|\bparty of \d{2,}\b",
        r"\b(can|could|shall) we (meet|talk|discuss|arrange a (call|meeting)|set up a call)\b|\bcould we (look at|talk)\b|\bmeet to (plan|discuss)\b",
        r"\btalk it through\b|\bhappy to discuss\b|\bwho should i (talk|speak) to\b|\bwould you (host|be interested|consider)\b",
        r"\bstructural survey\b|\brebuild\b|\brestor(e|ation)\b",
    ),
}


@functools.cache
def _compiled() -> dict[str, tuple[tuple[re.Pattern, bool, bool], ...]]:
    """Per reason: (regex, states a problem, matched on the lower-cased text). One
    alternation per kind of phrase, run on the lower-cased text, scans several times faster
    than many small case-blind patterns; the few patterns that read capitals (``(?-i:``) run
    on the text as written. Compiled on first use, so importing rapport.engine.text stays
    cheap."""
    compiled = {}
    for code, patterns in PATTERNS.items():
        found = []
        for problem in (True, False):
            for lowered in (True, False):
                chosen = [
                    p.removeprefix("!")
                    for p in patterns
                    if p.startswith("!") == problem and ("(?-i:" not in p) == lowered
                ]
                if chosen:
                    joined = "|".join(f"(?:{p})" for p in chosen)
                    flags = re.M if lowered else re.M | re.I
                    found.append((re.compile(joined, flags), problem, lowered))
        compiled[code] = tuple(found)
    return compiled


assert tuple(PATTERNS) == REASONS

# Emotion signals and the reason each one speaks for (GoEmotions labels, max of the members).
EMOTION_SIGNALS: dict[str, tuple[tuple[str, ...], str]] = {
    "anger": (("anger", "disgust"), "anger"),
    "annoyance": (("annoyance", "disapproval"), "anger"),
    "fear": (("fear", "nervousness"), "fear_or_safety"),
    "sadness": (("sadness", "grief"), "distress"),
}

# Unanswered earlier messages from the same person that count as repeated contact: the
# label guide's "already asked two or more times without an answer".
REPEATED_AFTER = 2

# What makes a message ask something of the business: a question, a request, a wish, a
# chase. A message with none of these and no stated problem only informs (a supplier's
# delivery note, an automated receipt, "received and signed off"): it is not "asking
# again", however many came before it without a reply.
_ASKING = re.compile(
    r"\?|\b(please|pls|plz|kindly|could|can|would|will you|may i|may we|shall|"
    r"i need|we need|i want|we want|i'?d like|we'?d like|i would like|we would like|"
    r"let me know|let us know|get back to|call me|call us|ring me|contact me|reply|respond|"
    r"answer|send me|send us|waiting|wait|still|when|where|why|how|what|which|who|"
    r"is it possible|is there|are there|any (news|update|word)|help|request|asap|urgent|"
    r"wondering|hoping|never|missing|wrong|broken|damaged|late|again|refund|problem|issue|"
    r"complain\w*|disappointed|unacceptable|not (arrived|received|delivered|working))\b",
    re.IGNORECASE,
)
# Courtesies that look like requests but only hand something over.
_HANDING_OVER = re.compile(
    r"\bplease (find|see) (attached|enclosed|below)\b|\bplease note\b", re.IGNORECASE
)


def asks_something(text: str, phrases: Phrases | None = None) -> bool:
    """Whether ``text`` asks the business for something or states a problem, rather than only
    informing it. Only messages that ask can be "asking again" (and count as earlier
    unanswered contacts). ``phrases``: the text's :func:`find_phrases`, when already found.

    >>> asks_something("Received 39 sacks of T65 flour (MIL-241206). Stored and signed off.")
    False
    >>> asks_something("Please find attached invoice F-2291 for last month's deliveries.")
    False
    >>> asks_something("Any news on my refund?")
    True
    """
    if _ASKING.search(_HANDING_OVER.sub(" ", text)):
        return True
    return bool((phrases or find_phrases(text)).problems)


@dataclass(frozen=True, slots=True)
class Phrases:
    """What :func:`find_phrases` found: per reason code the matched words, in text order,
    and the codes for which a phrase states a problem by itself."""

    words: dict[str, tuple[str, ...]]
    problems: frozenset[str]


def find_phrases(text: str) -> Phrases:
    """The phrases of ``text`` that match each reason's patterns."""
    words: dict[str, tuple[str, ...]] = {}
    problems = set()
    lower = text.lower()
    for code, patterns in _compiled().items():
        hits: list[tuple[int, str]] = []
        for pattern, problem, lowered in patterns:
            scanned = lower if lowered else text
            matched = [(m.start(), m.group(0).strip()) for m in pattern.finditer(scanned)]
            if matched and problem:
                problems.add(code)
            hits += matched
        if hits:
            words[code] = tuple(dict.fromkeys(w.lower() for _, w in sorted(hits) if w))
    return Phrases(words, frozenset(problems))


def feature_names(mode: str) -> list[str]:
    """The inputs of the regression, in order: ``<code>`` (a phrase of that reason matched),
    ``<code>*neg`` (the same, times how negative the text reads), ``problem`` (a phrase
    states a problem by itself; it speaks for the reasons whose phrase did),
    ``tone:positive`` (how positive the text reads: thanks for a quick refund is not a money
    problem), then in full mode the emotion signals. The tone names no reason, so its
    weight is kept ≤ 0 when fitting: it can only lower a score."""
    names = [
        *REASONS,
        *(f"{code}*neg" for code in REASONS),
        "problem",
        "tone:positive",
    ]
    if mode == "full":
        names += [f"emotion:{name}" for name in EMOTION_SIGNALS]
    return names


@dataclass(frozen=True, slots=True)
class Signals:
    """What one text shows, before weighting: the inputs of the regression (``values``),
    the evidence each one cites, and the reason codes each one speaks for (none for the
    tones)."""

    values: dict[str, float]
    evidence: dict[str, str]
    owners: dict[str, tuple[str, ...]]


def signals(
    text: str,
    *,
    sentiment_score: float | None,
    emotions: Mapping[str, float] | None = None,
    prior_contacts: int | None = None,
    mode: str = "full",
) -> Signals:
    """The inputs of the regression for one cleaned text (see :func:`feature_names`)."""
    phrases = find_phrases(text)
    problems = set(phrases.problems)
    negativity = max(0.0, -(sentiment_score or 0.0))
    values: dict[str, float] = {}
    evidence: dict[str, str] = {}
    owners: dict[str, tuple[str, ...]] = {}
    for code in REASONS:
        hit = 1.0 if code in phrases.words else 0.0
        cited = [f'"{p}"' for p in phrases.words.get(code, ())[:3]]
        if (
            code == "repeated_contact"
            and prior_contacts
            and prior_contacts >= REPEATED_AFTER
            and asks_something(text, phrases)
        ):
            hit = 1.0
            problems.add(code)
            cited.append(f"{prior_contacts} earlier messages unanswered")
        values[code] = hit
        values[f"{code}*neg"] = hit * negativity
        owners[code] = owners[f"{code}*neg"] = (code,)
        if hit:
            evidence[code] = ", ".join(cited)
            evidence[f"{code}*neg"] = f"negative tone {negativity:.2f}"
    values["problem"] = 1.0 if problems else 0.0
    owners["problem"] = tuple(code for code in REASONS if code in problems)
    values["tone:positive"] = max(0.0, sentiment_score or 0.0)
    if mode == "full":
        emotions = emotions or {}
        for name, (members, code) in EMOTION_SIGNALS.items():
            p, which = max((emotions.get(e, 0.0), e) for e in members)
            values[f"emotion:{name}"] = float(p)
            evidence[f"emotion:{name}"] = f"{which} {p:.2f}"
            owners[f"emotion:{name}"] = (code,)
    return Signals(values, evidence, owners)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a message may need a person: ``code`` from :data:`REASONS`, ``label`` in plain
    words, ``evidence`` (the matched words, "anger 0.82", "3 earlier messages unanswered")
    and ``weight``, what it adds to the log-odds of the score."""

    code: str
    label: str
    evidence: str
    weight: float


@dataclass(frozen=True, slots=True)
class NeedsHuman:
    """``score``: the calibrated probability that an owner should read this personally;
    ``flagged``: ``score`` ≥ the shipped threshold; ``reasons``: strongest first."""

    score: float
    flagged: bool
    reasons: tuple[Reason, ...] = ()


class NeedsHumanModel:
    """The fitted weights of one mode (``full`` or ``lexicon``) from ``needs_human.json``."""

    def __init__(self, spec: dict):
        self.names: list[str] = list(spec["features"])
        self.weights: list[float] = [float(w) for w in spec["weights"]]
        self.intercept = float(spec["intercept"])
        self.threshold = float(spec["threshold"])

    def score(self, values: Mapping[str, float]) -> tuple[float, dict[str, float]]:
        """The probability and each feature's contribution to the log-odds."""
        contributions = {
            name: w * values.get(name, 0.0)
            for name, w in zip(self.names, self.weights, strict=True)
            if values.get(name, 0.0)
        }
        logit = self.intercept + sum(contributions.values())
        return 1.0 / (1.0 + math.exp(-logit)), contributions

    def assess(self, found: Signals) -> NeedsHuman:
        """The score of these signals, with each reason's share of the log-odds: a feature
        that speaks for several reasons splits its contribution evenly between them."""
        probability, contributions = self.score(found.values)
        by_reason: dict[str, float] = {}
        cited: dict[str, list[str]] = {}
        for name, c in contributions.items():
            codes = found.owners.get(name, ())
            for code in codes:
                by_reason[code] = by_reason.get(code, 0.0) + c / len(codes)
            if c > 0 and found.evidence.get(name) and codes:
                cited.setdefault(codes[0], []).append(found.evidence[name])
        reasons = tuple(
            Reason(code, LABELS[code], "; ".join(cited.get(code, ())), round(weight, 2))
            for code, weight in sorted(by_reason.items(), key=lambda kv: -kv[1])
            if weight >= MATERIAL
        )
        return NeedsHuman(
            score=round(probability, 4), flagged=probability >= self.threshold, reasons=reasons
        )


_models: dict[str, NeedsHumanModel] = {}
_lock = threading.Lock()


def weights_path():
    return resources.files("rapport.engine.text") / "assets" / "needs_human.json"


# The date (and number, that day) of the last change to the rules above (the phrases, what counts as asking, as
# repeated contact). Part of every reading's model version with the weights' digest, so that
# a change to either makes the readings it would alter stale (`rapport reanalyze`).
RULES_VERSION = "2026-12-06.2"


@functools.cache
def version() -> str:
    """``needs@<rules date>.<first 8 hex of the weights file's SHA-256>``."""
    digest = hashlib.sha256(weights_path().read_bytes()).hexdigest()[:8]
    return f"needs@{RULES_VERSION}.{digest}"


def load_model(mode: str) -> NeedsHumanModel:
    """The shipped weights for ``mode`` (``full`` or ``lexicon``), read once."""
    with _lock:
        if not _models:
            spec = json.loads(weights_path().read_text(encoding="utf-8"))
            _models.update({m: NeedsHumanModel(s) for m, s in spec["modes"].items()})
    return _models[mode]


def assess(
    text: str,
    *,
    sentiment_score: float | None,
    emotions: Mapping[str, float] | None = None,
    prior_contacts: int | None = None,
    mode: str = "full",
) -> NeedsHuman:
    """Score one cleaned text. ``emotions`` are the 28 GoEmotions probabilities (full mode),
    ``sentiment_score`` is in [-1, 1]; ``prior_contacts`` counts earlier unanswered messages
    from the same person."""
    found = signals(
        text,
        sentiment_score=sentiment_score,
        emotions=emotions,
        prior_contacts=prior_contacts,
        mode=mode,
    )
    model = load_model(mode)
    result = model.assess(found)
    asked = [m.group(0).strip() for m in ASKS_FOR_PERSON.finditer(text)]
    if not asked:
        return result
    # Asked for a person: honoured whatever the tone, so the score is raised to the flag
    # threshold when it was below it, and the reason comes first.
    score = max(result.score, model.threshold)
    lift = math.log(score / (1 - score)) - math.log(result.score / (1 - result.score))
    reason = Reason(
        "asks_for_person",
        DIRECT_LABELS["asks_for_person"],
        ", ".join(f'"{w.lower()}"' for w in dict.fromkeys(asked)),
        round(max(lift, 0.0), 2),
    )
    return NeedsHuman(score=round(score, 4), flagged=True, reasons=(reason, *result.reasons))
