/* The citizen's ticket status page (/t/<token>): the token comes in body[data-token];
 * room "ticket:<token>" tells when the ticket is called. */
(function () {
  "use strict";
  var $ = GECC.$;
  var token = document.body.dataset.token;
  var ticket = null;
  var busy = false;

  function render() {
    if (!ticket) return;
    var t = ticket;
    $("#card").hidden = false;
    GECC.setText("#number", t.number);
    GECC.setText("#service", t.service_name_th + " / " + t.service_name_en);
    var pr = $("#priority");
    pr.hidden = t.priority === "normal";
    pr.textContent = GECC.priorityText(t.priority) + " / " + GECC.priorityText(t.priority, "en");
    var st = $("#status");
    st.textContent = GECC.statusText(t.status);
    st.appendChild(GECC.h("small", null, GECC.statusText(t.status, "en")));

    var atCounter = (t.status === "called" || t.status === "serving") && t.counter;
    $("#called").hidden = !atCounter;
    if (atCounter) GECC.setText("#counter", t.counter.name + " (" + t.counter.number + ")");
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
    if (view.status === "called" && !wasCalled && navigator.vibrate) {
      try { navigator.vibrate([300, 150, 300]); } catch (e) { /* not allowed */ }
    }
  }

  function refresh() {
    return GECC.get("/tickets/" + encodeURIComponent(token)).then(set, function (err) {
      if (err.status === 404) err = { message: "ไม่พบบัตรคิวนี้ / There is no ticket with this code." };
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

  GECC.loadOffice().then(function () { refresh(); });

  GECC.live({
    rooms: ["ticket:" + token],
    on: {
      snapshot: function (data) { if (data.ticket) set(data.ticket); },
      ticket_updated: set,
      ticket_called: function (call) {
        if (!ticket || call.ticket_id !== ticket.id) return;
        ticket.status = "called";
        ticket.counter = { id: call.counter_id, name: call.counter_name, number: call.counter_number };
        ticket.called_at = call.called_at;
        render();
        if (navigator.vibrate) { try { navigator.vibrate([300, 150, 300]); } catch (e) { /* ignore */ } }
      },
      error: function (err) {
        if (err && err.code === "not_found") err = { message: "ไม่พบบัตรคิวนี้ / There is no ticket with this code." };
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
