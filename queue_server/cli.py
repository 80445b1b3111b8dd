"""The `gecc-queue` command: demo, serve, db upgrade, token create."""

from __future__ import annotations

import os
import sys

import click


def _app(db: str | None, public_url: str | None = None, redis: str | None = None):
    """Migrate the database to head, then build the app on it (migrate, then start)."""
    if db:
        os.environ["GECC_DATABASE_URL"] = db
    if public_url and not os.environ.get("GECC_PUBLIC_URL"):
        os.environ["GECC_PUBLIC_URL"] = public_url
    if redis:
        os.environ["GECC_REDIS_URL"] = redis
    from .adapters.migrate import upgrade
    from .app import create_app
    from .config import settings_from_env
    import flask

    instance = os.path.join(os.getcwd(), "instance")
    url = settings_from_env(instance)["DATABASE_URL"]
    upgrade(url)
    app = create_app({"DATABASE_URL": url})
    return app


def _run(app, host: str, port: int) -> None:
    from .live.sockets import socketio

    # Werkzeug's threaded server with real websockets (simple-websocket). For several
    # processes behind a proxy see the README (gunicorn + Redis message queue).
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False,
                 log_output=False)


@click.group()
def main() -> None:
    """GECC Queue: queue and service-point system for Thai government service counters."""


def server_options(f):
    f = click.option("--host", default="127.0.0.1", show_default=True)(f)
    f = click.option("--port", default=5000, show_default=True, type=int)(f)
    f = click.option("--db", default=None, help="Database URL (default: SQLite under ./instance)")(f)
    return f


@main.command()
@server_options
def demo(host: str, port: int, db: str | None) -> None:
    """Create or migrate the database, seed a demo office if empty, and serve it."""
    from .seed import DEMO_USERS, seed_demo_office

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}"
    app = _app(db, public_url=base)
    seeded = seed_demo_office(app.extensions["gecc"], app.config["TIMEZONE"])
    click.echo("GECC Queue demo " + ("(new demo office seeded)" if seeded else "(existing database)"))
    click.echo(f"  database:          {app.config['DATABASE_URL']}")
    click.echo(f"  kiosk:             {base}/kiosk")
    click.echo(f"  lobby display:     {base}/display")
    click.echo(f"  counter console:   {base}/counter")
    click.echo(f"  reception desk:    {base}/reception")
    click.echo(f"  citizen status:    {base}/t/<token>  (the QR on each ticket)")
    click.echo(f"  manager dashboard: {base}/manager")
    click.echo(f"  API:               {base}/api/v1/openapi.json")
    click.echo("  log-ins:")
    for username, password, role, _ in DEMO_USERS:
        click.echo(f"    {username:<10} {password:<16} ({role.value})")
    sys.stdout.flush()
    _run(app, host, port)


@main.command()
@server_options
def serve(host: str, port: int, db: str | None) -> None:
    """Migrate the database and serve it, without seeding."""
    app = _app(db, public_url=f"http://{host}:{port}")
    click.echo(f"GECC Queue serving on http://{host}:{port} ({app.config['DATABASE_URL']})")
    sys.stdout.flush()
    _run(app, host, port)


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--db", "url", default=None, help="Database URL (default: GECC_DATABASE_URL or ./instance)")
def db_upgrade(url: str | None) -> None:
    """Run the Alembic migrations to head."""
    from .adapters.migrate import upgrade
    from .config import settings_from_env

    url = url or settings_from_env(os.path.join(os.getcwd(), "instance"))["DATABASE_URL"]
    upgrade(url)
    click.echo(f"database at head: {url}")


@main.group()
def token() -> None:
    """API bearer tokens."""


@token.command("create")
@click.option("--user", "username", required=True)
@click.option("--db", default=None)
@click.option("--label", default="cli")
def token_create(username: str, db: str | None, label: str) -> None:
    """Print a new bearer token for USER, alone on the last line."""
    from .domain.errors import DomainError

    app = _app(db)
    try:
        value = app.extensions["gecc"].accounts.create_token(username, label)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Bearer token for {username} (shown once; keep it safe):")
    click.echo(value)


if __name__ == "__main__":
    main()
