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


# --- bookings: why a check-in is refused. `extra` (times, day) goes into the error body, so
# the kiosk can say it in Thai and English with the office's own clock.

class BookingRefused(DomainError):
    code = "booking_refused"
    status = 409

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.extra = extra


class BookingNotFound(BookingRefused):
    code = "booking_not_found"
    status = 404


class BookingTooEarly(BookingRefused):
    code = "booking_too_early"


class BookingTooLate(BookingRefused):
    code = "booking_too_late"


class BookingNotToday(BookingRefused):
    code = "booking_not_today"


class BookingCancelled(BookingRefused):
    code = "booking_cancelled"


class InvalidSlot(BookingRefused):
    code = "invalid_slot"
    status = 400
