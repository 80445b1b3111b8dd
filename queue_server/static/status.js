/* The citizen's ticket status page (/t/<token>): the token comes in body[data-token];
 * room "ticket:<token>" tells when the ticket is called, finished and rated. Once the
 * visit is finished the page turns, live, into the satisfaction rating
 * (GET /api/v1/tickets/<token>/rating, POST /api/v1/ratings). */
(function () {
  "use strict";
  var $ = GECC.$;
  var token = document.body.dataset.token;
  var ticket = null;
  var busy = false;
  var LANG_KEY = "gecc.status.lang";

  function render() {
    if (!ticket) return;
    var t = ticket;
    $("#card").hidden = false;
    GECC.setText("#number", t.number);
    GECC.setText("#service", t.service_name_th + " / " + t.service_name_en);
    var pr = $("#priority");
    pr.hidden = t.priority === "normal";
    pr.textContent = GECC.priorityText(t.priority) + " / " + GECC.priorityText(t.priority, "en");
    // Closed by the counter's Next before service started: "closed", not "finished".
    var unserved = t.status === "finished" && t.finished_unstarted === true;
    var st = $("#status");
    st.textContent = unserved ? "ปิดคิวแล้ว" : GECC.statusText(t.status);
    st.appendChild(GECC.h("small", null, unserved ? "Closed" : GECC.statusText(t.status, "en")));
    $("#unserved").hidden = !unserved;

    // Moved to another service by a clerk: the same number, another queue.
    var moved = t.transfer_count > 0 && (t.status === "waiting" || t.status === "called" || t.status === "serving");
    $("#moved").hidden = !moved;
    if (moved) {
      GECC.setText("#moved .th", "ย้ายไปบริการ " + t.service_name_th + " แล้ว หมายเลขเดิม");
      GECC.setText("#moved .en", "Moved to " + t.service_name_en + ", with the same number.");
    }

    var atCounter = (t.status === "called" || t.status === "serving") && t.counter;
    $("#called").hidden = !atCounter;
    // The counter's name says its number already ("ช่อง 1"), once.
    if (atCounter) GECC.setText("#counter", t.counter.name);
    document.body.classList.toggle("ticket-called", t.status === "called");

    var waiting = t.status === "waiting";
    $("#facts").hidden = !waiting;
    if (waiting) {
      GECC.setText("#ahead", t.ahead);
      GECC.setText("#eta", t.eta_minutes === null ? "—" : (t.eta_minutes <= 0 ? "ถัดไป" : t.eta_minutes + " นาที"));
      $("#eta").title = GECC.formatEta(t.eta_minutes, "en");
    }
    var times = "ออกบัตร / Issued " + GECC.formatTime(t.issued_at, "datetime") + " น.";
    if (t.called_at) times += " · เรียก / Called " + GECC.formatTime(t.called_at, "time") + " น.";
    if (t.finished_at) times += " · สิ้นสุด / Ended " + GECC.formatTime(t.finished_at, "time") + " น.";
    GECC.setText("#times", times);
    GECC.setText("#updated", "ข้อมูลเมื่อ / As of " + GECC.formatTime(new Date(), "seconds") + " น.");
    var live = t.status === "waiting" || t.status === "called" || t.status === "serving" || t.status === "held";
    $("#rating-note").hidden = !(t.status === "waiting" || t.status === "called" || t.status === "serving");
    $("#keep-open").hidden = !live;     // nothing more will change on a closed ticket
    if (t.office_name) {
      GECC.setText("#office-name", t.office_name + (t.office_name_en ? " · " + t.office_name_en : ""));
      $("#office-line").hidden = false;
    }
    document.body.classList.toggle("ticket-finished", t.status === "finished");
    $("#cancel").hidden = !(t.status === "waiting" || t.status === "called");
    $("#cancel").disabled = busy;
    document.title = t.number + " · " + GECC.statusText(t.status) + " · GECC Queue";
  }

  function set(view) {
    if (!view || view.token !== token) return;
    var wasCalled = ticket && ticket.status === "called";
    ticket = view;
    GECC.clearError();
    render();
    rating.follow(view);
    if (view.status === "called" && !wasCalled && navigator.vibrate) {
      try { navigator.vibrate([300, 150, 300]); } catch (e) { /* not allowed */ }
    }
  }

  function refresh() {
    return GECC.get("/tickets/" + encodeURIComponent(token)).then(set, function (err) {
      if (err.status === 404) {
        err = { message: "ไม่พบบัตรคิวนี้ / There is no ticket with this code." };
        $("#keep-open").hidden = true;
      }
      GECC.showError(err);
    });
  }

  $("#cancel").addEventListener("click", function () {
    if (!ticket || busy) return;
    if (!window.confirm("ยกเลิกบัตรคิว " + ticket.number + " ใช่หรือไม่? / Cancel ticket " + ticket.number + "?")) return;
    busy = true;
    render();
    GECC.post("/tickets/" + ticket.id + "/cancel", { token: token }).then(set, GECC.showError).then(function () {
      busy = false;
      render();
    });
  });

  // --- language: Thai first; English one tap away (remembered on this phone) -----------

  function setLang(lang) {
    document.documentElement.lang = lang;
    var toggle = $("#lang-toggle");
    toggle.textContent = lang === "en" ? "ภาษาไทย" : "English";
    toggle.setAttribute("lang", lang === "en" ? "th" : "en");
    try { localStorage.setItem(LANG_KEY, lang); } catch (e) { /* private mode */ }
  }
  $("#lang-toggle").addEventListener("click", function () {
    setLang(document.documentElement.lang === "en" ? "th" : "en");
  });
  try { if (localStorage.getItem(LANG_KEY) === "en") setLang("en"); } catch (e) { /* ignore */ }

  // --- the satisfaction rating ----------------------------------------------------------

  var rating = (function () {
    var state = null;        // the form's state: open, given, closed, not_rated, not_yet
    var loading = false;
    var sending = false;
    var score = null;
    var answers = {};        // dimension key -> 1..5
    var maxChars = 1000;

    function show(which) {
      $("#rating").hidden = which === null;
      $("#rate-form").hidden = which !== "form";
      $("#rate-thanks").hidden = which !== "thanks";
      $("#rate-closed").hidden = which !== "closed";
    }

    function bi(th, en, cls) {
      return GECC.h("span", { class: "bi" + (cls ? " " + cls : "") },
        GECC.h("span", { class: "th", lang: "th" }, th),
        GECC.h("span", { class: "en", lang: "en" }, en));
    }

    function fillForm(form) {
      maxChars = form.comment_max_chars || maxChars;
      var comment = $("#comment");
      comment.maxLength = maxChars;
      count();
      var days = form.comment_retention_days;
      GECC.setText("#pdpa .th", "ความคิดเห็นจะเห็นเฉพาะผู้บริหารของหน่วยงาน และจะถูกลบเมื่อครบ " + days +
        " วัน ส่วนคะแนนจะเก็บไว้ ไม่ต้องระบุชื่อหรือเบอร์โทรศัพท์");
      GECC.setText("#pdpa .en", "Only the office's managers see your comment, and it is erased after " + days +
        " days; the score is kept. No name or phone number is needed.");
      var box = $("#dimensions");
      box.textContent = "";
      (form.dimensions || []).forEach(function (d) {
        var nameId = "dim-" + d.key;
        var scale = GECC.h("div", { class: "dim-scale", role: "group", "aria-labelledby": nameId });
        for (var v = 1; v <= 5; v++) {
          scale.appendChild(GECC.h("button", {
            type: "button", class: "dim-btn", "aria-pressed": "false",
            dataset: { dim: d.key, value: String(v) }, onclick: answer
          }, String(v)));
        }
        box.appendChild(GECC.h("div", { class: "dimension" },
          GECC.h("div", { class: "dim-name", id: nameId }, bi(d.name_th, d.name_en)), scale));
      });
      $("#dimensions-box").hidden = !(form.dimensions && form.dimensions.length);
    }

    function count() {
      GECC.setText("#comment-count", $("#comment").value.length + " / " + maxChars);
    }

    function choose(event) {
      var button = event.currentTarget;
      score = Number(button.dataset.score);
      document.querySelectorAll("#faces .face").forEach(function (f) {
        f.setAttribute("aria-pressed", String(f === button));
      });
      $("#faces").classList.add("chosen");
      $("#rate-more").hidden = false;
    }

    function answer(event) {
      var button = event.currentTarget;
      var key = button.dataset.dim, value = Number(button.dataset.value);
      if (answers[key] === value) delete answers[key]; else answers[key] = value;   // a second tap clears
      document.querySelectorAll("#dimensions .dim-btn").forEach(function (b) {
        if (b.dataset.dim === key) b.setAttribute("aria-pressed", String(answers[key] === Number(b.dataset.value)));
      });
    }

    function refused(err) {
      var el = $("#rate-error");
      GECC.showError(err, el);
      if (err.code === "already_rated") thanks();
      else if (err.code === "rating_closed") { state = "closed"; show("closed"); }
    }

    function send(event) {
      event.preventDefault();
      if (sending || score === null) return;
      sending = true;
      $("#rate-send").disabled = true;
      GECC.clearError($("#rate-error"));
      var body = { token: token, score: score };
      var comment = $("#comment").value.trim();
      if (comment) body.comment = comment;
      if (Object.keys(answers).length) body.dimensions = answers;
      GECC.post("/ratings", body).then(function () {
        thanks();
      }, refused).then(function () {
        sending = false;
        $("#rate-send").disabled = false;
      });
    }

    function thanks() {
      var fromForm = $("#rate-form").contains(document.activeElement);
      state = "given";
      show("thanks");
      if (fromForm) $("#thanks-h").focus();      // who sent it hears the thanks
    }

    function apply(form) {
      if (state === "given") return;            // rated meanwhile (ticket_rated came first)
      state = form.state;
      if (state === "open") {
        fillForm(form);
        show("form");
        if (!document.hidden) $("#rating").scrollIntoView({ block: "start" });
      } else if (state === "given") {
        show("thanks");
      } else if (state === "closed") {
        show("closed");
      } else {
        show(null);                              // not_yet, not_rated: nothing to rate
      }
    }

    /** Called with every new view of the ticket: a finished ticket offers its rating. */
    function follow(view) {
      if (view.status !== "finished") {
        if (view.status === "no_show" || view.status === "cancelled") show(null);
        return;
      }
      if (loading || (state && state !== "not_yet")) return;
      loading = true;
      GECC.get("/tickets/" + encodeURIComponent(token) + "/rating").then(apply, function (err) {
        GECC.showError(err, $("#rate-error"));
        $("#rating").hidden = false;
      }).then(function () { loading = false; });
    }

    document.querySelectorAll("#faces .face").forEach(function (f) { f.addEventListener("click", choose); });
    $("#comment").addEventListener("input", count);
    $("#rate-form").addEventListener("submit", send);

    return { follow: follow, thanks: thanks, state: function () { return state; } };
  })();

  GECC.loadOffice().then(function () { refresh(); });

  GECC.live({
    rooms: ["ticket:" + token],
    on: {
      snapshot: function (data) { if (data.ticket) set(data.ticket); },
      ticket_updated: set,
      ticket_rated: function (data) {
        if (ticket && data && data.ticket_id === ticket.id) rating.thanks();
      },
      ticket_called: function (call) {
        if (!ticket || call.ticket_id !== ticket.id) return;
        ticket.status = "called";
        ticket.counter = { id: call.counter_id, name: call.counter_name, number: call.counter_number };
        ticket.called_at = call.called_at;
        render();
        if (navigator.vibrate) { try { navigator.vibrate([300, 150, 300]); } catch (e) { /* ignore */ } }
      },
      error: function (err) {
        if (err && err.code === "not_found") {
          err = { message: "ไม่พบบัตรคิวนี้ / There is no ticket with this code." };
          $("#keep-open").hidden = true;
        }
        GECC.showError(err);
      }
    }
  });

  // People ahead change when others are called, which this ticket's room is not told:
  // ask again now and then while waiting.
  setInterval(function () {
    if (ticket && ticket.status === "waiting" && !document.hidden) refresh();
  }, 30000);
})();
