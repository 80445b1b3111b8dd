"""The `gecc-queue` command: demo, serve, db upgrade, token create."""

from __future__ import annotations

import logging
import os
import sys

import click

from .config import SERVERS  # the standard library only: nothing gevent must patch first


def _use_server(name: str) -> None:
    """Get the process ready for the chosen web server; call it before anything else runs.

    gevent (the default) serves every request and websocket on one OS thread, switching only
    where one waits for the network. A use case then runs from its first statement to its
    commit without being preempted, so the SQLite writer never waits on a GIL holder in the
    middle of its transaction (with threads, that convoy halved the ticket rate:
    docs/BENCHMARKS.md). The standard library is patched first, before any lock or socket
    exists. `werkzeug` is Flask's threaded development server, for debugging.
    The app learns the choice from its config (`_app(..., server=name)`).
    """
    if name == "gevent":
        from gevent import monkey
        monkey.patch_all()


def _app(db: str | None, public_url: str | None = None, redis: str | None = None,
         server: str | None = None):
    """Migrate the database to head, then build the app on it (migrate, then start).

    The command line's choices go to the app as config over the environment's (GECC_*); the
    address the server listens on is only the fallback of GECC_PUBLIC_URL.
    """
    from .adapters.migrate import upgrade
    from .app import create_app
    from .config import settings_from_env

    overrides = {"DATABASE_URL": db or settings_from_env(
        os.path.join(os.getcwd(), "instance"))["DATABASE_URL"]}
    if public_url and not os.environ.get("GECC_PUBLIC_URL"):
        overrides["PUBLIC_URL"] = public_url
    if redis:
        overrides["REDIS_URL"] = redis
    if server:
        overrides["SERVER"] = server
    upgrade(overrides["DATABASE_URL"])
    return create_app(overrides)


def _run(app, host: str, port: int) -> None:
    from .live.sockets import socketio

    _start_local_print_agent(app)
    socketio.start_background_task(_erase_expired_comments_hourly, app)
    socketio.start_background_task(_sweep_alerts, app)
    if app.config["SERVER"] == "gevent":
        # gevent's WSGI server (HTTP/1.1 keep-alive) with simple-websocket for Socket.IO.
        socketio.run(app, host=host, port=port, use_reloader=False, log_output=False,
                     handler_class=_no_delay_handler())
        return
    # Werkzeug's threaded server with real websockets (simple-websocket).
    from werkzeug.serving import WSGIRequestHandler

    class KeepAliveHandler(WSGIRequestHandler):
        # HTTP/1.1 keeps a kiosk's or console's connection open between requests, instead of
        # a new TCP connection and thread for every call.
        protocol_version = "HTTP/1.1"

    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False,
                 log_output=False, request_handler=KeepAliveHandler)


def _no_delay_handler():
    """gevent's request handler with Nagle's algorithm off on each connection.

    gevent writes a response's headers and its body in two sends. On a kept-alive connection
    Nagle then holds the body back until the client ACKs the headers, which the client delays
    by up to 40 ms: every kiosk tap and console key paid that (44 ms for /healthz, 2 ms without).
    """
    import socket
    from gevent import pywsgi

    class NoDelayHandler(pywsgi.WSGIHandler):
        def handle(self):
            try:
                self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:  # not TCP (a Unix socket): nothing to switch off
                pass
            return super().handle()

    return NoDelayHandler


def _erase_expired_comments_hourly(app) -> None:
    """PDPA: ratings' comments and complaints' contacts are erased when their retention ends
    (the scores and the complaints stay); and complaints past their due date raise their
    alert. Every process does it; the second finds nothing left to do."""
    from .live.sockets import socketio

    log = logging.getLogger("gecc.privacy")
    while True:
        gecc = app.extensions["gecc"]
        try:
            erased = gecc.ratings.erase_expired_comments()
            contacts = gecc.complaints.erase_expired_contacts()
            if erased or contacts:
                log.info("erased %d rating comments and %d complaint contacts past their "
                         "retention", erased, contacts)
        except Exception:  # the next hour tries again; serving goes on
            log.exception("could not erase expired personal data")
        try:
            overdue = gecc.complaints.raise_overdue_alerts()
            if overdue:
                logging.getLogger("gecc.complaints").info("%d complaints overdue: alerted", overdue)
        except Exception:
            logging.getLogger("gecc.complaints").exception("could not raise overdue alerts")
        socketio.sleep(3600)


