/* A complaint's tracking page (/c/<code>): GET /api/v1/complaints/<code> and the live room
 * "complaint:<code>", whose snapshot and `complaint_updated` events carry the same public view
 * (status and dated public steps; no staff names, no contact, no internal notes). */
(function () {
  "use strict";
  var $ = GECC.$, h = GECC.h, C = window.GECCComplaint;
  var code = document.body.dataset.code;

  function render(view) {
    if (!view || view.code !== code) return;
    GECC.clearError();
    $("#card").hidden = false;
    GECC.setText("#code", view.code_display);
    var pill = $("#status");
    pill.className = "status-pill s-" + view.status;
    pill.textContent = C.stepText(view.status) + " / " + C.stepText(view.status, "en");
    $("#overdue").hidden = !view.overdue;
    GECC.setText("#category", view.category.name_th + " / " + view.category.name_en);
    GECC.setText("#received", GECC.formatTime(view.received_at, "datetime") + " น.");
    GECC.setText("#due", C.day(view.due_on));
    $("#agency").hidden = $("#agency-dt").hidden = !view.agency;
    GECC.setText("#agency", view.agency || "");
    var list = $("#steps");
    list.replaceChildren.apply(list, view.steps.map(function (step) {
      return h("li", { dataset: { kind: step.kind, status: step.status } },
        h("strong", null, C.stepText(step.kind) + " / " + C.stepText(step.kind, "en")),
        step.agency ? h("div", null, step.agency) : null,
        h("div", { class: "when" }, GECC.formatTime(step.at, "datetime") + " น."),
        step.note ? h("p", { class: "note" }, step.note) : null);
    }));
    GECC.setText("#updated", "ข้อมูลเมื่อ / As of " + GECC.formatTime(new Date(), "seconds") + " น.");
    document.title = view.code_display + " · " + C.stepText(view.status) + " · GECC Queue";
  }

  function missing(err) {
    if (err && (err.status === 404 || err.code === "not_found")) {
      GECC.showError({ message: "ไม่พบเรื่องร้องเรียนรหัสนี้ กรุณาตรวจสอบรหัส / There is no complaint with this code." });
    } else {
      GECC.showError({ message: C.errorText(err) });
    }
  }

  GECC.loadOffice().then(function () {
    return GECC.get("/complaints/" + encodeURIComponent(code)).then(function (view) {
      render(view);
      GECC.live({ rooms: ["complaint:" + view.code], on: {
        snapshot: function (snap) { if (snap.complaint) render(snap.complaint); },
        complaint_updated: render
      } });
    }, missing);
  });
})();
