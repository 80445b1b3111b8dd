/* The self-assessment (/manager/assessment): a manual item's answer (done or not, a note)
 * and its file, recorded through the API (POST /assessment/answers, then its file); the page
 * then reloads, so the estimated score and what is missing are the server's own again. */
(function () {
  var period = document.getElementById("assessment-period");
  if (!period) return;

  function upload(answerId, file) {
    var body = new FormData();
    body.append("file", file);
    return fetch("/api/v1/assessment/answers/" + answerId + "/files", {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": GECC.csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) return data;
        var err = (data && data.error) || {};
        throw GECC.ApiError(err.message || "HTTP " + response.status, err.code || "http_" + response.status,
                            response.status);
      });
    });
  }

  document.querySelectorAll("form.answer-form").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var error = form.querySelector(".error");
      var button = form.querySelector("button[type=submit]");
      var file = form.querySelector("input[type=file]").files[0];
      GECC.clearError(error);
      if (file && file.size > 5 * 1024 * 1024) {
        GECC.showError(new Error("ไฟล์ใหญ่เกิน 5 MB / The file is over 5 MB"), error);
        return;
      }
      button.disabled = true;
      GECC.post("/assessment/answers", {
        item_id: form.dataset.item, met: form.querySelector("input[name=met]").checked,
        note: form.querySelector("input[name=note]").value.trim() || null,
        from: period.dataset.answerFrom, to: period.dataset.answerTo
      }).then(function (item) {
        return file ? upload(item.answer.id, file) : null;
      }).then(function () {
        location.hash = "item-" + form.dataset.item.replace(/\./g, "-");
        location.reload();
      }).catch(function (err) {
        button.disabled = false;
        if (!GECC.loginIfNeeded(err)) GECC.showError(err, error);
      });
    });
  });
})();
