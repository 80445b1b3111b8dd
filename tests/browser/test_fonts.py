"""Thai is drawn with the font the server serves, on any screen, with no internet.

A kiosk PC or a TV stick often has no Thai font installed; the pages then must not fall back
to boxes or to a font that clips tone marks. Every page loads Sarabun from `/fonts/`, and
nothing a page loads comes from another host."""

from __future__ import annotations

import pytest

from browser_fixtures import browser, pages  # noqa: F401 - fixtures

pytestmark = pytest.mark.live_server


@pytest.fixture
def server(tmp_path, server_factory):
    return server_factory(f"sqlite:///{tmp_path}/fonts.sqlite3", command="demo")


@pytest.mark.parametrize("path,size", [("/kiosk", (1080, 1920)), ("/display", (1920, 1080)),
                                       ("/login", (1366, 768))])
def test_pages_draw_thai_with_the_served_font_and_load_nothing_from_elsewhere(
        server, pages, path, size):
    requested: list[str] = []
    page = pages.open("", *size)
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("""() => [...document.fonts]
        .filter(f => f.family.replace(/"/g, '') === 'Sarabun' && f.status === 'loaded')
        .map(f => f.weight)""")
    assert loaded, "no Sarabun face was loaded from /fonts/"
    assert any(url.startswith(server.url + "/fonts/Sarabun-") for url in requested)
    # The Thai text on the page is laid out with Sarabun, not a fallback font.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.replace('"', "").startswith("Sarabun")
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ขอเชิญหมายเลข')")
    elsewhere = [url for url in requested
                 if not url.startswith(server.url) and not url.startswith("data:")]
    assert elsewhere == []
    assert pages.errors == []
