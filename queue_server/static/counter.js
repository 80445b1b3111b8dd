/* The counter console (/counter): the clerk calls, serves and moves tickets of one counter.
 * Room "counter:<id>" keeps it current; actions go through the public API. */
(function () {
  "use strict";
  var h = GECC.h, $ = GECC.$;
  var STORE_KEY = "gecc.counter_id";
  var MY_ID = parseInt(document.body.dataset.userId, 10);
  var state = { counters: [], counterId: null, counter: null, services: {}, serviceOrder: [], busy: false,
                nextHoldUntil: 0 };
  // After a call, Next rests a moment: a double press (or a key bounce) never calls two.
  var NEXT_HOLD_MS = 1500;
  var live = null;
  var select = $("#counter-select");
  var buttons = {};
  document.querySelectorAll("[data-action]").forEach(function (b) { buttons[b.dataset.action] = b; });

  function info(text) {
    var el = $("#info");
    el.textContent = text || "";
    el.hidden = !text;
  }

  function fail(err) {
    if (GECC.loginIfNeeded(err)) return;
    info("");                  // the last message is out of date: the error says what is
    GECC.showError(err);
  }

  // --- data ------------------------------------------------------------------------

  function setServices(list) {
    state.services = {};
    state.serviceOrder = [];
    (list || []).forEach(function (s) { state.services[s.id] = s; state.serviceOrder.push(s.id); });
  }

  function loadCounter() {
    if (!state.counterId) return Promise.resolve();
    var id = state.counterId;
    return Promise.all([GECC.get("/counters/" + id), GECC.get("/services")]).then(function (r) {
      if (id !== state.counterId) return;
      state.counter = r[0];
      setServices(r[1]);
      render();
    }, fail);
  }

  // --- the waiting list and today's figures (GET /counters/<id>/waiting) -------------
  var waitingTimer = null;
  function loadWaiting() {
    clearTimeout(waitingTimer);
    waitingTimer = setTimeout(function () {  // a burst of queue events: one request
      var id = state.counterId;
      if (!id) return;
      GECC.get("/counters/" + id + "/waiting").then(function (data) {
        if (id !== state.counterId) return;
        state.waiting = data.waiting;
        state.today = data.today;
        state.mine = data.mine;
        state.clerk = data.clerk;
        renderWaiting();
        renderClerk();
      }, function (err) { if (!GECC.loginIfNeeded(err)) fail(err); });
    }, 250);
  }

  function renderWaiting() {
    var body = $("#waiting-body");
    body.textContent = "";
    var list = state.waiting || [];
    list.slice(0, 50).forEach(function (t) {
      var call = GECC.h("button", { class: "btn secondary small", type: "button" }, "เรียก / Call");
      call.disabled = state.busy || !(state.counter && state.counter.is_open);
      call.addEventListener("click", function () { callTicket(t); });
      body.appendChild(GECC.h("tr", null, GECC.h("td", null, GECC.h("strong", null, t.number)),
        GECC.h("td", null, t.priority === "normal" ? "—" : GECC.priorityText(t.priority)),
        GECC.h("td", null, GECC.formatTime(t.issued_at, "time")), GECC.h("td", null, call)));
    });
    if (!list.length) body.appendChild(GECC.h("tr", null, GECC.h("td", { colspan: 4, class: "muted" }, "ไม่มีผู้รอ / No one waiting")));
    // The counter's figures (everyone who worked here today) and the clerk's own, apart.
    var today = state.today;
    var mine = state.mine;
    GECC.setText("#today-line", today ? "ช่องนี้วันนี้ให้บริการ " + today.finished + " ราย" +
      (today.service_minutes.mean !== null ? " · เฉลี่ย " + today.service_minutes.mean + " นาที" : "") +
      (mine ? " · ท่านให้บริการ " + mine.finished + " ราย" : "") +
      " / This counter today: " + today.finished + (mine ? " · you: " + mine.finished : "") : "");
  }

  /** Another clerk called, served or finished here today: say so, so two clerks do not
   *  work one counter's queue (and its figures) without knowing. */
  function renderClerk() {
    var el = $("#counter-warning");
    var other = state.clerk && state.clerk.id !== MY_ID ? state.clerk : null;
    el.hidden = !other;
    if (!other) { el.textContent = ""; return; }
    var who = other.name + (other.username ? " (" + other.username + ")" : "");
    var at = GECC.formatTime(other.at, "time");
    el.textContent = "ช่องนี้มี " + who + " ทำงานอยู่วันนี้ (ล่าสุด " + at + " น.) ตรวจสอบว่าเลือกช่องถูกต้อง / " +
      who + " works at this counter today (last at " + at + "): check that this is your counter.";
  }

  function callTicket(t) {
    var id = state.counterId;
    run("callback", function () {
      return GECC.post("/counters/" + id + "/call", { ticket_id: t.id });
    }, function (called) {
      applyTicket(called);
      info("เรียก " + called.number + " แล้ว" + previousText(called.previous, "th") +
           " / Called " + called.number + "." + previousText(called.previous, "en"));
      loadWaiting();
    });
  }

  $("#call-number-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var wanted = $("#call-number").value.trim().toUpperCase();
    var found = (state.waiting || []).filter(function (t) { return t.number === wanted; })[0];
    if (!found) { fail(new Error("ไม่พบหมายเลข " + wanted + " ในคิวของช่องนี้ / " + wanted + " is not waiting for this counter.")); return; }
    $("#call-number").value = "";
    callTicket(found);
  });

  function chooseCounter(id) {
    state.counterId = id;
    state.counter = null;
    state.clerk = null;
    state.mine = null;
    renderClerk();
    $("#counter-prompt").hidden = true;
    try { localStorage.setItem(STORE_KEY, String(id)); } catch (e) { /* private mode */ }
    GECC.clearError();
    info("");
    render();
    if (live) live.setRooms(["counter:" + id]);
    loadWaiting();
    return loadCounter();
  }

  /** A counter view from the live room. The room is public (the screen above the counter
      joins it too), so its ticket carries no triage note and no token: keep the ones this
      console has for the same ticket, and ask for the staff view of a ticket it has not seen
      (called from another device, or the event came before the call's own answer). */
  function adoptLiveCounter(view) {
    var known = state.counter && state.counter.current;
    var cur = view.current;
    if (cur && known && known.id === cur.id && "token" in known) {
      view.current = Object.assign({}, cur, { note: known.note, token: known.token,
                                              status_url: known.status_url });
    } else if (cur) {
      loadCounter();
    }
    state.counter = view;
  }

  function applyTicket(ticket) {
    // An action's answer: the ticket as it is now. The counter's own event follows, too.
    if (!state.counter || !ticket) return;
    var atCounter = (ticket.status === "called" || ticket.status === "serving") &&
                    ticket.counter && ticket.counter.id === state.counterId;
    if (atCounter) state.counter.current = ticket;
    else if (state.counter.current && state.counter.current.id === ticket.id) state.counter.current = null;
  }

  /** What a call did to the ticket the counter had (the API's `previous`), in one language:
   *  Next finishes it, as on a keypad; the clerk is told, and whether it was never started. */
  function previousText(previous, lang) {
    if (!previous) return "";
    if (lang === "en") {
      return " " + previous.number + " finished automatically" +
        (previous.started ? "." : " (service was not started).");
    }
    return " · ปิดคิว " + previous.number + " อัตโนมัติ" + (previous.started ? "" : " (ยังไม่ได้เริ่มบริการ)");
  }

  // --- actions ---------------------------------------------------------------------

  var LABEL = {
    next: "กำลังเรียกคิวถัดไป…", recall: "กำลังเรียกซ้ำ…", start: "กำลังเริ่มบริการ…",
    finish: "กำลังบันทึกเสร็จสิ้น…", "no-show": "กำลังบันทึกไม่มาตามเรียก…",
    transfer: "กำลังโอนคิว…", cancel: "กำลังยกเลิกคิว…", open: "กำลังบันทึก…", services: "กำลังบันทึก…",
    reprint: "กำลังส่งพิมพ์บัตรซ้ำ…", hold: "กำลังพักคิว…", callback: "กำลังเรียกกลับ…"
  };

  function run(kind, request, done) {
    if (state.busy) return;
    state.busy = true;
    GECC.clearError();
    $("#busy").textContent = LABEL[kind] || "…";
    render();
    request().then(function (result) {
      if (done) done(result);
    }, function (err) {
      if (err.code === "queue_empty") {
        var previous = err.body && err.body.previous;
        info("ไม่มีผู้รอคิวสำหรับช่องนี้" + previousText(previous, "th") +
             " / No one is waiting for this counter." + previousText(previous, "en"));
      } else {
        fail(err);
      }
      // The counter may have moved on (another tab, a finish before an empty queue).
      return loadCounter();
    }).catch(function (err) {
      if (window.console) console.error(err);
    }).then(function () {
      state.busy = false;
      $("#busy").textContent = "";
      render();
    });
  }

  function act(kind) {
    if (state.busy || !state.counter) return;
    var id = state.counterId;
    var cur = state.counter.current;
    if (kind === "next") {
      if (!enabled("next")) return;
      run(kind, function () {
        return GECC.post("/counters/" + id + "/call-next", { seen_ticket_id: cur ? cur.id : null });
      }, function (ticket) {
        applyTicket(ticket);
        state.nextHoldUntil = Date.now() + NEXT_HOLD_MS;
        setTimeout(render, NEXT_HOLD_MS + 50);
        info(ticket.repeated
          ? "หน้าจอไม่เป็นปัจจุบัน ช่องนี้มีคิว " + ticket.number + " อยู่แล้ว / This counter already has " + ticket.number + "."
          : "เรียก " + ticket.number + " แล้ว" + previousText(ticket.previous, "th") +
            " / Called " + ticket.number + "." + previousText(ticket.previous, "en"));
      });
      return;
    }
    if (!cur) return;
    if (!enabled(kind)) return;
    if (kind === "transfer") { openTransfer(); return; }
    if (kind === "reprint") {
      // To the printer that printed it first (the ticket's kiosk).
      run(kind, function () { return GECC.post("/tickets/" + cur.id + "/reprint", {}); }, function () {
        info("ส่งพิมพ์บัตร " + cur.number + " ซ้ำแล้ว / Reprint of " + cur.number + " sent.");
      });
      return;
    }
    if (kind === "cancel" && !window.confirm("ยกเลิกคิว " + cur.number + "? / Cancel ticket " + cur.number + "?")) return;
    run(kind, function () { return GECC.post("/tickets/" + cur.id + "/" + kind, {}); }, function (ticket) {
      applyTicket(ticket);
      var words = {
        recall: "เรียกซ้ำ " + ticket.number + " แล้ว / Recalled.",
        start: "เริ่มให้บริการ " + ticket.number + " / Service started.",
        finish: "บริการ " + ticket.number + " เสร็จสิ้น / Finished.",
        "no-show": ticket.status === "waiting"
          ? ticket.number + " ไม่มาตามเรียก กลับเข้าคิว / Not present: back in the queue."
          : ticket.number + " ไม่มาตามเรียก / Marked no-show.",
        cancel: "ยกเลิกคิว " + ticket.number + " แล้ว / Cancelled.",
        hold: "พักคิว " + ticket.number + " ไว้ เรียกกลับได้จากรายการคิวที่พักไว้ / Held: call it back from the held list."
      };
      info(words[kind]);
    });
  }

  /** A held ticket's citizen is back: call it to this counter again. */
  function callBack(ticket) {
    var id = state.counterId;
    run("callback", function () {
      return GECC.post("/counters/" + id + "/call", { ticket_id: ticket.id });
    }, function (called) {
      applyTicket(called);
      info("เรียก " + called.number + " กลับแล้ว" + previousText(called.previous, "th") +
           " / Called " + called.number + " back." + previousText(called.previous, "en"));
    });
  }

  function transferTo(serviceId) {
    var cur = state.counter && state.counter.current;
    $("#transfer-dialog").close();
    if (!cur) return;
    run("transfer", function () {
      return GECC.post("/tickets/" + cur.id + "/transfer", { service_id: serviceId });
    }, function (ticket) {
      applyTicket(ticket);
      info("โอน " + ticket.number + " ไป " + ticket.service_name_th + " แล้ว / Transferred to " + ticket.service_name_en + ".");
    });
  }

  function openTransfer() {
    var cur = state.counter.current;
    var box = $("#transfer-options");
    box.textContent = "";
    $("#transfer-number").textContent = cur.number;
    // Each service by its own letter (B for B): the letter on the tickets, not a position.
    state.serviceOrder.forEach(function (sid) {
      if (sid === cur.service_id) return;
      var s = state.services[sid];
      var key = /^[A-Za-z]$/.test(s.code) ? s.code.toUpperCase() : "";
      box.appendChild(h("button", {
        class: "btn secondary", type: "button", dataset: { key: key },
        "aria-keyshortcuts": key || null,
        onclick: function () { transferTo(sid); }
      }, key ? h("kbd", { class: "key-letter" }, key) : null, " " + s.code + " · " + s.name_th + " / " + s.name_en,
         " (", s.waiting, " รอ / waiting)"));
    });
    $("#transfer-dialog").showModal();
  }

  // --- the rating tablet: a one-time code to pair the tablet facing the citizen -------

  var tabletTimer = null;

  function openTablet() {
    if (!state.counter) return;
    var dialog = $("#tablet-dialog");
    var url = location.origin + "/rate/counter/" + state.counterId;
    var link = $("#tablet-url");
    link.href = url;
    link.textContent = url;
    GECC.setText("#tablet-counter", state.counter.name);
    if (!dialog.open) dialog.showModal();
    newTabletCode();
  }

  function newTabletCode() {
    var id = state.counterId;
    var code = $("#tablet-code");
    clearTimeout(tabletTimer);
    code.textContent = "······";
    code.dataset.code = "";
    code.classList.remove("expired");
    GECC.setText("#tablet-expiry", "กำลังสร้างรหัส… / Making a code…");
    GECC.clearError($("#tablet-error"));
    $("#tablet-new").disabled = true;
    GECC.post("/counters/" + id + "/rating-tablet/pairing", {}).then(function (answer) {
      if (id !== state.counterId) return;
      code.textContent = answer.code.slice(0, 3) + " " + answer.code.slice(3);
      code.dataset.code = answer.code;
      var until = GECC.formatTime(answer.expires_at, "time");
      GECC.setText("#tablet-expiry", "ใช้ได้ครั้งเดียว ถึงเวลา " + until + " น. / Valid once, until " + until + ".");
      tabletTimer = setTimeout(function () {
        code.classList.add("expired");
        GECC.setText("#tablet-expiry", "รหัสหมดอายุแล้ว กด “รหัสใหม่” / The code has expired: press New code.");
      }, Math.max(0, new Date(answer.expires_at).getTime() - Date.now()));
    }, function (err) {
      if (GECC.loginIfNeeded(err)) return;
      code.textContent = "";
      GECC.setText("#tablet-expiry", "");
      GECC.showError(err, $("#tablet-error"));
    }).then(function () {
      $("#tablet-new").disabled = false;
    });
  }

  // --- the services this counter serves today, in the order they are called --------

  function openServices() {
    var c = state.counter;
    var box = $("#services-options");
    box.textContent = "";
    $("#services-error").hidden = true;
    var order = c.service_ids.concat(state.serviceOrder.filter(function (sid) {
      return c.service_ids.indexOf(sid) < 0;
    }));
    order.forEach(function (sid) {
      var s = state.services[sid];
      if (!s) return;
      var tick = h("input", { type: "checkbox", value: String(sid) });
      tick.checked = c.service_ids.indexOf(sid) >= 0;
      box.appendChild(h("li", { dataset: { serviceId: String(sid) } },
        h("label", null, tick, h("span", null, h("strong", null, s.code), " · " + s.name_th + " / " + s.name_en)),
        moveButton(-1, "▲", "ขึ้น / Up: " + s.code),
        moveButton(1, "▼", "ลง / Down: " + s.code)));
    });
    $("#services-dialog").showModal();
    var first = box.querySelector("input");
    if (first) first.focus();
  }

  function moveButton(step, arrow, label) {
    return h("button", { class: "btn secondary move", type: "button", "aria-label": label, title: label,
      onclick: function (e) {
        var row = e.currentTarget.closest("li");
        var other = step < 0 ? row.previousElementSibling : row.nextElementSibling;
        if (!other) return;
        row.parentNode.insertBefore(row, step < 0 ? other : other.nextElementSibling);
        e.currentTarget.focus();
      } }, arrow);
  }

  function saveServices() {
    var ids = [];
    document.querySelectorAll("#services-options li").forEach(function (row) {
      if (row.querySelector("input").checked) ids.push(parseInt(row.dataset.serviceId, 10));
    });
    var problem = $("#services-error");
    if (!ids.length) {
      problem.textContent = "เลือกอย่างน้อยหนึ่งบริการ / Choose at least one service.";
      problem.hidden = false;
      return;
    }
    $("#services-dialog").close();
    run("services", function () {
      return GECC.post("/counters/" + state.counterId + "/settings", { service_ids: ids });
    }, function (view) {
      state.counter = view;
      loadWaiting();
      info("ช่องนี้ให้บริการ " + servicesText(view) + " / This counter now serves " + servicesText(view) + ".");
    });
  }

  function servicesText(c) {
    return c.service_ids.map(function (sid) { return state.services[sid] ? state.services[sid].code : "?"; })
      .join(", ");
  }

  function toggleOpen() {
    if (state.busy || !state.counter) return;
    var open = !state.counter.is_open;
    run("open", function () {
      return GECC.post("/counters/" + state.counterId + "/settings", { open: open });
    }, function (view) {
      state.counter = view;
      state.counters.forEach(function (c) { if (c.id === view.id) c.is_open = view.is_open; });
      info(view.is_open ? "เปิดช่องแล้ว / Counter open." : "ปิดช่องแล้ว / Counter closed.");
    });
  }

  function enabled(kind) {
    if (state.busy || !state.counter) return false;
    var cur = state.counter.current;
    var status = cur ? cur.status : null;
    switch (kind) {
      case "next": return !!state.counter.is_open && Date.now() >= state.nextHoldUntil;
      case "recall": case "start": case "no-show": case "cancel": return status === "called";
      case "finish": case "transfer": case "reprint": case "hold":
        return status === "called" || status === "serving";
    }
    return false;
  }

  // --- rendering -------------------------------------------------------------------

  function renderCounterSelect() {
    var current = state.counterId ? String(state.counterId) : "";
    if (select.dataset.filled !== "1" && state.counters.length) {
      select.textContent = "";
      // Nothing chosen on this PC yet: the clerk chooses; no counter is taken for them.
      select.appendChild(h("option", { value: "", disabled: true }, "— เลือกช่อง / Choose —"));
      state.counters.forEach(function (c) {
        select.appendChild(h("option", { value: c.id }, c.name + " (#" + c.number + ")"));
      });
      select.dataset.filled = "1";
    }
    select.value = current;
    select.disabled = state.busy || !state.counters.length;
  }

  function render() {
    renderCounterSelect();
    var c = state.counter;
    var badge = $("#counter-state");
    var toggle = $("#toggle-open");
    if (c) {
      badge.textContent = c.is_open ? "เปิดให้บริการ / Open" : "ปิด / Closed";
      badge.className = "badge " + (c.is_open ? "open" : "closed");
      toggle.textContent = (c.is_open ? "ปิดช่อง / Close counter" : "เปิดช่อง / Open counter") + " ";
      toggle.appendChild(h("kbd", { class: "key-letter", title: "ตัวอักษร O / the letter O" }, "O"));
      toggle.disabled = state.busy;
      $("#choose-services").disabled = state.busy || !state.serviceOrder.length;
      $("#pair-tablet").disabled = false;
      $("#counter-services").textContent = servicesText(c);
      var link = $("#screen-link");
      link.href = "/display/counter/" + c.id;
      link.hidden = false;
      document.title = c.name + " · ช่องบริการ · GECC Queue";
    } else {
      badge.textContent = "";
      badge.className = "badge";
      toggle.disabled = true;
      $("#choose-services").disabled = true;
      $("#pair-tablet").disabled = true;
    }

    var cur = c && c.current;
    $("#current").hidden = !cur;
    $("#current-empty").hidden = !!cur;
    $("#current-details").hidden = !cur;
    if (c && !cur) {
      $("#current-empty").textContent = c.is_open
        ? "ยังไม่มีคิว กด “เรียกคิวถัดไป” / No ticket: press Call next."
        : "ช่องนี้ปิดอยู่ กด “เปิดช่อง” ก่อนเรียกคิว / The counter is closed: open it to call.";
    }
    if (cur) {
      GECC.setText("#cur-number", cur.number);
      var st = $("#cur-status");
      st.textContent = GECC.statusText(cur.status) + " / " + GECC.statusText(cur.status, "en");
      st.className = "badge status-" + cur.status;
      var pr = $("#cur-priority");
      pr.hidden = cur.priority === "normal";
      pr.textContent = GECC.priorityText(cur.priority) + " / " + GECC.priorityText(cur.priority, "en");
      GECC.setText("#cur-service", cur.service_code + " · " + cur.service_name_th + " / " + cur.service_name_en);
      GECC.setText("#cur-issued", GECC.formatTime(cur.issued_at, "time") + " น.");
      GECC.setText("#cur-called", cur.called_at ? GECC.formatTime(cur.called_at, "time") + " น." : "—");
      GECC.setText("#cur-channel", cur.channel);
      GECC.setText("#cur-recalls", cur.recall_count + (cur.transfer_count ? " · โอนแล้ว " + cur.transfer_count + " ครั้ง" : ""));
      $("#cur-note-wrap").hidden = !cur.note;
      GECC.setText("#cur-note", cur.note || "");
    }

    Object.keys(buttons).forEach(function (k) { buttons[k].disabled = !enabled(k); });

    var held = (c && c.held) || [];
    $("#held-wrap").hidden = !held.length;
    var list = $("#held-list");
    list.textContent = "";
    held.forEach(function (ticket, i) {
      // B calls the first one back (the one set aside longest); the others by click or Tab.
      var call = GECC.h("button", { class: "btn secondary held-back", type: "button",
                                    "aria-keyshortcuts": i === 0 ? "B" : null },
                        "เรียกกลับ / Call back", i === 0 ? " " : null, i === 0 ? GECC.h("kbd", null, "B") : null);
      call.disabled = state.busy || !(c && c.is_open);
      call.addEventListener("click", function () { callBack(ticket); });
      list.appendChild(GECC.h("li", null, GECC.h("strong", null, ticket.number), " ", call));
    });

    var body = $("#queue-body");
    body.textContent = "";
    var ids = c ? c.service_ids : [];
    ids.forEach(function (sid) {
      var s = state.services[sid];
      if (!s) return;
      body.appendChild(h("tr", null,
        h("td", null, h("strong", null, s.code), " · " + s.name_th, h("br"), h("small", null, s.name_en)),
        h("td", { class: "num" }, h("span", { class: "waiting-count" }, s.waiting)),
        h("td", { class: "num" }, s.waiting ? GECC.formatEta(s.eta_minutes) : "—")));
    });
    if (!body.children.length) body.appendChild(h("tr", null, h("td", { colspan: 3, class: "muted" }, "—")));
  }

  // --- keyboard --------------------------------------------------------------------

  var KEYS = { KeyN: "next", Space: "next", KeyR: "recall", KeyS: "start", KeyF: "finish",
               KeyX: "no-show", KeyT: "transfer", KeyP: "reprint", KeyH: "hold", KeyC: "cancel" };

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if ($("#services-dialog").open || $("#tablet-dialog").open) return;   // their own keys: Tab, Enter, Esc
    var dialog = $("#transfer-dialog");
    if (dialog.open) {
      // The service's letter, by the key's place (a Thai layout types Thai letters there).
      var letter = /^Key([A-Z])$/.exec(e.code);
      if (letter) {
        var b = dialog.querySelector('[data-key="' + letter[1] + '"]');
        if (b) { e.preventDefault(); b.click(); }
      }
      return;
    }
    var t = e.target;
    var tag = t && t.tagName;
    if (t && t.id === "call-number" && e.code === "Escape") { t.value = ""; t.blur(); return; }
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    if (e.code === "KeyO" || e.code === "KeyV" || e.code === "KeyG" || e.code === "KeyB" || e.code === "KeyK") {
      e.preventDefault();
      if (e.repeat) return;
      if (e.code === "KeyO") toggleOpen();
      else if (e.code === "KeyV") { if (!$("#choose-services").disabled) openServices(); }
      else if (e.code === "KeyK") { if (!$("#pair-tablet").disabled) openTablet(); }
      else if (e.code === "KeyG") $("#call-number").focus();   // type the number, then Enter
      else {
        var back = document.querySelector("#held-list button.held-back");
        if (back && !back.disabled) back.click();
      }
      return;
    }
    var action = KEYS[e.code];
    if (!action) return;
    e.preventDefault();  // also keeps Space from pressing a focused button
    if (e.repeat) return;
    act(action);
  });
  document.addEventListener("keyup", function (e) {
    if (e.code === "Space" && e.target && e.target.tagName === "BUTTON" && !$("#transfer-dialog").open
        && !$("#services-dialog").open && !$("#tablet-dialog").open) e.preventDefault();
  });

  Object.keys(buttons).forEach(function (k) {
    buttons[k].addEventListener("click", function () { act(k); });
  });
  $("#toggle-open").addEventListener("click", toggleOpen);
  $("#choose-services").addEventListener("click", openServices);
  $("#pair-tablet").addEventListener("click", openTablet);
  $("#tablet-new").addEventListener("click", newTabletCode);
  $("#tablet-dialog").addEventListener("close", function () { clearTimeout(tabletTimer); });
  $("#services-form").addEventListener("submit", function (e) {
    // Save, or Enter on a tick box; Close and Esc just close.
    if (e.submitter && e.submitter.value === "cancel") return;
    e.preventDefault();
    saveServices();
  });
  select.addEventListener("change", function () {
    select.blur();    // the keys (N, Space ...) work at once, not the list's own
    chooseCounter(parseInt(select.value, 10));
  });

  // --- start -----------------------------------------------------------------------

  GECC.loadOffice().then(render);
  GECC.get("/counters").then(function (counters) {
    state.counters = counters;
    if (!counters.length) { info("ยังไม่มีช่องบริการ / No counters are set up."); return; }
    var stored = null;
    try { stored = parseInt(localStorage.getItem(STORE_KEY), 10); } catch (e) { /* ignore */ }
    // The counter this PC was set to, else the clerk's default counter (the staff page);
    // with neither, a first opening asks (never counter 1 by default: a clerk who did not
    // notice worked counter 1's queue and saw its clerk's figures).
    if (!stored) stored = parseInt(document.body.dataset.defaultCounter, 10) || null;
    var chosen = counters.some(function (c) { return c.id === stored; }) ? stored : null;
    state.counterId = chosen;
    live = GECC.live({
      rooms: chosen ? ["counter:" + chosen] : [],
      on: {
        snapshot: function (data) {
          if (data.room !== "counter:" + state.counterId) return;
          adoptLiveCounter(data.counter);
          setServices(data.services);
          render();
        },
        counter_updated: function (view) {
          if (!view || view.id !== state.counterId) return;
          adoptLiveCounter(view);
          render();
        },
        queue_changed: function (q) {
          var s = state.services[q.service_id];
          if (!s) return;
          s.waiting = q.waiting;
          s.eta_minutes = q.eta_minutes;
          render();
          loadWaiting();
        },
        ticket_called: function (call) {
          if (call.counter_id !== state.counterId || state.busy) return;
          // This console's own call: its answer said more (what became of the previous one).
          if (!call.recall && state.counter && state.counter.current &&
              state.counter.current.id === call.ticket_id && $("#info").textContent) return;
          info((call.recall ? "เรียกซ้ำ " : "เรียก ") + call.number + " แล้ว / " + (call.recall ? "Recalled " : "Called ") + call.number + ".");
        },
        error: function (err) { GECC.showError(err); }
      }
    });
    if (!chosen) {
      render();
      $("#counter-prompt").hidden = false;
      select.focus();
      return null;
    }
    return chooseCounter(chosen);
  }).catch(fail);
})();
