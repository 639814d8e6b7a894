"""Browser journeys: Playwright (Python) driving Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
between browser steps are still synchronous, so Django's async-safety check is relaxed here only.
"""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("GOVINFO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Flags the closed network here needs: no background calls home, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: bin/test installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) per call: new_page() for each user.

    Every page fails the test if the browser refuses anything under the site's Content-Security-Policy.
    """
    contexts = []
    violations: list[str] = []

    def open_page(locale: str = "zh-CN"):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert violations == [], "pages broke the Content-Security-Policy"


@pytest.fixture
def login(new_page):
    """Log a user in through the real login form and return the page on their home page."""

    def do_login(username: str, password: str):
        page = new_page()
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/")
        return page

    return do_login
