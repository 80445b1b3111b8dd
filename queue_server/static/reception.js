/* The reception desk (/reception): a ticket on a citizen's behalf, with a triage note and a
 * priority; today's services live from the room "display". */
(function () {
  "use strict";
  var h = GECC.h, $ = GECC.$;
  var services = [];
  var recent = [];
  var busy = false;

  // Priority choices as radio buttons (one click, readable labels).
  GECC.PRIORITIES.forEach(function (p, i) {
    $("#priorities").appendChild(h("label", null,
      h("input", { type: "radio", name: "priority", value: p.value, checked: i === 0 }),
      p.th + " / " + p.en));
  });

  function renderServices() {
    var sel = $("#service");
    var chosen = sel.value;
    sel.textContent = "";
    sel.appendChild(h("option", { value: "" }, "— เลือกบริการ / Choose a service —"));
    services.forEach(function (s) {
      sel.appendChild(h("option", { value: s.id, disabled: !s.open },
        s.code + " · " + s.name_th + " / " + s.name_en + " (รอ " + s.waiting + ")" + (s.open ? "" : " — ปิด / closed")));
    });
    sel.value = chosen;

    var body = $("#services-body");
    body.textContent = "";
    services.forEach(function (s) {
      body.appendChild(h("tr", { class: s.open ? "" : "closed" },
        h("td", null, h("strong", null, s.code), " · " + s.name_th, h("br"), h("small", null, s.name_en),
          s.open ? null : h("span", { class: "badge closed" }, " ปิด / closed")),
        h("td", { class: "num" }, h("strong", null, s.waiting)),
        h("td", { class: "num" }, s.counters_open === undefined ? "" : s.counters_open),
        h("td", { class: "num" }, s.waiting ? GECC.formatEta(s.eta_minutes) : "—")));
    });
    if (!services.length) body.appendChild(h("tr", null, h("td", { colspan: 4, class: "muted" }, "—")));
  }

  function showIssued(t) {
    $("#issued-empty").hidden = true;
    $("#issued").hidden = false;
    GECC.setText("#issued-number", t.number);
    GECC.setText("#issued-service", t.service_name_th + " / " + t.service_name_en);
    GECC.setText("#issued-priority", GECC.priorityText(t.priority) + " / " + GECC.priorityText(t.priority, "en"));
    GECC.setText("#issued-ahead", t.ahead + " คน / people");
    GECC.setText("#issued-eta", GECC.formatEta(t.eta_minutes) + " / " + GECC.formatEta(t.eta_minutes, "en"));
    GECC.setText("#issued-at", GECC.formatTime(t.issued_at, "datetime") + " น.");
    GECC.setText("#issued-print", !t.print_job ? "ไม่พิมพ์ / not printed"
      : (t.printer && t.printer.usable ? "ส่งพิมพ์แล้ว / sent to the printer"
         : "เครื่องพิมพ์ไม่พร้อม: " + GECC.printerText(t.printer) + " บัตรจะพิมพ์เมื่อเครื่องพร้อม" +
           " / Printer not ready: " + GECC.printerText(t.printer, "en") + "; the ticket prints when it is."));
    var again = h("button", { class: "btn secondary", type: "button" }, "พิมพ์ซ้ำ / Reprint");
    again.addEventListener("click", function () {
      GECC.post("/tickets/" + t.id + "/reprint", printerBody()).then(function () {
        GECC.setText("#issued-print", "ส่งพิมพ์ซ้ำแล้ว / reprint sent");
      }, function (err) { if (!GECC.loginIfNeeded(err)) GECC.showError(err); });
    });
    $("#issued-print").appendChild(document.createTextNode(" "));
    $("#issued-print").appendChild(again);
    var a = $("#issued-url");
    a.href = t.status_url;
    a.textContent = t.status_url;
    recent.unshift(t);
    recent = recent.slice(0, 10);
    var list = $("#recent");
    list.textContent = "";
    recent.forEach(function (r) {
      list.appendChild(h("li", null, h("strong", { class: "ticket-number" }, r.number), " · " + r.service_name_th +
        (r.priority !== "normal" ? " · " + GECC.priorityText(r.priority) : "") +
        " · " + GECC.formatTime(r.issued_at, "time") + " น."));
    });
  }

  $("#issue-form").addEventListener("submit", function (e) {
    e.preventDefault();
    if (busy) return;
    GECC.clearError();
    var serviceId = parseInt($("#service").value, 10);
    if (!serviceId) {
      GECC.showError({ message: "กรุณาเลือกบริการ / Please choose a service." });
      $("#service").focus();
      return;
    }
    var checked = document.querySelector('input[name="priority"]:checked');
    var note = $("#note").value.trim();
    var body = Object.assign({ service_id: serviceId, priority: checked ? checked.value : "normal",
                               channel: "reception", print: $("#print").checked }, printerBody());
    if (note) body.note = note;
    busy = true;
    $("#issue-button").disabled = true;
    GECC.post("/tickets", body).then(function (ticket) {
      showIssued(ticket);
      $("#note").value = "";
      document.querySelector('input[name="priority"][value="normal"]').checked = true;
    }, function (err) {
      if (!GECC.loginIfNeeded(err)) GECC.showError(err);
    }).then(function () {
      busy = false;
      $("#issue-button").disabled = false;
    });
  });

  // The desk's printer: /reception?printer=ID (a kiosk id with its own print agent);
  // without it, the server's own printer (GECC_PRINTER).
  var PRINTER = new URLSearchParams(location.search).get("printer");
  function printerBody() { return PRINTER ? { kiosk_id: PRINTER } : { kiosk_id: null }; }
  GECC.setText("#printer-name", "(" + (PRINTER || "เครื่องพิมพ์ของเซิร์ฟเวอร์ / server printer") + ")");

  GECC.loadOffice();
  GECC.get("/services").then(function (list) { services = list; renderServices(); }, GECC.showError);

  // Waiting counts stay current through the lobby's live events (public, read-only).
  GECC.live({
    rooms: ["display"],
    on: {
      snapshot: function (data) {
        if (data.room !== "display") return;
        services = data.services || services;
        renderServices();
      },
      queue_changed: function (q) {
        services.forEach(function (s) {
          if (s.id === q.service_id) { s.waiting = q.waiting; s.eta_minutes = q.eta_minutes; }
        });
        renderServices();
      }
    }
  });
})();
