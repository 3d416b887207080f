from rapport.accounts.actions import MemberError, remove_member
from rapport.accounts.models import AuditEvent, Membership, User
from rapport.test import login


def test_an_owner_adds_a_new_member_who_gets_a_one_time_password(client, personas):
    login(client, personas.alice)
    response = client.post(
        "/w/alices-bakery/settings/members/",
        {"email": "Dina@Example.com", "name": "Dina", "role": "staff"},
        follow=True,
    )
    message = [str(m) for m in response.context["messages"]][0]
    password = message.split("password is ")[1].split(" ")[0]

    dina = User.objects.get(email="dina@example.com")
    assert dina.check_password(password)
    assert Membership.objects.get(user=dina).role == "staff"
    assert AuditEvent.objects.filter(
        workspace=personas.bakery, object_repr="member dina@example.com"
    ).exists()


def test_adding_an_existing_user_gives_them_access_without_a_new_password(client, personas):
    login(client, personas.alice)
    response = client.post(
        "/w/alices-bakery/settings/members/",
        {"email": "charlie@example.com", "role": "viewer"},
        follow=True,
    )
    assert "existing password" in str(list(response.context["messages"])[0])
    assert personas.charlie.check_password("correct horse battery staple")


def test_a_manager_cannot_add_members(client, personas):
    from rapport.accounts.actions import change_role

    change_role(personas.bob_member, "manager")
    response = login(client, personas.bob).post(
        "/w/alices-bakery/settings/members/", {"email": "x@example.com", "role": "owner"}
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="x@example.com").exists()


def test_the_last_owner_can_neither_leave_nor_be_demoted(client, personas):
    login(client, personas.alice)
    response = client.post(
        f"/w/alices-bakery/settings/members/{personas.alice_member.pk}/role/",
        {"role": "staff"},
        follow=True,
    )
    assert "at least one owner" in str(list(response.context["messages"])[0])
    personas.alice_member.refresh_from_db()
    assert personas.alice_member.role == "owner"
    try:
        remove_member(personas.alice_member)
    except MemberError:
        pass
    else:
        raise AssertionError("the last owner was removed")


def test_an_owner_changes_the_business_settings_and_it_is_audited(client, personas):
    response = login(client, personas.alice).post(
        "/w/alices-bakery/settings/",
        {
            "name": "Alice's Bakery",
            "time_zone": "Europe/Paris",
            "currency": "eur",
            "min_group_size": 5,
            "min_comment_group_size": 8,
            "human_contact_alert_days": 30,
        },
    )
    assert response.status_code == 302
    personas.bakery.refresh_from_db()
    assert (
        personas.bakery.time_zone,
        personas.bakery.currency,
        personas.bakery.human_contact_alert_days,
    ) == ("Europe/Paris", "EUR", 30)
    event = AuditEvent.objects.get(workspace=personas.bakery, object_type="workspace")
    assert event.changes["human_contact_alert_days"] == [60, 30]


def test_it_rejects_an_unknown_time_zone_with_a_message(client, personas):
    response = login(client, personas.alice).post(
        "/w/alices-bakery/settings/",
        {
            "name": "Alice's Bakery",
            "time_zone": "Mars/Olympus",
            "currency": "EUR",
            "min_group_size": 5,
            "min_comment_group_size": 8,
            "human_contact_alert_days": 30,
        },
    )
    assert response.status_code == 200
    assert "Unknown time zone" in response.content.decode()


def test_staff_cannot_open_settings(client, personas):
    assert login(client, personas.bob).get("/w/alices-bakery/settings/").status_code == 404


def test_a_manager_adds_a_named_automation(client, personas):
    from rapport.accounts.actions import change_role

    change_role(personas.bob_member, "manager")
    login(client, personas.bob).post(
        "/w/alices-bakery/settings/automations/", {"name": "Shop Assistant", "kind": "chatbot"}
    )
    assert personas.bakery.automations.get().name == "Shop Assistant"
