from rapport.accounts.models import User
from rapport.test import PASSWORD, login


def test_it_stores_passwords_with_argon2(personas):
    assert User.objects.get(email="alice@example.com").password.startswith("argon2")


def test_it_logs_in_by_email_and_lands_on_the_people_directory(client, personas):
    response = client.post("/login/", {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == "/w/alices-bakery/people/"


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(client, personas):
    response = client.post("/login/", {"username": "alice@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_it_logs_out_with_a_post(client, personas):
    login(client, personas.alice)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/w/alices-bakery/people/").status_code == 302


def test_a_user_with_no_business_is_told_so(client, db):
    lonely = User.objects.create_user("lonely@example.com", PASSWORD)
    response = login(client, lonely).get("/", follow=True)
    assert "not a member of any business" in response.content.decode()
