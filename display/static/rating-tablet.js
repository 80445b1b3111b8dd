/* The rating tablet facing the citizen at a counter (/rate/counter/<id>), for citizens
 * without a phone. The counter's id comes in body[data-counter-id].
 *
 *   not paired  a keypad for the 6-digit code the clerk's console shows:
 *               POST /api/v1/devices/pair -> the device token, kept in localStorage per counter
 *   idle        "Thank you", in room "counter:<id>" (public), waiting
 *   rate        on `ticket_finished` of this counter: five faces; one touch sends
 *               POST /api/v1/counters/<id>/ratings with Authorization: Bearer <token>
 *   thanks      ~5 s, then idle
 *
 * Back to idle when nobody touches a face within a minute, or when the visit is rated by
 * phone (`ticket_rated`); a newer `ticket_finished` replaces the one shown. A token the
 * server refuses (401, 403) is forgotten: back to the keypad, saying why. */
(function () {
  "use strict";
  var $ = GECC.$;
  var counterId = parseInt(document.body.dataset.counterId, 10);
  var STORE_KEY = "gecc.rating_tablet." + counterId;
  var CODE_LENGTH = 6;
  var OFFER_MS = 60000;      // the faces wait this long for a touch
  var THANKS_MS = 5000;

  var TEXT = {
    th: {
      toggle: "English", toggleLang: "en",
      pairTitle: "ใส่รหัสจับคู่จากหน้าจอเจ้าหน้าที่",
      pairHint: "ที่หน้าจอเจ้าหน้าที่ของช่องนี้ กด “แท็บเล็ตประเมิน” (K) แล้วกดรหัส 6 หลักที่นี่",
      keyClear: "ล้าง", keyDelete: "ลบ", pairing: "กำลังจับคู่…",
      idleTitle: "ขอบคุณที่ใช้บริการ",
      idleSub: "เมื่อให้บริการเสร็จ ท่านประเมินความพึงพอใจได้ที่นี่ แตะเพียงครั้งเดียว",
      rateTitle: "กรุณาประเมินความพึงพอใจ", numberWord: "หมายเลข",
      rateSub: "แตะหน้าที่ตรงกับความรู้สึกของท่าน", sending: "กำลังส่ง…",
      score5: "พอใจมาก", score4: "พอใจ", score3: "เฉยๆ", score2: "ไม่พอใจ", score1: "ไม่พอใจมาก",
      thanksTitle: "ขอบคุณสำหรับการประเมิน", thanksSub: "ความเห็นของท่านช่วยให้เราปรับปรุงบริการ",
      alreadyRated: "หมายเลขนี้ได้ประเมินไว้แล้ว",
      office: "ศูนย์บริการประชาชน", counter: "ช่องบริการ {n}", noCounter: "ไม่พบช่องบริการ {n}",
      codeRefused: "รหัสนี้ใช้ไม่ได้ (หมดอายุ ใช้ไปแล้ว หรือไม่ถูกต้อง) กรุณาขอรหัสใหม่จากเจ้าหน้าที่",
      tooMany: "กดรหัสหลายครั้งเกินไป กรุณารอสักครู่แล้วลองใหม่",
      network: "ติดต่อเซิร์ฟเวอร์ไม่ได้ กรุณาลองใหม่",
      pairFailed: "จับคู่ไม่สำเร็จ กรุณาลองใหม่หรือขอรหัสใหม่",
      unpaired: "แท็บเล็ตนี้ไม่ได้จับคู่กับช่องนี้แล้ว กรุณาให้เจ้าหน้าที่จับคู่ใหม่",
      sendFailed: "ส่งคะแนนไม่สำเร็จ กรุณาแตะอีกครั้ง",
      notRateable: "ประเมินหมายเลขนี้ไม่ได้แล้ว ขออภัยในความไม่สะดวก"
    },
    en: {
      toggle: "ภาษาไทย", toggleLang: "th",
      pairTitle: "Enter the pairing code from the clerk's screen",
      pairHint: "On this counter's console, press “Rating tablet” (K), then type its 6 digits here",
      keyClear: "Clear", keyDelete: "Delete", pairing: "Pairing…",
      idleTitle: "Thank you",
      idleSub: "When your visit is finished, you can rate it here with one touch",
      rateTitle: "Please rate your visit", numberWord: "Number",
      rateSub: "Touch the face that shows how you feel", sending: "Sending…",
      score5: "Very satisfied", score4: "Satisfied", score3: "Neutral", score2: "Dissatisfied",
      score1: "Very dissatisfied",
      thanksTitle: "Thank you for your rating", thanksSub: "Your answer helps us improve our service",
      alreadyRated: "This visit has already been rated",
      office: "Citizen service centre", counter: "Counter {n}", noCounter: "There is no counter {n}",
      codeRefused: "This code does not work (expired, used or mistyped). Ask the clerk for a new one",
      tooMany: "Too many tries. Please wait a moment and try again",
      network: "Cannot reach the server. Please try again",
      pairFailed: "Pairing did not work. Try again or ask for a new code",
      unpaired: "This tablet is no longer paired with this counter. Ask the clerk to pair it again",
      sendFailed: "Your rating was not sent. Please touch a face again",
      notRateable: "This visit can no longer be rated. Sorry"
    }
  };

  var lang = "th";
  var token = readToken();
  var screen = null;
  var shown = null;          // {ticket_id, number}: the visit the faces are for
  var offer = 0;             // counts offers: an answer for an older one changes nothing
  var sending = false;
  var pairing = false;
  var typed = "";
  var timer = null;
  var counter = null;        // the counter's public view (room snapshot)
  var counterMissing = false;
  var messages = { pair: null, rate: null };   // keys of the messages on screen
  var busy = { pair: null, rate: null };

  function other() { return lang === "th" ? "en" : "th"; }
  function t(key, language, n) {
    var text = TEXT[language || lang][key];
    if (text === undefined) text = TEXT.th[key] || "";
    return n === undefined ? text : text.replace("{n}", n);
  }

  // --- the token ----------------------------------------------------------------------

  function readToken() {
    try { return localStorage.getItem(STORE_KEY); } catch (e) { return null; }
  }
  function storeToken(id, value) {
    try { localStorage.setItem("gecc.rating_tablet." + id, value); } catch (e) { /* private mode */ }
  }
  function forgetToken() {
    try { localStorage.removeItem(STORE_KEY); } catch (e) { /* private mode */ }
    token = null;
  }

  // --- screens and words --------------------------------------------------------------

  function show(name) {
    screen = name;
    ["pair", "idle", "rate", "thanks"].forEach(function (s) { $("#screen-" + s).hidden = s !== name; });
    document.body.dataset.screen = name;
  }

  function setLang(next) {
    lang = next;
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-t]").forEach(function (el) { el.textContent = t(el.dataset.t); });
    document.querySelectorAll("[data-t-alt]").forEach(function (el) {
      el.textContent = t(el.dataset.tAlt, other());
    });
    document.querySelectorAll(".say-alt, .rt-face-alt").forEach(function (el) { el.setAttribute("lang", other()); });
    var toggle = $("#lang-toggle");
    toggle.textContent = t("toggle");
    toggle.setAttribute("lang", t("toggleLang"));
    renderWhere();
    renderMessage("pair");
    renderMessage("rate");
    renderBusy("pair");
    renderBusy("rate");
  }

  function renderWhere() {
    var office = GECC.office;
    GECC.setText("#office-name", office ? (lang === "en" && office.name_en ? office.name_en : office.name) : t("office"));
    var name;
    if (counterMissing) name = t("noCounter", lang, counterId);
    else if (!counter) name = t("counter", lang, counterId);
    else name = lang === "en" ? t("counter", "en", counter.number) : counter.name;
    GECC.setText("#counter-name", name);
    document.title = (counter ? counter.name + " · " : "") + "ประเมินความพึงพอใจ / Rating · GECC Queue";
  }

  /** The message `key` (or none) in the box of screen `where` ("pair", "rate"): the
   *  language shown first, the other under it. */
  function say(where, key) {
    messages[where] = key || null;
    renderMessage(where);
  }
  function renderMessage(where) {
    var key = messages[where];
    $("#" + where + "-error").hidden = !key;
    GECC.setText("#" + where + "-error-text", key ? t(key) : "");
    var alt = $("#" + where + "-error-alt");
    alt.textContent = key ? t(key, other()) : "";
    alt.setAttribute("lang", other());
  }
  function setBusy(where, key) {
    busy[where] = key || null;
    renderBusy(where);
  }
  function renderBusy(where) {
    var key = busy[where];
    GECC.setText("#" + where + "-busy", key ? t(key) + " / " + t(key, other()) : "");
  }

  function arm(ms, then) {
    clearTimeout(timer);
    timer = ms ? setTimeout(then, ms) : null;
  }

  /** Between citizens: idle (or the keypad, unpaired), in Thai. */
  function goIdle() {
    arm(0);
    offer += 1;
    shown = null;
    sending = false;
    setBusy("rate", null);
    say("rate", null);
    setLang("th");
    show(token ? "idle" : "pair");
  }

  function unpair(key) {
    forgetToken();
    typed = "";
    renderCode();
    goIdle();
    say("pair", key);
  }

  // --- pairing ------------------------------------------------------------------------

  function renderCode() {
    var slots = document.querySelectorAll("#pair-code .slot");
    slots.forEach(function (slot, i) { slot.textContent = typed.charAt(i); });
    $("#pair-code").dataset.value = typed;
    document.querySelectorAll("#keypad button").forEach(function (b) { b.disabled = pairing; });
  }

  function press(key) {
    if (pairing || screen !== "pair") return;
    if (key === "clear") typed = "";
    else if (key === "delete") typed = typed.slice(0, -1);
    else if (/^[0-9]$/.test(key) && typed.length < CODE_LENGTH) typed += key;
    else return;
    say("pair", null);
    renderCode();
    if (typed.length === CODE_LENGTH) pair(typed);
  }

  function pair(code) {
    pairing = true;
    setBusy("pair", "pairing");
    renderCode();
    GECC.post("/devices/pair", { code: code }).then(function (answer) {
      storeToken(answer.counter_id, answer.token);
      if (answer.counter_id !== counterId) {
        // The code was made at another counter: this tablet is that counter's now.
        location.replace("/rate/counter/" + answer.counter_id);
        return;
      }
      token = answer.token;
      typed = "";
      goIdle();
    }, function (err) {
      typed = "";
      say("pair", err.code === "pairing_refused" || err.status === 400 ? "codeRefused"
        : err.code === "rate_limited" ? "tooMany" : err.code === "network" ? "network" : "pairFailed");
    }).then(function () {
      pairing = false;
      setBusy("pair", null);
      renderCode();
    });
  }

  document.querySelectorAll("#keypad button").forEach(function (b) {
    b.addEventListener("click", function () { press(b.dataset.key); });
  });
  document.addEventListener("keydown", function (e) {
    if (screen !== "pair" || e.ctrlKey || e.metaKey || e.altKey) return;
    var digit = /^(?:Digit|Numpad)([0-9])$/.exec(e.code);
    if (digit) press(digit[1]);
    else if (e.key === "Backspace") press("delete");
    else if (e.key === "Escape") press("clear");
    else return;
    e.preventDefault();
  });

  // --- rating -------------------------------------------------------------------------

  function offerRating(finished) {
    if (!token || finished.counter_id !== counterId) return;
    offer += 1;
    shown = { ticket_id: finished.ticket_id, number: finished.number };
    sending = false;
    setBusy("rate", null);
    say("rate", null);
    setLang("th");                       // a new citizen
    document.querySelectorAll("[data-number]").forEach(function (el) { el.textContent = finished.number; });
    renderFaces(null);
    show("rate");
    arm(OFFER_MS, goIdle);
  }

  function renderFaces(chosen) {
    document.querySelectorAll("#faces [data-score]").forEach(function (b) {
      b.disabled = sending || messages.rate === "notRateable";
      b.classList.toggle("chosen", b.dataset.score === chosen);
    });
  }

  function thank(subKey) {
    arm(0);
    shown = null;
    sending = false;
    var sub = $("#thanks-sub [data-t]");
    sub.dataset.t = subKey;
    $("#thanks-sub [data-t-alt]").dataset.tAlt = subKey;
    setLang(lang);
    show("thanks");
    arm(THANKS_MS, goIdle);
  }

  function rate(score) {
    if (screen !== "rate" || sending || !shown || messages.rate === "notRateable") return;
    var mine = offer;
    sending = true;
    say("rate", null);
    setBusy("rate", "sending");
    renderFaces(score);
    GECC.api("/counters/" + counterId + "/ratings", {
      method: "POST",
      body: { ticket_id: shown.ticket_id, score: parseInt(score, 10) },
      headers: { "Authorization": "Bearer " + token }
    }).then(function () {
      if (mine === offer) thank("thanksSub");
    }, function (err) {
      if (mine !== offer) return;
      sending = false;
      setBusy("rate", null);
      if (err.status === 401 || err.status === 403) { unpair("unpaired"); return; }
      if (err.code === "already_rated") { thank("alreadyRated"); return; }
      if (err.status === 404 || err.status === 409) {
        say("rate", "notRateable");      // closed, or not this counter's visit: nothing to retry
        renderFaces(null);
        arm(THANKS_MS, goIdle);
        return;
      }
      say("rate", "sendFailed");         // the network, the server: touch again
      renderFaces(null);
    });
  }

  document.querySelectorAll("#faces [data-score]").forEach(function (b) {
    b.addEventListener("click", function () { rate(b.dataset.score); });
  });

  $("#lang-toggle").addEventListener("click", function () {
    setLang(other());
    if (screen === "rate" && !sending && messages.rate !== "notRateable") arm(OFFER_MS, goIdle);
  });
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });

  // --- start --------------------------------------------------------------------------

  goIdle();
  renderCode();
  GECC.loadOffice().then(renderWhere);
  GECC.live({
    rooms: ["counter:" + counterId],
    on: {
      snapshot: function (data) {
        if (data.room !== "counter:" + counterId) return;
        counter = data.counter;
        counterMissing = false;
        renderWhere();
      },
      counter_updated: function (view) {
        if (!view || view.id !== counterId) return;
        counter = view;
        renderWhere();
      },
      ticket_finished: offerRating,
      ticket_rated: function (rated) {
        // Rated by phone: the faces are not wanted. (Our own rating's answer is on its way.)
        if (screen === "rate" && shown && rated.ticket_id === shown.ticket_id && !sending) goIdle();
      },
      join_failed: function () {
        counterMissing = true;
        renderWhere();
      }
    }
  });
})();
