"""Read ESC/POS bytes back: the raster pictures (GS v 0) and text they would print.

Written independently of python-escpos, for tests (what did the printer actually receive?)
and for looking at a ``file://`` capture. It walks the stream command by command, so raster
data is never mistaken for commands, and refuses bytes it does not understand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

ESC, GS, DLE, FS = 0x1B, 0x1D, 0x10, 0x1C

# Commands with a fixed number of parameter bytes after ESC x / GS x.
_ESC_FIXED = {
    ord("@"): 0, ord("!"): 1, ord("-"): 1, ord("2"): 0, ord("3"): 1, ord("E"): 1,
    ord("G"): 1, ord("J"): 1, ord("M"): 1, ord("R"): 1, ord("V"): 1, ord("a"): 1,
    ord("d"): 1, ord("t"): 1, ord("{"): 1, ord("="): 1, ord("p"): 3, ord("$"): 2,
    ord("\\"): 2, ord("c"): 2, ord("e"): 1, ord(" "): 1, ord("%"): 1, ord("B"): 2,
}
_GS_FIXED = {
    ord("!"): 1, ord("B"): 1, ord("H"): 1, ord("L"): 2, ord("W"): 2, ord("f"): 1,
    ord("h"): 1, ord("w"): 1, ord("b"): 1, ord("a"): 1, ord("r"): 1, ord("I"): 1,
}


@dataclass
class Decoded:
    """What a byte stream would do on the printer."""

    images: list[Image.Image] = field(default_factory=list)  # each GS v 0 band, "1" mode
    text: bytearray = field(default_factory=bytearray)
    cuts: int = 0
    status_queries: list[int] = field(default_factory=list)  # DLE EOT n
    commands: list[bytes] = field(default_factory=list)  # command heads seen, in order

    def picture(self) -> Image.Image | None:
        """All raster bands stacked top to bottom as one "1" image (None if there were none)."""
        if not self.images:
            return None
        width = max(im.width for im in self.images)
        height = sum(im.height for im in self.images)
        out = Image.new("1", (width, height), 1)
        y = 0
        for im in self.images:
            out.paste(im, (0, y))
            y += im.height
        return out


def raster_to_image(width_bytes: int, height: int, data: bytes) -> Image.Image:
    """A GS v 0 band as a "1" image: set bits are printed dots, shown black."""
    if len(data) != width_bytes * height:
        raise ValueError(f"raster data is {len(data)} bytes, expected {width_bytes * height}")
    # Pillow's "1;I" raw mode reads set bits as black, as the printer burns them.
    return Image.frombytes("1", (width_bytes * 8, height), bytes(data), "raw", "1;I")


def decode(data: bytes, strict: bool = True) -> Decoded:
    """Walk an ESC/POS stream. ``strict`` raises ValueError at an unknown command."""
    out = Decoded()
    i, n = 0, len(data)

    def need(count: int) -> None:
        if i + count > n:
            raise ValueError(f"truncated command at offset {i}")

    while i < n:
        b = data[i]
        if b == GS:
            need(2)
            op = data[i + 1]
            if op == ord("v"):
                need(8)
                if data[i + 2] not in (0, 48):
                    raise ValueError(f"GS v {data[i + 2]} at offset {i}")
                xl, xh, yl, yh = data[i + 4:i + 8]
                width_bytes, height = xl + 256 * xh, yl + 256 * yh
                start = i + 8
                end = start + width_bytes * height
                if end > n:
                    raise ValueError(f"GS v 0 at offset {i} wants {end - start} bytes, "
                                     f"{n - start} left")
                out.images.append(raster_to_image(width_bytes, height, data[start:end]))
                out.commands.append(b"\x1dv0")
                i = end
            elif op == ord("V"):
                need(3)
                mode = data[i + 2]
                out.cuts += 1
                out.commands.append(b"\x1dV")
                i += 4 if mode in (65, 66, 97, 98, 103, 104) else 3
            elif op in (ord("("),):
                need(5)
                length = data[i + 3] + 256 * data[i + 4]
                out.commands.append(bytes(data[i:i + 3]))
                i += 5 + length
            elif op in _GS_FIXED:
                out.commands.append(bytes(data[i:i + 2]))
                i += 2 + _GS_FIXED[op]
            else:
                if strict:
                    raise ValueError(f"unknown command GS 0x{op:02x} at offset {i}")
                i += 2
        elif b == ESC:
            need(2)
            op = data[i + 1]
            if op == ord("*"):
                need(5)
                m, nl, nh = data[i + 2], data[i + 3], data[i + 4]
                per_column = 3 if m in (32, 33) else 1
                out.commands.append(b"\x1b*")
                i += 5 + (nl + 256 * nh) * per_column
            elif op == ord("D"):
                j = i + 2
                while j < n and data[j] != 0:
                    j += 1
                out.commands.append(b"\x1bD")
                i = j + 1
            elif op in _ESC_FIXED:
                out.commands.append(bytes(data[i:i + 2]))
                i += 2 + _ESC_FIXED[op]
            else:
                if strict:
                    raise ValueError(f"unknown command ESC 0x{op:02x} at offset {i}")
                i += 2
        elif b == DLE:
            need(3)
            if data[i + 1] == 0x04:
                out.status_queries.append(data[i + 2])
                out.commands.append(b"\x10\x04")
                i += 3
            elif strict:
                raise ValueError(f"unknown command DLE 0x{data[i + 1]:02x} at offset {i}")
            else:
                i += 3
        elif b == FS:
            need(2)
            out.commands.append(bytes(data[i:i + 2]))
            i += 2  # FS . / FS & (Kanji mode on/off)
        else:
            out.text.append(b)
            i += 1
    return out
