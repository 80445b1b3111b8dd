/* The small screen above a counter (/display/counter/<id>): the id comes in
 * body[data-counter-id]; room "counter:<id>" keeps it current. */
(function () {
  "use strict";
  var counterId = parseInt(document.body.dataset.counterId, 10);
  var counter = null;
  var flashTimer = null;

  function render() {
    if (!counter) return;
    GECC.setText("#name", counter.name);
    document.title = counter.name + " · GECC Queue";
    var cur = counter.current;
    document.body.classList.toggle("closed", !counter.is_open && !cur);
    GECC.setText("#number", cur ? cur.number : (counter.is_open ? "—" : "ปิด"));
    var status;
    if (cur && cur.status === "called") status = "ขอเชิญ / Please come";
    else if (cur && cur.status === "serving") status = "กำลังให้บริการ / Serving";
    else if (!counter.is_open) status = "ปิดให้บริการ / Closed";
    else status = "รอเรียกคิว / Waiting for the next call";
    GECC.setText("#status", status);
    GECC.setText("#service", cur && cur.service_name_th ? cur.service_name_th + " / " + cur.service_name_en : "");
    // The number blinks while the citizen is being called, not once they are served, the
    // ticket is done or the counter has closed.
    if (!cur || cur.status !== "called") stopFlash();
  }

  function stopFlash() {
    clearTimeout(flashTimer);
    document.body.classList.remove("flash");
  }

  function flash() {
    document.body.classList.remove("flash");
    void document.body.offsetWidth;
    document.body.classList.add("flash");
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () { document.body.classList.remove("flash"); }, 7000);
  }

  GECC.live({
    rooms: ["counter:" + counterId],
    on: {
      snapshot: function (data) {
        if (data.room !== "counter:" + counterId) return;
        GECC.clearError();
        counter = data.counter;
        render();
      },
      counter_updated: function (view) {
        if (!view || view.id !== counterId) return;
        counter = view;
        render();
      },
      ticket_called: function (call) {
        if (call.counter_id !== counterId || !counter) return;
        // The counter's own update follows; show the number at once all the same.
        if (!counter.current || counter.current.number !== call.number) {
          counter.current = { number: call.number, status: "called", service_name_th: "", service_name_en: "" };
        }
        counter.current.status = "called";
        render();
        flash();
      },
      error: function (err) { GECC.showError(err); }
    }
  });
})();
