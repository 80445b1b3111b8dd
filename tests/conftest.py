"""Fixtures: a migrated database per test (SQLite file, and PostgreSQL when it is there),
the app on it with a controllable clock, clients, and one-line helpers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from queue_server.adapters.migrate import upgrade
from queue_server.adapters.orm import metadata
from queue_server.app import create_app

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("GECC_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("GECC_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SKIPPED_REQUIREMENTS: set[str] = set()

# Demo users are seeded for every test: a cheap KDF setting keeps that fast. The real
# setting (scrypt) is tested in test_api.py.
import queue_server.service_layer.accounts as _accounts  # noqa: E402
_accounts.PASSWORD_METHOD = "pbkdf2:sha256:1000"


def require_service(name: str, reachable: bool, how: str) -> None:
    """Skip loudly when a real service is missing; under CI a missing service is a failure."""
    if reachable:
        return
    message = f"{name} is not reachable ({how}); tests that need it were SKIPPED"
    if IN_CI:
        pytest.fail(f"{message} -- not allowed under CI=true", pytrace=False)
    SKIPPED_REQUIREMENTS.add(message)
    pytest.skip(message)


def pytest_terminal_summary(terminalreporter):
    for message in sorted(SKIPPED_REQUIREMENTS):
        terminalreporter.write_line(f"!!! {message.upper()}", red=True, bold=True)


class FakeClock:
    """A clock the test moves by hand; starts on a weekday morning in Bangkok (UTC+7)."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # Mon 09:00 BKK

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


def _postgres_up() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_schema_url() -> str:
    """A fresh PostgreSQL schema of this test run, migrated to head, dropped at the end."""
    require_service("PostgreSQL", _postgres_up(), POSTGRES_URL)
    schema = f"gecc_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(POSTGRES_URL).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """A migrated, empty database: a SQLite file, then (second run) PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "gecc.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_schema_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template) -> str:
    """For tests about behaviour that does not depend on the database engine."""
    path = tmp_path / "gecc.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_app(url: str, clock, **config):
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test",
                      "PUBLIC_URL": "http://gecc.test", "REDIS_URL": None,
                      # Every test client is one address; the limits' own tests lower this.
                      "PUBLIC_RATE_LIMIT": "100000 per minute",
                      "ATTACHMENTS_DIR": tempfile.mkdtemp(prefix="gecc-files-"), **config},
                     clock=clock)
    from queue_server.seed import seed_demo_office
    seed_demo_office(app.extensions["gecc"])
    return app


@pytest.fixture
def app(db_url, clock):
    """The app on a demo office (5 services, 5 open counters, demo users)."""
    app = make_app(db_url, clock)
    yield app
    app.extensions["gecc"].engine.dispose()


@pytest.fixture
def sqlite_app(sqlite_url, clock):
    app = make_app(sqlite_url, clock)
    yield app
    app.extensions["gecc"].engine.dispose()


class Api:
    """The HTTP API as a test uses it: `api.post(path, json, as_="staff1")`."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.tokens: dict[str, str] = {}

    def _headers(self, as_: str | None) -> dict:
        if as_ is None:
            return {}
        if as_ not in self.tokens:
            self.tokens[as_] = self.app.extensions["gecc"].accounts.create_token(as_)
        return {"Authorization": f"Bearer {self.tokens[as_]}"}

    def get(self, path: str, as_: str | None = None):
        return self.client.get(f"/api/v1{path}", headers=self._headers(as_))

    def post(self, path: str, json=None, as_: str | None = None, **kwargs):
        return self.client.post(f"/api/v1{path}", json=json, headers=self._headers(as_), **kwargs)

    def issue(self, service_id: int = 1, **body) -> dict:
        response = self.post("/tickets", {"service_id": service_id, **body})
        assert response.status_code == 201, response.json
        return response.json

    def call_next(self, counter_id: int = 1, as_: str = "staff1"):
        return self.post(f"/counters/{counter_id}/call-next", {}, as_=as_)


@pytest.fixture
def api(app) -> Api:
    return Api(app)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A real `gecc-queue` server in a subprocess, on a free port."""

    def __init__(self, db_url: str, command: str = "serve", env: dict | None = None,
                 port: int | None = None, cwd: Path | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_url = db_url
        self.command = command
        self.env = {**os.environ, "GECC_SECRET_KEY": "test", **(env or {})}
        self.cwd = cwd
        self.proc = None

    def start(self, timeout: float = 30) -> ServerProcess:
        import requests

        self.log = open(Path(self.cwd or ".") / f"server-{self.port}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "queue_server.cli", self.command, "--port", str(self.port),
             "--db", self.db_url], stdout=self.log, stderr=subprocess.STDOUT, env=self.env,
            cwd=self.cwd)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not answer /healthz in time")

    def kill(self) -> None:
        """Stop at once, as a power cut or a crash would (SIGKILL)."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.proc:
            self.log.close()


@pytest.fixture
def server_factory(tmp_path):
    servers: list[ServerProcess] = []

    def start(db_url: str, **kwargs) -> ServerProcess:
        server = ServerProcess(db_url, cwd=tmp_path, **kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.kill()
