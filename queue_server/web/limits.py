"""Rate limits of the public endpoints, per client address (Flask-Limiter).

Anonymous callers (a ticket's status, ratings, booking check-in, device pairing) are limited
so that one phone or script cannot flood the office; the limit leaves room for a whole office
behind one router (the contract asks for at least 30 a minute on each endpoint). Counts are
kept in memory, or in Redis when the server runs as several processes (`GECC_REDIS_URL`), so
every process counts the same calls. Over the limit: 429, `Retry-After`, and a message in
Thai and English that the pages show as it is.
"""

from __future__ import annotations

import flask
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from .errors import error_response

limiter = Limiter(key_func=get_remote_address)

RATE_LIMITED_TH = "มีการใช้งานถี่เกินไป กรุณารอสักครู่แล้วลองใหม่"
RATE_LIMITED_EN = "Too many requests from here; please wait a moment and try again."


def _public_limit() -> str:
    return flask.current_app.config["PUBLIC_RATE_LIMIT"]


def _known_caller() -> bool:
    """Staff and devices (a kiosk's or a tablet's token) are not limited: only anonymous
    callers are (contract)."""
    from .auth import staff_member
    try:
        return staff_member() is not None
    except Exception:  # a bad token is anonymous here; the endpoint refuses it itself
        return False


_limit = limiter.limit(_public_limit, exempt_when=_known_caller)


def public(view):
    """Decorator: the anonymous calls of this endpoint are limited per address. Each endpoint
    counts on its own: a citizen reading the status page does not use up the rating's
    allowance. The OpenAPI document lists its 429 (`rate_limited`)."""
    limited = _limit(view)
    limited.rate_limited = True
    return limited


# Password guessing: only failed log-ins count (a 401), per address and per user name, so
# one address cannot try many names and many addresses cannot try one name.
LOGIN_THROTTLED_TH = ("เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ {minutes} นาทีแล้วลองใหม่ "
                      "หรือติดต่อผู้ดูแลระบบ")
LOGIN_THROTTLED_EN = ("Too many failed log-ins; wait {minutes} minutes and try again, or ask "
                      "the administrator.")


def _login_limit() -> str:
    return flask.current_app.config["LOGIN_FAILURE_LIMIT"]


def _login_name() -> str:
    return "login-name:" + flask.request.form.get("username", "")[:64].strip().lower()


def _failed(response: flask.Response) -> bool:
    return response.status_code == 401


def login_throttled(view):
    """Decorator of the log-in form: a pause after too many failures (see LOGIN_*)."""
    view = limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed,
                         scope="login-address")(view)
    return limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed,
                         key_func=_login_name, scope="login-name")(view)


def _check_in_limit() -> str:
    return flask.current_app.config["CHECK_IN_FAILURE_LIMIT"]


def _refused(response: flask.Response) -> bool:
    return response.status_code in (404, 409)


def check_in_failures_throttled(view):
    """Booking codes are guessed at the public check-in: only its refusals count (a citizen
    who checks in is not held up), per address; staff and paired devices are not limited."""
    return limiter.limit(_check_in_limit, methods=["POST"], deduct_when=_refused,
                         exempt_when=_known_caller, scope="check-in-refused")(view)


def init_limits(app: flask.Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on a 429
    app.config.setdefault("RATELIMIT_DEFAULT", None)          # only what is decorated
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(exc: RateLimitExceeded):
        retry_after = getattr(exc, "retry_after", None)
        if flask.request.endpoint == "pages.login":  # a person at the log-in form: a page
            minutes = max(1, round((retry_after or 60) / 60))
            response = flask.make_response(flask.render_template(
                "login.html", error=LOGIN_THROTTLED_TH.format(minutes=minutes) + " / "
                + LOGIN_THROTTLED_EN.format(minutes=minutes)), 429)
            if retry_after:
                response.headers["Retry-After"] = str(int(retry_after))
            return response
        body, status = error_response("rate_limited", RATE_LIMITED_EN, 429,
                                      message_th=RATE_LIMITED_TH, message_en=RATE_LIMITED_EN)
        response = flask.make_response(body, status)
        if retry_after and "Retry-After" not in response.headers:
            response.headers["Retry-After"] = str(int(retry_after))
        return response
