"""Who is asking: a log-in session (pages) or a bearer token (API), and what their role allows."""

from __future__ import annotations

from functools import wraps

import flask
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from ..domain.errors import DomainError
from ..domain.model import Actor, Role
from ..service_layer.accounts import StaffMember

login_manager = LoginManager()
csrf = CSRFProtect()

# Which roles may do what. One table, so a manager's powers are read in one place.
COUNTER_ROLES = {Role.STAFF, Role.MANAGER, Role.ADMIN, Role.SUPERADMIN}
RECEPTION_ROLES = {Role.RECEPTION, Role.MANAGER, Role.ADMIN, Role.SUPERADMIN}
STAFF_ROLES = set(Role) - {Role.DEVICE}
MANAGER_ROLES = {Role.MANAGER, Role.ADMIN, Role.SUPERADMIN}
# The office's set-up (issue 15): its administrators; a super-admin also adds offices.
ADMIN_ROLES = {Role.ADMIN, Role.SUPERADMIN}
SUPERADMIN_ROLES = {Role.SUPERADMIN}


class Unauthorized(DomainError, code="unauthorized", status=401):
    """Not logged in, or no valid bearer token."""


class Forbidden(DomainError, code="forbidden", status=403):
    """The user's role does not allow this."""


class SessionUser(UserMixin):
    """Flask-Login's view of a staff member."""

    def __init__(self, member: StaffMember):
        self.member = member

    def get_id(self) -> str:
        # "id.version": a session is good only while the user's session version is the one
        # it was given (a log-out moves the version on: a copied cookie stops working).
        return f"{self.member.id}.{self.member.session_version}"


def init_auth(app: flask.Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "pages.login"
    csrf.init_app(app)

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id, _, version = session_id.partition(".")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        member = app.extensions["gecc"].accounts.get(int(user_id))
        if member is None or member.session_version != int(version):
            return None
        return SessionUser(member)


def staff_member() -> StaffMember | None:
    """The member behind this request's bearer token or session, if any.

    A session used for a change must carry the CSRF token; a bearer token cannot be sent
    by another site's page, so it needs none.
    """
    if "staff_member" in flask.g:
        return flask.g.staff_member
    member = None
    header = flask.request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        member = flask.current_app.extensions["gecc"].accounts.user_for_token(header[7:].strip())
        if member is None:
            raise Unauthorized("The bearer token is not valid.")
    elif current_user.is_authenticated:
        if flask.request.method not in ("GET", "HEAD", "OPTIONS"):
            csrf.protect()
        member = current_user.member
    flask.g.staff_member = member
    return member


def require(roles: set[Role]):
    """Decorator: 401 without credentials, 403 with a role outside `roles`."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            member = staff_member()
            if member is None:
                raise Unauthorized("Log in, or send Authorization: Bearer <token>.")
            if member.role not in roles:
                raise Forbidden(f"A {member.role.value} may not do this.")
            return view(*args, **kwargs)
        wrapped.roles = frozenset(roles)  # read by the OpenAPI document (openapi.py)
        return wrapped
    return decorate


def actor() -> Actor:
    """The actor recorded in the event log for this request."""
    member = staff_member()
    return Actor.user(member.id) if member else Actor("anonymous")
