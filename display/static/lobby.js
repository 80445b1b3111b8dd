/* The lobby TV: room "display". The snapshot gives the whole state on every (re)connect;
 * `ticket_called` and `queue_changed` keep it current. */
(function () {
  "use strict";
  var h = GECC.h, $ = GECC.$;
  var RECENT = 8;
  var FLASH_MS = 12000;

  var state = { office: null, services: [], counters: [], recent: [], now: null };
  var flashTimer = null;

  var params = new URLSearchParams(location.search);
  // The manager's notice (office settings) wins; then ?notice= in the URL; then this default.
  var NOTICE = params.get("notice") ||
    "โปรดรอเรียกหมายเลขของท่าน หากไม่อยู่เมื่อถูกเรียก คิวอาจถูกเลื่อน · ติดตามสถานะคิวทางมือถือได้ด้วย QR บนบัตรคิว · " +
    "ผู้สูงอายุ ผู้พิการ หญิงตั้งครรภ์ และพระภิกษุสงฆ์ ได้รับบริการก่อน · " +
    "Please wait for your number. Scan the QR code on your ticket to follow the queue on your phone.";

  // --- rendering -------------------------------------------------------------------

  function renderNow() {
    var call = state.now;
    GECC.setText("#now-number", call ? call.number : "—");
    GECC.setText("#now-counter", call ? (call.counter_number !== undefined ? call.counter_number : call.counter_name) : "—");
    $("#now-recall").hidden = !(call && call.recall);
  }

  function flash() {
    var box = $("#now");
    box.classList.remove("flash");
    void box.offsetWidth;           // restart the animation
    box.classList.add("flash");
    document.body.classList.add("calling");
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () {
      box.classList.remove("flash");
      document.body.classList.remove("calling");
    }, FLASH_MS);
  }

  function renderRecent() {
    var body = $("#recent-body");
    body.textContent = "";
    state.recent.forEach(function (call, i) {
      body.appendChild(h("tr", { class: i === 0 ? "latest" : "" },
        h("td", { class: "ticket-number" }, call.number),
        h("td", null, call.counter_name),
        h("td", { class: "num" }, GECC.formatTime(call.called_at, "time"))));
    });
    if (!state.recent.length) {
      body.appendChild(h("tr", null, h("td", { colspan: 3, class: "empty" }, "ยังไม่มีการเรียกคิววันนี้")));
    }
  }

  function renderCounters() {
    var box = $("#counters");
    box.textContent = "";
    // A big office (a land office has 16 service points): the tiles take the whole width in
    // smaller type, so the number being called keeps its room.
    document.body.classList.toggle("many-counters", state.counters.length > 8);
    state.counters.forEach(function (c) {
      box.appendChild(h("div", { class: "counter-tile" + (c.is_open ? "" : " closed"), dataset: { counterId: c.id } },
        h("div", { class: "counter-name" }, c.name),
        h("div", { class: "counter-current ticket-number" }, c.is_open ? (c.number_shown || "—") : "ปิด")));
    });
  }

  function renderServices() {
    var box = $("#services");
    box.textContent = "";
    document.body.classList.toggle("many-services", state.services.length > 5);
    state.services.forEach(function (s) {
      box.appendChild(h("div", { class: "service-tile" + (s.open ? "" : " closed"), dataset: { serviceId: s.id } },
        h("div", { class: "service-code" }, s.code),
        h("div", { class: "service-name" }, s.name_th, h("small", { lang: "en" }, s.name_en)),
        h("div", { class: "service-waiting" },
          h("span", { class: "count" }, s.open ? s.waiting : "–"),
          h("span", { class: "unit" }, s.open ? "คิว" : "ปิด"),
          s.open && s.waiting > 0 && s.eta_minutes !== null && s.eta_minutes !== undefined
            ? h("span", { class: "eta" }, "~" + s.eta_minutes + " นาที") : null)));
    });
  }

  function renderAll() {
    if (state.office) {
      GECC.setText("#office-name", state.office.name);
      GECC.setTimezone(state.office.timezone);
    }
    renderNow();
    renderRecent();
    renderCounters();
    renderServices();
    tick();
  }

  function tick() {
    var now = new Date();
    GECC.setText("#clock", GECC.formatTime(now, "time") + " น.");
    GECC.setText("#date", GECC.formatTime(now, "weekday"));
  }

  // --- events ----------------------------------------------------------------------

  function onSnapshot(data) {
    if (data.room !== "display") return;
    state.office = data.office || state.office;
    if (data.office) showNotice(data.office.notice);
    state.services = data.services || [];
    // Newest first; a recall repeats a ticket: keep its latest call only.
    var seen = {};
    state.recent = (data.recent_calls || []).filter(function (c) {
      var key = c.ticket_id || c.number;
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    }).slice(0, RECENT);
    state.now = (data.recent_calls || [])[0] || null;
    state.counters = (data.counters || []).map(function (c) {
      c.number_shown = c.current ? c.current.number : null;   // finished: the tile is clear
      return c;
    });
    renderAll();
  }

  function onCalled(call) {
    state.now = call;
    state.recent = [call].concat(state.recent.filter(function (c) {
      return (c.ticket_id || c.number) !== (call.ticket_id || call.number);
    })).slice(0, RECENT);
    state.counters.forEach(function (c) {
      if (c.id === call.counter_id) { c.number_shown = call.number; c.is_open = true; }
    });
    renderNow();
    renderRecent();
    renderCounters();
    flash();
    GECC.announcer.announce(call);
  }

  /** A counter opened, closed, or changed its ticket. The tile shows the number at the
   *  counter now: once it is finished (or held, or moved on) the tile is clear, so no one
   *  walks up for a number already served; a closed counter shows "ปิด". */
  function onCounterUpdated(view) {
    state.counters.forEach(function (c) {
      if (c.id !== view.id) return;
      c.is_open = view.is_open;
      c.name = view.name;
      c.number_shown = view.current ? view.current.number : null;
    });
    renderCounters();
  }

  function onQueueChanged(q) {
    state.services.forEach(function (s) {
      if (s.id !== q.service_id) return;
      s.waiting = q.waiting;
      s.eta_minutes = q.eta_minutes;
      if (typeof q.open === "boolean") s.open = q.open;   // a manager closed or opened it
    });
    renderServices();
  }

  // --- sound -----------------------------------------------------------------------

  function hideOverlay() { $("#sound-overlay").hidden = true; }
  // No overlay any more: the note in the top bar, and any key or touch, enables the sound.
  $("#sound-button").addEventListener("click", function () {
    GECC.announcer.enable().then(hideOverlay, hideOverlay);
  });
  document.addEventListener("keydown", function () {
    if (!$("#sound-overlay").hidden) GECC.announcer.enable().then(hideOverlay, hideOverlay);
  });
  if (GECC.announcer.autoplayAllowed()) hideOverlay();

  // --- start -----------------------------------------------------------------------

  function showNotice(text) {
    var wanted = text || NOTICE;
    if ($("#notice-text").textContent !== wanted) $("#notice-text").textContent = wanted;
  }

  showNotice(null);
  renderAll();
  setInterval(tick, 5000);
  GECC.live({
    rooms: ["display"],
    on: { snapshot: onSnapshot, ticket_called: onCalled, queue_changed: onQueueChanged,
          counter_updated: onCounterUpdated,
          notice_changed: function (data) { showNotice(data && data.text); } }
  });
  window.lobbyState = state;   // for tests and for a look in the console
})();
