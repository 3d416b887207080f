import pytest

from rapport.accounts.models import User
from rapport.test import PASSWORD


@pytest.fixture
def quick_passwords(settings, db):
    """Each password check costs a full Argon2 hash (by design); sign-in tests make hundreds,
    so their users' passwords are stored with a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
