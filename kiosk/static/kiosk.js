/* The touch kiosk: choose a service, say whether a priority class applies, take the
 * number; or, with a booking, type or scan its code and take the booking's number.
 * Only the public API: GET /api/v1/services, POST /api/v1/tickets,
 * POST /api/v1/bookings/check-in. */
(function () {
  "use strict";
  var h = GECC.h, $ = GECC.$;
  // No ?id= in the URL: the server's own printer (GECC_PRINTER) prints this kiosk's tickets.
  var kioskId = document.body.dataset.kioskId || null;
  // The kiosk's own token, from its pairing (/pair): it issues and checks in as that kiosk,
  // not as an anonymous caller (no rate limit). A token taken back (401) is forgotten, and
  // the kiosk goes on as an anonymous one until it is paired again.
  var deviceToken = null;
  try { deviceToken = localStorage.getItem("gecc.device.token"); } catch (e) { deviceToken = null; }
  function asThisKiosk(send) {
    return send(deviceToken ? { "Authorization": "Bearer " + deviceToken } : {})
      .catch(function (err) {
        if (deviceToken && err && (err.status === 401 || err.code === "unauthorized")) {
          deviceToken = null;
          try { localStorage.removeItem("gecc.device.token"); } catch (e) { /* private mode */ }
          return send({});
        }
        throw err;
      });
  }

  var RETURN_AFTER_SECONDS = 15;    // on the confirmation screen
  // When the printer is down the screen is the ticket: a little longer, but not so long that
  // the next in line can scan its QR code (the status page can cancel the ticket).
  var NO_PRINT_SECONDS = 20;
  var IDLE_SECONDS = 45;            // on the priority or booking screen, nobody touching
  var REFRESH_SECONDS = 20;         // waiting counts on the first screen

  // In rateHint, word joiners (U+2060) keep ความพึงพอใจ and หลังรับบริการ whole on a line.
  var TEXT = {
    th: {
      chooseService: "กรุณาเลือกบริการ", chooseServiceSub: "แตะที่บริการที่ต้องการติดต่อ",
      loading: "กำลังโหลด…", choosePriority: "ท่านเป็นผู้รับบริการประเภทใด",
      serviceChosen: "บริการที่เลือก:", back: "‹ ย้อนกลับ", issuing: "กำลังออกบัตรคิว…",
      yourNumber: "หมายเลขคิวของท่าน", ahead: "คิวก่อนหน้า", eta: "เวลารอโดยประมาณ",
      takeTicket: "กรุณารับบัตรคิว และรอเรียกหมายเลขที่จอแสดงผล",
      noPrint: "ขออภัย เครื่องพิมพ์บัตรคิวขัดข้อง กรุณาจดหมายเลขคิว หรือสแกน QR นี้ด้วยมือถือ",
      followStatus: "ติดตามสถานะคิวทางมือถือได้ที่", done: "เสร็จสิ้น",
      rateHint: "สแกน QR เพื่อติดตามคิวและประเมินความ\u2060พึง\u2060พอใจหลัง\u2060รับ\u2060บริการ",
      rateHintAlt: "Scan the QR to follow your queue and rate the service afterwards",
      errorTitle: "ขออภัย ออกบัตรคิวไม่ได้", askStaff: "กรุณาติดต่อเจ้าหน้าที่ประชาสัมพันธ์",
      startOver: "กลับหน้าแรก", waiting: "รอ {n} คิว", closed: "ปิดให้บริการ",
      people: "คน", minutes: "นาที", about: "รอประมาณ {n} นาที", noWait: "ไม่มีผู้รอ รับบริการได้เลย",
      noCounterOpen: "ยังไม่มีช่องเปิดให้บริการ", next: "ถัดไป", noCounter: "—", seconds: "({n})",
      loadFailed: "ไม่สามารถโหลดรายการบริการได้ กรุณาติดต่อเจ้าหน้าที่", toggle: "English", toggleLang: "en",
      haveBooking: "มีนัดหมาย", haveBookingAlt: "I have a booking",
      bookingTitle: "เช็คอินนัดหมาย", bookingSub: "กดรหัสนัดหมาย 6 ตัว หรือสแกน QR Code ของนัดหมาย",
      bookingCode: "รหัสนัดหมาย", bookingHint: "รหัสมีตัวอักษร A–Z และตัวเลข 2–9",
      checkIn: "ตกลง เช็คอิน", checkingIn: "กำลังเช็คอิน…", takeNormal: "รับบัตรคิวปกติ",
      keyDelete: "ลบ ⌫", keyDeleteAlt: "Delete", keyClear: "ล้าง", keyClearAlt: "Clear",
      bookedAt: "นัดหมาย {n} น.", alreadyCheckedIn: "ท่านเช็คอินแล้ว นี่คือหมายเลขคิวเดิมของท่าน",
      issue_service_closed: "บริการนี้ปิดรับบัตรคิวในขณะนี้",
      issue_not_found: "ไม่พบบริการนี้แล้ว รายการบริการอาจเปลี่ยนไป กรุณาเลือกใหม่",
      issue_other: "ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีก\u2060ครั้ง",
      stoppedToday: "งดให้บริการวันนี้", priorityLabel: "ประเภท: {n}"
    },
    en: {
      chooseService: "Please choose a service", chooseServiceSub: "Touch the service you need",
      loading: "Loading…", choosePriority: "Which applies to you?",
      serviceChosen: "Service:", back: "‹ Back", issuing: "Issuing your ticket…",
      yourNumber: "Your number", ahead: "People ahead", eta: "Estimated wait",
      takeTicket: "Please take your ticket and wait for your number on the screen",
      noPrint: "Sorry, the ticket printer is not working. Please note your number, or scan this QR code with your phone",
      followStatus: "Follow your place in the queue on your phone:", done: "Done",
      rateHint: "Scan the QR to follow your queue and rate the service afterwards",
      rateHintAlt: "สแกน QR เพื่อติดตามคิวและประเมินความ\u2060พึง\u2060พอใจหลัง\u2060รับ\u2060บริการ",
      errorTitle: "Sorry, no ticket could be issued", askStaff: "Please ask the reception desk",
      startOver: "Start again", waiting: "{n} waiting", closed: "Closed",
      people: "", minutes: "min", about: "about {n} min", noWait: "No one waiting",
      noCounterOpen: "no counter open yet", next: "Next", noCounter: "—", seconds: "({n})",
      loadFailed: "The services could not be loaded. Please ask the staff.", toggle: "ภาษาไทย", toggleLang: "th",
      haveBooking: "I have a booking", haveBookingAlt: "มีนัดหมาย",
      bookingTitle: "Booking check-in", bookingSub: "Type your 6-character booking code, or scan the booking's QR code",
      bookingCode: "Booking code", bookingHint: "Codes use the letters A–Z and the digits 2–9",
      checkIn: "OK, check in", checkingIn: "Checking in…", takeNormal: "Take a normal ticket",
      keyDelete: "Delete ⌫", keyDeleteAlt: "ลบ", keyClear: "Clear", keyClearAlt: "ล้าง",
      bookedAt: "booking {n}", alreadyCheckedIn: "You have already checked in: this is your number",
      issue_service_closed: "This service is not taking tickets at the moment",
      issue_not_found: "This service is no longer offered. Please choose again",
      issue_other: "The system is not working for a moment. Please try again",
      stoppedToday: "Not available today", priorityLabel: "{n}"
    }
  };

  // Why a check-in was refused, by the API's error code; {slot} {opens} {closes} {date}
  // {code} are filled in from the error's fields, in the office's time.
  var BOOKING_ERRORS = {
    th: {
      empty_code: "กรุณากดรหัสนัดหมาย 6 ตัว",
      bad_code: "รหัสนัดหมายมี 6 ตัว (ตัวอักษร A–Z และตัวเลข 2–9) กรุณาตรวจสอบแล้วกดใหม่",
      booking_not_found: "ไม่พบนัดหมายรหัส {code} กรุณาตรวจสอบรหัสแล้วลองอีก\u2060ครั้ง",
      booking_too_early: "ยังไม่ถึงเวลาเช็คอิน นัดหมายของท่านเวลา {slot} น. เช็คอินได้ตั้งแต่เวลา {opens} น.",
      booking_too_late: "เลยเวลาเช็คอินแล้ว (นัดหมายเวลา {slot} น. เช็คอินได้ถึง {closes} น.) กรุณารับบัตรคิวปกติ",
      booking_not_today: "นัดหมายของท่านคือ{date} ยังไม่ใช่วันนี้ กรุณามาตามวันนัดหมาย",
      booking_not_today_past: "นัดหมายของท่านคือ{date} ซึ่งผ่านมาแล้ว กรุณารับบัตรคิวปกติ",
      booking_cancelled: "นัดหมายนี้ถูกยกเลิกแล้ว กรุณารับบัตรคิวปกติ",
      service_closed: "บริการที่นัดหมายไว้ปิดให้บริการขณะนี้ กรุณาติดต่อเจ้าหน้าที่ประชาสัมพันธ์",
      other: "เช็คอินไม่สำเร็จ กรุณาติดต่อเจ้าหน้าที่ประชาสัมพันธ์"
    },
    en: {
      empty_code: "Please type the 6 characters of your booking code",
      bad_code: "A booking code has 6 characters (letters A–Z, digits 2–9). Please check it and type it again",
      booking_not_found: "There is no booking with the code {code}. Please check the code and try again",
      booking_too_early: "It is too early to check in. Your booking is at {slot}; check-in opens at {opens}",
      booking_too_late: "The check-in time has passed (booking at {slot}, check-in until {closes}). Please take a normal ticket",
      booking_not_today: "Your booking is on {date}, not today. Please come on that day",
      booking_not_today_past: "Your booking was on {date}. Please take a normal ticket",
      booking_cancelled: "This booking was cancelled. Please take a normal ticket",
      service_closed: "The booked service is closed now. Please ask the reception desk",
      other: "The check-in did not work. Please ask the reception desk"
    }
  };
  // After these, the way on is an ordinary ticket: the kiosk offers it at once.
  var NORMAL_TICKET_ADVISED = ["booking_too_late", "booking_not_today_past", "booking_cancelled"];
  var CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";   // no 0/O, no 1/I
  var CODE_LENGTH = 6;
  var CODE_RE = /^[2-9A-HJ-NP-Z]{6}$/;

  var lang = "th";
  var services = [];
  var chosen = null;
  var issuing = false;
  var checkingIn = false;
  var bookingError = null;          // the refusal on screen, re-worded when the language changes
  var timers = { back: null, idle: null, countdown: null };

  function t(key, n) {
    var text = (TEXT[lang][key] !== undefined ? TEXT[lang][key] : TEXT.th[key]) || "";
    return n === undefined ? text : text.replace("{n}", n);
  }

  // --- screens ---------------------------------------------------------------------

  function show(name) {
    ["services", "booking", "priority", "wait", "done", "error"].forEach(function (s) {
      $("#screen-" + s).hidden = s !== name;
    });
    window.scrollTo(0, 0);
  }

  function clearTimers() {
    clearTimeout(timers.back); clearTimeout(timers.idle); clearInterval(timers.countdown);
    timers = { back: null, idle: null, countdown: null };
  }

  function startOver() {
    clearTimers();
    // The last ticket's QR code leaves the page with it: whoever comes next cannot scan it.
    $("#ticket-qr").removeAttribute("src");
    $("#ticket-url").textContent = "";
    chosen = null;
    issuing = false;
    checkingIn = false;
    resetBooking();
    setLang("th");          // the next citizen starts in Thai
    show("services");
    loadServices();
  }

  function armIdle() {
    clearTimeout(timers.idle);
    timers.idle = setTimeout(startOver, IDLE_SECONDS * 1000);
  }

  // --- language --------------------------------------------------------------------

  function setLang(next) {
    lang = next;
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    var toggle = $("#lang-toggle");
    toggle.textContent = t("toggle");
    toggle.setAttribute("lang", t("toggleLang"));
    $("#office-name").textContent = officeName();
    renderServices();
    renderPriorities();
    renderKeypad();
    document.querySelector("[data-i18n=haveBookingAlt]").setAttribute("lang", t("toggleLang"));
    document.querySelector("[data-i18n=rateHintAlt]").setAttribute("lang", t("toggleLang"));
    if (bookingError) renderBookingError();
    if (chosen) $("#chosen-service").textContent = serviceName(chosen);
    tick();                 // the date in the language on screen
  }

  function officeName() {
    var o = GECC.office;
    if (!o) return lang === "en" ? "Citizen service centre" : "ศูนย์บริการประชาชน";
    return lang === "en" ? (o.name_en || o.name) : o.name;
  }

  function serviceName(s) { return lang === "en" ? s.name_en : s.name_th; }
  function serviceAltName(s) { return lang === "en" ? s.name_th : s.name_en; }

  // --- services --------------------------------------------------------------------

  function loadServices() {
    return GECC.get("/services").then(function (list) {
      services = list;
      renderServices();
    }, function () {
      if (!services.length) {
        var box = $("#services");
        box.textContent = "";
        delete box.dataset.shape;
        box.appendChild(h("p", { class: "loading", role: "alert" }, t("loadFailed")));
      }
    });
  }

  function etaShort(minutes) {
    if (minutes === null || minutes === undefined) return t("noCounter");
    if (minutes <= 0) return t("next");
    return minutes + " " + t("minutes");
  }

  var DAYS = {
    th: { mon: "จ.", tue: "อ.", wed: "พ.", thu: "พฤ.", fri: "ศ.", sat: "ส.", sun: "อา." },
    en: { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" }
  };

  /** The office's hours in a line, e.g. "จ.–ศ. 08:30–19:00 · ส. 09:00–12:00": adjoining
   *  windows (morning, lunch, afternoon, evening) on the same days are joined. */
  function hoursText() {
    var windows = (GECC.office && GECC.office.opening_hours) || [];
    var byDays = {};
    var order = [];
    windows.forEach(function (w) {
      var key = w.days.join(",");
      if (!byDays[key]) { byDays[key] = []; order.push(key); }
      byDays[key].push([w.start, w.end]);
    });
    return order.map(function (key) {
      var spans = byDays[key].sort();
      var joined = [];
      spans.forEach(function (span) {
        var last = joined[joined.length - 1];
        if (last && last[1] >= span[0]) { if (span[1] > last[1]) last[1] = span[1]; }
        else joined.push(span.slice());
      });
      var days = key.split(",");
      var names = DAYS[lang] || DAYS.th;
      var dayText = days.length > 2 ? names[days[0]] + "–" + names[days[days.length - 1]]
                                     : days.map(function (d) { return names[d]; }).join(" ");
      return dayText + " " + joined.map(function (j) { return j[0] + "–" + j[1]; }).join(", ");
    }).join(" · ");
  }

  function queueText(s) {
    // Stopped by the manager (its national system is down): not a matter of the clock.
    if (s.active === false) return t("stoppedToday");
    if (!s.open) return t("closed") + (hoursText() ? " · " + hoursText() : "");
    if (s.eta_minutes === null || s.eta_minutes === undefined) return t("waiting", s.waiting) + " · " + t("noCounterOpen");
    if (s.waiting === 0 || s.eta_minutes <= 0) return t("noWait");
    return t("waiting", s.waiting) + " · " + t("about", s.eta_minutes);
  }

  /** The service buttons. Live counts change them in place: a list rebuilt under a finger
   *  (a busy office sends several updates a second) would lose the citizen's tap. */
  function renderServices() {
    if (!services.length) return;
    var box = $("#services");
    var shape = lang + ":" + services.map(function (s) { return s.id; }).join(",");
    box.classList.toggle("many", services.length > 5);
    if (box.dataset.shape !== shape) {
      box.textContent = "";
      services.forEach(function (s) {
        var id = s.id;
        box.appendChild(h("button", {
          class: "service", type: "button", dataset: { serviceId: String(id) },
          onclick: function () { chooseService(serviceById(id)); }
        },
          h("span", { class: "code", "aria-hidden": "true" }, s.code),
          h("span", { class: "name" }, serviceName(s)),
          h("span", { class: "name-alt", lang: lang === "en" ? "th" : "en" }, serviceAltName(s)),
          h("span", { class: "queue" })));
      });
      box.dataset.shape = shape;
    }
    services.forEach(function (s) {
      var button = box.querySelector('[data-service-id="' + s.id + '"]');
      button.disabled = !s.open;
      if (s.open) button.removeAttribute("aria-disabled"); else button.setAttribute("aria-disabled", "true");
      var line = button.querySelector(".queue");
      var text = queueText(s);
      if (line.textContent !== text) line.textContent = text;
    });
  }

  function serviceById(id) {
    return services.filter(function (s) { return s.id === id; })[0] || null;
  }

  function chooseService(s) {
    if (!s || !s.open) return;
    chosen = s;
    $("#chosen-service").textContent = serviceName(s);
    renderPriorities();
    show("priority");
    armIdle();
  }

  // --- priority --------------------------------------------------------------------

  function renderPriorities() {
    var box = $("#priorities");
    box.textContent = "";
    GECC.PRIORITIES.forEach(function (p) {
      box.appendChild(h("button", {
        class: "priority", type: "button", dataset: { priority: p.value }, disabled: issuing,
        onclick: function () { issue(p.value); }
      },
        h("span", { class: "label" }, lang === "en" ? p.en : p.th),
        h("span", { class: "label-alt", lang: lang === "en" ? "th" : "en" }, lang === "en" ? p.th : p.en)));
    });
  }

  // --- issue -----------------------------------------------------------------------

  function issue(priority) {
    if (issuing || !chosen) return;
    issuing = true;
    clearTimers();
    show("wait");
    asThisKiosk(function (headers) {
      return GECC.api("/tickets", { method: "POST", headers: headers, body: {
        service_id: chosen.id, priority: priority, channel: "kiosk", kiosk_id: kioskId || undefined
      } });
    }).then(showTicket, function (err) {
      issuing = false;
      // The citizen's words, by the API's code; never the server's English message.
      var key = { service_closed: "issue_service_closed", not_found: "issue_not_found" }[err.code];
      $("#error-message").dataset.i18n = key || "issue_other";   // follows a language switch
      $("#error-message").textContent = t(key || "issue_other");
      if (key) loadServices();        // the list shows the service as it is now
      show("error");
      timers.back = setTimeout(startOver, RETURN_AFTER_SECONDS * 1000);
    });
  }

  function showTicket(ticket) {
    issuing = false;
    $("#ticket-number").textContent = ticket.number;
    $("#ticket-service").textContent = (lang === "en" ? ticket.service_name_en : ticket.service_name_th)
      + (ticket.booking ? " · " + t("bookedAt", GECC.formatTime(ticket.booking.slot_at, "time")) : "");
    var priority = $("#ticket-priority");
    priority.hidden = !ticket.priority || ticket.priority === "normal";
    priority.textContent = priority.hidden ? "" : t("priorityLabel", GECC.priorityText(ticket.priority, lang));
    $("#ticket-ahead").textContent = ticket.ahead + (t("people") ? " " + t("people") : "");
    $("#ticket-eta").textContent = etaShort(ticket.eta_minutes);
    $("#ticket-url").textContent = ticket.status_url;
    $("#ticket-qr").src = "/t/" + encodeURIComponent(ticket.token) + "/qr.svg";
    // The server says whether this kiosk's printer can print; if not, the screen is the ticket.
    var printed = !ticket.printer || ticket.printer.usable;
    var take = document.querySelector(".take-ticket");
    take.textContent = printed ? t("takeTicket") : t("noPrint");
    take.classList.toggle("no-print", !printed);
    if (ticket.repeated) {
      // A booking checked in before: the same number again, nothing printed this time.
      take.textContent = t("alreadyCheckedIn") +
        (ticket.status !== "waiting" ? " · " + GECC.statusText(ticket.status, lang) : "");
      take.classList.remove("no-print");
    }
    show("done");
    var left = printed ? RETURN_AFTER_SECONDS : NO_PRINT_SECONDS;
    $("#countdown").textContent = t("seconds", left);
    timers.countdown = setInterval(function () {
      left -= 1;
      $("#countdown").textContent = t("seconds", Math.max(left, 0));
    }, 1000);
    timers.back = setTimeout(startOver, left * 1000);
  }

  // --- booking check-in --------------------------------------------------------------

  function codeInput() { return $("#booking-code"); }

  function focusCode() {
    if (!$("#screen-booking").hidden) codeInput().focus({ preventScroll: true });
  }

  function resetBooking() {
    codeInput().value = "";
    bookingError = null;
    $("#booking-error").hidden = true;
    $("#booking-submit").disabled = false;
  }

  /** Open the check-in screen; `first` is a character a scanner (or keyboard) already typed. */
  function openBooking(first) {
    clearTimers();
    resetBooking();
    if (first) codeInput().value = first;
    show("booking");
    focusCode();
    armIdle();
  }

  /** The code in what was typed or scanned: the code itself (any case, spaces or dashes), or
   *  a URL holding it (?code= or ?booking=, or the last part of its path). Mirrors the
   *  server's parse_booking_code; the server checks again. */
  function extractCode(text) {
    text = (text || "").trim();
    if (!text) return null;
    var candidates = [text];
    if (/[/?=]/.test(text)) {
      candidates = [];
      try {
        var url = new URL(text, location.origin);
        ["code", "booking"].forEach(function (key) {
          url.searchParams.getAll(key).forEach(function (v) { candidates.push(v); });
        });
        var parts = url.pathname.split("/").filter(Boolean);
        if (parts.length) candidates.push(decodeURIComponent(parts[parts.length - 1]));
      } catch (e) { /* not a URL after all */ }
    }
    for (var i = 0; i < candidates.length; i++) {
      var code = candidates[i].replace(/[\s\-_.]+/g, "").toUpperCase();
      if (CODE_RE.test(code)) return code;
    }
    return null;
  }

  function renderKeypad() {
    var pad = $("#keypad");
    pad.textContent = "";
    CODE_ALPHABET.split("").forEach(function (ch) {
      pad.appendChild(h("button", { class: "key", type: "button", dataset: { key: ch },
                                    onclick: function () { typeKey(ch); } }, ch));
    });
    pad.appendChild(h("button", { class: "key key-wide", type: "button", dataset: { key: "delete" },
                                  onclick: deleteKey },
      h("span", { class: "key-label" }, t("keyDelete")),
      h("span", { class: "key-alt", lang: t("toggleLang") }, t("keyDeleteAlt"))));
    pad.appendChild(h("button", { class: "key key-wide", type: "button", dataset: { key: "clear" },
                                  onclick: clearKey },
      h("span", { class: "key-label" }, t("keyClear")),
      h("span", { class: "key-alt", lang: t("toggleLang") }, t("keyClearAlt"))));
  }

  function edited() {
    if (bookingError) { bookingError = null; $("#booking-error").hidden = true; }
    armIdle();
  }

  function typeKey(ch) {
    var input = codeInput();
    // A scanned URL or a stray character is replaced by what is typed on the keypad.
    var typed = input.value.replace(/[\s-]+/g, "").toUpperCase();
    if (!/^[2-9A-HJ-NP-Z]*$/.test(typed)) typed = "";
    if (typed.length < CODE_LENGTH) input.value = typed + ch;
    edited();
    focusCode();
  }

  function deleteKey() {
    codeInput().value = codeInput().value.slice(0, -1);
    edited();
    focusCode();
  }

  function clearKey() {
    codeInput().value = "";
    edited();
    focusCode();
  }

  function fill(text, fields) {
    return text.replace(/\{(\w+)\}/g, function (_, key) {
      return fields[key] !== undefined && fields[key] !== null ? fields[key] : "";
    });
  }

  function bookingMessage(err, language) {
    var key = err.code;
    if (key === "booking_not_today" && err.past) key = "booking_not_today_past";
    var texts = BOOKING_ERRORS[language];
    var locale = language === "en" ? "en-GB" : GECC.locale;
    var fields = {
      code: err.booking_code || codeInput().value,
      slot: err.slot_at ? GECC.formatTime(err.slot_at, "time", locale) : "",
      opens: err.opens_at ? GECC.formatTime(err.opens_at, "time", locale) : "",
      closes: err.closes_at ? GECC.formatTime(err.closes_at, "time", locale) : "",
      date: err.slot_at ? GECC.formatTime(err.slot_at, "weekday", locale) : ""
    };
    if (texts[key]) return { text: fill(texts[key], fields), key: key };
    // Anything else (no connection, an unexpected refusal): the server's words, and ask staff.
    return { text: (err.message ? err.message + " · " : "") + texts.other, key: "other" };
  }

  function renderBookingError() {
    var mine = bookingMessage(bookingError, lang);
    var other = bookingMessage(bookingError, lang === "en" ? "th" : "en");
    $("#booking-error-text").textContent = mine.text;
    var alt = $("#booking-error-alt");
    alt.textContent = mine.key === "other" ? "" : other.text;
    alt.setAttribute("lang", t("toggleLang"));
    $("#booking-normal").hidden = NORMAL_TICKET_ADVISED.indexOf(mine.key) < 0;
    $("#booking-error").hidden = false;
  }

  function showBookingError(err) {
    bookingError = err;
    show("booking");
    renderBookingError();
    focusCode();
    armIdle();
  }

  function submitBooking(event) {
    if (event) event.preventDefault();
    if (checkingIn) return;
    var input = codeInput();
    var code = extractCode(input.value);
    if (!code) {
      showBookingError({ code: input.value.trim() ? "bad_code" : "empty_code" });
      return;
    }
    input.value = code;
    checkingIn = true;
    clearTimers();
    $("#booking-submit").disabled = true;
    $("#wait-text").textContent = t("checkingIn");
    show("wait");
    asThisKiosk(function (headers) { return checkInRequest(code, headers); }).then(function (ticket) {
      checkingIn = false;
      $("#booking-submit").disabled = false;
      showTicket(ticket);
    }, function (err) {
      checkingIn = false;
      $("#booking-submit").disabled = false;
      showBookingError(err);
    }).then(function () { $("#wait-text").textContent = t("issuing"); });
  }

  /** POST the code; resolves to the ticket, rejects with the API's whole error object (its
   *  times and day are needed to say why, in Thai and English). */
  function checkInRequest(code, extraHeaders) {
    var headers = Object.assign({ "Content-Type": "application/json", "Accept": "application/json" },
                                extraHeaders || {});
    var csrf = GECC.csrfToken();
    if (csrf) headers["X-CSRFToken"] = csrf;
    if (GECC.officeId) headers["X-Gecc-Office"] = GECC.officeId;  // a kiosk of /o/<office>/
    return fetch("/api/v1/bookings/check-in", {
      method: "POST", headers: headers, credentials: "same-origin", cache: "no-store",
      body: JSON.stringify({ code: code, kiosk_id: kioskId || undefined })
    }).then(function (response) {
      return response.text().then(function (text) {
        var data;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (response.ok) return data;
        throw (data && data.error) || { code: "http_" + response.status, message: "HTTP " + response.status };
      });
    }, function () {
      throw { code: "network", message: "ติดต่อเซิร์ฟเวอร์ไม่ได้ / Cannot reach the server" };
    });
  }

  // --- wiring ----------------------------------------------------------------------

  $("#lang-toggle").addEventListener("click", function () {
    setLang(lang === "th" ? "en" : "th");
    if (!$("#screen-priority").hidden) armIdle();
  });
  $("#back").addEventListener("click", startOver);
  $("#done").addEventListener("click", startOver);
  $("#error-back").addEventListener("click", startOver);
  $("#booking-start").addEventListener("click", function () { openBooking(); });
  $("#booking-back").addEventListener("click", startOver);
  $("#booking-normal").addEventListener("click", startOver);   // the services, for a normal ticket
  $("#booking-form").addEventListener("submit", submitBooking);
  codeInput().addEventListener("input", edited);
  // The keypad keeps the focus in the code field, where a scanner types.
  $("#keypad").addEventListener("mousedown", function (e) { e.preventDefault(); });
  codeInput().addEventListener("blur", function () { setTimeout(focusCode, 0); });

  function busyScreen() { return !$("#screen-priority").hidden || !$("#screen-booking").hidden; }
  document.addEventListener("pointerdown", function () { if (busyScreen()) armIdle(); });
  document.addEventListener("keydown", function (e) {
    if (busyScreen()) { armIdle(); return; }
    // A booking QR or barcode scanned on the start (or last ticket's) screen: a scanner is a
    // keyboard, so its first character opens the check-in screen and the rest follows there.
    var plain = e.key && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && e.key !== " ";
    if (plain && (!$("#screen-services").hidden || !$("#screen-done").hidden)) {
      e.preventDefault();
      if (!$("#screen-done").hidden) { clearTimers(); setLang("th"); }
      openBooking(e.key);
    }
  });
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });

  function tick() {
    var now = new Date();
    $("#clock").textContent = lang === "en"
      ? GECC.formatTime(now, "weekday", "en-GB") + " · " + GECC.formatTime(now, "time", "en-GB")
      : GECC.formatTime(now, "weekday") + " · " + GECC.formatTime(now, "time") + " น.";
  }
  setInterval(tick, 10000);

  setInterval(function () { if (!$("#screen-services").hidden) loadServices(); }, REFRESH_SECONDS * 1000);

  // Waiting counts and open or closed live, from the lobby's public room (no tokens, no
  // notes): a service the manager stops shows closed at once. The refresh above stays, for
  // the estimates that move with the clock and for when the live connection is down.
  GECC.live({ rooms: ["display"], on: {
    snapshot: function (data) {
      if (data.room !== "display" || !data.services) return;
      services = data.services;
      renderServices();
    },
    queue_changed: function (q) {
      services.forEach(function (s) {
        if (s.id !== q.service_id) return;
        s.waiting = q.waiting;
        s.eta_minutes = q.eta_minutes;
        if (typeof q.open === "boolean") s.open = q.open;
        if (typeof q.active === "boolean") s.active = q.active;
      });
      renderServices();
    }
  }});

  GECC.loadOffice().then(function () {
    $("#office-name").textContent = officeName();
    tick();
  });
  tick();
  setLang("th");
  loadServices();
})();