def _sweep_alerts(app) -> None:
    """Alerts that passing time raises (a wait past its target, a closed counter's growing
    queue), looked for every GECC_ALERT_SWEEP_SECONDS in every office."""
    from .live.sockets import socketio

    log = logging.getLogger("gecc.alerts")
    services = app.extensions["gecc"]
    while True:
        socketio.sleep(app.config["ALERT_SWEEP_SECONDS"])
        try:
            for office_id in services.queries.office_ids():
                services.alerts.sweep(office_id)
        except Exception:  # the next round tries again; serving goes on
            log.exception("could not look for alerts")


def _start_local_print_agent(app) -> None:
    """With GECC_PRINTER set, this process prints the jobs that name no kiosk (one-PC office)."""
    printer_url = app.config["PRINTER"]
    if not printer_url or printer_url == "none":
        return
    from printer.agent import PrintAgent
    from printer.device import EscposDevice
    from printer.journal import Journal
    from printer.transports import LocalTransport

    services = app.extensions["gecc"]
    transport = LocalTransport(services)
    device = EscposDevice.from_url(printer_url)
    if app.config["SERVER"] == "gevent":
        device = _OnOwnThread(device)
    agent = PrintAgent(device,
                       Journal(os.path.join(os.getcwd(), "instance", "print-agent-local.sqlite3")),
                       transport)
    transport.attach(agent)
    agent.start()
    agent.catch_up()
    agent.refresh_status()
    click.echo(f"  printer:           {printer_url} (in-process print agent)")


class _OnOwnThread:
    """A printer whose calls run on one real OS thread. Under gevent, a USB or serial write
    blocks without yielding, and every request and display would wait while a ticket prints.
    (A network printer's socket is opened afresh per call, so one thread is all it needs.)"""

    def __init__(self, device):
        from gevent.threadpool import ThreadPool

        self.device = device
        self.pool = ThreadPool(1)

    def status(self) -> dict:
        return self.pool.apply(self.device.status)

    def print_job(self, job: dict) -> None:
        return self.pool.apply(self.device.print_job, (job,))


@click.group()
def main() -> None:
    """GECC Queue: queue and service-point system for Thai government service counters."""


def server_options(f):
    f = click.option("--server", "server", type=click.Choice(SERVERS),
                     default=lambda: os.environ.get("GECC_SERVER", "gevent"), show_default="gevent",
                     help="web server: gevent, or Flask's threaded development server")(f)
    f = click.option("--host", default="127.0.0.1", show_default=True)(f)
    f = click.option("--port", default=5000, show_default=True, type=int)(f)
    f = click.option("--db", default=None, help="Database URL (default: SQLite under ./instance)")(f)
    return f


@main.command()
@server_options
@click.option("--history-days", default=0, show_default=True, type=click.IntRange(0, 400),
              help="on a new database, simulate this many days before today first")
def demo(host: str, port: int, db: str | None, server: str, history_days: int) -> None:
    """Create or migrate the database, seed a demo office if empty, and serve it."""
    _use_server(server)
    from .seed import DEMO_USERS, demo_booking_lines, seed_demo_bookings, seed_demo_office

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}"
    app = _app(db, public_url=base, server=server)
    seeded = seed_demo_office(app.extensions["gecc"], app.config["TIMEZONE"])
    click.echo("GECC Queue demo " + ("(new demo office seeded)" if seeded else "(existing database)"))
    if history_days and seeded:
        from .simulation import simulate

        click.echo(f"  simulating the {history_days} days before today (history for the reports)...")
        summary = simulate(dict(app.config), history_days, progress=click.echo)
        click.echo(f"  history: {summary.line()}")
        # The simulator wrote through its own engine: the server reads the office afresh.
        app.extensions["gecc"].context.catalog.forget_reference()
    elif history_days:
        click.echo("  history: kept as it is (an existing database is never simulated over)")
    click.echo(f"  database:          {app.config['DATABASE_URL']}")
    click.echo(f"  kiosk:             {base}/kiosk")
    click.echo(f"  lobby display:     {base}/display")
    click.echo("                     on the TV, so calls are heard with no one to click: chromium --kiosk"
               f" --autoplay-policy=no-user-gesture-required {base}/display")
    click.echo(f"  counter screen:    {base}/display/counter/1  (above counter 1; /2 for counter 2 ...)")
    click.echo(f"  rating tablet:     {base}/rate/counter/1  (facing the citizen; paired from the console, K)")
    click.echo(f"  counter console:   {base}/counter")
    click.echo(f"  reception desk:    {base}/reception")
    click.echo(f"  citizen status:    {base}/t/<token>  (the QR on each ticket)")
    click.echo(f"  manager dashboard: {base}/manager")
    click.echo(f"  API:               {base}/api/v1/openapi.json")
    click.echo("  log-ins:")
    for username, password, role, _ in DEMO_USERS:
        click.echo(f"    {username:<10} {password:<16} ({role.value})")
    gecc = app.extensions["gecc"]
    for line in demo_booking_lines(seed_demo_bookings(gecc), gecc.bookings.day()["date"]):
        click.echo(line)
    sys.stdout.flush()
    _run(app, host, port)


