"""The real server in real processes: restarts, the CLI, and the Redis scale-out path."""

import os
import subprocess
import sys
import threading
import time

import pytest
import requests
import socketio as socketio_client

from conftest import REDIS_URL, require_service

pytestmark = pytest.mark.live_server


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "queue_server.cli", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env={**os.environ, "GECC_SECRET_KEY": "t"})


def token_for(user: str, db: str, cwd) -> str:
    result = cli("token", "create", "--user", user, "--db", db, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_cli_token_create_prints_a_working_token_on_the_last_line(tmp_path, server_factory):
    db = f"sqlite:///{tmp_path}/cli.sqlite3"
    server = server_factory(db, command="demo")
    token = token_for("staff1", db, tmp_path)
    answer = requests.get(f"{server.url}/api/v1/counters",
                          headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert answer.status_code == 200 and len(answer.json()) == 5
    missing = cli("token", "create", "--user", "nobody", "--db", db, cwd=tmp_path)
    assert missing.returncode != 0 and "nobody" in missing.stderr


def test_db_upgrade_creates_the_schema(tmp_path):
    db = f"sqlite:///{tmp_path}/up.sqlite3"
    result = cli("db", "upgrade", "--db", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "at head" in result.stdout
    again = cli("db", "upgrade", "--db", db, cwd=tmp_path)  # idempotent
    assert again.returncode == 0


def test_demo_prints_the_urls_and_log_ins(tmp_path, server_factory):
    server = server_factory(f"sqlite:///{tmp_path}/demo.sqlite3", command="demo")
    time.sleep(0.2)
    output = (tmp_path / f"server-{server.port}.log").read_text()
    for expected in ("/kiosk", "/display", "/display/counter/1", "/rate/counter/1", "/counter", "/reception", "/t/",
                     "/manager", "staff1", "manager"):
        assert expected in output
    assert "new demo office seeded" in output


def test_a_killed_server_restarts_with_the_queue_intact(tmp_path, server_factory):
    db = f"sqlite:///{tmp_path}/restart.sqlite3"
    server = server_factory(db, command="demo")
    token = token_for("staff1", db, tmp_path)
    auth = {"Authorization": f"Bearer {token}"}
    issued = [requests.post(f"{server.url}/api/v1/tickets", json={"service_id": 1}, timeout=5).json()
              for _ in range(3)]
    called = requests.post(f"{server.url}/api/v1/counters/1/call-next", headers=auth, timeout=5)
    assert called.json()["number"] == "A001"
    server.kill()  # SIGKILL: no clean shutdown

    again = server_factory(db, command="demo", port=server.port)
    log = (tmp_path / f"server-{again.port}.log").read_text()
    assert "existing database" in log  # not seeded twice
    services = requests.get(f"{again.url}/api/v1/services", timeout=5).json()
    assert services[0]["waiting"] == 2
    status = requests.get(f"{again.url}/api/v1/tickets/{issued[0]['token']}", timeout=5).json()
    assert status["status"] == "called" and status["counter"]["id"] == 1
    nxt = requests.post(f"{again.url}/api/v1/counters/1/call-next", headers=auth, timeout=5).json()
    assert nxt["number"] == "A002"
    assert requests.post(f"{again.url}/api/v1/tickets", json={"service_id": 1},
                         timeout=5).json()["number"] == "A004"


def _redis_up() -> bool:
    import redis
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception:
        return False


@pytest.mark.redis
def test_two_processes_share_live_events_through_redis(tmp_path, server_factory):
    """A call made on process A reaches a display connected to process B (Redis message queue)."""
    require_service("Redis", _redis_up(), REDIS_URL)
    db = f"sqlite:///{tmp_path}/shared.sqlite3"
    env = {"GECC_REDIS_URL": REDIS_URL}
    a = server_factory(db, command="demo", env=env)
    b = server_factory(db, command="serve", env=env)
    token = token_for("staff1", db, tmp_path)

    got = threading.Event()
    calls = []
    display = socketio_client.Client(reconnection=False)

    @display.on("ticket_called")
    def on_call(data):
        calls.append(data)
        got.set()

    display.connect(b.url, transports=["websocket"], wait_timeout=10)
    try:
        assert display.call("join", {"room": "display"}, timeout=10) == {"ok": True}
        requests.post(f"{a.url}/api/v1/tickets", json={"service_id": 1}, timeout=5)
        called = requests.post(f"{a.url}/api/v1/counters/1/call-next",
                               headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert called.status_code == 200
        assert got.wait(10), "the display on process B never heard the call made on A"
        assert calls[0]["number"] == "A001" and calls[0]["counter_id"] == 1
    finally:
        display.disconnect()


@pytest.mark.redis
def test_two_processes_count_one_rate_limit_through_redis(tmp_path, server_factory):
    """Behind a load balancer a flood is counted once: both processes keep the public rate
    limit's counts in the same Redis."""
    require_service("Redis", _redis_up(), REDIS_URL)
    import redis
    url = REDIS_URL.rsplit("/", 1)[0] + "/7"  # a database of this test's own, emptied first
    redis.Redis.from_url(url).flushdb()
    db = f"sqlite:///{tmp_path}/shared.sqlite3"
    env = {"GECC_REDIS_URL": url, "GECC_PUBLIC_RATE_LIMIT": "3 per minute"}
    a = server_factory(db, command="demo", env=env)
    b = server_factory(db, command="serve", env=env)
    answers = [requests.get(f"{server.url}/api/v1/tickets/no-such-ticket", timeout=5)
               for server in (a, b, a, b)]
    assert [r.status_code for r in answers] == [404, 404, 404, 429]
    assert answers[-1].json()["error"]["code"] == "rate_limited"
    assert int(answers[-1].headers["Retry-After"]) > 0
