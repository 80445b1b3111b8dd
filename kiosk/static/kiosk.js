/* The touch kiosk: choose a service, say whether a priority class applies, take the
 * number. Only the public API: GET /api/v1/services, POST /api/v1/tickets. */
(function () {
  "use strict";
  var h = GECC.h, $ = GECC.$;
  // No ?id= in the URL: the server's own printer (GECC_PRINTER) prints this kiosk's tickets.
  var kioskId = document.body.dataset.kioskId || null;

  var RETURN_AFTER_SECONDS = 15;    // on the confirmation screen
  var IDLE_SECONDS = 45;            // on the priority screen, nobody touching
  var REFRESH_SECONDS = 20;         // waiting counts on the first screen

  var TEXT = {
    th: {
      chooseService: "กรุณาเลือกบริการ", chooseServiceSub: "แตะที่บริการที่ต้องการติดต่อ",
      loading: "กำลังโหลด…", choosePriority: "ท่านเป็นผู้รับบริการประเภทใด",
      serviceChosen: "บริการที่เลือก:", back: "‹ ย้อนกลับ", issuing: "กำลังออกบัตรคิว…",
      yourNumber: "หมายเลขคิวของท่าน", ahead: "คิวก่อนหน้า", eta: "เวลารอโดยประมาณ",
      takeTicket: "กรุณารับบัตรคิว และรอเรียกหมายเลขที่จอแสดงผล",
      noPrint: "ขออภัย เครื่องพิมพ์บัตรคิวขัดข้อง กรุณาจดหมายเลขคิว หรือสแกน QR นี้ด้วยมือถือ",
      followStatus: "ติดตามสถานะคิวทางมือถือได้ที่", done: "เสร็จสิ้น",
      errorTitle: "ขออภัย ออกบัตรคิวไม่ได้", askStaff: "กรุณาติดต่อเจ้าหน้าที่ประชาสัมพันธ์",
      startOver: "กลับหน้าแรก", waiting: "รอ {n} คิว", closed: "ปิดให้บริการ",
      people: "คน", minutes: "นาที", about: "รอประมาณ {n} นาที", noWait: "ไม่มีผู้รอ รับบริการได้เลย",
      noCounterOpen: "ยังไม่มีช่องเปิดให้บริการ", next: "ถัดไป", noCounter: "—", seconds: "({n})",
      loadFailed: "ไม่สามารถโหลดรายการบริการได้ กรุณาติดต่อเจ้าหน้าที่", toggle: "English", toggleLang: "en"
    },
    en: {
      chooseService: "Please choose a service", chooseServiceSub: "Touch the service you need",
      loading: "Loading…", choosePriority: "Which applies to you?",
      serviceChosen: "Service:", back: "‹ Back", issuing: "Issuing your ticket…",
      yourNumber: "Your number", ahead: "People ahead", eta: "Estimated wait",
      takeTicket: "Please take your ticket and wait for your number on the screen",
      noPrint: "Sorry, the ticket printer is not working. Please note your number, or scan this QR code with your phone",
      followStatus: "Follow your place in the queue on your phone:", done: "Done",
      errorTitle: "Sorry, no ticket could be issued", askStaff: "Please ask the reception desk",
      startOver: "Start again", waiting: "{n} waiting", closed: "Closed",
      people: "", minutes: "min", about: "about {n} min", noWait: "No one waiting",
      noCounterOpen: "no counter open yet", next: "Next", noCounter: "—", seconds: "({n})",
      loadFailed: "The services could not be loaded. Please ask the staff.", toggle: "ภาษาไทย", toggleLang: "th"
    }
  };

  var lang = "th";
  var services = [];
  var chosen = null;
  var issuing = false;
  var timers = { back: null, idle: null, countdown: null };

  function t(key, n) {
    var text = (TEXT[lang][key] !== undefined ? TEXT[lang][key] : TEXT.th[key]) || "";
    return n === undefined ? text : text.replace("{n}", n);
  }

  // --- screens ---------------------------------------------------------------------

  function show(name) {
    ["services", "priority", "wait", "done", "error"].forEach(function (s) {
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
    chosen = null;
    issuing = false;
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
    if (chosen) $("#chosen-service").textContent = serviceName(chosen);
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

  function renderServices() {
    if (!services.length) return;
    var box = $("#services");
    box.textContent = "";
    services.forEach(function (s) {
      var queueText;
      if (!s.open) queueText = t("closed") + (hoursText() ? " · " + hoursText() : "");
      else if (s.eta_minutes === null || s.eta_minutes === undefined) queueText = t("waiting", s.waiting) + " · " + t("noCounterOpen");
      else if (s.waiting === 0 || s.eta_minutes <= 0) queueText = t("noWait");
      else queueText = t("waiting", s.waiting) + " · " + t("about", s.eta_minutes);
      box.appendChild(h("button", {
        class: "service", type: "button", role: "listitem", disabled: !s.open,
        "aria-disabled": s.open ? null : "true", onclick: function () { chooseService(s); }
      },
        h("span", { class: "code", "aria-hidden": "true" }, s.code),
        h("span", { class: "name" }, serviceName(s)),
        h("span", { class: "name-alt", lang: lang === "en" ? "th" : "en" }, serviceAltName(s)),
        h("span", { class: "queue" }, queueText)));
    });
  }

  function chooseService(s) {
    if (!s.open) return;
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
    GECC.post("/tickets", {
      service_id: chosen.id, priority: priority, channel: "kiosk", kiosk_id: kioskId || undefined
    }).then(showTicket, function (err) {
      issuing = false;
      $("#error-message").textContent = err.message;
      show("error");
      timers.back = setTimeout(startOver, RETURN_AFTER_SECONDS * 1000);
    });
  }

  function showTicket(ticket) {
    issuing = false;
    $("#ticket-number").textContent = ticket.number;
    $("#ticket-service").textContent = lang === "en" ? ticket.service_name_en : ticket.service_name_th;
    $("#ticket-ahead").textContent = ticket.ahead + (t("people") ? " " + t("people") : "");
    $("#ticket-eta").textContent = etaShort(ticket.eta_minutes);
    $("#ticket-url").textContent = ticket.status_url;
    $("#ticket-qr").src = "/t/" + encodeURIComponent(ticket.token) + "/qr.svg";
    // The server says whether this kiosk's printer can print; if not, the screen is the ticket.
    var printed = !ticket.printer || ticket.printer.usable;
    var take = document.querySelector(".take-ticket");
    take.textContent = printed ? t("takeTicket") : t("noPrint");
    take.classList.toggle("no-print", !printed);
    show("done");
    var left = printed ? RETURN_AFTER_SECONDS : RETURN_AFTER_SECONDS * 4;
    $("#countdown").textContent = t("seconds", left);
    timers.countdown = setInterval(function () {
      left -= 1;
      $("#countdown").textContent = t("seconds", Math.max(left, 0));
    }, 1000);
    timers.back = setTimeout(startOver, left * 1000);
  }

  // --- wiring ----------------------------------------------------------------------

  $("#lang-toggle").addEventListener("click", function () {
    setLang(lang === "th" ? "en" : "th");
    if (!$("#screen-priority").hidden) armIdle();
  });
  $("#back").addEventListener("click", startOver);
  $("#done").addEventListener("click", startOver);
  $("#error-back").addEventListener("click", startOver);
  document.addEventListener("pointerdown", function () { if (!$("#screen-priority").hidden) armIdle(); });
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });

  function tick() {
    $("#clock").textContent = GECC.formatTime(new Date(), "weekday") + " · " + GECC.formatTime(new Date(), "time") + " น.";
  }
  setInterval(tick, 10000);

  setInterval(function () { if (!$("#screen-services").hidden) loadServices(); }, REFRESH_SECONDS * 1000);

  GECC.loadOffice().then(function () {
    $("#office-name").textContent = officeName();
    tick();
  });
  tick();
  setLang("th");
  loadServices();
})();
