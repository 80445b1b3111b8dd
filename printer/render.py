"""Render a ticket as a 1-bit raster image for a thermal printer.

Thai is unreliable in ESC/POS text mode (code pages differ per model, tone marks stack
wrongly), so the whole ticket is a picture: Pillow with raqm lays the Thai out with a Thai
font (see ``fonts.py``), and the printer only has to print dots.

The layout adapts to the paper: 80 mm paper (576 dots) puts the QR code beside the waiting
figures; 58 mm paper (384 dots) stacks them. Any width from 256 dots up works (some 80 mm
printers print 512 dots).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont

from .fonts import ThaiFonts, check_raqm, find_thai_fonts
from .ticket import TicketPrint

PAPER_58MM = 384
PAPER_80MM = 576
PAPER_WIDTHS = {"58": PAPER_58MM, "58mm": PAPER_58MM, "384": PAPER_58MM,
                "80": PAPER_80MM, "80mm": PAPER_80MM, "576": PAPER_80MM}
MIN_DOTS = 256
WIDE_LAYOUT_DOTS = 512  # from this width on, the QR code sits beside the waiting figures

INK = 0
PAPER = 255
_THRESHOLD = [PAPER if v >= 170 else INK for v in range(256)]
# FreeType faces are not thread-safe (Pillow relies on the GIL; free-threaded builds do not
# have it) and the caches below share fonts: one ticket is rendered at a time (~10 ms).
_RENDER_LOCK = threading.Lock()

# Thai characters that never start a line: above/below vowels, tone marks and other
# combining marks, the following vowels sara a / sara aa / sara am, lakkhangyao, mai yamok;
# and the leading vowels, which never end one (they start a syllable: a good place to break).
_THAI_COMBINING = set("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                      "\u0e45\u0e46\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_THAI_LEADING = set("\u0e40\u0e41\u0e42\u0e43\u0e44")
_MIN_TAIL = 3  # clusters: never leave one or two letters alone on a line


def paper_dots(value: str | int | None, default: int = PAPER_80MM) -> int:
    """Dots per line from configuration: ``58``/``58mm``/``384`` or ``80``/``80mm``/``576``,
    or any other dot count from 256 up."""
    if value is None or str(value).strip() == "":
        return default
    text = str(value).strip().lower()
    if text in PAPER_WIDTHS:
        return PAPER_WIDTHS[text]
    try:
        dots = int(text.removesuffix("dots"))
    except ValueError:
        dots = 0
    if dots < MIN_DOTS:
        raise ValueError(f"paper width {value!r}: expected 58mm, 80mm or a dot count >= {MIN_DOTS}")
    return dots


@functools.lru_cache(maxsize=1)
def _raqm_checked() -> bool:
    check_raqm()
    return True


def _clusters(text: str) -> list[str]:
    """Split into pieces a line may break between (Thai: never before a combining mark or
    after a leading vowel)."""
    pieces: list[str] = []
    for ch in text:
        if pieces and (ch in _THAI_COMBINING or pieces[-1][-1] in _THAI_LEADING):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


ZWSP = "\u200b"  # zero-width space: where a long Thai name may break, if the office wants


def _tokens(text: str) -> list[tuple[str, str]]:
    """(word, what joins it to the previous word): spaces and zero-width spaces."""
    out: list[tuple[str, str]] = []
    for i, word in enumerate(text.split()):
        for j, part in enumerate(p for p in word.split(ZWSP) if p):
            out.append((part, "" if j else (" " if i else "")))
    return out


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy wrap at spaces (and zero-width spaces); a word wider than the line breaks
    between Thai clusters, preferably before a leading vowel, never leaving one or two
    letters alone."""
    text = text.strip()
    if font.getlength(text) <= width:
        return [text.replace(ZWSP, "")]
    lines: list[str] = []
    line = ""
    for word, sep in _tokens(text):
        candidate = f"{line}{sep}{word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        if font.getlength(word) <= width:
            line = word
            continue
        pieces = _clusters(word)
        while pieces:
            fit = 0  # how many pieces fit on the line
            while fit < len(pieces) and font.getlength(line + "".join(pieces[:fit + 1])) <= width:
                fit += 1
            if fit == len(pieces):
                line += "".join(pieces)
                break
            fit = max(fit, 1) if not line else fit
            # Prefer breaking before a leading vowel (a syllable start) in the second half.
            starts = [j for j in range(max(1, fit // 2), fit + 1)
                      if j < len(pieces) and pieces[j][0] in _THAI_LEADING]
            cut = starts[-1] if starts else fit
            if len(pieces) - cut < _MIN_TAIL:
                cut = max(1, len(pieces) - _MIN_TAIL)
            if cut > 0:
                line += "".join(pieces[:cut])
            lines.append(line)
            line, pieces = "", pieces[cut:]
    if line:
        lines.append(line)
    return lines


@dataclass(frozen=True)
class _Run:
    """One line of text drawn once: its ink as a mask, placed relative to the pen origin on the
    baseline. Office and service names and the fixed labels repeat on every ticket, so runs are
    cached; shaping and rasterising them is most of the rendering time otherwise."""

    mask: Image.Image  # "L", 255 where there is ink
    left: int
    top: int
    bottom: int
    advance: float


@functools.lru_cache(maxsize=512)
def _run(font: ImageFont.FreeTypeFont, text: str) -> _Run:
    left, top, right, bottom = font.getbbox(text, anchor="ls")
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor="ls")
    return _Run(mask, left, top, bottom, font.getlength(text))


@functools.lru_cache(maxsize=2048)
def _advance(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text)


@dataclass
class _Canvas:
    """A tall white page drawn top-down; cropped to what was drawn at the end."""

    fonts: ThaiFonts
    width: int
    margin: int
    scale: float

    def __post_init__(self) -> None:
        self.image = Image.new("L", (self.width, self.width * 5), PAPER)
        self.draw = ImageDraw.Draw(self.image)
        self.y = self.margin

    def px(self, size: float) -> int:
        return max(1, round(size * self.scale))

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        return self.fonts.font(size, bold)

    def fit_font(self, text: str, size: int, min_size: int, bold: bool, width: int):
        """The largest size from ``size`` down to ``min_size`` at which ``text`` fits."""
        font = self.font(size, bold)
        length = _advance(font, text)
        if length > width:
            size = max(min_size, int(size * width / length))
            font = self.font(size, bold)
            while size > min_size and _advance(font, text) > width:
                size -= 1
                font = self.font(size, bold)
        return font

    def text(self, text: str, size: float, bold: bool = False, *, min_size: float | None = None,
             x: int | None = None, width: int | None = None, align: str = "center",
             gap: float = 4, fill: int = INK) -> None:
        """Draw ``text`` in a column (whole width by default), shrunk then wrapped to fit."""
        if not text:
            return
        left = self.margin if x is None else x
        width = (self.width - 2 * self.margin) if width is None else width
        size_px = self.px(size)
        min_px = self.px(min_size) if min_size else size_px
        font = self.fit_font(text, size_px, min_px, bold, width)
        ascent, descent = font.getmetrics()
        for line in _wrap(text, font, width):
            run = _run(font, line)
            baseline = self.y + max(ascent, -run.top)
            origin = left + (width - run.advance) / 2 if align == "center" else left
            self.put(run, origin, baseline, fill)
            self.y = baseline + max(descent, run.bottom) + self.px(gap)

    def room(self, bottom: int) -> None:
        """Make the page at least ``bottom`` rows tall (it starts at five widths)."""
        if bottom + self.margin > self.image.height:
            grown = Image.new("L", (self.width, 2 * (bottom + self.margin)), PAPER)
            grown.paste(self.image, (0, 0))
            self.image = grown
            self.draw = ImageDraw.Draw(grown)

    def put(self, run: _Run, origin: float, baseline: int, fill: int = INK) -> None:
        """Ink ``run`` with its pen origin at (``origin``, ``baseline``)."""
        self.room(baseline + run.bottom)
        self.image.paste(fill, (round(origin) + run.left, baseline + run.top), run.mask)

    def paste(self, image: Image.Image, x: int, y: int) -> None:
        self.room(y + image.height)
        self.image.paste(image, (x, y))

    def space(self, size: float) -> None:
        self.y += self.px(size)

    def rule(self, thickness: float = 2, dashed: bool = False) -> None:
        t = max(1, self.px(thickness))
        self.room(self.y + t)
        x0, x1 = self.margin, self.width - self.margin
        if dashed:
            step = self.px(12)
            for x in range(x0, x1, step):
                self.draw.rectangle((x, self.y, min(x + step // 2, x1), self.y + t - 1), fill=INK)
        else:
            self.draw.rectangle((x0, self.y, x1, self.y + t - 1), fill=INK)
        self.y += t

    def badge(self, text: str, size: float) -> None:
        """White text on a black band across the page (priority class)."""
        font = self.fit_font(text, self.px(size), self.px(size * 0.7), True,
                             self.width - 2 * self.margin - self.px(24))
        run = _run(font, text)
        ascent, descent = font.getmetrics()
        pad = self.px(8)
        height = max(ascent, -run.top) + max(descent, run.bottom) + 2 * pad
        self.room(self.y + height)
        self.draw.rounded_rectangle((self.margin, self.y, self.width - self.margin, self.y + height),
                                    radius=self.px(10), fill=INK)
        self.put(run, (self.width - run.advance) / 2, self.y + pad + max(ascent, -run.top), PAPER)
        self.y += height

    def number(self, text: str) -> None:
        """The ticket number, as large as the page allows."""
        width = int((self.width - 2 * self.margin) * 0.92)
        probe = self.font(100, True)
        size = int(100 * width / max(1.0, _advance(probe, text)))
        size = min(size, self.px(230))
        run = _run(self.font(size, True), text)
        baseline = self.y - run.top
        self.put(run, (self.width - run.advance) / 2, baseline)
        self.y = baseline + run.bottom

    def finish(self) -> Image.Image:
        bottom = min(self.image.height, self.y + self.margin)
        # A threshold above mid-grey keeps thin strokes of small Thai type solid on thermal paper.
        return self.image.crop((0, 0, self.width, bottom)).point(_THRESHOLD, "1")


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code of ``data`` (error correction M, smallest version that holds it), without
    its quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_image(matrix: list[list[bool]], module: int) -> Image.Image:
    """The QR code as an "L" image, ``module`` dots per module, no quiet zone."""
    n = len(matrix)
    small = Image.new("L", (n, n), PAPER)
    small.putdata([INK if cell else PAPER for row in matrix for cell in row])
    return small.resize((n * module, n * module), Image.Resampling.NEAREST)


def render_ticket(ticket: TicketPrint, paper_dots: int = PAPER_80MM,
                  fonts: ThaiFonts | None = None) -> Image.Image:
    """The ticket as a "1"-mode image exactly ``paper_dots`` wide (384 for 58 mm paper, 576 for
    80 mm), as tall as it needs. Raises :class:`~printer.errors.PrinterSetupError` when raqm or
    a Thai font is missing."""
    if paper_dots < MIN_DOTS:
        raise ValueError(f"paper_dots must be at least {MIN_DOTS}, got {paper_dots}")
    _raqm_checked()
    fonts = fonts or find_thai_fonts()
    with _RENDER_LOCK:
        return _render(ticket, paper_dots, fonts)


def _render(ticket: TicketPrint, paper_dots: int, fonts: ThaiFonts) -> Image.Image:
    wide = paper_dots >= WIDE_LAYOUT_DOTS
    # Text shrinks less than the paper: 58 mm tickets keep readable type.
    scale = paper_dots / PAPER_80MM if wide else 0.78 * paper_dots / PAPER_58MM
    c = _Canvas(fonts, paper_dots, margin=max(6, round(10 * paper_dots / PAPER_80MM)), scale=scale)

    # Office
    c.text(ticket.office_name, 32, True, min_size=24, gap=2)
    c.text(ticket.office_name_en, 20, min_size=16, gap=2)
    c.space(6)
    c.rule()
    c.space(12)

    # Service
    c.text(ticket.service_name_th, 34, True, min_size=26, gap=0)
    c.text(ticket.service_name_en, 22, min_size=18)
    c.space(4)
    c.text("หมายเลขคิวของท่าน · Your number", 20, min_size=16, gap=10)

    # The number
    c.number(ticket.number)
    c.space(10)
    if ticket.is_priority:
        c.badge(f"{ticket.priority_th} · {ticket.priority_en}", 28)
        c.space(10)

    # Waiting figures and the QR code
    matrix = qr_matrix(ticket.status_url)
    qr_target = 0.42 * paper_dots if wide else 0.60 * paper_dots
    module = max(3, int(qr_target // len(matrix)))
    qr = qr_image(matrix, module)
    quiet = 4 * module

    def waiting_block(x: int, width: int, align: str) -> None:
        if ticket.ahead_th:
            c.text(ticket.ahead_th, 30, True, min_size=22, x=x, width=width, align=align, gap=0)
            c.text(ticket.ahead_en, 19, min_size=16, x=x, width=width, align=align, gap=8)
        if ticket.eta_th:
            c.text(ticket.eta_th, 26, True, min_size=20, x=x, width=width, align=align, gap=0)
            c.text(ticket.eta_en, 19, min_size=16, x=x, width=width, align=align, gap=8)
        c.text(ticket.date_th, 22, min_size=18, x=x, width=width, align=align, gap=0)
        c.text(ticket.date_en, 19, min_size=16, x=x, width=width, align=align, gap=4)

    c.rule(dashed=True)
    if wide:
        top = c.y + quiet
        qr_x = c.margin + module  # the page edge gives the rest of the quiet zone
        c.paste(qr, qr_x, top)
        text_x = qr_x + qr.width + quiet
        c.y = top + c.px(4)
        waiting_block(text_x, paper_dots - c.margin - text_x, "left")
        c.space(4)
        c.text(ticket.qr_hint_th, 19, True, min_size=17, x=text_x,
               width=paper_dots - c.margin - text_x, align="left", gap=0)
        c.text(ticket.qr_hint_en, 16, min_size=14, x=text_x,
               width=paper_dots - c.margin - text_x, align="left")
        c.y = max(c.y, top + qr.height + quiet)
    else:
        c.space(10)
        waiting_block(c.margin, paper_dots - 2 * c.margin, "center")
        c.y += quiet
        c.paste(qr, (paper_dots - qr.width) // 2, c.y)
        c.y += qr.height + quiet
        c.text(ticket.qr_hint_th, 20, True, min_size=20, gap=0)  # two lines rather than tiny
        c.text(ticket.qr_hint_en, 16, min_size=14)
    c.rule(dashed=True)
    c.space(8)
    c.text("กรุณารอเรียกหมายเลขของท่าน", 22, True, min_size=18, gap=0)
    c.text("Please wait for your number to be called", 17, min_size=14, gap=0)
    return c.finish()


def render_complaint_receipt(receipt, paper_dots: int = PAPER_80MM,
                             fonts: ThaiFonts | None = None) -> Image.Image:
    """A complaint's receipt (printer/receipt.py) as a "1"-mode image ``paper_dots`` wide:
    the tracking code large, its QR code to the tracking page, the dates."""
    if paper_dots < MIN_DOTS:
        raise ValueError(f"paper_dots must be at least {MIN_DOTS}, got {paper_dots}")
    _raqm_checked()
    fonts = fonts or find_thai_fonts()
    with _RENDER_LOCK:
        wide = paper_dots >= WIDE_LAYOUT_DOTS
        scale = paper_dots / PAPER_80MM if wide else 0.78 * paper_dots / PAPER_58MM
        c = _Canvas(fonts, paper_dots, margin=max(6, round(10 * paper_dots / PAPER_80MM)),
                    scale=scale)
        c.text(receipt.office_name, 30, True, min_size=22, gap=2)
        c.text(receipt.office_name_en, 19, min_size=15, gap=2)
        c.space(6)
        c.rule()
        c.space(10)
        c.text("ใบรับเรื่องร้องเรียน", 32, True, min_size=24, gap=0)
        c.text("Complaint receipt", 20, min_size=16, gap=8)
        c.text("รหัสติดตามเรื่อง · Tracking code", 19, min_size=15, gap=4)
        c.text(receipt.code_display, 52, True, min_size=30, gap=8)
        c.text(f"{receipt.category_th} · {receipt.category_en}", 20, min_size=15, gap=6)
        c.rule(dashed=True)
        matrix = qr_matrix(receipt.status_url)
        module = max(3, int((0.5 if wide else 0.6) * paper_dots // len(matrix)))
        qr = qr_image(matrix, module)
        c.y += 4 * module
        c.paste(qr, (paper_dots - qr.width) // 2, c.y)
        c.y += qr.height + 4 * module
        c.text("สแกนเพื่อติดตามความคืบหน้า", 20, True, min_size=17, gap=0)
        c.text("Scan to follow its progress", 16, min_size=14, gap=6)
        c.rule(dashed=True)
        c.space(6)
        c.text(f"รับเรื่อง {receipt.received_th}", 19, min_size=15, gap=0)
        c.text(f"Received {receipt.received_en}", 16, min_size=13, gap=4)
        c.text(f"กำหนดแล้วเสร็จ {receipt.due_th}", 19, True, min_size=15, gap=0)
        c.text(f"Due by {receipt.due_en}", 16, min_size=13, gap=0)
        return c.finish()
