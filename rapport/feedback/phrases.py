"""The answering pages' own words, in the languages a survey can be set to.

The business writes its questions in its own language; everything else a respondent reads
(buttons, hints, errors, the thanks page, the ends of a scale) comes from here, chosen by
``Survey.language``. An unknown language falls back to English. A test checks that every
language has every phrase, so a new phrase cannot be forgotten in one of them.
"""

from rapport.feedback.answers import MAX_TEXT

DEFAULT = "en"

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "send": "Send my answers",
        "required": "required",
        "required_note": "Questions marked * need an answer.",
        "error_summary": "Some answers need another look. Please check the questions marked below.",
        "need_answer": "This question needs an answer.",
        "nothing_answered": "Please answer at least one question.",
        "invalid": "Please choose one of the answers offered.",
        "too_long": "This answer is too long: at most {max} characters are kept.",
        "text_hint": "Up to {max} characters.",
        "choose_one": "Choose one.",
        "choose_several": "Choose as many as you like.",
        "nps_low": "Not at all likely",
        "nps_high": "Extremely likely",
        "csat_low": "Very dissatisfied",
        "csat_high": "Very satisfied",
        "agree_low": "Strongly disagree",
        "agree_high": "Strongly agree",
        "rating_low": "Poor",
        "rating_high": "Excellent",
        "thanks_title": "Thank you",
        "thanks_default": "Your answers have been received.",
        "duplicate": "We already have your answers. Thank you!",
        "keep_link_title": "Keep this link to read replies",
        "keep_link": "If the business replies to you, you can read it and answer here. Keep this "
        "link somewhere safe: it is shown only this once, it is never emailed, and it is the "
        "only way back to the conversation.",
        "closed_title": "This survey is closed",
        "closed": "This survey is not taking answers at the moment. Thank you for stopping by.",
        "already_title": "You have already answered",
        "already": "You have already answered, thank you.",
        "anonymous_notice": "This survey is anonymous: your answer will not be linked to you, "
        "even though you came through a personal link.",
        "contact_legend": "May we tell you what changed?",
        "contact_consent": "Yes, tell me what changed because of feedback like mine.",
        "contact_email": "Your email",
        "contact_email_needed": "Please give your email so that we can tell you, or untick the box.",
        "email_invalid": "This email address does not look right.",
        "identity_legend": "Your name and email — leave empty to stay anonymous",
        "identity_name": "Your name",
        "identity_email": "Your email",
        "identity_need_email": "Please add your email too, or leave both empty to stay anonymous.",
        "honeypot": "Leave this field empty",
        "rate_title": "Please wait a moment",
        "rate": "We received many answers from your connection in a short time. Please try "
        "again in a few minutes.",
        "large_title": "That was too long",
        "large": "What you sent was too long to receive. Please shorten your answers and try "
        "again.",
        "conversation_title": "Your conversation",
        "conversation_intro": "Read the business's replies to your answers and write back. Keep "
        "this page's address private: anyone who has it can read this conversation.",
        "your_answers": "Your answers",
        "messages_title": "Messages",
        "from_business": "From {business}",
        "from_you": "You",
        "no_messages": "No reply yet. Come back to this link later.",
        "your_message": "Your message",
        "send_message": "Send",
        "message_sent": "Your message was sent.",
        "message_empty": "The message is empty.",
        "message_too_long": "The message is too long: at most {max} characters.",
    },
    "fr": {
        "send": "Envoyer mes réponses",
        "required": "obligatoire",
        "required_note": "Les questions marquées * demandent une réponse.",
        "error_summary": "Certaines réponses sont à revoir. Vérifiez les questions signalées "
        "ci-dessous.",
        "need_answer": "Cette question demande une réponse.",
        "nothing_answered": "Répondez au moins à une question.",
        "invalid": "Choisissez l'une des réponses proposées.",
        "too_long": "Cette réponse est trop longue : {max} caractères au plus sont conservés.",
        "text_hint": "Jusqu'à {max} caractères.",
        "choose_one": "Choisissez une réponse.",
        "choose_several": "Choisissez-en autant que vous voulez.",
        "nps_low": "Pas du tout probable",
        "nps_high": "Très probable",
        "csat_low": "Très insatisfait",
        "csat_high": "Très satisfait",
        "agree_low": "Pas du tout d'accord",
        "agree_high": "Tout à fait d'accord",
        "rating_low": "Mauvais",
        "rating_high": "Excellent",
        "thanks_title": "Merci",
        "thanks_default": "Vos réponses ont bien été reçues.",
        "duplicate": "Nous avons déjà vos réponses. Merci !",
        "keep_link_title": "Gardez ce lien pour lire les réponses",
        "keep_link": "Si l'entreprise vous répond, vous pourrez lire sa réponse et lui écrire "
        "ici. Gardez ce lien en lieu sûr : il n'est affiché qu'une fois, il n'est jamais envoyé "
        "par e-mail et c'est le seul chemin vers la conversation.",
        "closed_title": "Ce questionnaire est fermé",
        "closed": "Ce questionnaire ne reçoit pas de réponses pour le moment. Merci de votre "
        "visite.",
        "already_title": "Vous avez déjà répondu",
        "already": "Vous avez déjà répondu, merci.",
        "anonymous_notice": "Ce questionnaire est anonyme : votre réponse ne sera pas liée à "
        "vous, même si vous êtes arrivé par un lien personnel.",
        "contact_legend": "Pouvons-nous vous dire ce qui a changé ?",
        "contact_consent": "Oui, dites-moi ce qui a changé grâce à des avis comme le mien.",
        "contact_email": "Votre e-mail",
        "contact_email_needed": "Indiquez votre e-mail pour que nous puissions vous répondre, "
        "ou décochez la case.",
        "email_invalid": "Cette adresse e-mail ne semble pas correcte.",
        "identity_legend": "Votre nom et votre e-mail — laissez vide pour rester anonyme",
        "identity_name": "Votre nom",
        "identity_email": "Votre e-mail",
        "identity_need_email": "Ajoutez aussi votre e-mail, ou laissez les deux champs vides "
        "pour rester anonyme.",
        "honeypot": "Laissez ce champ vide",
        "rate_title": "Un instant, s'il vous plaît",
        "rate": "Nous avons reçu beaucoup de réponses depuis votre connexion en peu de temps. "
        "Réessayez dans quelques minutes.",
        "large_title": "C'était trop long",
        "large": "Votre envoi était trop long pour être reçu. Raccourcissez vos réponses et "
        "réessayez.",
        "conversation_title": "Votre conversation",
        "conversation_intro": "Lisez les réponses de l'entreprise et répondez-lui. Gardez "
        "l'adresse de cette page pour vous : quiconque la possède peut lire cette conversation.",
        "your_answers": "Vos réponses",
        "messages_title": "Messages",
        "from_business": "De {business}",
        "from_you": "Vous",
        "no_messages": "Pas encore de réponse. Revenez plus tard par ce lien.",
        "your_message": "Votre message",
        "send_message": "Envoyer",
        "message_sent": "Votre message a été envoyé.",
        "message_empty": "Le message est vide.",
        "message_too_long": "Le message est trop long : {max} caractères au plus.",
    },
    "de": {
        "send": "Antworten senden",
        "required": "Pflichtfeld",
        "required_note": "Mit * markierte Fragen brauchen eine Antwort.",
        "error_summary": "Einige Antworten müssen noch einmal geprüft werden. Bitte sehen Sie "
        "sich die markierten Fragen an.",
        "need_answer": "Diese Frage braucht eine Antwort.",
        "nothing_answered": "Bitte beantworten Sie mindestens eine Frage.",
        "invalid": "Bitte wählen Sie eine der angebotenen Antworten.",
        "too_long": "Diese Antwort ist zu lang: höchstens {max} Zeichen werden gespeichert.",
        "text_hint": "Bis zu {max} Zeichen.",
        "choose_one": "Wählen Sie eine Antwort.",
        "choose_several": "Wählen Sie so viele, wie Sie möchten.",
        "nps_low": "Äußerst unwahrscheinlich",
        "nps_high": "Äußerst wahrscheinlich",
        "csat_low": "Sehr unzufrieden",
        "csat_high": "Sehr zufrieden",
        "agree_low": "Stimme überhaupt nicht zu",
        "agree_high": "Stimme voll und ganz zu",
        "rating_low": "Schlecht",
        "rating_high": "Ausgezeichnet",
        "thanks_title": "Vielen Dank",
        "thanks_default": "Ihre Antworten sind angekommen.",
        "duplicate": "Wir haben Ihre Antworten bereits. Vielen Dank!",
        "keep_link_title": "Bewahren Sie diesen Link auf, um Antworten zu lesen",
        "keep_link": "Wenn das Unternehmen Ihnen antwortet, können Sie es hier lesen und "
        "zurückschreiben. Bewahren Sie den Link sicher auf: Er wird nur dieses eine Mal "
        "angezeigt, nie per E-Mail verschickt und ist der einzige Weg zurück zum Gespräch.",
        "closed_title": "Diese Umfrage ist geschlossen",
        "closed": "Diese Umfrage nimmt derzeit keine Antworten an. Danke für Ihren Besuch.",
        "already_title": "Sie haben bereits geantwortet",
        "already": "Sie haben bereits geantwortet, vielen Dank.",
        "anonymous_notice": "Diese Umfrage ist anonym: Ihre Antwort wird nicht mit Ihnen "
        "verknüpft, auch wenn Sie über einen persönlichen Link gekommen sind.",
        "contact_legend": "Dürfen wir Ihnen sagen, was sich geändert hat?",
        "contact_consent": "Ja, sagen Sie mir, was sich durch Rückmeldungen wie meine geändert "
        "hat.",
        "contact_email": "Ihre E-Mail-Adresse",
        "contact_email_needed": "Bitte geben Sie Ihre E-Mail-Adresse an, damit wir Ihnen "
        "schreiben können, oder entfernen Sie das Häkchen.",
        "email_invalid": "Diese E-Mail-Adresse scheint nicht zu stimmen.",
        "identity_legend": "Ihr Name und Ihre E-Mail-Adresse — leer lassen, um anonym zu bleiben",
        "identity_name": "Ihr Name",
        "identity_email": "Ihre E-Mail-Adresse",
        "identity_need_email": "Bitte geben Sie auch Ihre E-Mail-Adresse an, oder lassen Sie "
        "beide Felder leer, um anonym zu bleiben.",
        "honeypot": "Dieses Feld bitte leer lassen",
        "rate_title": "Bitte warten Sie einen Moment",
        "rate": "Wir haben in kurzer Zeit viele Antworten von Ihrer Verbindung erhalten. Bitte "
        "versuchen Sie es in einigen Minuten erneut.",
        "large_title": "Das war zu lang",
        "large": "Ihre Sendung war zu lang. Bitte kürzen Sie Ihre Antworten und versuchen Sie "
        "es erneut.",
        "conversation_title": "Ihr Gespräch",
        "conversation_intro": "Lesen Sie die Antworten des Unternehmens und schreiben Sie "
        "zurück. Behalten Sie die Adresse dieser Seite für sich: Wer sie hat, kann dieses "
        "Gespräch lesen.",
        "your_answers": "Ihre Antworten",
        "messages_title": "Nachrichten",
        "from_business": "Von {business}",
        "from_you": "Sie",
        "no_messages": "Noch keine Antwort. Schauen Sie später über diesen Link wieder vorbei.",
        "your_message": "Ihre Nachricht",
        "send_message": "Senden",
        "message_sent": "Ihre Nachricht wurde gesendet.",
        "message_empty": "Die Nachricht ist leer.",
        "message_too_long": "Die Nachricht ist zu lang: höchstens {max} Zeichen.",
    },
    "es": {
        "send": "Enviar mis respuestas",
        "required": "obligatoria",
        "required_note": "Las preguntas marcadas con * necesitan una respuesta.",
        "error_summary": "Algunas respuestas necesitan otro vistazo. Revise las preguntas "
        "señaladas abajo.",
        "need_answer": "Esta pregunta necesita una respuesta.",
        "nothing_answered": "Responda al menos una pregunta.",
        "invalid": "Elija una de las respuestas ofrecidas.",
        "too_long": "Esta respuesta es demasiado larga: se guardan como máximo {max} caracteres.",
        "text_hint": "Hasta {max} caracteres.",
        "choose_one": "Elija una.",
        "choose_several": "Elija todas las que quiera.",
        "nps_low": "Nada probable",
        "nps_high": "Muy probable",
        "csat_low": "Muy insatisfecho",
        "csat_high": "Muy satisfecho",
        "agree_low": "Totalmente en desacuerdo",
        "agree_high": "Totalmente de acuerdo",
        "rating_low": "Malo",
        "rating_high": "Excelente",
        "thanks_title": "Gracias",
        "thanks_default": "Hemos recibido sus respuestas.",
        "duplicate": "Ya tenemos sus respuestas. ¡Gracias!",
        "keep_link_title": "Guarde este enlace para leer las respuestas",
        "keep_link": "Si la empresa le responde, podrá leerlo y contestar aquí. Guarde este "
        "enlace en un lugar seguro: solo se muestra esta vez, nunca se envía por correo y es el "
        "único camino de vuelta a la conversación.",
        "closed_title": "Esta encuesta está cerrada",
        "closed": "Esta encuesta no recibe respuestas en este momento. Gracias por su visita.",
        "already_title": "Ya ha respondido",
        "already": "Ya ha respondido, gracias.",
        "anonymous_notice": "Esta encuesta es anónima: su respuesta no quedará vinculada a "
        "usted, aunque haya llegado por un enlace personal.",
        "contact_legend": "¿Podemos contarle qué ha cambiado?",
        "contact_consent": "Sí, cuéntenme qué ha cambiado gracias a opiniones como la mía.",
        "contact_email": "Su correo electrónico",
        "contact_email_needed": "Indique su correo electrónico para que podamos contárselo, o "
        "desmarque la casilla.",
        "email_invalid": "Esta dirección de correo no parece correcta.",
        "identity_legend": "Su nombre y correo electrónico — déjelos vacíos para seguir en el "
        "anonimato",
        "identity_name": "Su nombre",
        "identity_email": "Su correo electrónico",
        "identity_need_email": "Añada también su correo electrónico, o deje ambos vacíos para "
        "seguir en el anonimato.",
        "honeypot": "Deje este campo vacío",
        "rate_title": "Espere un momento, por favor",
        "rate": "Hemos recibido muchas respuestas desde su conexión en poco tiempo. Vuelva a "
        "intentarlo dentro de unos minutos.",
        "large_title": "Era demasiado largo",
        "large": "Lo que envió era demasiado largo para recibirlo. Acorte sus respuestas y "
        "vuelva a intentarlo.",
        "conversation_title": "Su conversación",
        "conversation_intro": "Lea las respuestas de la empresa y contéstele. Mantenga en "
        "privado la dirección de esta página: quien la tenga puede leer esta conversación.",
        "your_answers": "Sus respuestas",
        "messages_title": "Mensajes",
        "from_business": "De {business}",
        "from_you": "Usted",
        "no_messages": "Todavía no hay respuesta. Vuelva más tarde a este enlace.",
        "your_message": "Su mensaje",
        "send_message": "Enviar",
        "message_sent": "Su mensaje se ha enviado.",
        "message_empty": "El mensaje está vacío.",
        "message_too_long": "El mensaje es demasiado largo: {max} caracteres como máximo.",
    },
    "nl": {
        "send": "Mijn antwoorden versturen",
        "required": "verplicht",
        "required_note": "Vragen met een * hebben een antwoord nodig.",
        "error_summary": "Sommige antwoorden moeten nog eens bekeken worden. Controleer de "
        "gemarkeerde vragen hieronder.",
        "need_answer": "Deze vraag heeft een antwoord nodig.",
        "nothing_answered": "Beantwoord ten minste één vraag.",
        "invalid": "Kies een van de aangeboden antwoorden.",
        "too_long": "Dit antwoord is te lang: er worden hoogstens {max} tekens bewaard.",
        "text_hint": "Tot {max} tekens.",
        "choose_one": "Kies er één.",
        "choose_several": "Kies er zoveel als u wilt.",
        "nps_low": "Helemaal niet waarschijnlijk",
        "nps_high": "Zeer waarschijnlijk",
        "csat_low": "Zeer ontevreden",
        "csat_high": "Zeer tevreden",
        "agree_low": "Helemaal oneens",
        "agree_high": "Helemaal eens",
        "rating_low": "Slecht",
        "rating_high": "Uitstekend",
        "thanks_title": "Dank u wel",
        "thanks_default": "Uw antwoorden zijn ontvangen.",
        "duplicate": "We hebben uw antwoorden al. Dank u wel!",
        "keep_link_title": "Bewaar deze link om antwoorden te lezen",
        "keep_link": "Als het bedrijf u antwoordt, kunt u dat hier lezen en terugschrijven. "
        "Bewaar deze link goed: hij wordt alleen nu getoond, nooit gemaild, en is de enige weg "
        "terug naar het gesprek.",
        "closed_title": "Deze enquête is gesloten",
        "closed": "Deze enquête neemt op dit moment geen antwoorden aan. Bedankt voor uw bezoek.",
        "already_title": "U hebt al geantwoord",
        "already": "U hebt al geantwoord, dank u wel.",
        "anonymous_notice": "Deze enquête is anoniem: uw antwoord wordt niet aan u gekoppeld, "
        "ook al kwam u via een persoonlijke link.",
        "contact_legend": "Mogen we u laten weten wat er veranderd is?",
        "contact_consent": "Ja, laat me weten wat er veranderd is dankzij feedback zoals de mijne.",
        "contact_email": "Uw e-mailadres",
        "contact_email_needed": "Geef uw e-mailadres zodat we het u kunnen laten weten, of "
        "vink het vakje uit.",
        "email_invalid": "Dit e-mailadres lijkt niet te kloppen.",
        "identity_legend": "Uw naam en e-mailadres — laat leeg om anoniem te blijven",
        "identity_name": "Uw naam",
        "identity_email": "Uw e-mailadres",
        "identity_need_email": "Vul ook uw e-mailadres in, of laat beide leeg om anoniem te "
        "blijven.",
        "honeypot": "Laat dit veld leeg",
        "rate_title": "Een ogenblik geduld",
        "rate": "We hebben in korte tijd veel antwoorden van uw verbinding ontvangen. Probeer "
        "het over een paar minuten opnieuw.",
        "large_title": "Dat was te lang",
        "large": "Wat u stuurde was te lang om te ontvangen. Maak uw antwoorden korter en "
        "probeer het opnieuw.",
        "conversation_title": "Uw gesprek",
        "conversation_intro": "Lees de antwoorden van het bedrijf en schrijf terug. Houd het "
        "adres van deze pagina voor uzelf: iedereen die het heeft, kan dit gesprek lezen.",
        "your_answers": "Uw antwoorden",
        "messages_title": "Berichten",
        "from_business": "Van {business}",
        "from_you": "U",
        "no_messages": "Nog geen antwoord. Kom later terug via deze link.",
        "your_message": "Uw bericht",
        "send_message": "Versturen",
        "message_sent": "Uw bericht is verstuurd.",
        "message_empty": "Het bericht is leeg.",
        "message_too_long": "Het bericht is te lang: hoogstens {max} tekens.",
    },
}

# Phrases with a {max} placeholder: the most characters a text answer or a message may have.
_LIMITED = ("too_long", "text_hint", "message_too_long")


def language_of(code: str) -> str:
    """The phrase language for a survey's language code: "fr-BE" → "fr"; unknown → English."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in PHRASES else DEFAULT


def phrases_for(code: str) -> dict[str, str]:
    """Every phrase in the language of ``code``, with the text limit filled in."""
    words = dict(PHRASES[language_of(code)])
    for key in _LIMITED:
        words[key] = words[key].format(max=MAX_TEXT)
    return words
