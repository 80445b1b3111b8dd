"""Every error as JSON `{"error": {"code", "message"}}`; nothing reaches the client as a 5xx page."""

from __future__ import annotations

import logging

import flask
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError
from ..service_layer.messages import error_body
from .schemas import NUL_REFUSED, InvalidInput

log = logging.getLogger(__name__)


def error_response(code: str, message: str, status: int, **extra):
    return flask.jsonify(error_body(code, message, **extra)), status


def _wants_json() -> bool:
    path = flask.request.path
    return path.startswith("/api/") or path == "/healthz" or flask.request.is_json


def init_errors(app: flask.Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        """A NUL in the path, the query or a form: 400 before any view runs (PostgreSQL would
        fail on it: a 500). JSON bodies are checked where they are parsed (schemas.parse)."""
        request = flask.request
        texts = [request.path, *request.args.keys(), *request.args.values()]
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.form:
            texts += [*request.form.keys(), *request.form.values()]
        if any("\x00" in text for text in texts):
            raise InvalidInput(NUL_REFUSED)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        extra = {"details": exc.details} if getattr(exc, "details", None) else {}
        extra.update(getattr(exc, "extra", None) or {})  # e.g. a refused check-in's times
        return error_response(exc.code, exc.message, exc.status, **extra)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if not _wants_json():
            return exc
        code = (exc.name or "error").lower().replace(" ", "_")
        response, status = error_response(code, exc.description or exc.name, exc.code or 400)
        response.headers.extend((name, value) for name, value in exc.get_headers()
                                if name.lower() != "content-type")  # e.g. a 405's Allow
        return response, status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", flask.request.method, flask.request.path)
        return error_response("internal_error", "Something went wrong on the server; it was logged.", 500)
