"""A real browser on the demo's dashboards: the owner opens the overview, follows a story from
an alert down to the answers behind it, filters by team, and prints the report; and follows
the predictions from their page to the customers most likely to drift away and the teams.

Debian's Chromium driven by Playwright, against a live server; every chart is drawn by the
app itself, so nothing may be fetched from outside.
"""

import re

import pytest

from tests.browser import demo_business, local_page, log_in, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

QUARTER = "Q4 2026 (Oct–Dec)"  # the quarter of the demo's 23 November 2026


@pytest.fixture
def demo(live_server):
    return demo_business(live_server.url)


@pytest.fixture
def page(demo):
    with local_page(demo["url"], viewport={"width": 1280, "height": 900}) as page:
        yield page


def test_the_owner_follows_a_story_from_the_overview_to_the_answers_behind_it(page, demo):
    from playwright.sync_api import expect

    log_in(page, demo)
    page.get_by_role("link", name="Dashboard").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Relational capital: {QUARTER}")
    expect(page.get_by_role("status").first).to_contain_text("Figures as of")
    overall = page.locator(".card-big .score")
    assert 0 <= int(overall.inner_text()) <= 100
    index = page.get_by_role("region", name="The index")
    for group in ("Customers", "Employees", "Suppliers and partners", "Community"):
        expect(index.get_by_role("link", name=group, exact=True)).to_be_visible()
    # The index chart is drawn by the app, as an image with a name and a description.
    chart = index.get_by_role("img").first
    expect(chart).to_be_visible()
    assert "index" in chart.evaluate("e => e.querySelector('title').textContent").lower()

    changed = page.get_by_role("region", name="What changed")
    expect(changed).to_contain_text("relational decay")
    expect(changed).to_contain_text("Moulin des Trois Ponts")

    # The Bakehouse story: the employees' page, then cut by the team.
    index.get_by_role("link", name="Employees", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Employees: {QUARTER}")
    expect(page.locator("ul.alerts")).to_contain_text("Employees, Bakehouse")
    page.get_by_label("Team").select_option("Bakehouse")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Employees: {QUARTER}, team Bakehouse"
    )
    assert re.search(r"[?&]team=Bakehouse", page.url)
    expect(page.get_by_label("Team")).to_have_value("Bakehouse")

    # Down to one component, still cut by the team, and what lies behind it.
    page.get_by_role("row").filter(has_text="Absenteeism").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Employees: Absenteeism, {QUARTER}, team Bakehouse"
    )
    expect(page.locator(".card-big .score")).to_have_text(re.compile(r"\d+(\.\d+)?%"))
    definition = page.locator("details.definition")
    expect(definition.locator("p").first).to_be_hidden()
    definition.locator("summary").click()
    expect(definition.locator("p").first).to_be_visible()
    expect(page.get_by_role("heading", name="Behind the number")).to_be_visible()

    # By week instead of by month: the same metric, another chart.
    page.get_by_role("link", name="By week").click()
    expect(page.locator("figure.chart-figure figcaption")).to_contain_text("By week, with")
    expect(page.get_by_role("link", name="By month")).to_be_visible()

    # Back up the breadcrumb, then the printable report, printed.
    page.locator(".crumbs").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("team Bakehouse")
    page.get_by_role("link", name="Printable report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("relational capital")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("svg.chart").first).to_be_visible()

    # On a phone, the page keeps to the screen's width; wide tables scroll on their own.
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("", "employees/", "suppliers/on_time/", "report/"):
        page.goto(f"{demo['url']}/w/demo/insights/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


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
