"""Errors of the printing package."""

from __future__ import annotations


class PrinterSetupError(RuntimeError):
    """This machine cannot render tickets correctly (no Thai font, no complex text layout).

    The message names the fix; it is meant to be shown to whoever installs the kiosk PC.
    """


class PrinterError(RuntimeError):
    """The printer could not be opened or did not take the job (see the message)."""
