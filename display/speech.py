"""Spoken calls made on the server with espeak-ng, for lobby browsers without a Thai voice.

Only the call sentence is spoken ("ขอเชิญหมายเลข A 0 2 3 ที่ช่องบริการ 3"), from a ticket
number and a counter number, so the endpoint cannot be used to make the TV say anything else.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

NUMBER = re.compile(r"^[A-Z]{1,4}[0-9]{1,4}$")
COUNTER = re.compile(r"^[0-9]{1,3}$")


class SpeechUnavailable(Exception):
    """espeak-ng is not installed on the server (Debian: apt-get install espeak-ng)."""


def call_sentence(number: str, counter: str) -> str:
    """The words of a call; the number is spelled one character at a time."""
    return f"ขอเชิญหมายเลข {' '.join(number)} ที่ช่องบริการ {counter}"


@functools.lru_cache(maxsize=512)
def call_wav(number: str, counter: str) -> bytes:
    """The call as a WAV file (cached: a day's calls repeat few sentences)."""
    if not (NUMBER.match(number) and COUNTER.match(counter)):
        raise ValueError("a call is a ticket number like A023 and a counter number")
    engine = shutil.which("espeak-ng")
    if engine is None:
        raise SpeechUnavailable("espeak-ng is not installed on the server (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "call.wav"
        # -w writes a complete WAV header (--stdout leaves the length unset).
        subprocess.run([engine, "-v", "th", "-s", "140", "-w", str(out),
                        call_sentence(number, counter)], check=True, timeout=10,
                       capture_output=True)
        return out.read_bytes()
