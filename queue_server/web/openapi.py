"""The OpenAPI 3.1 document of /api/v1, generated from the routes themselves.

Why spectree: of the libraries that fit Flask 3 and pydantic 2 (spectree, flask-openapi3,
APIFlask, flask-smorest), it is the only one that documents the *existing* Flask blueprint
and view functions with one decorator each, from the pydantic models we already have.
flask-openapi3 and APIFlask replace `Flask`/`Blueprint` with their own classes (and
APIFlask validates with marshmallow-style schemas by default), flask-smorest is built on
marshmallow. spectree walks `app.url_map`, so paths, methods and path parameters come from
the real routing rules and cannot drift; request and response bodies come from the pydantic
models in schemas.py and api_models.py.

We use it for the document only (`skip_validation=True`): requests are still validated by
`schemas.parse` inside the views, so a refusal keeps the API's one error shape
(`{"error": {"code", "message", "details"}}`, 400 invalid_input) and the view bodies stay as
they are. Who may call a route is read from its `@require(...)` (auth.py): such a route is
documented with both security schemes and its 401 and 403 answers.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from functools import lru_cache

from flask import current_app
from pydantic import TypeAdapter
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData, Server
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.plugins.werkzeug_utils import werkzeug_parse_rule

from . import api_models, schemas

PREFIX = "/api/v1"
ID_SCHEMA = TypeAdapter(schemas.Id).json_schema()  # integer, minimum 1, maximum 2**31-1
STAFF_ONLY = [{"bearer": []}, {"session": []}]
ANYONE_OR_STAFF = [{}, {"bearer": []}, {"session": []}]

ERROR_TEXT = {
    400: "Invalid input (`invalid_input` with `details`), or a session's change without its "
         "CSRF token",
    401: "Not logged in: send `Authorization: Bearer <token>` or log in (a session)",
    403: "Logged in, but this role may not do this",
    404: "No such thing (`not_found`; ids out of range match no route)",
    409: "Refused in the thing's present state (e.g. `invalid_transition`, "
         "`counter_closed`, `service_closed`, `conflict`)",
    413: "The file is larger than the limit (`file_too_large`)",
    415: "The file's content is not of an accepted type (`file_refused`)",
    429: "Too many anonymous calls from this address (`rate_limited`, `message_th`, "
         "`message_en`); the `Retry-After` header says when to try again",
}


class _ApiRoutes(FlaskPlugin):
    """spectree's Flask backend, narrowed to /api/v1 and taught our `<id:...>` converter."""

    def find_routes(self):
        return (rule for rule in super().find_routes() if rule.rule.startswith(PREFIX + "/"))

    def parse_path(self, route, path_parameter_descriptions):
        path, parameters = super().parse_path(route, path_parameter_descriptions)
        converters = {name: conv for conv, _, name in werkzeug_parse_rule(str(route)) if conv}
        for parameter in parameters:
            converter = current_app.url_map.converters.get(converters[parameter["name"]])
            if converter is not None and issubclass(converter, schemas.IdConverter):
                parameter["schema"] = dict(ID_SCHEMA)
            elif parameter["schema"] == {"type": "string"}:
                # Werkzeug's default converter: one path segment, at least one character.
                parameter["schema"] = {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}
        return path.removeprefix(PREFIX), parameters


spec = SpecTree(
    "flask", backend=_ApiRoutes, mode="strict", annotations=False, page_templates={},
    title="GECC Queue API", version="1", servers=[Server(url=PREFIX)],
    # Components are named after their models (the names are unique across our modules).
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    security_schemes=[
        SecurityScheme(name="bearer", data=SecuritySchemeData(type="http", scheme="bearer")),
        SecurityScheme(name="session", data=SecuritySchemeData(type="apiKey", field_in="cookie",
                                                               name="session")),
    ],
    # spectree adds this status and model to every operation: our invalid_input answer.
    validation_error_status=400, validation_error_model=api_models.Error,
)


def operation(summary: str, ok: type | None = None, *, status: int = 200,
              also: dict[int, tuple[type, str]] | None = None, errors: Iterable[int] = (),
              body: type | None = None, query: type | None = None,
              public_or_staff: bool = False) -> Callable:
    """Document one route: put it between `@api.<method>(...)` and `@require(...)`.

    `ok` is the success model answered with `status`; `also` other successes; `errors` the
    4xx it answers besides 400 (any route: a malformed request, a session's change without
    its CSRF token) and, for a route behind `@require`, 401 and 403.
    `public_or_staff`: anyone may call it, and staff credentials change what it does.
    """
    def decorate(view: Callable) -> Callable:
        roles = getattr(view, "roles", None)
        codes = {400, *errors} | ({401, 403} if roles else set()) | (
            {429} if getattr(view, "rate_limited", False) else set())
        responses = {f"HTTP_{status}": (ok, "OK") if ok else "OK"}
        responses.update({f"HTTP_{code}": (model, text) for code, (model, text)
                          in (also or {}).items()})
        responses.update({f"HTTP_{code}": (api_models.Error, ERROR_TEXT[code])
                          for code in sorted(codes)})
        security = STAFF_ONLY if roles else ANYONE_OR_STAFF if public_or_staff else None
        documented = spec.validate(json=body, query=query, resp=_response(responses),
                                   security=security, skip_validation=True)(view)
        who = f" Roles: {', '.join(sorted(r.value for r in roles))}." if roles else ""
        documented.__doc__ = f"{summary}\n\n{inspect.cleandoc(view.__doc__ or '')}{who}".strip()
        return documented
    return decorate


def _response(responses: dict) -> Response:
    codes = [code for code, value in responses.items() if isinstance(value, str)]
    return Response(*codes, **{c: v for c, v in responses.items() if not isinstance(v, str)})


# Routes that answer with a file, not JSON: their success is a binary body.
BINARY_ANSWERS = {("/files/{attachment_id}", "get"),
                  ("/complaints/{complaint_id}/files/{attachment_id}", "get"),
                  ("/evidence/packs/{pack}/download", "get")}


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    """The document (same for every app: the routes are the blueprint's)."""
    document = spec.spec
    schemas_ = document["components"]["schemas"]
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            if (path, method) in BINARY_ANSWERS:
                op["responses"]["200"]["content"] = {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}
            ref = op.get("requestBody", {}).get("content", {}).get("application/json")
            if ref:
                # A body whose fields all have defaults may be left out (an empty POST).
                model = schemas_[ref["schema"]["$ref"].rsplit("/", 1)[1]]
                op["requestBody"]["required"] = bool(model.get("required"))
            for key in ("tags", "description"):
                if not op.get(key):
                    op.pop(key, None)
    document.pop("tags", None) if not document.get("tags") else None
    document.pop("security", None) if not document.get("security") else None
    return document