@main.command()
@click.option("--days", type=click.IntRange(0, 400), required=True,
              help="how many days before today to fill (today is left untouched)")
@click.option("--seed", default=1, show_default=True, type=int, help="the same seed, the same data")
@click.option("--scale", default=1.0, show_default=True, type=click.FloatRange(0.01, 100),
              help="multiply the traffic (1 = a busy district office, ~520 tickets a weekday)")
@click.option("--db", default=None, help="Database URL (default: SQLite under ./instance)")
@click.option("--exact", is_flag=True, default=False,
              help="every step through the use cases, one round trip each (the same data, "
                   "~10x slower); by default the day runs in memory on the same domain rules "
                   "and is written in bulk")
def simulate(days: int, seed: int, scale: float, db: str | None, exact: bool) -> None:
    """Fill the days before today with realistic traffic through the use cases (demos,
    reports, benchmarks); seeds the demo office on an empty database. Days that already
    hold tickets are refused."""
    from .adapters.migrate import upgrade
    from .config import settings_from_env
    from .domain.errors import DomainError
    from .simulation import simulate as run_simulation

    config = settings_from_env(os.path.join(os.getcwd(), "instance"))
    if db:
        config["DATABASE_URL"] = db
    upgrade(config["DATABASE_URL"])
    click.echo(f"simulating {days} days before today (seed {seed}, scale {scale:g}) "
               f"into {config['DATABASE_URL']}")
    try:
        summary = run_simulation(config, days, seed=seed, scale=scale, progress=click.echo,
                                 exact=exact)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    if summary.counters_added:
        click.echo(f"  added {summary.counters_added} counters for the traffic (staff4.. at them)")
    click.echo(summary.line())


@main.command()
@server_options
def serve(host: str, port: int, db: str | None, server: str) -> None:
    """Migrate the database and serve it, without seeding."""
    _use_server(server)
    app = _app(db, public_url=f"http://{host}:{port}", server=server)
    click.echo(f"GECC Queue serving on http://{host}:{port} ({app.config['DATABASE_URL']})")
    if app.extensions["gecc"].admin.is_empty():
        # The first run: whoever sets the office up must be able to read this console, so
        # nobody else on the network makes themselves its administrator first.
        import secrets

        app.config["SETUP_CODE"] = code = f"{secrets.randbelow(10 ** 8):08d}"
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        click.echo("  No office yet. Set yours up in the browser (ตั้งค่าสำนักงานครั้งแรก):")
        click.echo(f"    http://{shown}:{port}/setup?code={code}")
        click.echo(f"  set-up code: {code}")
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
@click.option("--user", "username", default=None, help="a staff user name")
@click.option("--device", "kiosk_id", default=None, help="a kiosk id: a token for its print agent")
@click.option("--days", type=click.IntRange(1, 3650), default=None,
              help="valid this many days (default: 90 for a user; a device's until revoked)")
@click.option("--db", default=None)
@click.option("--label", default="cli")
def token_create(username: str | None, kiosk_id: str | None, days: int | None, db: str | None,
                 label: str) -> None:
    """Print a new bearer token for --user NAME (or --device KIOSK), alone on the last line."""
    import re

    from .domain.errors import DomainError
    from .domain.model import device_username

    if (username is None) == (kiosk_id is None):
        raise click.UsageError("give exactly one of --user and --device")
    if kiosk_id is not None and not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", kiosk_id):
        raise click.UsageError("a kiosk id is 1-64 letters, digits, '.', '_' or '-'")
    app = _app(db)
    accounts = app.extensions["gecc"].accounts
    try:
        if kiosk_id is not None:
            office = app.extensions["gecc"].queries.office()
            accounts.ensure_device(office["id"], kiosk_id)
            username = device_username(kiosk_id)
        elif days is None:
            days = 90  # a person's token runs out; a kiosk's print agent must keep printing
        value = accounts.create_token(username, label, days=days)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    until = f"valid {days} days" if days else "valid until revoked"
    click.echo(f"Bearer token for {username}, {until} (shown once; keep it safe):")
    click.echo(value)


