"""Errors the domain and use cases raise; the web layer turns each into a 4xx answer."""


class DomainError(Exception):
    """A request the rules refuse. `code` is the stable machine-readable name, `status` the
    HTTP status the web layer answers with; a subclass names both in its class line
    (`class NotFound(DomainError, code="not_found", status=404)`), or inherits them."""

    code = "invalid_request"
    status = 400

    def __init_subclass__(cls, code: str | None = None, status: int | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
        if status is not None:
            cls.status = status

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError, code="not_found", status=404):
    """No such thing (office, service, counter, ticket, ...)."""


class QueueEmpty(DomainError, code="queue_empty", status=404):
    """Nobody is waiting to be called."""


class InvalidTransition(DomainError, code="invalid_transition", status=409):
    """A ticket cannot go from its status to the one asked for."""


class ServiceClosed(DomainError, code="service_closed", status=409):
    """The service is stopped: it takes no tickets or transfers now."""


class CounterClosed(DomainError, code="counter_closed", status=409):
    """The counter is closed."""


class Conflict(DomainError, code="conflict", status=409):
    """The request clashes with the current state (taken name, changed meanwhile, ...)."""


# --- bookings: why a check-in is refused. `extra` (times, day) goes into the error body, so
# the kiosk can say it in Thai and English with the office's own clock.

class BookingRefused(DomainError, code="booking_refused", status=409):
    """A booking or its check-in refused, with what the kiosk needs to say why (`extra`)."""

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.extra = extra


class BookingNotFound(BookingRefused, code="booking_not_found", status=404):
    """No booking has that code."""


class BookingTooEarly(BookingRefused, code="booking_too_early"):
    """Check-in opens later."""


class BookingTooLate(BookingRefused, code="booking_too_late"):
    """Check-in has closed."""


class BookingNotToday(BookingRefused, code="booking_not_today"):
    """The booking is for another day."""


class BookingCancelled(BookingRefused, code="booking_cancelled"):
    """The booking was cancelled."""


class InvalidSlot(BookingRefused, code="invalid_slot", status=400):
    """A slot that cannot be booked (passed, too far ahead, office closed, no bookings)."""
