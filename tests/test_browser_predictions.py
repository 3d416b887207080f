"""A real browser on the demo's predictions: the owner opens the predictions page, follows
the customers most likely to drift away into the directory sorted by risk, reads one
customer's prediction, and finds the Bakehouse at the top of the teams.

Debian's Chromium driven by Playwright, against a live server.
"""

import pytest

from tests.browser import demo_business, local_page, log_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


@pytest.fixture
def demo(live_server):
    return demo_business(live_server.url)


@pytest.fixture
def page(demo):
    with local_page(demo["url"], viewport={"width": 1280, "height": 900}) as page:
        yield page


def test_the_owner_follows_the_predictions_to_a_customer_and_a_team(page, demo):
    from playwright.sync_api import expect

    log_in(page, demo)
    page.get_by_role("link", name="Predictions", exact=True).click()
    expect(page.get_by_role("heading", name="Predictions", level=1)).to_be_visible()
    runs = page.locator("table").first
    for what in ("Customers", "Employees", "Suppliers"):
        expect(runs).to_contain_text(what)
    expect(
        page.get_by_role("heading", name="Were last quarter's predictions right?")
    ).to_be_visible()

    page.get_by_role("link", name="Customers by risk").click()
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Risk")
    first = page.locator("table.directory tbody th a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Looking ahead")).to_be_visible()
    expect(page.get_by_text("chance of no purchase in the next 3 months")).to_be_visible()

    page.goto(f"{demo['url']}/w/demo/insights/employees/")
    teams = page.get_by_role("region", name="Chance of a departure")
    expect(teams.locator("tbody tr").first).to_contain_text("Bakehouse")
    # On a phone the page keeps to the screen's width: the tables scroll on their own.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "insights/employees/",
        "insights/customers/",
        "insights/suppliers/",
        "predictions/",
    ):
        page.goto(f"{demo['url']}/w/demo/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
