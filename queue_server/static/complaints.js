/* The staff's complaint register (/complaints): GET /api/v1/complaints with the filters,
 * one complaint's record (GET .../<id>/record), and its steps: status, assign, forward, due
 * date, reopen, reprint; taking a complaint down for a walk-in or phone caller. */
(function () {
  "use strict";
  var $ = GECC.$, h = GECC.h, C = window.GECCComplaint;
  var STATUSES = ["received", "assigned", "in_progress", "resolved", "closed"];
  var categories = {};
  var current = null;   // the record shown
  var filled = false;   // the filters' choices are set once

  function report(err, el) {
    if (GECC.loginIfNeeded(err)) return;
    el = el || $("#error");
    el.textContent = C.errorText(err);
    el.hidden = false;
  }

  function query() {
    var params = new URLSearchParams();
    [["status", "#f-status"], ["category", "#f-category"], ["overdue", "#f-overdue"],
     ["assignee", "#f-assignee"], ["q", "#f-q"]].forEach(function (pair) {
      var value = $(pair[1]).value.trim();
      if (value) params.set(pair[0], value);
    });
    var text = params.toString();
    return "/complaints" + (text ? "?" + text : "");
  }

  function fillChoices(register) {
    register.categories.forEach(function (c) { categories[c.key] = c; });
    if (filled) return;
    filled = true;
    STATUSES.forEach(function (s) {
      $("#f-status").appendChild(h("option", { value: s }, C.stepText(s) + " / " + C.stepText(s, "en")));
    });
    register.categories.forEach(function (c) {
      var label = c.name_th + " / " + c.name_en;
      $("#f-category").appendChild(h("option", { value: c.key }, label));
      $("#in-category").appendChild(h("option", { value: c.key }, label));
    });
    register.staff.forEach(function (u) {
      $("#f-assignee").appendChild(h("option", { value: String(u.id) }, u.name));
      $("#assign-user").appendChild(h("option", { value: String(u.id) }, u.name));
    });
  }

  function load() {
    return GECC.get(query()).then(function (register) {
      GECC.clearError();
      fillChoices(register);
      GECC.setText("#total", "(" + register.total + ")");
      var rows = $("#rows");
      rows.replaceChildren.apply(rows, register.complaints.map(rowNode));
      $("#empty").hidden = register.complaints.length > 0;
    }, function (err) { report(err); });
  }

  function categoryText(key) {
    var c = categories[key];
    return c ? c.name_th : key;
  }

  function rowNode(c) {
    var tr = h("tr", { class: "row" + (current && current.id === c.id ? " selected" : ""),
                       dataset: { id: String(c.id), code: c.code }, tabindex: "0",
                       onclick: function () { open(c.id); },
                       onkeydown: function (e) { if (e.key === "Enter") open(c.id); } },
      h("td", null, h("a", { href: "#record", onclick: function (e) { e.preventDefault(); open(c.id); } }, c.code_display)),
      h("td", null, GECC.formatTime(c.received_at, "datetime")),
      h("td", null, categoryText(c.category)),
      h("td", { class: "summary" }, c.summary),
      h("td", { class: "status" }, h("span", { class: "status-pill s-" + c.status }, C.stepText(c.status))),
      h("td", null, C.day(c.due_on), " ", c.overdue ? h("span", { class: "overdue-tag" }, "เกินกำหนด / Overdue") : null),
      h("td", null, c.agency ? "→ " + c.agency : (c.assignee_name || "—")));
    return tr;
  }

  function open(id) {
    return GECC.get("/complaints/" + id + "/record").then(function (record) {
      show(record);
      $("#record").scrollIntoView({ block: "start" });
      $("#record-h").focus();
    }, function (err) { report(err); });
  }

  function fact(th, en, value) {
    return [h("dt", null, th + " / " + en), h("dd", null, value === null || value === undefined || value === "" ? "—" : value)];
  }

  function show(r) {
    current = r;
    $("#record").hidden = false;
    $("#r-error").hidden = true;
    GECC.setText("#record-h", "เรื่อง " + r.code_display + " / Complaint " + r.code_display);
    var pill = $("#r-status");
    pill.className = "status-pill s-" + r.status;
    pill.textContent = C.stepText(r.status) + " / " + C.stepText(r.status, "en");
    $("#r-overdue").hidden = !r.overdue;
    var facts = $("#r-facts");
    facts.replaceChildren.apply(facts, [].concat(
      fact("ประเภท", "Category", r.category.name_th + " / " + r.category.name_en),
      fact("ช่องทาง", "Channel", C.CHANNELS[r.channel] || r.channel),
      fact("รับเรื่อง", "Received", GECC.formatTime(r.received_at, "datetime")),
      fact("กำหนด", "Due", C.day(r.due_on)),
      fact("ติดต่อกลับ", "Contact", r.contact || (r.contact_erased_at ? "ลบแล้วตามระยะเวลาเก็บรักษา / erased (retention)" : null)),
      fact("บัตรคิว", "Ticket", r.ticket ? r.ticket.number + " (" + C.day(r.ticket.day) + ")" : null),
      fact("ผู้รับผิดชอบ", "Assignee", r.assignee_name),
      fact("หน่วยงานที่ส่งต่อ", "Forwarded to", r.agency),
      fact("หน้าติดตาม", "Tracking page", h("a", { href: r.status_url }, r.status_url))));
    GECC.setText("#r-text", r.text);
    var files = $("#r-files");
    files.replaceChildren.apply(files, r.files.length ? r.files.map(function (f) {
      return h("li", null, h("a", { href: f.url }, f.filename), " (" + Math.ceil(f.size / 1024) + " KB, " + f.content_type + ")");
    }) : [h("li", { class: "muted" }, "ไม่มี / None")]);
    var events = $("#r-events");
    events.replaceChildren.apply(events, r.events.map(function (e) {
      var extra = e.data.agency || (e.data.assignee_id ? nameOf(e.data.assignee_id) : "")
        || (e.kind === "due_changed" ? C.day(e.data.to) : "");
      return h("li", { dataset: { kind: e.kind } },
        h("strong", null, C.stepText(e.kind) + " / " + C.stepText(e.kind, "en")),
        extra ? h("span", null, " · " + extra) : null,
        h("div", { class: "when" }, GECC.formatTime(e.at, "datetime") + " · " + (e.actor_name || actorText(e.actor_kind))),
        e.public_note ? h("p", { class: "note" }, "ผู้ร้องเห็น / Public: " + e.public_note) : null,
        e.internal_note ? h("p", { class: "note internal" }, "ภายใน / Internal: " + e.internal_note) : null);
    }));
    var next = $("#step-status");
    next.replaceChildren.apply(next, STATUSES.filter(function (s) {
      return STATUSES.indexOf(s) > STATUSES.indexOf(r.status);
    }).map(function (s) { return h("option", { value: s }, C.stepText(s) + " / " + C.stepText(s, "en")); }));
    var concluded = r.status === "resolved" || r.status === "closed";
    $("#step-form").hidden = !next.options.length;
    $("#assign-form").hidden = $("#forward-form").hidden = $("#due-form").hidden = concluded;
    $("#reopen-form").hidden = !concluded;
    $("#due-date").value = r.due_on;
    Array.prototype.forEach.call(document.querySelectorAll("#rows tr"), function (tr) {
      tr.classList.toggle("selected", tr.dataset.id === String(r.id));
    });
  }

  function nameOf(id) {
    var option = document.querySelector('#assign-user option[value="' + id + '"]');
    return option ? option.textContent : "#" + id;
  }
  function actorText(kind) {
    return { citizen: "ผู้ร้อง / citizen", system: "ระบบ / system" }[kind] || kind;
  }

  function act(path, body, form) {
    if (!current) return;
    $("#r-error").hidden = true;
    var button = form.querySelector("button");
    button.disabled = true;
    GECC.post("/complaints/" + current.id + path, body).then(function (record) {
      form.reset();
      show(record);
      load();
    }, function (err) { report(err, $("#r-error")); }).then(function () { button.disabled = false; });
  }

  function on(id, handler) {
    $(id).addEventListener("submit", function (event) { event.preventDefault(); handler(event.target); });
  }
  on("#step-form", function (form) {
    act("/status", { status: $("#step-status").value, note: $("#step-note").value || null,
                     internal_note: $("#step-internal").value || null }, form);
  });
  on("#assign-form", function (form) { act("/assign", { user_id: Number($("#assign-user").value) }, form); });
  on("#forward-form", function (form) { act("/forward", { agency: $("#forward-agency").value }, form); });
  on("#due-form", function (form) { act("/due", { due_on: $("#due-date").value, reason: $("#due-reason").value || null }, form); });
  on("#reopen-form", function (form) { act("/reopen", { reason: $("#reopen-reason").value }, form); });
  on("#print-form", function (form) {
    if (!current) return;
    GECC.post("/complaints/" + current.id + "/print", {}).then(function () {
      GECC.setText("#r-error", "");
    }, function (err) { report(err, $("#r-error")); });
    return form;
  });
  on("#filters", function () { load(); });

  on("#intake-form", function () {
    var form = new FormData();
    form.append("text", $("#in-text").value);
    form.append("category", $("#in-category").value);
    form.append("channel", $("#in-channel").value);
    if ($("#in-contact").value.trim()) form.append("contact", $("#in-contact").value);
    if ($("#in-print").checked) form.append("print", "true");
    Array.prototype.forEach.call($("#in-files").files, function (f) { form.append("files", f); });
    $("#in-error").hidden = true;
    $("#in-done").hidden = true;
    $("#in-send").disabled = true;
    C.postForm("/complaints", form).then(function (receipt) {
      $("#intake-form").reset();
      GECC.setText("#in-done", "บันทึกแล้ว รหัสติดตาม " + receipt.code_display + " / Recorded: tracking code " + receipt.code_display);
      $("#in-done").hidden = false;
      load().then(function () { if (receipt.id) open(receipt.id); });
    }, function (err) { report(err, $("#in-error")); }).then(function () { $("#in-send").disabled = false; });
  });

  var asked = new URLSearchParams(location.search).get("q");   // the manager's alert links here
  if (asked) $("#f-q").value = asked;
  GECC.loadOffice().then(load);
})();
