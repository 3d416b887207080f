"""A real browser reports no Content-Security-Policy violation on the pages people use most
(dashboard, a person, the inbox, a survey to answer, the chat widget), and htmx still
works under the policy: an import's progress refreshes itself until it is done.

Debian's Chromium driven by Playwright, against a live server with the demo business.
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
        page.violations = []
        page.on(
            "console",
            lambda m: (
                page.violations.append(m.text)
                if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
                else None
            ),
        )
        # Reported to the page itself as well: counted from the moment each page loads.
        page.add_init_script(
            "window.__csp = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        yield page


def visit(page, url):
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    reported = page.evaluate("window.__csp")
    assert reported == [], f"{url}: {reported}"
    assert page.violations == [], f"{url}: {page.violations}"


def test_the_most_used_pages_break_no_rule_of_the_policy_and_htmx_works(page, demo, tmp_path):
    """One test, so that the demo business is built once."""
    from playwright.sync_api import expect

    from rapport.accounts.models import Workspace
    from rapport.feedback.models import Survey
    from rapport.imports.actions import create_run, start_run
    from rapport.imports.choices import ImportStatus
    from rapport.inbox.models import Conversation
    from rapport.inbox.routing import inbox_settings
    from rapport.people.models import Person

    workspace = Workspace.objects.get()
    base = f"{demo['url']}/w/{workspace.slug}"
    log_in(page, demo)
    visit(page, f"{base}/insights/")
    # htmx itself would have added a <style> for its indicators without the page's config.
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    visit(page, f"{base}/insights/report/")
    person = Person.objects.filter(workspace=workspace).first()
    visit(page, f"{base}/people/{person.pk}/")
    visit(page, f"{base}/inbox/")
    conversation = Conversation.objects.filter(workspace=workspace).first()
    visit(page, f"{base}/inbox/{conversation.pk}/")
    survey = Survey.objects.filter(workspace=workspace, public_link=True).first()
    visit(page, f"{demo['url']}/s/{survey.public_token}/")
    visit(page, f"{demo['url']}/s/{survey.public_token}/embed/")
    visit(page, f"{demo['url']}/chat/{inbox_settings(workspace).widget_key}/")

    # htmx under the policy: an import's progress refreshes itself until it is done.
    people = tmp_path / "people.csv"
    people.write_text("name,email\nAda Lovelace,ada@example.com\n")
    run = create_run(workspace, "people", people, original_filename="people.csv")
    # Queued: no worker runs beside the test server, so the page keeps asking.
    start_run(run, run.mapping, {})

    visit(page, f"{base}/imports/{run.pk}/")
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("Queued")
    run.status = ImportStatus.DONE
    run.save(update_fields=["status"])
    # htmx asks again within a second and swaps the new state in.
    expect(progress).to_contain_text("Show the results", timeout=5_000)
    assert page.evaluate("window.__csp") == [] and page.violations == []
