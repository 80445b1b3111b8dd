"""A paired kiosk issues with its device token (contract: kiosks send it; such requests are not
rate limited), in headless Chromium against a real `gecc-queue demo`: with the public limit at
2 tickets a minute, the kiosk that has its token keeps issuing; once its token is revoked it
forgets it and goes on as an anonymous caller, and anonymous callers are told to wait."""

from __future__ import annotations

import pytest

from browser_fixtures import browser, pages  # noqa: F401 - fixtures
from test_processes import cli

pytestmark = pytest.mark.live_server


def take_ticket(kiosk) -> str:
    """Tap the first service, the normal class; the number on the screen, or the error."""
    kiosk.locator("#services button.service").first.tap()
    kiosk.locator("#priorities [data-priority=normal]").tap()
    kiosk.wait_for_selector("#screen-done:visible, #screen-error:visible")
    if kiosk.locator("#screen-error").is_visible():
        kiosk.locator("#error-back").tap()
        return "refused"
    number = kiosk.text_content("#ticket-number")
    kiosk.locator("#done").tap()
    kiosk.locator("#services button.service").first.wait_for()
    return number


def test_a_paired_kiosk_issues_with_its_token_and_is_not_limited(tmp_path, server_factory, pages):
    db = f"sqlite:///{tmp_path}/kiosk.sqlite3"
    server = server_factory(db, command="demo", env={"GECC_PUBLIC_RATE_LIMIT": "2 per minute"})
    made = cli("token", "create", "--device", "hall-1", "--db", db, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]

    paired = pages.open(f"{server.url}/kiosk", 1080, 1920, has_touch=True)
    paired.evaluate(f"localStorage.setItem('gecc.device.token', {token!r})")
    paired.reload()
    paired.locator("#services button.service").first.wait_for()
    assert [take_ticket(paired) for _ in range(4)] == ["A001", "A002", "A003", "A004"]

    listed = cli("token", "list", "--db", db, cwd=tmp_path).stdout
    token_id = next(line.split()[0] for line in listed.splitlines() if "hall-1" in line)
    assert cli("token", "revoke", token_id, "--db", db, cwd=tmp_path).returncode == 0
    # Revoked: the kiosk drops its token and goes on as an anonymous caller.
    assert take_ticket(paired) == "A005"
    assert paired.evaluate("localStorage.getItem('gecc.device.token')") is None

    anonymous = pages.open(f"{server.url}/kiosk", 1080, 1920, has_touch=True)
    anonymous.locator("#services button.service").first.wait_for()
    # the address's 2 a minute are gone (the revoked kiosk's try with its dead token and its
    # anonymous retry): an anonymous kiosk at that address is told to wait
    assert take_ticket(anonymous) == "refused"
    assert anonymous.locator("#services button.service").first.is_visible()
