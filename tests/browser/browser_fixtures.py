"""Fixtures for the browser tests: Debian's headless Chromium driven by Playwright, and pages
that record their uncaught script errors.

Each test module imports the fixtures it uses from here. This is not a conftest.py: the
tests directories have no __init__.py, so a second conftest.py would take the module name
`conftest` from tests/conftest.py, which other tests import by that name.

Playwright's own browser download is not used: `playwright install` needs the network and
a supported distribution. The Chromium of the system (`apt-get install chromium`) is driven
instead; `GECC_CHROMIUM` names another binary."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

from conftest import require_service

CHROMIUM = os.environ.get("GECC_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Runs before the page's own scripts (Playwright injects it, so the page's Content Security
# Policy does not block it): every blocked script, style, connection or image is logged.
CSP_PREFIX = "securitypolicyviolation:"
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
    console.error("%s " + e.effectiveDirective + " blocked " + (e.blockedURI || "inline")
                  + " at " + e.sourceFile + ":" + e.lineNumber);
});
""" % CSP_PREFIX


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (each test gets fresh contexts from `pages`)."""
    require_service("Chromium", os.path.exists(CHROMIUM), CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        require_service("Playwright", False, "pip install -e '.[test]'")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Pages:
    """Opens pages, each in its own browser context (own cookies and localStorage), at a
    given window size. `errors` collects every uncaught script error of every page,
    `csp_violations` everything the Content Security Policy blocked."""

    browser: object
    contexts: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    csp_violations: list = field(default_factory=list)

    def open(self, url: str, width: int, height: int, enforce_csp: bool = False,
             **context_options):
        # Playwright's wait_for_function evals its expression in the page, which the pages'
        # policy (script-src 'self', no 'unsafe-eval') refuses: tests that use it run with the
        # policy bypassed. test_content_security_policy.py opens every page with it enforced.
        context_options.setdefault("bypass_csp", not enforce_csp)
        context = self.browser.new_context(viewport={"width": width, "height": height},
                                           locale="th-TH", timezone_id="Asia/Bangkok",
                                           **context_options)
        context.set_default_timeout(10_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error, page=page: self.errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message, page=page: self._console(page, message))
        if url:
            page.goto(url)
        return page

    def logged_in(self, url: str, user: str, path: str, width: int = 1366, height: int = 768,
                  **options):
        """A staff page (`path`) after logging in as a demo `user` (password `<user>-demo`)."""
        page = self.open(f"{url}/login?next={path}", width, height, **options)
        page.fill("#username", user)
        page.fill("#password", f"{user}-demo")
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert page.url.endswith(path), page.url
        return page

    def _console(self, page, message) -> None:
        if message.text.startswith(CSP_PREFIX):
            self.csp_violations.append(f"{page.url}: {message.text[len(CSP_PREFIX):].strip()}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser):
    opened = Pages(browser)
    yield opened
    opened.close()
