/* The public complaint form (/complain): the office's categories and consent line
 * (GET /api/v1/complaint-form), then POST /api/v1/complaints as multipart (files) with the
 * ticket's token when it came from a ticket's status page. The receipt shows the tracking
 * code and its QR; a refusal is said in Thai and English and the form keeps what was typed. */
(function () {
  "use strict";
  var $ = GECC.$, h = GECC.h, C = window.GECCComplaint;
  var body = document.body;
  var ticketToken = body.dataset.ticketToken || "";
  var via = body.dataset.via || "web";
  var limits = { text_max_chars: 5000 };
  var busy = false;

  $("#linked").hidden = !ticketToken;

  function countText() {
    var n = $("#text").value.length;
    var el = $("#text-count");
    el.textContent = n.toLocaleString("th-TH") + " / " + limits.text_max_chars.toLocaleString("th-TH");
    el.classList.toggle("over", n > limits.text_max_chars);
  }
  $("#text").addEventListener("input", countText);

  GECC.loadOffice();
  GECC.get("/complaint-form").then(function (form) {
    limits = form;
    var box = $("#categories");
    form.categories.forEach(function (c, i) {
      box.appendChild(h("label", null,
        h("input", { type: "radio", name: "category", value: c.key, checked: i === 0 }),
        h("span", { class: "bi" }, h("span", { class: "th" }, c.name_th),
          h("span", { class: "en", lang: "en" }, c.name_en))));
    });
    GECC.setText("#consent-th", form.consent_th);
    GECC.setText("#consent-en", form.consent_en);
    GECC.setText("#files-hint", "ไม่เกิน " + form.files.max_count + " ไฟล์ ไฟล์ละไม่เกิน "
      + Math.round(form.files.max_bytes / 1048576) + " MB (JPEG, PNG, WebP, PDF) / up to "
      + form.files.max_count + " files, " + Math.round(form.files.max_bytes / 1048576) + " MB each");
    countText();
  }, function (err) { GECC.showError({ message: C.errorText(err) }); });

  function fail(message) {
    var el = $("#error");
    el.textContent = message;
    el.hidden = false;
    el.scrollIntoView({ block: "center" });
  }

  $("#complaint-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    GECC.clearError();
    if (!$("#text").value.trim()) {
      fail("กรุณาเขียนรายละเอียดเรื่อง / Write what the complaint is about.");
      $("#text").focus();
      return;
    }
    if (!$("#consent").checked) {
      fail("กรุณาอ่านและยินยอมการเก็บข้อมูลก่อนส่ง / Please read and tick the consent line first.");
      $("#consent").focus();
      return;
    }
    var form = new FormData();
    form.append("text", $("#text").value);
    var category = document.querySelector('input[name="category"]:checked');
    if (category) form.append("category", category.value);
    if ($("#contact").value.trim()) form.append("contact", $("#contact").value);
    if (ticketToken) form.append("ticket_token", ticketToken);
    form.append("via", via);
    form.append("consent", "true");
    Array.prototype.forEach.call($("#files").files, function (file) { form.append("files", file); });
    busy = true;
    $("#send").disabled = true;
    C.postForm("/complaints", form).then(showReceipt, function (err) {
      fail(C.errorText(err));
    }).then(function () {
      busy = false;
      $("#send").disabled = false;
    });
  });

  function showReceipt(receipt) {
    $("#form-card").hidden = true;
    var card = $("#receipt");
    card.hidden = false;
    GECC.setText("#receipt-code", receipt.code_display);
    $("#receipt-qr").src = receipt.qr_url;
    $("#receipt-link").href = "/c/" + receipt.code;
    GECC.setText("#receipt-due", "กำหนดแล้วเสร็จภายใน " + C.day(receipt.due_on) + " / Due by "
      + C.day(receipt.due_on, "en-GB"));
    $("#receipt-h").focus();
  }

  $("#track-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = C.normalise($("#track-code").value);
    if (code) location.href = "/c/" + encodeURIComponent(code);
  });
})();
