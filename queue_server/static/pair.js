/* A device's pairing page (/pair): asks the server for a code, shows it, and waits until an
 * administrator types it on the devices page; then keeps its token and opens its own screen
 * (a rating tablet keeps the token where its page reads it). */
(function () {
  "use strict";
  var codeEl = document.getElementById("pair-code");
  var stateEl = document.getElementById("pair-state");
  var request = null;

  function say(th, en) {
    stateEl.textContent = th + " ";
    var span = document.createElement("span");
    span.lang = "en";
    span.textContent = en;
    stateEl.appendChild(span);
  }

  function keep(answer) {
    try {
      if (answer.device.kind === "tablet") {
        localStorage.setItem("gecc.rating_tablet." + answer.device.counter_id, answer.token);
      } else {
        localStorage.setItem("gecc.device.token", answer.token);
        localStorage.setItem("gecc.device.office", String(answer.office_id));
      }
    } catch (e) { /* private mode: the screen still opens */ }
  }

  function ask() {
    GECC.post("/devices/pairing-requests").then(function (answer) {
      request = answer;
      codeEl.textContent = answer.code;
      say("รอผู้ดูแลระบบพิมพ์รหัส…", "Waiting for an administrator to type the code…");
      setTimeout(poll, 2000);
    }).catch(function (err) {
      say("ขอรหัสไม่ได้ จะลองใหม่", err.message || "Could not get a code; trying again.");
      setTimeout(ask, 5000);
    });
  }

  function poll() {
    GECC.post("/devices/pairing-requests/" + request.request_id + "/collect",
              { secret: request.secret }).then(function (answer) {
      if (answer.status === "paired") {
        keep(answer);
        say("จับคู่แล้ว กำลังเปิดหน้าจอ…", "Paired: opening the screen…");
        location.href = answer.open;
      } else if (answer.status === "expired") {
        ask();
      } else {
        setTimeout(poll, 2000);
      }
    }).catch(function () { setTimeout(poll, 4000); });
  }

  ask();
})();
