"""The application factory: one way in, for the server, the CLI and the tests."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timezone

import flask
import sqlalchemy as sa

from .adapters.db import make_engine, session_factories
from .config import SERVERS, settings_from_env
from .domain.policy import CallingPolicy
from .live.notifier import FanOutNotifier, Notifier, SocketIONotifier
from .live.sockets import socketio
from .domain.booking import CheckInPolicy
from .service_layer.accounts import Accounts
from .service_layer.bookings import Bookings
from .service_layer.printing import Printing
from .service_layer.queue import Queue, QueueSettings, utc_now
from .service_layer.unit_of_work import UnitOfWork
from .web.auth import init_auth
from .web.errors import init_errors
from .web.schemas import IdConverter


@dataclass
class Services:
    """What the web and socket layers reach through `app.extensions["gecc"]`."""

    engine: sa.engine.Engine
    queue: Queue
    accounts: Accounts
    printing: Printing
    notifier: Notifier
    bookings: Bookings


def build_services(config: dict, notifier: Notifier, clock=utc_now) -> Services:
    """The use cases wired to a database; usable without Flask (CLI, simulator, benchmarks)."""
    engine = make_engine(config["DATABASE_URL"])
    writer, reader = session_factories(engine)
    policy = CallingPolicy(
        priority_head_start_minutes=config["PRIORITY_HEAD_START_MINUTES"],
        appointment_head_start_minutes=config["APPOINTMENT_HEAD_START_MINUTES"],
        transfer_head_start_minutes=config["TRANSFER_HEAD_START_MINUTES"],
        preference_step_minutes=config["PREFERENCE_STEP_MINUTES"])
    settings = QueueSettings(public_url=config["PUBLIC_URL"],
                             no_show_requeue_limit=config["NO_SHOW_REQUEUE_LIMIT"])
    write_lock = threading.RLock() if engine.dialect.name == "sqlite" else None

    def write_uow() -> UnitOfWork:
        return UnitOfWork(writer, notifier, write_lock)

    def read_uow() -> UnitOfWork:
        return UnitOfWork(reader, notifier)

    queue = Queue(write_uow, read_uow, clock=clock, policy=policy, settings=settings)
    check_in = CheckInPolicy(early_minutes=config["BOOKING_CHECKIN_EARLY_MINUTES"],
                             grace_minutes=config["BOOKING_CHECKIN_GRACE_MINUTES"])
    return Services(engine, queue, Accounts(write_uow, clock, read_uow),
                    Printing(write_uow, clock, queue.ticket_view_in, queue.catalog), notifier,
                    Bookings(queue, check_in))


def create_app(overrides: dict | None = None, clock=utc_now) -> flask.Flask:
    """Defaults and the environment (GECC_*) first, then `overrides` over them: what the
    command line or a test gives."""
    app = flask.Flask(__name__, instance_relative_config=True)
    app.config.update(settings_from_env(app.instance_path))
    if overrides:
        app.config.update(overrides)
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

    app.url_map.converters["id"] = IdConverter
    from .live import print_agents  # noqa: F401 - registers the agents' Socket.IO handlers
    from .web.api import api
    from .web.pages import pages
    from kiosk import kiosk
    from display import display
    app.register_blueprint(api)
    app.register_blueprint(pages)
    app.register_blueprint(kiosk)
    app.register_blueprint(display)

    @app.get("/healthz")
    def healthz():
        with services.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            conn.execute(sa.text("SELECT 1"))
        return {"status": "ok", "time": datetime.now(timezone.utc).isoformat()}

    return app
