from rapport.people.models import Interaction, Person


def test_no_text_is_lorem_ipsum_or_an_unfilled_template(demo, db):
    texts = Interaction.objects.filter(workspace=demo).values_list("subject", "text")
    for subject, text in texts:
        for part in (subject, text):
            assert "lorem" not in part.lower() and "ipsum" not in part.lower()
            assert "{" not in part and "}" not in part, part


def test_messages_are_varied(demo, db):
    texts = Interaction.objects.filter(workspace=demo).exclude(
        handled_by_automation__kind="campaign"
    )
    total = texts.count()
    assert texts.values("text").distinct().count() > total * 0.4


def test_emails_use_reserved_domains(demo, db):
    emails = Person.objects.filter(workspace=demo).exclude(email="").values_list("email", flat=True)
    for email in emails:
        assert (
            email.rsplit(".", 1)[-1] in {"com", "org", "net"}
            and ".example." in f".{email.split('@')[1]}"
        ), email
