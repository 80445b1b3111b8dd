"""Settings: defaults, then the environment (GECC_*), then whatever the caller passes."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# The web servers a process can run under (`--server` of cli.py, GECC_SERVER): gevent, or
# Werkzeug's threaded server. The default for everything but the CLI (tests, tools) is threads.
SERVERS = ("gevent", "werkzeug")


def default_database_url(instance_path: str | os.PathLike) -> str:
    return f"sqlite:///{Path(instance_path) / 'gecc-queue.sqlite3'}"


def settings_from_env(instance_path: str | os.PathLike) -> dict:
    """The app's configuration as read from GECC_* variables, with sane defaults."""
    env = os.environ
    return {
        "DATABASE_URL": env.get("GECC_DATABASE_URL") or default_database_url(instance_path),
        "REDIS_URL": env.get("GECC_REDIS_URL") or None,
        "SECRET_KEY": env.get("GECC_SECRET_KEY") or _instance_secret(instance_path),
        "TIMEZONE": env.get("GECC_TIMEZONE", "Asia/Bangkok"),
        "PRINTER": env.get("GECC_PRINTER", "none"),
        # The web server the process runs under (one of SERVERS); tests and tools use threads.
        "SERVER": env.get("GECC_SERVER", "werkzeug"),
        "PUBLIC_URL": env.get("GECC_PUBLIC_URL") or "http://127.0.0.1:5000",
        "NO_SHOW_REQUEUE_LIMIT": int(env.get("GECC_NO_SHOW_REQUEUE_LIMIT", "1")),
        "PRIORITY_HEAD_START_MINUTES": float(env.get("GECC_PRIORITY_HEAD_START_MINUTES", "15")),
        "APPOINTMENT_HEAD_START_MINUTES": float(env.get("GECC_APPOINTMENT_HEAD_START_MINUTES", "30")),
        "TRANSFER_HEAD_START_MINUTES": float(env.get("GECC_TRANSFER_HEAD_START_MINUTES", "30")),
        "PREFERENCE_STEP_MINUTES": float(env.get("GECC_PREFERENCE_STEP_MINUTES", "10")),
        "BOOKING_CHECKIN_EARLY_MINUTES": float(env.get("GECC_BOOKING_CHECKIN_EARLY_MINUTES", "60")),
        "BOOKING_CHECKIN_GRACE_MINUTES": float(env.get("GECC_BOOKING_CHECKIN_GRACE_MINUTES", "15")),
        # Per client address and public endpoint (limits syntax); the contract asks >= 30/min.
        "PUBLIC_RATE_LIMIT": env.get("GECC_PUBLIC_RATE_LIMIT", "60 per minute"),
        # Failed log-ins allowed per client address and per user name before a pause.
        "LOGIN_FAILURE_LIMIT": env.get("GECC_LOGIN_FAILURE_LIMIT", "10 per 10 minutes"),
        # Refused booking check-ins per address (codes being guessed) before a pause.
        "CHECK_IN_FAILURE_LIMIT": env.get("GECC_CHECK_IN_FAILURE_LIMIT", "20 per 10 minutes"),
        "RATING_WINDOW_DAYS": float(env.get("GECC_RATING_WINDOW_DAYS", "7")),
        "RATING_LOW_SCORE": int(env.get("GECC_RATING_LOW_SCORE", "2")),
        "RATING_COMMENT_RETENTION_DAYS": float(env.get("GECC_RATING_COMMENT_RETENTION_DAYS", "365")),
        # PDPA: a complaint's contact is erased this long after the complaint is concluded.
        "COMPLAINT_CONTACT_RETENTION_DAYS": float(env.get("GECC_COMPLAINT_CONTACT_RETENTION_DAYS", "365")),
        # Attached evidence files, outside the web root (served to managers only).
        "ATTACHMENTS_DIR": env.get("GECC_ATTACHMENTS_DIR") or str(Path(instance_path) / "attachments"),
        # The manager's alerts: how often the server looks for waits past their target and
        # closed counters whose queue grows, and by how many tickets such a queue must grow.
        "ALERT_SWEEP_SECONDS": float(env.get("GECC_ALERT_SWEEP_SECONDS", "30")),
        "ALERT_COUNTER_CLOSED_GROWTH": int(env.get("GECC_ALERT_COUNTER_CLOSED_GROWTH", "5")),
        # Evidence packs made from the manager's page, and how many are kept for download.
        "PACKS_DIR": env.get("GECC_PACKS_DIR") or str(Path(instance_path) / "packs"),
        "PACKS_KEPT": int(env.get("GECC_PACKS_KEPT", "10")),
        "MAX_CONTENT_LENGTH": 64 * 1024,  # no request of this API is anywhere near this
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Served over TLS (directly or behind a proxy): cookies only over HTTPS.
        "SESSION_COOKIE_SECURE": _flag(env.get("GECC_SECURE_COOKIES")),
        "REMEMBER_COOKIE_SECURE": _flag(env.get("GECC_SECURE_COOKIES")),
        # How many reverse proxies (nginx, Caddy) stand in front: their X-Forwarded-For and
        # -Proto are believed, so rate limits count the citizen's address, not the proxy's.
        "TRUSTED_PROXIES": int(env.get("GECC_TRUSTED_PROXIES", "0")),
        # SQLite's fsync on every commit (FULL): a power cut loses no issued ticket. NORMAL
        # is faster but may lose the last commits before a power cut (never corrupts).
        "SQLITE_SYNCHRONOUS": env.get("GECC_SQLITE_SYNCHRONOUS", "FULL").upper(),
        "WTF_CSRF_CHECK_DEFAULT": False,  # checked where a session authenticates a change
        "WTF_CSRF_TIME_LIMIT": None,  # a counter console stays open all day
    }


def _instance_secret(instance_path: str | os.PathLike) -> str:
    """A secret key kept in the instance folder, so log-ins survive a restart."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")
