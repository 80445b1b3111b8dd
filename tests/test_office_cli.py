"""The first run and the command line of an office's set-up (issue 15): `gecc-queue serve` on
an empty database asks for the office and its first administrator (no default password),
`gecc-queue user add|passwd|disable`, `gecc-queue office export|import`."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from click.testing import CliRunner

from conftest import make_app
from queue_server.app import create_app
from queue_server.cli import main


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def empty_app(sqlite_url, clock):
    app = create_app({"TESTING": True, "DATABASE_URL": sqlite_url, "SECRET_KEY": "test",
                      "REDIS_URL": None, "PUBLIC_RATE_LIMIT": "100000 per minute",
                      "SETUP_CODE": "12345678"}, clock=clock)
    yield app
    app.extensions["gecc"].engine.dispose()


def test_an_empty_server_sets_up_its_office_and_first_admin(empty_app):
    web = empty_app.test_client()
    assert web.get("/").headers["Location"].endswith("/setup")
    assert web.get("/kiosk").headers["Location"].endswith("/setup")
    page = web.get("/setup?code=12345678")
    assert page.status_code == 200 and 'value="12345678"' in page.text
    form = {"csrf_token": csrf_of(page.text), "name": "ที่ว่าการอำเภอเมืองทดสอบ",
            "name_en": "Mueang Test District Office", "timezone": "Asia/Bangkok",
            "username": "chief", "display_name": "หัวหน้า", "password": "a-long-one",
            "password2": "a-long-one"}
    wrong = web.post("/setup", data={**form, "setup_code": "00000000"})
    assert wrong.status_code == 400 and "รหัสตั้งค่าไม่ถูกต้อง" in wrong.text
    short = web.post("/setup", data={**form, "setup_code": "12345678", "password": "short",
                                     "password2": "short"})
    assert short.status_code == 400 and "อย่างน้อย 8" in short.text
    done = web.post("/setup", data={**form, "setup_code": "12345678"})
    assert done.status_code == 302 and "/login" in done.headers["Location"]
    # Once: the page is gone, and no one made a second office this way.
    assert web.get("/setup").status_code == 302
    again = web.post("/setup", data={**form, "setup_code": "12345678"})
    assert again.status_code == 302
    login = web.post("/login", data={"username": "chief", "password": "a-long-one",
                                     "csrf_token": csrf_of(web.get("/login").text)})
    assert login.status_code == 302
    assert web.get("/admin/offices").status_code == 200  # the first admin is a super-admin
    assert "Mueang Test District Office" in web.get("/api/v1/office").text


def run(*args, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def test_users_are_added_given_a_password_and_disabled_from_the_command_line(sqlite_url, clock):
    app = make_app(sqlite_url, clock)
    added = run("user", "add", "clerk7", "--role", "staff", "--db", sqlite_url,
                input="clerk7-password\n")
    assert added.exit_code == 0, added.output
    accounts = app.extensions["gecc"].accounts
    member = accounts.authenticate("clerk7", "clerk7-password")
    assert member is not None and member.role.value == "staff"
    token = accounts.create_token("clerk7")
    short = run("user", "passwd", "clerk7", "--db", sqlite_url, input="short\n")
    assert short.exit_code != 0 and "8" in short.output
    changed = run("user", "passwd", "clerk7", "--db", sqlite_url, input="new-password-7\n")
    assert changed.exit_code == 0, changed.output
    assert accounts.authenticate("clerk7", "clerk7-password") is None
    after = accounts.get(member.id)
    assert after.session_version > member.session_version  # its sessions ended
    assert accounts.user_for_token(token) is not None
    disabled = run("user", "disable", "clerk7", "--db", sqlite_url)
    assert disabled.exit_code == 0, disabled.output
    assert accounts.user_for_token(token) is None and accounts.get(member.id) is None
    unknown = run("user", "passwd", "nobody", "--db", sqlite_url, input="whatever-long\n")
    assert unknown.exit_code != 0 and "ไม่พบผู้ใช้" in unknown.output
    app.extensions["gecc"].engine.dispose()


def test_an_office_exported_and_imported_as_a_new_one_serves_the_same(sqlite_url, clock):
    app = make_app(sqlite_url, clock)
    exported = run("office", "export", "--db", sqlite_url)
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.output)
    assert data["id"] == 1 and data["name"].startswith("ที่ว่าการอำเภอบางบัวทอง")
    assert [s["code"] for s in data["services"]] == ["A", "B", "C", "D", "E"]
    assert data["counters"][1] == {"number": 2, "name": "ช่อง 2", "services": ["A", "B"]}
    assert "password" not in exported.output and "password_hash" not in exported.output
    as_yaml = run("office", "export", "--format", "yaml", "--db", sqlite_url)
    assert yaml.safe_load(as_yaml.output) == data

    # The same office, changed in the file and imported back: updated in place.
    data["services"][0]["target_wait_minutes"] = 15
    data["counters"].append({"number": 6, "name": "ช่อง 6", "services": ["E"]})
    path = app.instance_path + "-office.json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    updated = run("office", "import", path, "--db", sqlite_url)
    assert updated.exit_code == 0, updated.output
    assert updated.output.strip().splitlines()[-1] == "1"
    services = app.extensions["gecc"].queries.services(1)
    assert services[0]["target_wait_minutes"] == 15
    assert [c["number"] for c in app.extensions["gecc"].queries.counters(1)] == [1, 2, 3, 4, 5, 6]

    # Without an id: a second office with all its services and counters.
    del data["id"]
    data["name"], data["name_en"] = "สาขาสอง", "Branch two"
    data["staff"] = [{"username": "b2admin", "role": "admin"}]
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, allow_unicode=True)
    created = run("office", "import", path, "--db", sqlite_url)
    assert created.exit_code == 0, created.output
    office2 = int(created.output.strip().splitlines()[-1])
    assert office2 == 2
    app.extensions["gecc"].context.catalog.forget_reference()
    assert [s["code"] for s in app.extensions["gecc"].queries.services(office2)] == \
        ["A", "B", "C", "D", "E"]
    assert len(app.extensions["gecc"].queries.counters(office2)) == 6
    # Imported staff have no password until one is set.
    assert app.extensions["gecc"].accounts.authenticate("b2admin", "") is None
    bad = run("office", "import", "-", "--db", sqlite_url, input='{"id": 1, "services": [{"code": "1"}]}')
    assert bad.exit_code != 0 and "Latin letters" in bad.output
    app.extensions["gecc"].engine.dispose()
