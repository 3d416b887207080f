import pytest

from rapport.feedback import shown_pages
from rapport.test import personas  # noqa: F401  (the shared persona fixture)


@pytest.fixture(autouse=True)
def no_kept_pages():
    # Survey pages a web process keeps for a moment (shown_pages.py) outlive a test's rows.
    shown_pages.forget()
    yield
    shown_pages.forget()
