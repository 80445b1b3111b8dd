/* The evidence pack (/manager/packs): start the pack of a period (a background job on the
 * server), follow its progress, then download it; the last packs listed for download. */
(function () {
  var h = GECC.h;
  var form = document.getElementById("pack-form");
  var button = document.getElementById("pack-make");
  var box = document.getElementById("pack-progress");
  var bar = document.getElementById("pack-bar");
  var errorBox = document.getElementById("pack-error");
  var STATES = { running: "กำลังทำ / making", zipping: "กำลังรวมไฟล์ / zipping",
                 done: "เสร็จแล้ว / ready", failed: "ไม่สำเร็จ / failed" };

  function mb(size) { return ((size || 0) / 1048576).toFixed(2) + " MB"; }

  function row(p) {
    return h("tr", { dataset: { pack: p.id, state: p.state } },
      h("td", null, p.from + " – " + p.to), h("td", null, STATES[p.state] || p.state),
      h("td", null, p.by), h("td", null, p.finished_at ? GECC.formatTime(p.finished_at, "datetime") : "—"),
      h("td", null, mb(p.size)),
      h("td", null, p.download_url ? h("a", { href: p.download_url, download: "" }, "ดาวน์โหลด / Download")
                                   : (p.error || "—")));
  }

  function list() {
    return GECC.get("/evidence/packs").then(function (answer) {
      var body = document.getElementById("packs-body");
      var rows = answer.packs.map(row);
      if (!rows.length) rows = [h("tr", { class: "none" }, h("td", { colspan: 6, class: "muted" }, "ยังไม่มีชุดหลักฐาน / No packs yet"))];
      body.replaceChildren.apply(body, rows);
      return answer.packs;
    });
  }

  function show(p) {
    box.hidden = false;
    bar.value = p.progress;
    var files = p.files_written.length ? " (" + p.files_written.join(", ") + ")" : "";
    GECC.setText("#pack-status", (STATES[p.state] || p.state) + " " + p.from + " – " + p.to + ": "
                 + Math.round(p.progress * 100) + " %" + files);
  }

  function follow(id) {
    GECC.get("/evidence/packs/" + encodeURIComponent(id)).then(function (p) {
      show(p);
      if (p.state === "running" || p.state === "zipping") { setTimeout(function () { follow(id); }, 700); return; }
      button.disabled = false;
      list();
      if (p.state === "done") {
        var link = h("a", { href: p.download_url, download: "", id: "pack-download", class: "btn ok" },
                     "ดาวน์โหลดชุดหลักฐาน / Download the pack");
        box.querySelectorAll("#pack-download").forEach(function (n) { n.remove(); });
        box.appendChild(link);
        link.click();
      } else {
        GECC.showError(new Error("ทำชุดหลักฐานไม่สำเร็จ / The pack failed: " + (p.error || "")), errorBox);
      }
    }, function (err) {
      button.disabled = false;
      if (!GECC.loginIfNeeded(err)) GECC.showError(err, errorBox);
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    GECC.clearError(errorBox);
    button.disabled = true;
    GECC.post("/evidence/packs", { from: document.getElementById("pack-from").value,
                                   to: document.getElementById("pack-to").value }).then(function (p) {
      show(p);
      follow(p.id);
    }, function (err) {
      button.disabled = false;
      if (!GECC.loginIfNeeded(err)) GECC.showError(err, errorBox);
    });
  });

  // A pack still being made when the page opens: follow it.
  list().then(function (packs) {
    var running = packs.filter(function (p) { return p.state === "running" || p.state === "zipping"; })[0];
    if (running) { button.disabled = true; follow(running.id); }
  });
})();
