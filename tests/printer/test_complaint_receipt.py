"""A complaint's printed receipt: the paper's width, a QR code a real decoder reads back as
the tracking page, and the agent's device printing it from a print job's payload."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import zxingcpp

from printer.journal import job_key
from printer.receipt import ComplaintReceiptPrint
from printer.render import render_complaint_receipt

VIEW = {"code": "7KQ2MXR4TD", "code_display": "7KQ2M-XR4TD",
        "status_url": "http://192.168.1.10:5000/c/7KQ2MXR4TD",
        "received_at": "2026-11-23T02:05:00Z", "due_on": "2026-12-08",
        "category": {"key": "hardship", "name_th": "เรื่องเดือดร้อน ความทุกข์ยาก",
                     "name_en": "Trouble and hardship"}}
OFFICE = {"name": "ศูนย์ดำรงธรรมอำเภอบ้านไผ่", "name_en": "Ban Phai Damrongdhama Centre",
          "timezone": "Asia/Bangkok"}


@pytest.mark.parametrize("dots", [384, 576])
def test_the_receipt_fits_the_paper_and_its_qr_opens_the_tracking_page(dots):
    receipt = ComplaintReceiptPrint.from_view(VIEW, OFFICE)
    assert receipt.received_th == "23 พ.ย. 2569 เวลา 09:05 น." and receipt.due_en == "8 Dec 2026"
    image = render_complaint_receipt(receipt, dots)
    assert image.mode == "1" and image.width == dots and 400 < image.height < 1600
    codes = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))
             if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert codes == [VIEW["status_url"]]


def test_a_receipt_job_has_its_own_journal_key_and_needs_its_code():
    assert job_key({"job_id": 7, "complaint": VIEW, "office": OFFICE}) == "7:c:7KQ2MXR4TD"
    with pytest.raises(ValueError):
        ComplaintReceiptPrint("o", "o", "", "", "", "", datetime.now(timezone.utc),
                              date(2026, 1, 1), "Asia/Bangkok")
