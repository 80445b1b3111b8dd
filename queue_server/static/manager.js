/* The manager's page (/manager): today's figures, printers, the lobby's notice strip and
 * a switch per service, refreshed on the lobby room's events; the alerts of a low rating,
 * live from the managers' room, with the action taken recorded here; the satisfaction
 * figures of a period, refreshed when a visit is finished or rated (the counters' rooms). */
(function () {
  var h = GECC.h;
  var fmt = function (v) { return v === null || v === undefined ? "—" : String(v); };

  var liveCounters = {};   // id -> GET /counters row: its current ticket and services
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
        h("td", null, fmt(s.issued)),
        h("td", { class: "moved" }, "+" + fmt(s.transferred_in) + " / −" + fmt(s.transferred_out)),
        h("td", null, fmt(s.waiting)),
        h("td", null, fmt(s.at_counter), s.held ? h("small", null, " (พัก / held " + s.held + ")") : null),
        h("td", null, fmt(s.finished), s.finished_unstarted
          ? h("small", null, " (ไม่ได้เริ่ม / not started " + s.finished_unstarted + ")") : null),
        h("td", null, fmt(s.no_show), s.no_show_requeued
          ? h("small", null, " (+" + s.no_show_requeued + " กลับเข้าคิว / requeued)") : null),
        h("td", null, fmt(s.cancelled)),
        h("td", null, fmt(s.wait_minutes.mean)),
        h("td", late ? { class: "late" } : null, fmt(s.wait_minutes.max)),
        h("td", null, s.within_target_percent === null ? "—" : s.within_target_percent + " %"),
        h("td", null, fmt(s.service_minutes.mean) + " / " + fmt(s.standard_minutes)),
        h("td", null, serviceSwitch(s)));
    }));
    var counters = document.getElementById("counters");
    var waitingOf = {};
    summary.services.forEach(function (s) { waitingOf[s.service_id] = s.waiting; });
    counters.replaceChildren.apply(counters, summary.counters.map(function (c) {
      var live = liveCounters[c.counter_id] || {};
      var current = live.current ? live.current.number + " (" + GECC.statusText(live.current.status) + ")" : "—";
      var waiting = (live.service_ids || []).reduce(function (n, id) { return n + (waitingOf[id] || 0); }, 0);
      return h("tr", { dataset: { counterId: String(c.counter_id) } }, h("td", null, c.name),
        h("td", c.is_open ? null : { class: waiting ? "late" : null }, c.is_open ? "เปิด / open" : "ปิด / closed"),
        h("td", { class: "serving" }, current), h("td", { class: "waiting" }, String(waiting)),
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

  // The printers by kiosk ("" is the server's own): from GET /printers, the managers' room's
  // snapshot and its printer_status events; a report older than the one shown is dropped.
  var printers = {};
  function takePrinters(list, replace) {
    if (replace) {
      var fresh = {};
      list.forEach(function (p) {
        var key = p.kiosk_id || "", known = printers[key];
        fresh[key] = known && newer(known, p) ? known : p;
      });
      printers = fresh;
    } else {
      list.forEach(function (p) {
        var key = p.kiosk_id || "";
        if (!printers[key] || !newer(printers[key], p)) printers[key] = p;
      });
    }
    renderPrinters();
  }
  function newer(a, b) { return (a.updated_at || "") > (b.updated_at || ""); }

  function renderPrinters() {
    var body = document.getElementById("printers");
    var rows = Object.keys(printers).sort().map(function (key) {
      var p = printers[key];
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
      Promise.all([GECC.get("/summary"), GECC.get("/printers"), GECC.get("/counters")]).then(function (answers) {
        GECC.clearError();
        liveCounters = {};
        answers[2].forEach(function (c) { liveCounters[c.id] = c; });
        render(answers[0]);
        takePrinters(answers[1], true);
      }).catch(function (err) { if (!GECC.loginIfNeeded(err)) GECC.showError(err); });
    }, 500);  // many events in a burst: one refresh
  }

  // --- names -------------------------------------------------------------------------

  var me = document.getElementById("manager-data").dataset;
  var names = { services: {}, counters: {}, clerks: {} };

  function serviceText(id) {
    if (id === null || id === undefined) return "—";
    var s = names.services[id];
    return s ? s.code + " " + s.name_th : "#" + id;
  }
  function counterText(id) {
    if (id === null || id === undefined) return "—";
    return names.counters[id] || "ช่อง #" + id;
  }
  function personText(id) {
    if (id === null || id === undefined) return "—";
    if (String(id) === me.userId) return me.userName;
    return names.clerks[id] || "ผู้ใช้ #" + id + " / user #" + id;
  }
  /** A time today in the office's zone as "10:32 น.", another day's with its date. */
  function whenText(iso) {
    if (!iso) return "—";
    if (GECC.formatTime(iso, "date") === GECC.formatTime(new Date(), "date")) {
      return GECC.formatTime(iso, "time") + " น.";
    }
    return GECC.formatTime(iso, "datetime");
  }

  var SCORE_WORDS = {
    1: ["ไม่พอใจมาก", "Very dissatisfied"], 2: ["ไม่พอใจ", "Dissatisfied"], 3: ["เฉย ๆ", "Neutral"],
    4: ["พอใจ", "Satisfied"], 5: ["พอใจมาก", "Very satisfied"]
  };
  function scoreBadge(score) {
    var words = SCORE_WORDS[score] || ["", ""];
    return h("div", { class: "score s" + score },
      h("span", { class: "face", "aria-hidden": "true" }, String(score)),
      h("span", { class: "visually-hidden" }, "คะแนน " + score + " จาก 5 / score " + score + " of 5: "),
      h("span", { class: "word" }, words[0], h("br"), h("small", null, words[1])));
  }
  var KINDS = {
    low_rating: ["คะแนนความพึงพอใจต่ำ", "Low rating"], long_wait: ["รอนานเกินเป้าหมาย", "Wait past target"],
    printer_trouble: ["เครื่องพิมพ์มีปัญหา", "Printer trouble"],
    counter_closed: ["ปิดช่องขณะคิวเพิ่ม", "Counter closed, queue growing"],
    complaint_overdue: ["เรื่องร้องเรียนเกินกำหนด", "Overdue complaint"]
  };
  function kindText(kind) {
    var k = KINDS[kind];
    return k ? k[0] + " / " + k[1] : kind;
  }
  function kindBadge(alert) {
    var k = KINDS[alert.kind] || [alert.kind, ""];
    return h("div", { class: "score kind kind-" + alert.kind },
      h("span", { class: "face", "aria-hidden": "true" }, "!"),
      h("span", { class: "word" }, k[0], h("br"), h("small", null, k[1])));
  }
  /** One line on what an alert is about, whatever its kind (new kinds show their data). */
  function detailsText(a) {
    var d = a.data || {};
    if (a.kind === "low_rating") return a.comment || "—";
    if (a.kind === "long_wait") {
      return "คิว " + d.number + " รอ " + d.waited_minutes + " นาที (เป้า " + d.target_minutes + ") รออยู่ "
        + d.waiting + " คน / waited " + d.waited_minutes + " min, target " + d.target_minutes;
    }
    if (a.kind === "printer_trouble") {
      return "เครื่องพิมพ์ " + (d.kiosk_id || "เครื่องแม่ข่าย / server") + ": " + (d.online ? "" : "ออฟไลน์ / offline, ")
        + "กระดาษ / paper " + d.paper + (d.detail ? " · " + d.detail : "");
    }
    if (a.kind === "counter_closed") {
      return (d.counter_name || counterText(a.counter_id)) + " ปิด ขณะคิว " + d.code + " เพิ่มจาก " + d.waiting_at_close
        + " เป็น " + d.waiting + " / closed while its queue grew from " + d.waiting_at_close + " to " + d.waiting;
    }
    if (a.kind === "complaint_overdue") {   // service_layer/complaints.py; the register has the rest
      return "เรื่อง " + d.code + " ครบกำหนด " + d.due_on + " ผู้รับผิดชอบ " + (d.agency || a.clerk_name || "—")
        + " / complaint " + d.code + " was due " + d.due_on + " (register: /complaints?q=" + d.code + ")";
    }
    return Object.keys(d).map(function (k) { return k + ": " + d[k]; }).join("; ");
  }
  function alertTitle(a) {
    return a.kind === "low_rating" ? "คิว " + a.data.number + " คะแนน " + a.data.score + " / ticket "
      + a.data.number + ", score " + a.data.score : kindText(a.kind) + ": " + detailsText(a);
  }
  function scoreText(score) {
    var words = SCORE_WORDS[score];
    return score + " / 5" + (words ? " " + words[0] : "");
  }

  // --- the alerts ----------------------------------------------------------------------

  var openAlerts = {};   // id -> the alert's view
  var nodes = {};        // id -> its <li>
  var fresh = {};        // ids raised while the page was open: highlighted until looked at
  var handled = {};      // ids handled: a late answer of GET /alerts must not bring them back
  var baseTitle = document.title;
  var list = document.getElementById("alerts");
  var panel = document.getElementById("alerts-panel");   // data-live: in the managers' room

  function takeAlert(alert) {
    if (alert.handled_at || handled[alert.id]) { dropAlert(alert); return; }
    openAlerts[alert.id] = alert;
  }
  function dropAlert(alert) {
    handled[alert.id] = true;
    delete openAlerts[alert.id];
    delete fresh[alert.id];
  }

  /** The open alerts, newest first. A node already shown stays where it is (a manager typing
   *  in it keeps the focus); new ones are put in their place above. */
  function renderAlerts() {
    var ordered = Object.keys(openAlerts).map(function (id) { return openAlerts[id]; })
      .sort(function (a, b) { return a.raised_at < b.raised_at ? 1 : a.raised_at > b.raised_at ? -1 : b.id - a.id; });
    Object.keys(nodes).forEach(function (id) {
      if (!openAlerts[id]) {
        var gone = nodes[id];
        var hadFocus = gone.contains(document.activeElement);
        gone.remove();
        delete nodes[id];
        if (hadFocus) focusAfterHandling();
      }
    });
    ordered.forEach(function (alert, i) {
      var node = nodes[alert.id] || (nodes[alert.id] = alertNode(alert));
      fillFacts(node, alert);
      node.classList.toggle("is-new", !!fresh[alert.id]);
      node.querySelector(".new-tag").hidden = !fresh[alert.id];
      if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
    });
    var count = ordered.length;
    var badge = document.getElementById("alerts-count");
    badge.textContent = String(count);
    badge.classList.toggle("zero", count === 0);
    document.getElementById("alerts-empty").hidden = count > 0;
    document.title = (count ? "(" + count + ") " : "") + baseTitle;
  }

  function focusAfterHandling() {
    var next = list.querySelector(".handle-form input");
    if (next) { next.focus(); return; }
    var heading = document.getElementById("alerts-h");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  function alertNode(alert) {
    var id = alert.id;
    var inputId = "action-" + id, errorId = "action-error-" + id;
    var input = h("input", { type: "text", id: inputId, maxlength: 1000, autocomplete: "off",
      "aria-describedby": errorId });
    var button = h("button", { class: "btn", type: "submit" }, "บันทึกการดำเนินการ / Record the action taken");
    var error = h("p", { class: "error", id: errorId, role: "alert", hidden: true });
    var form = h("form", { class: "handle-form", onsubmit: function (e) {
      e.preventDefault();
      var action = input.value.trim();
      if (!action) {
        GECC.showError(new Error("พิมพ์สิ่งที่ได้ดำเนินการก่อน / Type the action taken first"), error);
        input.focus();
        return;
      }
      button.disabled = true;
      GECC.clearError(error);
      GECC.post("/alerts/" + id + "/handle", { action: action }).then(function (view) {
        dropAlert(view);
        announce("บันทึกการดำเนินการแล้ว / Action recorded: " + alertTitle(view));
        renderAlerts();
        loadPast();
      }, function (err) {
        button.disabled = false;
        if (GECC.loginIfNeeded(err)) return;
        if (err.status === 409 || err.status === 404) {   // another manager was first
          dropAlert(alert);
          announce("มีผู้บันทึกการดำเนินการแล้ว / Another manager recorded the action");
          renderAlerts();
          loadPast();
          return;
        }
        GECC.showError(err, error);
      });
    } },
      h("label", { for: inputId }, "การดำเนินการ (เช่น โทรขอโทษ ชี้แจงขั้นตอน) / Action taken"),
      h("div", { class: "handle-row" }, input, button), error);
    var node = h("li", { class: "alert-item", dataset: { alertId: String(id) },
      onfocusin: function () {
        if (!fresh[id]) return;
        delete fresh[id];
        renderAlerts();
      } },
      h("div", { class: "score-col" }, alert.kind === "low_rating" ? scoreBadge(alert.data.score) : kindBadge(alert),
        h("span", { class: "new-tag" }, "ใหม่ / New")),
      h("div", { class: "alert-body" },
        h("dl", { class: "facts" }),
        alert.kind !== "low_rating" ? h("p", { class: "alert-details" }, detailsText(alert))
          : alert.comment ? h("blockquote", { class: "comment" }, alert.comment)
          : h("p", { class: "muted comment-none" }, "ไม่มีความเห็น / No comment"),
        form));
    return node;
  }

  function fillFacts(node, alert) {
    var fact = function (th, en, value, cls) {
      return h("div", cls ? { class: cls } : null, h("dt", null, th + " / " + en), h("dd", null, value));
    };
    var facts = node.querySelector(".facts");
    if (alert.kind !== "low_rating") {
      var d = alert.data || {};
      facts.replaceChildren.apply(facts, [
        fact("เมื่อ", "When", whenText(alert.raised_at), "when"),
        fact("เรื่อง", "Kind", kindText(alert.kind), "kind")]
        .concat(d.number ? [fact("คิว", "Ticket", d.number, "number")] : [])
        .concat(alert.service_id ? [fact("บริการ", "Service", serviceText(alert.service_id), "service")] : [])
        .concat(alert.counter_id ? [fact("ช่อง", "Counter", counterText(alert.counter_id), "counter")] : []));
      return;
    }
    facts.replaceChildren(
      fact("เมื่อ", "When", whenText(alert.raised_at), "when"),
      fact("คิว", "Ticket", alert.data.number || "—", "number"),
      fact("บริการ", "Service", serviceText(alert.service_id), "service"),
      fact("ช่อง", "Counter", counterText(alert.counter_id), "counter"),
      fact("เจ้าหน้าที่", "Clerk", alert.clerk_name || personText(alert.data.clerk_id), "clerk"),
      fact("ผ่าน", "Via", alert.data.source === "tablet" ? "แท็บเล็ตที่ช่อง / counter tablet"
                                                       : "มือถือ (QR) / phone", "source"));
  }

  function announce(text) { GECC.setText("#alerts-news", text); }

  function loadOpenAlerts() {
    return GECC.get("/alerts").then(function (answer) {
      var ids = {};
      answer.alerts.forEach(function (a) { ids[a.id] = true; takeAlert(a); });
      Object.keys(openAlerts).forEach(function (id) {   // handled while the page was away
        if (!ids[id] && !fresh[id]) dropAlert(openAlerts[id]);
      });
      renderAlerts();
    }, function (err) { if (!GECC.loginIfNeeded(err)) GECC.showError(err); });
  }

  function alertRaised(alert) {
    if (!openAlerts[alert.id] && !handled[alert.id]) {
      fresh[alert.id] = true;
      announce("การแจ้งเตือนใหม่ / New alert: " + alertTitle(alert));
    }
    takeAlert(alert);
    renderAlerts();
    refreshFigures();
    loadPast();
  }
  function alertHandled(alert) {
    dropAlert(alert);
    renderAlerts();
    loadPast();
  }

  // --- past alerts ---------------------------------------------------------------------

  var past = document.getElementById("past");
  function loadPast() {
    if (!past.open) return;
    var first = document.getElementById("past-from").value, last = document.getElementById("past-to").value;
    if (!first || !last) return;
    var body = document.getElementById("past-alerts");
    var period = "from=" + encodeURIComponent(first) + "&to=" + encodeURIComponent(last);
    Promise.all([GECC.get("/alerts?" + period),
                 GECC.get("/evidence?" + period).then(takeNames, function () { return null; })])
      .then(function (answers) {
        var rows = answers[0].alerts.map(function (a) {
          return h("tr", { dataset: { alertId: String(a.id), kind: a.kind } },
            h("td", null, whenText(a.raised_at)),
            h("td", null, a.kind === "low_rating" ? scoreText(a.data.score) : kindText(a.kind)),
            h("td", null, a.data.number || "—"), h("td", null, serviceText(a.service_id)),
            h("td", null, counterText(a.counter_id)), h("td", null, a.clerk_name || personText(a.data.clerk_id)),
            h("td", { class: "text" }, detailsText(a)),
            h("td", { class: "text action" }, a.action || "ยังไม่ได้ดำเนินการ / not yet handled"),
            h("td", null, a.handled_by === null ? "—" : (a.handled_by_name || personText(a.handled_by))),
            h("td", null, whenText(a.handled_at)));
        });
        if (!rows.length) rows = [h("tr", null, h("td", { colspan: 10, class: "muted" }, "ไม่มีการแจ้งเตือนในช่วงนี้ / No alerts in this period"))];
        body.replaceChildren.apply(body, rows);
      }, function (err) { if (!GECC.loginIfNeeded(err)) GECC.showError(err); });
  }

  // --- satisfaction figures ------------------------------------------------------------

  var percent = function (share) {
    return share === null || share === undefined ? "—" : (Math.round(share * 1000) / 10) + " %";
  };
  var meanText = function (mean) {
    return mean === null || mean === undefined ? "—" : mean.toFixed(2) + " / 5";
  };

  function takeNames(evidence) {
    var section = evidence && evidence.satisfaction;
    if (section) section.by_clerk.forEach(function (c) { if (c.name) names.clerks[c.clerk] = c.name; });
    return evidence;
  }

  function renderFigures(evidence) {
    var sat = evidence.satisfaction;
    var period = evidence.period;
    var day = function (d) { return GECC.formatTime(d + "T05:00:00Z", "date"); };
    GECC.setText("#sat-period", period.from === period.to ? "วันที่ / Day: " + day(period.from)
      : "ช่วง / Period: " + day(period.from) + " – " + day(period.to));
    var tiles = document.getElementById("sat-tiles");
    tiles.replaceChildren(
      figureTile("ratings", String(sat.ratings), "คำตอบ / ratings"),
      figureTile("served", String(sat.served), "ได้รับบริการ / served"),
      figureTile("response_ratio", percent(sat.response_ratio), "อัตราการตอบ / response ratio"),
      figureTile("mean_score", meanText(sat.mean_score), "คะแนนเฉลี่ย / mean score"),
      figureTile("satisfied_share", percent(sat.satisfied_share), "พอใจ (4–5) / satisfied share"),
      figureTile("score_percent", sat.score_percent === null ? "—" : sat.score_percent.toFixed(1) + " %",
                 "คะแนนร้อยละ / score percent"));
    fillTable("sat-services", sat.by_service, function (row) {
      var service = names.services[row.service];
      return service ? [h("strong", null, service.code), " ", h("small", null, service.name_th)]
                     : row.name || serviceText(row.service);
    });
    fillTable("sat-counters", sat.by_counter, function (row) { return row.name || counterText(row.counter); });
    fillTable("sat-clerks", sat.by_clerk, function (row) { return row.name || personText(row.clerk); });
  }
  function figureTile(key, value, label) {
    return h("div", { class: "tile", dataset: { figure: key } }, h("strong", null, value), h("span", null, label));
  }
  function fillTable(id, rows, label) {
    var body = document.getElementById(id);
    var shown = rows.map(function (row) {
      return h("tr", null, h("td", null, label(row)), h("td", null, String(row.ratings)),
        h("td", null, percent(row.response_ratio)),
        h("td", null, row.mean_score === null ? "—" : row.mean_score.toFixed(2)),
        h("td", null, percent(row.satisfied_share)));
    });
    if (!shown.length) shown = [h("tr", null, h("td", { colspan: 5, class: "muted" }, "ยังไม่มีข้อมูล / no data yet"))];
    body.replaceChildren.apply(body, shown);
  }

  var figuresPending = null;
  /** The figures of the chosen period (today at first); one request for a burst of events. */
  function refreshFigures() {
    if (figuresPending) return;
    figuresPending = setTimeout(function () {
      figuresPending = null;
      var first = document.getElementById("sat-from").value, last = document.getElementById("sat-to").value;
      var query = first && last ? "?from=" + encodeURIComponent(first) + "&to=" + encodeURIComponent(last) : "";
      GECC.get("/evidence" + query).then(function (evidence) {
        takeNames(evidence);
        if (!first) {   // the office's today: the pickers start there
          ["sat-from", "sat-to", "past-to"].forEach(function (id) { document.getElementById(id).value = evidence.period.to; });
          document.getElementById("past-from").value = daysBefore(evidence.period.to, 6);
        }
        renderFigures(evidence);
        renderAlerts();         // the clerks' names may be new
      }, function (err) { if (!GECC.loginIfNeeded(err)) GECC.showError(err); });
    }, 800);
  }
  function daysBefore(day, n) {
    var d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() - n);
    return d.toISOString().slice(0, 10);
  }

  // --- start ---------------------------------------------------------------------------

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
  document.getElementById("sat-form").addEventListener("submit", function (e) {
    e.preventDefault();
    refreshFigures();
  });
  document.getElementById("past-form").addEventListener("submit", function (e) {
    e.preventDefault();
    loadPast();
  });
  past.addEventListener("toggle", loadPast);

  var live = GECC.live({ rooms: ["display", "managers"], on: {
    snapshot: function (state) {
      if (state.room === "managers") {
        takePrinters(state.printers, true);
        // After joining: nothing raised in between is missed. Then the panel is live.
        loadOpenAlerts().then(function () { panel.dataset.live = "1"; });
      } else if (state.room === "display") {
        refresh();
      }
    },
    queue_changed: refresh, ticket_called: refresh, counter_updated: refresh,
    printer_status: function (state) { takePrinters([state], false); },
    alert_raised: alertRaised,
    alert_handled: alertHandled,
    ticket_finished: refreshFigures,    // the counters' rooms: a visit served or rated
    ticket_rated: refreshFigures,
    disconnect: function () { delete panel.dataset.live; },
    join_failed: function (room) {
      if (room === "managers") GECC.showError(new Error(
        "เข้ารับการแจ้งเตือนไม่ได้ กรุณาเข้าสู่ระบบใหม่ / Cannot receive alerts: please log in again"));
    }
  }});

  Promise.all([GECC.get("/services"), GECC.get("/counters")]).then(function (answers) {
    answers[0].forEach(function (s) { names.services[s.id] = s; });
    answers[1].forEach(function (c) { names.counters[c.id] = c.name; });
    renderAlerts();
    // Every counter's room: its visits finished and rated refresh the figures.
    live.setRooms(["display", "managers"].concat(answers[1].map(function (c) { return "counter:" + c.id; })));
  }, function (err) { if (!GECC.loginIfNeeded(err)) GECC.showError(err); });
  refreshFigures();
  setInterval(refresh, 60000);
  setInterval(refreshFigures, 60000);
})();