@token.command("list")
@click.option("--db", default=None)
def token_list(db: str | None) -> None:
    """Every token: its id, whose, label, made, runs out, revoked (never the token itself)."""
    for t in _app(db).extensions["gecc"].accounts.tokens():
        state = "valid" if t["valid"] else ("revoked" if t["revoked_at"] else "expired")
        click.echo(f"{t['id']:>5}  {state:8}  {t['username']:24}  {t['label']:16}  "
                   f"made {t['created_at']}  until {t['expires_at'] or '-'}"
                   + (f"  revoked {t['revoked_at']}" if t["revoked_at"] else ""))


@token.command("revoke")
@click.argument("token_id", type=click.IntRange(1))
@click.option("--db", default=None)
def token_revoke(token_id: int, db: str | None) -> None:
    """Take a token back at once (a lost tablet, a clerk who left)."""
    from .domain.errors import DomainError

    try:
        _app(db).extensions["gecc"].accounts.revoke_token(token_id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"token {token_id} revoked")


def _password_from_input(confirm: bool = True) -> str:
    """The password from standard input (a pipe: its first line), or typed twice at a
    terminal; never from the command line, where `ps` and the shell history would keep it."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=confirm)
    return sys.stdin.readline().rstrip("\r\n")


@main.group()
def user() -> None:
    """Staff accounts: add, set a password, disable."""


@user.command("add")
@click.argument("username")
@click.option("--role", required=True,
              type=click.Choice(["staff", "reception", "manager", "admin", "superadmin"]))
@click.option("--office", "office_id", type=click.IntRange(1), default=None,
              help="the office's id (default: the server's first)")
@click.option("--name", "display_name", default="", help="the name shown (default: NAME)")
@click.option("--db", default=None)
def user_add(username: str, role: str, office_id: int | None, display_name: str,
             db: str | None) -> None:
    """Add an account; its password comes from standard input."""
    from .domain.errors import DomainError
    from .domain.model import Actor

    gecc = _app(db).extensions["gecc"]
    try:
        office = office_id or gecc.queries.office()["id"]
        made = gecc.admin.add_user(office, Actor("cli"), {
            "username": username, "role": role, "display_name": display_name or username,
            "password": _password_from_input()}, may_make_superadmin=True)
    except DomainError as exc:
        raise click.ClickException(_both(exc)) from None
    click.echo(f"user {made['username']} ({made['role']}) added to office {office}")


@user.command("passwd")
@click.argument("username")
@click.option("--db", default=None)
def user_passwd(username: str, db: str | None) -> None:
    """Set the user's password (from standard input); their sessions end."""
    from .domain.errors import DomainError
    from .domain.model import Actor

    gecc = _app(db).extensions["gecc"]
    try:
        gecc.admin.reset_password(None, username, Actor("cli"), _password_from_input())
    except DomainError as exc:
        raise click.ClickException(_both(exc)) from None
    click.echo(f"password of {username} set; their sessions have ended")


@user.command("disable")
@click.argument("username")
@click.option("--db", default=None)
def user_disable(username: str, db: str | None) -> None:
    """Disable the account: its sessions and tokens stop working at once."""
    from .domain.errors import DomainError
    from .domain.model import Actor

    gecc = _app(db).extensions["gecc"]
    try:
        gecc.admin.set_user_active(None, username, Actor("cli"), False)
    except DomainError as exc:
        raise click.ClickException(_both(exc)) from None
    click.echo(f"user {username} disabled; their sessions and tokens no longer work")


def _both(exc) -> str:
    extra = getattr(exc, "extra", None) or {}
    return f"{extra['message_th']} / {exc.message}" if extra.get("message_th") else exc.message


@main.group()
def office() -> None:
    """An office's whole configuration as one file (JSON or YAML)."""


@office.command("export")
@click.option("--office", "office_id", type=click.IntRange(1), default=None,
              help="the office's id (default: the server's first)")
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json",
              show_default=True)
@click.option("--db", default=None)
def office_export(office_id: int | None, fmt: str, db: str | None) -> None:
    """Write the office's configuration (services, counters, hours, staff without passwords,
    devices) to standard output."""
    import json

    from .domain.errors import DomainError

    try:
        data = _app(db).extensions["gecc"].admin.export(office_id)
    except DomainError as exc:
        raise click.ClickException(_both(exc)) from None
    if fmt == "yaml":
        import yaml
        click.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), nl=False)
    else:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@office.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--db", default=None)
def office_import(file, db: str | None) -> None:
    """Apply a configuration file: to the office of its `id`, or a new office without one.
    Prints the office's id alone on the last line."""
    import json

    import yaml

    from .domain.errors import DomainError
    from .domain.model import Actor

    text = file.read()
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise click.ClickException(f"not JSON or YAML: {exc}") from None
    try:
        office_id = _app(db).extensions["gecc"].admin.import_config(data, Actor("cli"))
    except DomainError as exc:
        raise click.ClickException(_both(exc)) from None
    click.echo(f"office configured from {file.name}:")
    click.echo(str(office_id))


