"""The application factory: one way in, for the server, the CLI and the tests."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timezone

import flask
import sqlalchemy as sa

from .adapters.db import make_engine, session_factories
from .adapters.file_store import FileStore
from .adapters.unit_of_work import SqlAlchemyUnitOfWork
from .config import SERVERS, settings_from_env
from .domain.alerts import AlertRules
from .domain.booking import CheckInPolicy
from .domain.policy import CallingPolicy
from .live.notifier import FanOutNotifier, Notifier, SocketIONotifier
from .domain.rating import RatingPolicy
from .live import print_agents  # noqa: F401 - the agents' handlers, before any init_app
from .live.sockets import socketio
from .service_layer.accounts import Accounts, hash_password
from .service_layer.admin import OfficeAdmin
from .service_layer.devices import Devices
from .service_layer.alerts import Alerts
from .service_layer.assessment import Assessment
from .service_layer.bookings import Bookings
from .service_layer.complaints import Complaints
from .domain.complaint import ComplaintPolicy
from .service_layer.context import Context, QueueSettings, utc_now
from .service_layer.evidence import Evidence
from .service_layer.manager import ManagerPages, in_a_thread
from .service_layer.packs import Packs, run_in_thread
from .service_layer.office_settings import OfficeSettings
from .service_layer.printing import Printing
from .service_layer.queries import Queries
from .service_layer.ratings import Ratings
from .service_layer.tickets import Tickets
from .web.auth import init_auth
from .web.errors import init_errors
from .web.limits import init_limits
from .web.schemas import IdConverter


@dataclass
class Services:
    """What the web and socket layers reach through `app.extensions["gecc"]`."""

    engine: sa.engine.Engine
    context: Context               # units of work, clock, policy, settings, catalog
    tickets: Tickets               # issue, call, recall, finish, transfer...
    office_settings: OfficeSettings  # counters open and their services, services, notice
    queries: Queries               # what screens and the API read
    accounts: Accounts
    printing: Printing
    bookings: Bookings
    ratings: Ratings
    alerts: Alerts
    evidence: Evidence
    assessment: Assessment
    complaints: Complaints         # the complaint register
    notifier: Notifier
    manager: ManagerPages          # the manager's period pages and self-assessment
    packs: Packs                   # evidence packs made in the background
    admin: OfficeAdmin             # the office's set-up: admin pages, first run, import
    devices: Devices               # kiosks, displays, tablets: paired by a code, revoked


def build_services(config: dict, notifier: Notifier, clock=utc_now) -> Services:
    """The use cases wired to a database; usable without Flask (CLI, simulator, benchmarks)."""
    engine = make_engine(config["DATABASE_URL"], config.get("SQLITE_SYNCHRONOUS", "FULL"))
    writer, reader = session_factories(engine)
    policy = CallingPolicy(
        priority_head_start_minutes=config["PRIORITY_HEAD_START_MINUTES"],
        appointment_head_start_minutes=config["APPOINTMENT_HEAD_START_MINUTES"],
        transfer_head_start_minutes=config["TRANSFER_HEAD_START_MINUTES"],
        preference_step_minutes=config["PREFERENCE_STEP_MINUTES"])
    settings = QueueSettings(public_url=config["PUBLIC_URL"],
                             no_show_requeue_limit=config["NO_SHOW_REQUEUE_LIMIT"])
    write_lock = threading.RLock() if engine.dialect.name == "sqlite" else None

    def write_uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(writer, notifier, write_lock)

    def read_uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(reader, notifier)

    context = Context(write_uow, read_uow, clock=clock, policy=policy, settings=settings)
    tickets = Tickets(context)
    check_in = CheckInPolicy(early_minutes=config["BOOKING_CHECKIN_EARLY_MINUTES"],
                             grace_minutes=config["BOOKING_CHECKIN_GRACE_MINUTES"])
    rating_policy = RatingPolicy(window_days=config["RATING_WINDOW_DAYS"],
                                 low_score_max=config["RATING_LOW_SCORE"],
                                 comment_retention_days=config["RATING_COMMENT_RETENTION_DAYS"])
    alerts = Alerts(context, AlertRules(
        counter_closed_growth=config.get("ALERT_COUNTER_CLOSED_GROWTH", 5)))
    evidence = Evidence(context)
    packs = Packs(evidence, config.get("PACKS_DIR", "instance/packs"),
                  config.get("PACKS_KEPT", 10), clock, runner=_pack_runner(config.get("SERVER")),
                  # a process of its own for the PDF, except in gevent's pool of threads,
                  # where its patched subprocess does not work
                  pdf_beside=config.get("SERVER") != "gevent")
    accounts = Accounts(write_uow, clock, read_uow, blocking=_blocking_runner(config.get("SERVER")))
    return Services(engine=engine, context=context, tickets=tickets,
                    office_settings=OfficeSettings(context), queries=Queries(context),
                    accounts=accounts,
                    printing=Printing(context, alerts),
                    bookings=Bookings(context, tickets, check_in),
                    ratings=Ratings(context, rating_policy), alerts=alerts,
                    evidence=evidence,
                    assessment=Assessment(context, FileStore(config["ATTACHMENTS_DIR"])),
                    complaints=Complaints(context, FileStore(config["ATTACHMENTS_DIR"]),
                                          ComplaintPolicy(contact_retention_days=config[
                                              "COMPLAINT_CONTACT_RETENTION_DAYS"])),
                    notifier=notifier,
                    manager=ManagerPages(context, evidence, alerts,
                                         parallel=_figures_runner(config.get("SERVER"))),
                    packs=packs,
                    admin=OfficeAdmin(context, lambda password: accounts.blocking(
                        _hash, password)),
                    devices=Devices(context))


def _hash(password: str) -> str:
    return hash_password(password)  # looked up at call time: the tests lower its cost


def _blocking_runner(server: str | None):
    """CPU-bound work a request must wait for (a password's scrypt): under gevent in its pool
    of real threads, so the other requests go on meanwhile; otherwise right here."""
    if server == "gevent":
        def in_pool(function, *args):
            import gevent
            return gevent.get_hub().threadpool.apply(function, args)
        return in_pool
    return None


def _figures_runner(server: str | None):
    """The manager's extra figures beside the evidence: under gevent in its pool of real
    threads (a monkey-patched thread would be a greenlet, never at the same time)."""
    if server == "gevent":
        class Pending:
            def __init__(self, work):
                import gevent
                self.result_ = gevent.get_hub().threadpool.spawn(work)

            def result(self):
                return self.result_.get()
        return Pending
    return in_a_thread


def _pack_runner(server: str | None):
    """Packs are CPU work (the PDF, the workbook): under gevent they run in its pool of real
    threads, so the server keeps serving while one is made; otherwise in a thread."""
    if server == "gevent":
        def in_pool(work):
            import gevent
            _load_pack_libraries()
            gevent.get_hub().threadpool.spawn(work)
        return in_pool
    return run_in_thread


def _load_pack_libraries() -> None:
    """Import what a pack uses here, in gevent's own thread: their first import runs programs
    (ldconfig, fc-match), and gevent's patched subprocess works only there, not in its pool."""
    import matplotlib.figure  # noqa: F401
    import rustpy_xlsxwriter  # noqa: F401
    import weasyprint  # noqa: F401
    from rubric import report

    warm = getattr(report, "_matplotlib", None)  # the fonts the charts use, found once
    if warm is not None:
        warm()


def create_app(overrides: dict | None = None, clock=utc_now) -> flask.Flask:
    """Defaults and the environment (GECC_*) first, then `overrides` over them: what the
    command line or a test gives."""
    app = flask.Flask(__name__, instance_relative_config=True)
    app.config.update(settings_from_env(app.instance_path))
    if overrides:
        app.config.update(overrides)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    # gevent when `gecc-queue serve` runs under it (cli.py), else Werkzeug's threads; both use
    # simple-websocket. Redis joins several processes.
    if app.config["SERVER"] not in SERVERS:
        raise ValueError(f"SERVER (GECC_SERVER) is one of {', '.join(SERVERS)}, "
                         f"not {app.config['SERVER']!r}")
    async_mode = {"gevent": "gevent", "werkzeug": "threading"}[app.config["SERVER"]]
    socketio.init_app(app, async_mode=async_mode, message_queue=app.config["REDIS_URL"],
                      logger=False, engineio_logger=False)
    services = build_services(app.config, FanOutNotifier(SocketIONotifier(socketio)), clock)
    app.extensions["gecc"] = services

    init_errors(app)
    init_auth(app)
    init_limits(app)

    app.url_map.converters["id"] = IdConverter
    from .web import evidence_api  # noqa: F401 - ratings, alerts, evidence, self-assessment
    from .web import complaints_api  # noqa: F401 - the complaint register
    from .web import manager_pages  # noqa: F401 - the manager's pages and the packs' API
    from .web.complaint_pages import complaint_pages
    from .web.admin_pages import admin
    from .web.api import api
    from .web.pages import pages
    from kiosk import kiosk
    from display import display
    app.register_blueprint(api)
    app.register_blueprint(pages)
    app.register_blueprint(complaint_pages)
    app.register_blueprint(admin)
    app.register_blueprint(kiosk)
    app.register_blueprint(display)

    @app.get("/healthz")
    def healthz():
        with services.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            conn.execute(sa.text("SELECT 1"))
        return {"status": "ok", "time": datetime.now(timezone.utc).isoformat()}

    return app
