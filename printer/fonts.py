"""The Thai font for tickets, and the check that Pillow can lay Thai out.

Where the font comes from, first found wins:

1. ``GECC_PRINTER_FONT`` / ``GECC_PRINTER_FONT_BOLD``: explicit font files;
2. Sarabun from the PyPI package ``fontpkg-sarabun`` (a dependency of this project, so a
   plain ``pip install`` brings it);
3. the system's TLWG fonts (Debian/Ubuntu ``fonts-thai-tlwg``): Laksaman (TLWG's TH Sarabun),
   then Garuda, Loma, Waree, Norasi, Kinnari, by known path or ``fc-match :lang=th``.

Thai needs complex text layout: without Pillow's raqm the tone mark over an upper vowel
collides with it (or is lost), so ``ยื่น`` reads as ``ยืน``. PyPI's Pillow wheels carry raqm
and HarfBuzz but load FriBiDi from the system at run time (``libfribidi.so.0``, Debian
``libfribidi0``); without it Pillow reports raqm as missing. :func:`check_raqm` refuses then.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from .errors import PrinterSetupError

FONT_ENV = "GECC_PRINTER_FONT"
FONT_BOLD_ENV = "GECC_PRINTER_FONT_BOLD"

_TLWG_DIRS = (
    "/usr/share/fonts/truetype/tlwg",
    "/usr/share/fonts/opentype/tlwg",
    "/usr/share/fonts/tlwg",
    "/usr/share/fonts/thai-tlwg",
    "/usr/local/share/fonts",
)
# (regular, bold) file names, best first: Laksaman is TLWG's build of TH Sarabun.
_TLWG_FACES = (
    ("Laksaman", "Laksaman-Bold"),
    ("Garuda", "Garuda-Bold"),
    ("Loma", "Loma-Bold"),
    ("Waree", "Waree-Bold"),
    ("Norasi", "Norasi-Bold"),
    ("Kinnari", "Kinnari-Bold"),
)

FIX_FONT = (
    "No Thai font found for printing tickets. Fix: `pip install fontpkg-sarabun` in the "
    "environment that runs GECC Queue (it is one of the project's dependencies, so "
    "`pip install -e .` brings it), or install the system's Thai fonts "
    "(Debian/Ubuntu: `apt-get install fonts-thai-tlwg`), or point GECC_PRINTER_FONT and "
    "GECC_PRINTER_FONT_BOLD at .ttf/.otf files that contain Thai."
)
FIX_RAQM = (
    "Pillow has no complex text layout (raqm), so Thai tone marks would be dropped or collide "
    "with the vowels above (ยื่น would print as ยืน); printing is refused. PyPI's Pillow wheels "
    "carry raqm and HarfBuzz but load FriBiDi from the system: install it "
    "(Debian/Ubuntu: `apt-get install libfribidi0`; Fedora: `dnf install fribidi`; "
    "Alpine: `apk add fribidi`), or build Pillow against libraqm "
    "(`apt-get install libraqm-dev` then `pip install --no-binary pillow pillow`)."
)


@dataclass(frozen=True)
class ThaiFonts:
    """The regular and bold font files used for tickets, and where they came from."""

    regular: Path
    bold: Path
    source: str  # "env", "fontpkg-sarabun", "system"
    family: str

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        """The font at ``size`` px with raqm layout (cached)."""
        return _load(str(self.bold if bold else self.regular), int(size))


@functools.lru_cache(maxsize=256)
def _load(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


def check_raqm() -> None:
    """Raise :class:`PrinterSetupError` unless Pillow has raqm (complex text layout)."""
    if not features.check("raqm"):
        raise PrinterSetupError(FIX_RAQM)


def has_thai_glyphs(path: str | Path) -> bool:
    """Whether the font draws Thai letters rather than its 'missing glyph' box.

    Compares ``ก`` with an unassigned code point of the Thai block (U+0E5F), which every font
    draws as its .notdef glyph; a font lacking Thai draws both the same (or nothing).
    """
    try:
        font = ImageFont.truetype(str(path), 48)
    except OSError:
        return False

    def ink(text: str) -> bytes:
        image = Image.new("L", (96, 96), 0)
        ImageDraw.Draw(image).text((8, 8), text, font=font, fill=255)
        return image.tobytes()

    letter = ink("ก")
    return any(letter) and letter != ink("\u0e5f")


def _env_fonts() -> ThaiFonts | None:
    regular = os.environ.get(FONT_ENV, "").strip()
    if not regular:
        return None
    bold = os.environ.get(FONT_BOLD_ENV, "").strip() or regular
    for path in (regular, bold):
        if not Path(path).is_file():
            raise PrinterSetupError(f"{FONT_ENV}/{FONT_BOLD_ENV} names {path!r}, which is not a file.")
        if not has_thai_glyphs(path):
            raise PrinterSetupError(f"The font {path!r} (from {FONT_ENV}/{FONT_BOLD_ENV}) has no Thai letters.")
    return ThaiFonts(Path(regular), Path(bold), "env", Path(regular).stem)


def _fontpkg_sarabun() -> ThaiFonts | None:
    try:
        import fontpkg

        regular = Path(fontpkg.path("sarabun", weight=400))
        bold = Path(fontpkg.path("sarabun", weight=700))
    except Exception:  # fontpkg missing, or its registry not finding the family
        try:
            import fontpkg_sarabun
        except ImportError:
            return None
        files = Path(fontpkg_sarabun.ROOT) / "files"
        regular, bold = files / "Sarabun-Regular.ttf", files / "Sarabun-Bold.ttf"
    if regular.is_file() and bold.is_file():
        return ThaiFonts(regular, bold, "fontpkg-sarabun", "Sarabun")
    return None


def _fc_match(pattern: str) -> Path | None:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    try:
        out = subprocess.run([fc_match, "-f", "%{file}", pattern], capture_output=True,
                             text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out and Path(out).is_file() else None


def _system_fonts() -> ThaiFonts | None:
    for regular_name, bold_name in _TLWG_FACES:
        for folder in _TLWG_DIRS:
            for ext in (".ttf", ".otf"):
                regular = Path(folder, regular_name + ext)
                if regular.is_file():
                    bold = Path(folder, bold_name + ext)
                    return ThaiFonts(regular, bold if bold.is_file() else regular, "system",
                                     regular_name)
    regular = _fc_match(":lang=th")
    if regular and has_thai_glyphs(regular):
        bold = _fc_match(":lang=th:weight=bold")
        if not (bold and has_thai_glyphs(bold)):
            bold = regular
        return ThaiFonts(regular, bold, "system", regular.stem)
    return None


@functools.lru_cache(maxsize=1)
def find_thai_fonts() -> ThaiFonts:
    """The Thai fonts for tickets; :class:`PrinterSetupError` naming the fix when none."""
    for finder in (_env_fonts, _fontpkg_sarabun, _system_fonts):
        found = finder()
        if found is not None:
            return found
    raise PrinterSetupError(FIX_FONT)


def check_printing_setup() -> ThaiFonts:
    """The start-up check: raqm present and a Thai font found; returns the fonts."""
    check_raqm()
    return find_thai_fonts()


# The name the print agent's device module uses (printer/device.py).
find_thai_font = find_thai_fonts
