from rapport.accounts.models import ApiToken
from rapport.people.choices import Channel, Direction
from rapport.people.tests.factories import make_customer, make_touch
from rapport.test import login


def test_a_removed_member_loses_access_but_their_work_stays_on_the_timeline(client, personas):
    dana = make_customer(personas.bakery, owner=personas.bob_member)
    make_touch(
        dana,
        member=personas.bob_member,
        channel=Channel.PHONE,
        direction=Direction.OUTBOUND,
        text="Called Dana about her order",
    )
    _, token = ApiToken.issue(personas.bob_member, "bob's script")

    login(client, personas.alice).post(
        f"/w/alices-bakery/settings/members/{personas.bob_member.pk}/remove/"
    )

    assert login(client, personas.bob).get("/w/alices-bakery/people/").status_code == 404
    client.logout()
    assert (
        client.get("/api/w/alices-bakery/people", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 401
    )
    page = login(client, personas.alice).get(f"/w/alices-bakery/people/{dana.pk}/").content.decode()
    assert "Handled by Bob Okafor (former member)" in page
