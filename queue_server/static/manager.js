/* The manager's page (/manager): today's figures, printers, the lobby's notice strip and
 * a switch per service; refreshed on the lobby room's events. */
(function () {
  var h = GECC.h;
  var fmt = function (v) { return v === null || v === undefined ? "—" : String(v); };

  function render(summary) {
    GECC.setText("#day-line", summary.office + " · " + GECC.formatTime(summary.day + "T05:00:00Z", "date"));
    var tiles = document.getElementById("tiles");
    tiles.replaceChildren(
      tile(summary.issued, "บัตรคิววันนี้ / tickets today"),
      tile(summary.channels.kiosk || 0, "ตู้กดบัตร / kiosk"),
      tile(summary.channels.reception || 0, "ประชาสัมพันธ์ / reception"),
      tile(summary.channels.online || 0, "ออนไลน์ / online"),
      tile(Object.values(summary.out_of_order_calls).reduce(function (a, b) { return a + b; }, 0),
           "เรียกข้ามคิว (มีเหตุผล) / out-of-order calls"));
    var body = document.getElementById("services");
    body.replaceChildren.apply(body, summary.services.map(function (s) {
      var late = s.wait_minutes.max !== null && s.wait_minutes.max > s.target_wait_minutes;
      return h("tr", null,
        h("td", null, h("strong", null, s.code), " " + s.name_th, h("br"), h("small", null, s.name_en)),
        h("td", null, fmt(s.issued)), h("td", null, fmt(s.waiting)), h("td", null, fmt(s.finished)),
        h("td", null, fmt(s.no_show)), h("td", null, fmt(s.wait_minutes.mean)),
        h("td", late ? { class: "late" } : null, fmt(s.wait_minutes.max)),
        h("td", null, s.within_target_percent === null ? "—" : s.within_target_percent + " %"),
        h("td", null, fmt(s.service_minutes.mean) + " / " + fmt(s.standard_minutes)),
        h("td", null, serviceSwitch(s)));
    }));
    var counters = document.getElementById("counters");
    counters.replaceChildren.apply(counters, summary.counters.map(function (c) {
      return h("tr", null, h("td", null, c.name),
        h("td", null, c.is_open ? "เปิด / open" : "ปิด / closed"),
        h("td", null, fmt(c.finished)), h("td", null, fmt(c.service_minutes.mean)));
    }));
  }

  /** Close a service for new tickets (its system is down) or open it again. */
  function serviceSwitch(s) {
    var button = h("button", { class: "btn service-switch " + (s.active ? "secondary" : ""), type: "button",
      dataset: { serviceId: String(s.service_id) },
      "aria-label": s.active ? "ปิดรับบัตรคิวบริการ " + s.code + " / Stop new tickets for " + s.code
                             : "เปิดรับบัตรคิวบริการ " + s.code + " / Take new tickets for " + s.code,
      onclick: function () {
        var opening = !s.active;
        if (!opening && !window.confirm("ปิดรับบัตรคิวบริการ " + s.code + "? ผู้ที่รออยู่ยังได้รับบริการ\n"
            + "Stop new tickets for " + s.code + "? Those waiting are still served.")) return;
        button.disabled = true;
        GECC.post("/services/" + s.service_id + "/settings", { open: opening }).then(function () {
          s.active = opening;
          refresh();
        }, function (err) { if (!GECC.loginIfNeeded(err)) GECC.showError(err); refresh(); });
      } }, s.active ? "ปิดรับ / Stop" : "เปิดรับ / Resume");
    return h("span", null,
      h("span", s.active ? { class: "service-state" } : { class: "service-state late" },
        s.active ? "รับอยู่ / taking" : "ปิดรับ / stopped"), " ", button);
  }
  function tile(value, label) {
    return h("div", { class: "tile" }, h("strong", null, String(value)), h("span", null, label));
  }

  function renderPrinters(list) {
    var body = document.getElementById("printers");
    var rows = list.map(function (p) {
      return h("tr", null, h("td", null, p.kiosk_id || "เครื่องแม่ข่าย / server"),
        h("td", p.usable ? null : { class: "late" }, p.usable ? "พร้อม / ready" : (p.detail || "ไม่พร้อม / not ready")),
        h("td", null, p.paper));
    });
    if (!rows.length) rows = [h("tr", null, h("td", { colspan: 3, class: "muted" }, "ยังไม่มีรายงาน / no reports yet"))];
    body.replaceChildren.apply(body, rows);
  }

  var pending = null;
  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      Promise.all([GECC.get("/summary"), GECC.get("/printers")]).then(function (answers) {
        GECC.clearError();
        render(answers[0]);
        renderPrinters(answers[1]);
      }).catch(function (err) { if (!GECC.loginIfNeeded(err)) GECC.showError(err); });
    }, 500);  // many events in a burst: one refresh
  }

  GECC.loadOffice().then(function (office) {
    if (office) document.getElementById("notice").value = office.notice || "";
    refresh();
  }, refresh);
  document.getElementById("notice-form").addEventListener("submit", function (e) {
    e.preventDefault();
    GECC.post("/office/notice", { text: document.getElementById("notice").value }).then(function () {
      GECC.setText("#notice-saved", "บันทึกแล้ว / Saved");
    }, function (err) { if (!GECC.loginIfNeeded(err)) GECC.showError(err); });
  });
  GECC.live({ rooms: ["display"], on: {
    snapshot: refresh, queue_changed: refresh, ticket_called: refresh, counter_updated: refresh
  }});
  setInterval(refresh, 60000);
})();
