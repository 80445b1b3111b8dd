/* Words the complaint pages share: the steps in Thai and English, and refusals worded in
 * both (the server explains in English; citizens read Thai first). */
(function () {
  "use strict";
  var C = (window.GECCComplaint = window.GECCComplaint || {});

  C.STEPS = {
    received: { th: "รับเรื่องแล้ว", en: "Received" },
    assigned: { th: "มอบหมายผู้รับผิดชอบแล้ว", en: "Assigned" },
    forwarded: { th: "ส่งต่อหน่วยงานที่เกี่ยวข้อง", en: "Forwarded to the agency concerned" },
    in_progress: { th: "กำลังดำเนินการ", en: "In progress" },
    resolved: { th: "แก้ไขแล้ว", en: "Resolved" },
    closed: { th: "ยุติเรื่อง", en: "Closed" },
    reopened: { th: "เปิดเรื่องพิจารณาอีกครั้ง", en: "Reopened" },
    due_changed: { th: "เปลี่ยนกำหนดแล้วเสร็จ", en: "Due date moved" },
    contact_erased: { th: "ลบข้อมูลติดต่อตามระยะเวลาเก็บรักษา", en: "Contact erased (retention)" }
  };
  C.stepText = function (key, lang) {
    var s = C.STEPS[key];
    return s ? s[lang === "en" ? "en" : "th"] : key;
  };
  C.CHANNELS = {
    online: "ออนไลน์ / Online", walk_in: "ที่ช่องบริการ / Walk-in", phone: "โทรศัพท์ / Phone"
  };

  var TH = {
    file_refused: "ไฟล์นี้ไม่ใช่รูปภาพ (JPEG, PNG, WebP) หรือ PDF จึงรับไม่ได้",
    file_too_large: "ไฟล์ใหญ่เกิน 5 MB",
    request_entity_too_large: "ไฟล์รวมกันใหญ่เกินไป (ไม่เกิน 5 MB ต่อไฟล์)",
    too_many_files: "แนบไฟล์ได้ไม่เกิน 3 ไฟล์",
    invalid_complaint: "ข้อมูลเรื่องร้องเรียนไม่ถูกต้อง",
    invalid_transition: "ทำขั้นตอนนี้กับเรื่องในสถานะนี้ไม่ได้ (ย้อนขั้นตอนไม่ได้ ต้องเปิดเรื่องใหม่พร้อมเหตุผล)",
    not_found: "ไม่พบรายการนี้",
    rate_limited: "มีการใช้งานถี่เกินไป กรุณารอสักครู่แล้วลองใหม่",
    network: "ติดต่อเซิร์ฟเวอร์ไม่ได้"
  };
  var FIELDS = {
    text: "กรุณาเขียนรายละเอียดเรื่อง (ไม่เกิน 5,000 ตัวอักษร) / Write what the complaint is about (at most 5,000 characters).",
    contact: "ช่องทางติดต่อยาวเกิน 200 ตัวอักษร / The contact is at most 200 characters.",
    category: "ประเภทเรื่องไม่ถูกต้อง / Unknown category."
  };

  /** A refusal in Thai and English, for the pages. */
  C.errorText = function (err) {
    if (err && err.messageTh) return err.messageTh + " / " + err.messageEn;
    if (err && err.code === "invalid_input" && err.details && err.details.length) {
      var field = String(err.details[0].field || "");
      if (FIELDS[field]) return FIELDS[field];
    }
    var th = err && TH[err.code];
    var en = (err && err.message) || String(err);
    if (err && err.code === "invalid_input") th = "ข้อมูลไม่ถูกต้อง";
    return th ? th + " / " + en : en;
  };

  /** POST a FormData (files) with the CSRF header; rejects as GECC.api does. */
  C.postForm = function (path, form) {
    var headers = { "Accept": "application/json" };
    var token = GECC.csrfToken();
    if (token) headers["X-CSRFToken"] = token;
    return fetch("/api/v1" + path, { method: "POST", body: form, headers: headers,
                                     credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          if (response.ok) return data;
          var e = (data && data.error) || {};
          var error = GECC.ApiError(e.message || ("HTTP " + response.status), e.code || ("http_" + response.status),
                                    response.status, e.details);
          if (e.message_th) { error.messageTh = e.message_th; error.messageEn = e.message_en || e.message; }
          throw error;
        });
      }, function () {
        throw GECC.ApiError("Cannot reach the server", "network", 0);
      });
  };

  /** "ABCDE23456" -> "ABCDE-23456"; anything else as it is. */
  C.display = function (code) {
    code = String(code || "");
    return code.length === 10 ? code.slice(0, 5) + "-" + code.slice(5) : code;
  };
  C.normalise = function (raw) {
    return String(raw || "").toUpperCase().replace(/[\s_-]/g, "");
  };

  /** "2026-12-18" as an office's date in Thai (Buddhist era), no time zone shift. */
  C.day = function (isoDay, locale) {
    if (!isoDay) return "";
    return GECC.formatTime(isoDay + "T05:00:00Z", "date", locale);
  };
})();
