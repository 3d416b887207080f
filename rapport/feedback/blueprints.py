"""Ready survey templates. A business picks one and edits the copy it gets.

Each blueprint is plain data: the survey's settings and its questions. The employee pulse
asks eNPS in the first round of each month, two open questions every round, and rotates
through the six topics (workload, support from my manager, recognition, growth, well-being,
belonging) a few items per round, so that a weekly pulse stays under a minute.
"""

from dataclasses import dataclass, field

from rapport.feedback.choices import Anonymity, Cadence, QuestionKind, Schedule, SurveyKind
from rapport.people.choices import Group

K = QuestionKind


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    key: str
    required: bool = False
    options: tuple[str, ...] = ()
    topic: str = ""
    cadence: str = Cadence.EVERY
    help_text: str = ""


@dataclass(frozen=True)
class Blueprint:
    key: str
    title: str
    description: str
    kind: str = SurveyKind.SURVEY
    audience_group: str = ""
    anonymity: str = Anonymity.CONFIDENTIAL
    schedule: str = Schedule.ONCE
    intro: str = ""
    questions: tuple[QuestionSpec, ...] = field(default_factory=tuple)


PULSE_TOPICS = {
    "workload": (
        "My workload is manageable.",
        "I have enough time to do my work well.",
    ),
    "manager_support": (
        "My manager supports me when I need it.",
        "I get useful feedback from my manager.",
    ),
    "recognition": (
        "I receive recognition when I do good work.",
        "My contribution is valued here.",
    ),
    "growth": (
        "I am learning and growing in my job.",
        "I can see a future for myself here.",
    ),
    "wellbeing": (
        "I can switch off from work when I am not working.",
        "My job does not harm my health.",
    ),
    "belonging": (
        "I feel I belong in this team.",
        "I can be myself at work.",
    ),
}


def _pulse_questions() -> tuple[QuestionSpec, ...]:
    rotating = [
        QuestionSpec(K.LIKERT, text, f"{topic}_{i + 1}", topic=topic, cadence=Cadence.ROTATING)
        for topic, texts in PULSE_TOPICS.items()
        for i, text in enumerate(texts)
    ]
    return (
        QuestionSpec(
            K.ENPS,
            "How likely are you to recommend working here to a friend?",
            "enps",
            topic="enps",
            cadence=Cadence.MONTHLY,
        ),
        *rotating,
        QuestionSpec(K.TEXT, "What went well this week?", "went_well"),
        QuestionSpec(K.TEXT, "What would make next week better?", "better"),
    )


BLUEPRINTS: dict[str, Blueprint] = {
    b.key: b
    for b in (
        Blueprint(
            key="customer_nps",
            title="How likely are you to recommend us?",
            description="Net Promoter Score with the reason behind the score.",
            audience_group=Group.CUSTOMER,
            anonymity=Anonymity.IDENTIFIED,
            questions=(
                QuestionSpec(
                    K.NPS,
                    "How likely are you to recommend us to a friend or colleague?",
                    "nps",
                    required=True,
                ),
                QuestionSpec(K.TEXT, "What is the main reason for your score?", "reason"),
                QuestionSpec(K.TEXT, "What one thing could we do better?", "improve"),
            ),
        ),
        Blueprint(
            key="post_visit_csat",
            title="How was your visit?",
            description="Satisfaction after a visit or purchase, with effort and a comment.",
            audience_group=Group.CUSTOMER,
            anonymity=Anonymity.IDENTIFIED,
            questions=(
                QuestionSpec(
                    K.CSAT, "How satisfied were you with your visit today?", "csat", required=True
                ),
                QuestionSpec(K.CES, "It was easy to get what I came for.", "ces"),
                QuestionSpec(
                    K.MULTIPLE,
                    "What stood out?",
                    "stood_out",
                    options=("Quality", "Friendliness", "Speed", "Price", "Choice", "Cleanliness"),
                ),
                QuestionSpec(K.TEXT, "Anything you would like to tell us?", "comment"),
            ),
        ),
        Blueprint(
            key="employee_pulse",
            title="Weekly pulse",
            description=(
                "A one-minute weekly check-in: rotating items on workload, support, recognition,"
                " growth, well-being and belonging; eNPS once a month. Anonymous."
            ),
            kind=SurveyKind.PULSE,
            audience_group=Group.EMPLOYEE,
            anonymity=Anonymity.ANONYMOUS,
            schedule=Schedule.WEEKLY,
            intro="Your answers are anonymous. Groups smaller than the business's threshold are "
            "never shown.",
            questions=_pulse_questions(),
        ),
        Blueprint(
            key="supplier_check",
            title="Supplier relationship check",
            description="How working with us feels from the supplier's side.",
            audience_group=Group.SUPPLIER,
            anonymity=Anonymity.CONFIDENTIAL,
            schedule=Schedule.QUARTERLY,
            questions=(
                QuestionSpec(
                    K.NPS,
                    "How likely are you to recommend us as a customer to another supplier?",
                    "nps",
                    required=True,
                ),
                QuestionSpec(K.LIKERT, "Our orders are clear and come in good time.", "orders"),
                QuestionSpec(K.LIKERT, "We pay on time.", "payment"),
                QuestionSpec(K.LIKERT, "Communication with us is easy.", "communication"),
                QuestionSpec(K.TEXT, "What should we change to work better together?", "change"),
            ),
        ),
        Blueprint(
            key="community_perception",
            title="What do you think of us as a neighbour?",
            description="How the neighbourhood, schools and associations see the business.",
            audience_group=Group.COMMUNITY,
            anonymity=Anonymity.ANONYMOUS,
            questions=(
                QuestionSpec(
                    K.RATING, "How would you rate us as a neighbour?", "rating", required=True
                ),
                QuestionSpec(
                    K.LIKERT, "The business contributes to the local community.", "contributes"
                ),
                QuestionSpec(
                    K.SINGLE,
                    "How do you know us?",
                    "relation",
                    options=("Neighbour", "Customer", "School or association", "Press", "Other"),
                ),
                QuestionSpec(K.TEXT, "What could we do for the neighbourhood?", "ideas"),
            ),
        ),
        Blueprint(
            key="suggestion_box",
            title="Suggestion box",
            description="Always open: ideas and concerns from staff, customers and suppliers.",
            kind=SurveyKind.SUGGESTIONS,
            anonymity=Anonymity.ANONYMOUS,
            intro="Tell us your idea or concern. Leave your name out to stay anonymous.",
            questions=(
                QuestionSpec(
                    K.SINGLE,
                    "I am writing as",
                    "writer",
                    options=("A member of staff", "A customer", "A supplier", "A neighbour"),
                ),
                QuestionSpec(K.TEXT, "Your suggestion", "suggestion", required=True),
            ),
        ),
    )
}
