"""The reach-out list finds the planted stories where its rules can see them: the cooling
office catering accounts, regulars who lost their human touch, the slipping flour mill and
the Bakehouse's pulse. (The demo here is not read by the text model, so the rules over
sentiment — cooling messages, a team's mood — have nothing to read.)"""

from rapport.accounts.choices import Role
from rapport.demo.customers import OFFICE_CATERING, REGULARS
from rapport.demo.tests.conftest import AS_OF
from rapport.engine import outreach as o
from rapport.outreach.actions import reach_out_list
from rapport.people.models import Person


def owners_list(demo):
    owner = demo.memberships.get(role=Role.OWNER)
    return reach_out_list(demo, owner, AS_OF, everyone=True)


def segments(demo, items):
    segment = dict(
        Person.objects.filter(pk__in=[i.person_id for i in items]).values_list("pk", "segment")
    )
    return [segment.get(i.person_id) for i in items]


def test_cooling_office_catering_accounts_are_going_quiet(demo, db):
    quiet = [i for i in owners_list(demo).items if i.kind == o.GOING_QUIET]
    accounts = segments(demo, quiet).count(OFFICE_CATERING)
    assert accounts >= 10, f"{accounts} of the 22 office accounts"
    assert accounts >= 0.3 * len(quiet)


def test_regulars_who_lost_their_human_touch_are_listed_for_their_keepers(demo, db):
    untouched = [i for i in owners_list(demo).items if i.kind == o.NO_HUMAN_CONTACT]
    regulars = sum(s in REGULARS for s in segments(demo, untouched))
    assert regulars >= 30
    assert all(i.owner is not None for i in untouched)


def test_the_flour_mill_is_the_one_supplier_slipping(demo, db):
    slipping = [i for i in owners_list(demo).items if i.kind == o.SUPPLIER_SLIPPING]
    assert [i.subject for i in slipping] == ["Moulin des Trois Ponts"]
    assert slipping[0].prompt.numbers["on-time rate, recent"] < 0.7


def test_the_bakehouse_appears_as_a_team_whose_pulse_dropped(demo, db):
    teams = [i for i in owners_list(demo).items if i.kind == o.TEAM_PULSE]
    assert [i.subject for i in teams] == ["Bakehouse"]
    assert teams[0].person_id is None


def test_the_owners_own_list_is_short_enough_to_act_on(demo, db):
    owner = demo.memberships.get(role=Role.OWNER)
    assert len(reach_out_list(demo, owner, AS_OF)) <= 40
