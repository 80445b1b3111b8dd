"""The Content Security Policy: every HTML page carries it, its scripts come only from this
origin (no 'unsafe-inline', no eval), and the templates hold no script the policy would block.
The pages run under it in a real browser in tests/browser/test_content_security_policy.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(p for d in ("queue_server", "kiosk", "display")
                   for p in (ROOT / d).glob("**/templates/**/*.html"))
PUBLIC_PAGES = ["/", "/login", "/kiosk", "/kiosk?id=K1", "/display", "/display/counter/1",
                "/rate/counter/1", "/t/no-such-token"]
STAFF_PAGES = ["/counter", "/reception", "/manager"]


def directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {name: values for name, *values in parts}


def logged_in(app, username: str):
    client = app.test_client()
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", data={"username": username, "password": f"{username}-demo",
                                         "csrf_token": token})
    assert answer.status_code == 302
    return client


@pytest.mark.parametrize("path", PUBLIC_PAGES + STAFF_PAGES)
def test_every_page_carries_a_policy_that_allows_no_inline_script(sqlite_app, path):
    client = logged_in(sqlite_app, "manager") if path in STAFF_PAGES else sqlite_app.test_client()
    page = client.get(path)
    assert page.status_code == 200 and page.mimetype == "text/html"
    policy = directives(page.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]          # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["default-src"]


def test_html_error_pages_carry_it_and_json_answers_need_not(sqlite_app):
    client = sqlite_app.test_client()
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Content-Security-Policy" in missing.headers
    assert "Content-Security-Policy" not in client.get("/api/v1/services").headers


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_event_handler_attribute(template):
    text = template.read_text(encoding="utf-8")
    # A <script> either loads a file (src=) or is a JSON data block, which is never run.
    for tag in re.findall(r"<script\b[^>]*>", text, re.I):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    handlers = re.findall(r"<[a-z][^>]*\son[a-z]+\s*=", text, re.I)
    assert handlers == []
    assert "javascript:" not in text.lower()