@main.group()
def evidence() -> None:
    """The GECC evidence."""


@evidence.command("export")
@click.option("--from", "first", required=True, help="first day, YYYY-MM-DD (office time)")
@click.option("--to", "last", required=True, help="last day, included")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="folder to write")
@click.option("--db", default=None)
def evidence_export(first: str, last: str, out: str, db: str | None) -> None:
    """Write the evidence pack of a period: evidence.json, tickets.csv, evidence.xlsx."""
    from datetime import date

    from .domain.errors import DomainError
    try:
        first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise click.BadParameter("days are YYYY-MM-DD") from None
    app = _app(db)
    try:
        written = app.extensions["gecc"].evidence.export(None, first_day, last_day, out)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    for path in written:
        click.echo(str(path))


@main.group()
def privacy() -> None:
    """Personal data (PDPA)."""


@privacy.command("erase")
@click.option("--db", default=None)
def privacy_erase(db: str | None) -> None:
    """Erase now what is kept past its retention (ratings' comments, the scores stay;
    complaints' contacts, the complaints stay). The server does this every hour by itself."""
    app = _app(db)
    erased = app.extensions["gecc"].ratings.erase_expired_comments()
    days = app.config["RATING_COMMENT_RETENTION_DAYS"]
    click.echo(f"erased {erased} rating comment(s) older than {days:g} days")
    contacts = app.extensions["gecc"].complaints.erase_expired_contacts()
    days = app.config["COMPLAINT_CONTACT_RETENTION_DAYS"]
    click.echo(f"erased {contacts} complaint contact(s) of complaints concluded more than "
               f"{days:g} days ago")


@main.group()
def printer() -> None:
    """Ticket printing tools."""


@printer.command("render")
@click.option("--service-id", type=int, required=True)
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="PNG file to write")
@click.option("--paper", default="80mm", show_default=True, help="58mm or 80mm")
@click.option("--db", default=None)
def printer_render(service_id: int, out: str, paper: str, db: str | None) -> None:
    """Write the ticket SERVICE would print now, as the printer will get it (issues nothing)."""
    from printer.render import paper_dots, render_ticket
    from printer.ticket import TicketPrint

    from .domain.errors import DomainError

    app = _app(db)
    try:
        view, office = app.extensions["gecc"].queries.preview_ticket(service_id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    image = render_ticket(TicketPrint.from_ticket_view(view, office), paper_dots(paper))
    image.save(out)
    click.echo(f"{out}: ticket {view['number']}, {image.width}x{image.height} dots")


@main.command("print-agent")
@click.option("--server", required=True, help="the server's URL, e.g. http://192.168.1.10:5000")
@click.option("--kiosk", "kiosk_id", required=True, help="this kiosk's id")
@click.option("--printer", "printer_url", default=None,
              help="network://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0, cups://QUEUE, "
                   "file:///path or dummy (default: GECC_PRINTER)")
@click.option("--token", envvar="GECC_AGENT_TOKEN", required=True,
              help="device token from `gecc-queue token create --device KIOSK` (or GECC_AGENT_TOKEN)")
@click.option("--journal", default=None, help="journal file (default ./instance/print-agent-KIOSK.sqlite3)")
@click.option("--status-interval", default=5.0, show_default=True, type=float,
              help="seconds between printer status checks")
def print_agent(server: str, kiosk_id: str, printer_url: str | None, token: str,
                journal: str | None, status_interval: float) -> None:
    """Run the print agent of a kiosk PC: receive print jobs, print each once, acknowledge."""
    import signal
    import threading

    from printer.agent import PrintAgent
    from printer.device import EscposDevice
    from printer.journal import Journal
    from printer.transports import SocketTransport

    printer_url = printer_url or os.environ.get("GECC_PRINTER", "none")
    device = EscposDevice.from_url(printer_url)
    journal_path = journal or os.path.join(os.getcwd(), "instance", f"print-agent-{kiosk_id}.sqlite3")
    transport = SocketTransport(server, token)
    agent = PrintAgent(device, Journal(journal_path), transport, status_interval=status_interval)
    transport.attach(agent)
    agent.start()
    transport.connect()
    click.echo(f"print agent of kiosk {kiosk_id}: {printer_url} -> {server} (journal {journal_path})")
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        transport.close()
        agent.stop()


if __name__ == "__main__":
    main()
