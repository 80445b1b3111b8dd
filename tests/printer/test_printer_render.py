"""The rendered ticket: size, a QR code a real decoder reads, Thai glyphs really drawn (not
boxes), tone marks stacked above upper vowels, and the set-up checks."""

from __future__ import annotations

import dataclasses

import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFont

from printer import fonts as fonts_mod
from printer.errors import PrinterSetupError
from printer.fonts import check_printing_setup, check_raqm, find_thai_fonts, has_thai_glyphs
from printer.render import paper_dots, render_ticket
from printer_fixtures import no_thai_fonts, ticket  # noqa: F401 (fixtures)

THAI_LETTERS = "กขคงจฉชซญฎดตถทนบปผพฟมยรลวศสหอฮ"
NOTDEF = "\u0e5f"  # unassigned in the Thai block: every font draws its 'missing' glyph


def decode_qr(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L"))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def ink(image: Image.Image) -> int:
    """Number of black dots."""
    return image.convert("L").histogram()[0]


@pytest.mark.parametrize("dots", [384, 576])
def test_ticket_is_exactly_the_paper_width(ticket, dots):
    image = render_ticket(ticket, dots)
    assert image.mode == "1"
    assert image.width == dots
    assert 500 < image.height < 1400
    assert 0.05 < ink(image) / (image.width * image.height) < 0.5


def test_other_widths_and_configuration_values(ticket):
    assert render_ticket(ticket, 512).width == 512
    assert paper_dots("58mm") == paper_dots("58") == paper_dots(384) == 384
    assert paper_dots("80mm") == paper_dots(None) == 576
    with pytest.raises(ValueError):
        paper_dots("12")
    with pytest.raises(ValueError):
        render_ticket(ticket, 100)


@pytest.mark.parametrize("dots", [384, 576])
def test_qr_code_decodes_to_the_exact_status_url(ticket, dots):
    assert decode_qr(render_ticket(ticket, dots)) == [ticket.status_url]


@pytest.mark.parametrize("dots", [384, 576])
def test_long_status_url_still_decodes(ticket, dots):
    url = "https://queue.bangbuathong.go.th/t/" + "Zq9xK2mP7vT4wR8yB3nL6cF1hJ5dG0sA_-eUoIiY"
    long = dataclasses.replace(ticket, status_url=url)
    assert decode_qr(render_ticket(long, dots)) == [url]


def test_thai_letters_are_glyphs_not_boxes():
    """Each Thai letter draws a different shape with the ticket font; with a font lacking Thai
    they all come out as the same box (or nothing), so this check can tell the two apart."""
    def shapes(font: ImageFont.FreeTypeFont) -> set[bytes]:
        out = set()
        for letter in THAI_LETTERS + NOTDEF:
            im = Image.new("L", (80, 80), 255)
            ImageDraw.Draw(im).text((10, 60), letter, font=font, fill=0, anchor="ls")
            out.add(im.tobytes())
        return out

    thai = find_thai_fonts().font(40)
    assert len(shapes(thai)) == len(THAI_LETTERS) + 1
    assert len(shapes(ImageFont.load_default(40))) == 1  # all the same: boxes
    assert has_thai_glyphs(find_thai_fonts().regular)
    assert has_thai_glyphs(find_thai_fonts().bold)


def text_bands(image: Image.Image, merge: int = 6) -> list[tuple[int, int]]:
    """Row ranges holding ink, top to bottom; gaps up to ``merge`` rows join (Thai marks sit
    apart from their letters)."""
    inv = ImageChops.invert(image.convert("L"))
    bands: list[tuple[int, int]] = []
    y = 0
    while y < inv.height:
        if inv.crop((0, y, inv.width, y + 1)).getbbox() is None:
            y += 1
            continue
        start = y
        while y < inv.height and inv.crop((0, y, inv.width, y + 1)).getbbox() is not None:
            y += 1
        if bands and start - bands[-1][1] <= merge:
            bands[-1] = (bands[-1][0], y)
        else:
            bands.append((start, y))
    return bands


def distinct_shapes(line: Image.Image) -> int:
    """How many different ink shapes a text line holds, cutting it at empty columns: a line of
    'missing glyph' boxes has one or two, a line of Thai letters many."""
    inv = ImageChops.invert(line.convert("L"))
    shapes, x = set(), 0
    while x < inv.width:
        if inv.crop((x, 0, x + 1, inv.height)).getbbox() is None:
            x += 1
            continue
        start = x
        while x < inv.width and inv.crop((x, 0, x + 1, inv.height)).getbbox() is not None:
            x += 1
        shapes.add(inv.crop((start, 0, x, inv.height)).tobytes())
    return len(shapes)


@pytest.mark.parametrize("dots", [384, 576])
def test_thai_is_drawn_on_the_ticket(ticket, no_thai_fonts, dots):
    """The office name (first line) and the Thai service name (after the English office name
    and the rule) are drawn as many different letter shapes; the same ticket rendered with a
    font lacking Thai shows a row of identical boxes there, which this check tells apart."""
    def name_lines(image: Image.Image) -> list[int]:
        bands = text_bands(image)
        return [distinct_shapes(image.crop((0, top, dots, bottom)))
                for top, bottom in (bands[0], bands[3])]

    assert all(n >= 8 for n in name_lines(render_ticket(ticket, dots)))
    assert all(n <= 2 for n in name_lines(render_ticket(ticket, dots, fonts=no_thai_fonts)))


def test_tone_mark_stacks_above_the_upper_vowel():
    """ยื่น (sara ue + mai ek) must differ from ยืน, with the tone mark above the vowel: raqm
    raises it; without complex layout it collides with the vowel at the same height."""
    font = find_thai_fonts().font(60)

    def top(text: str) -> tuple[Image.Image, int]:
        im = Image.new("L", (200, 120), 255)
        ImageDraw.Draw(im).text((10, 90), text, font=font, fill=0, anchor="ls")
        return im, ImageChops.invert(im).getbbox()[1]

    with_mark, top_with = top("ยื่น")
    without, top_without = top("ยืน")
    assert ImageChops.difference(with_mark, without).getbbox() is not None
    assert top_with < top_without - 8


def test_tone_mark_survives_on_the_ticket(ticket):
    """On the ticket, the service name ยื่นคำร้อง stands taller than ยืนคำร้อง: the tone mark is
    drawn, above the vowel, not dropped or merged into it."""
    for dots in (384, 576):
        a = render_ticket(dataclasses.replace(ticket, service_name_th="ยื่นคำร้อง"), dots)
        b = render_ticket(dataclasses.replace(ticket, service_name_th="ยืนคำร้อง"), dots)
        (a_top, a_bottom), (b_top, b_bottom) = text_bands(a)[3], text_bands(b)[3]
        assert (a_bottom - a_top) - (b_bottom - b_top) >= 4
        assert ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is not None


def test_missing_raqm_is_refused_with_the_fix(monkeypatch):
    monkeypatch.setattr(fonts_mod.features, "check", lambda name: False if name == "raqm" else True)
    with pytest.raises(PrinterSetupError, match="libfribidi0"):
        check_raqm()
    with pytest.raises(PrinterSetupError, match="raqm"):
        check_printing_setup()


def test_missing_font_is_refused_with_the_fix(monkeypatch):
    monkeypatch.delenv(fonts_mod.FONT_ENV, raising=False)
    monkeypatch.setattr(fonts_mod, "_fontpkg_sarabun", lambda: None)
    monkeypatch.setattr(fonts_mod, "_system_fonts", lambda: None)
    find_thai_fonts.cache_clear()
    try:
        with pytest.raises(PrinterSetupError) as err:
            find_thai_fonts()
        assert "fontpkg-sarabun" in str(err.value) and "fonts-thai-tlwg" in str(err.value)
    finally:
        find_thai_fonts.cache_clear()


def test_sarabun_from_pypi_comes_first(monkeypatch):
    monkeypatch.delenv(fonts_mod.FONT_ENV, raising=False)
    find_thai_fonts.cache_clear()
    try:
        found = find_thai_fonts()
        assert found.source == "fontpkg-sarabun" and found.family == "Sarabun"
        assert found.regular.name == "Sarabun-Regular.ttf" and found.bold.name == "Sarabun-Bold.ttf"
    finally:
        find_thai_fonts.cache_clear()


def test_font_from_the_environment(monkeypatch, no_thai_fonts):
    sarabun = fonts_mod._fontpkg_sarabun()
    monkeypatch.setenv(fonts_mod.FONT_ENV, str(sarabun.bold))
    find_thai_fonts.cache_clear()
    try:
        assert find_thai_fonts().regular == sarabun.bold
        monkeypatch.setenv(fonts_mod.FONT_ENV, str(no_thai_fonts.regular))
        find_thai_fonts.cache_clear()
        with pytest.raises(PrinterSetupError, match="no Thai"):
            find_thai_fonts()
    finally:
        find_thai_fonts.cache_clear()


LONG = dict(
    office_name="สำนักงานเขตบางกะปิ กรุงเทพมหานคร ฝ่ายทะเบียนราษฎร์และบัตรประจำตัวประชาชน",
    office_name_en="Bang Kapi District Office, Bangkok Metropolitan Administration — Civil Registration",
    service_name_th="ขอเปลี่ยนแปลงรายการในทะเบียนบ้านและแจ้งย้ายที่อยู่ปลายทางอิเล็กทรอนิกส์",
    service_name_en="Change of house registration entries and electronic move-in notification",
    number="D1024", ahead=None, eta_minutes=None, priority="normal",
    status_url="https://queue.bangkapi.go.th/t/Zq9xK2mP7vT4wR8yB3nL6cF1hJ5dG0sA_-eUoIiY",
)


@pytest.mark.parametrize("dots", [384, 576])
def test_long_names_wrap_inside_the_paper(ticket, dots):
    long = dataclasses.replace(ticket, **LONG)
    image = render_ticket(long, dots)
    assert image.width == dots
    # Nothing is drawn into the outer margin, so nothing was cut off at the paper's edge.
    edge = 5
    inv = ImageChops.invert(image.convert("L"))
    assert inv.crop((0, 0, edge, image.height)).getbbox() is None
    assert inv.crop((dots - edge, 0, dots, image.height)).getbbox() is None
    assert decode_qr(image) == [LONG["status_url"]]


def test_wrapping_thai_without_spaces():
    from printer.render import _wrap

    font = find_thai_fonts().font(26, True)
    text = "ฝ่ายทะเบียนราษฎร์และบัตรประจำตัวประชาชน"
    for width in (150, 200, 300):
        lines = _wrap(text, font, width)
        assert "".join(lines) == text
        assert all(font.getlength(line) <= width for line in lines)
        # No line starts with a mark or following vowel, or is a lone letter or two.
        assert all(line[0] not in "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39"
                   "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c" for line in lines)
        assert all(len(line) >= 3 for line in lines)
    # The break falls before the leading vowel of และ when it can.
    assert _wrap(text, font, 300)[0] == "ฝ่ายทะเบียนราษฎร์"
    # A zero-width space marks where the office wants the break; it is not drawn.
    assert _wrap("บัตรประจำตัว\u200bประชาชน", font, 150) == ["บัตรประจำตัว", "ประชาชน"]
    assert _wrap("บัตร\u200bประชาชน", font, 1000) == ["บัตรประชาชน"]


def test_a_very_long_ticket_grows_the_page(ticket):
    long = dataclasses.replace(ticket, office_name="ที่ว่าการอำเภอบางบัวทอง " * 40)
    image = render_ticket(long, 384)
    assert image.height > 5 * 384  # past the first page allocation, nothing cut off
    assert decode_qr(image) == [ticket.status_url]


@pytest.mark.parametrize("dots", [384, 576])
def test_the_qr_line_says_it_follows_the_queue_and_rates_the_service(ticket, dots, monkeypatch):
    """Beside (80 mm) or under (58 mm) the QR code, one Thai line and its English: the code
    follows the queue and, after the visit, rates the service. Drawn whole, inside the paper,
    in at most two lines each, and the ticket still has its usual length."""
    from printer import render

    wrapped: dict[str, list[str]] = {}
    wrap = render._wrap

    def recording(text, font, width):
        lines = wrap(text, font, width)
        wrapped[text] = lines
        return lines
    monkeypatch.setattr(render, "_wrap", recording)
    image = render_ticket(ticket, dots)

    assert "ประเมินความพึงพอใจ" in ticket.qr_hint_th and "rate the service" in ticket.qr_hint_en
    for hint in (ticket.qr_hint_th, ticket.qr_hint_en):
        lines = wrapped[hint]
        assert "".join(lines).replace(" ", "") == hint.replace("\u200b", "").replace(" ", "")
        assert len(lines) <= 2, lines
    assert 500 < image.height < 1400
    inv = ImageChops.invert(image.convert("L"))
    assert inv.crop((0, 0, 5, image.height)).getbbox() is None
    assert inv.crop((dots - 5, 0, dots, image.height)).getbbox() is None
    assert decode_qr(image) == [ticket.status_url]
