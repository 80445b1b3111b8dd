"""Errors the domain and use cases raise; the web layer turns each into a 4xx answer."""


class DomainError(Exception):
    """A request the rules refuse. `code` is the stable machine-readable name."""

    code = "invalid_request"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    code = "not_found"
    status = 404


class QueueEmpty(DomainError):
    code = "queue_empty"
    status = 404


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409


class ServiceClosed(DomainError):
    code = "service_closed"
    status = 409


class CounterClosed(DomainError):
    code = "counter_closed"
    status = 409


class Conflict(DomainError):
    code = "conflict"
    status = 409
