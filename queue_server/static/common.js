/* GECC Queue: helpers shared by every page. Only the public JSON API (/api/v1) and the
 * Socket.IO live events are used; nothing here knows about the server's internals.
 *
 *   GECC.api(path, {method, body, headers})  JSON fetch with the CSRF header; throws
 *                                    GECC.ApiError (.code, .status, .messageTh/.messageEn
 *                                    when the server words it in Thai itself, as a 429 does)
 *   GECC.get(path) / GECC.post(path, body)
 *   GECC.showError(err, el) / GECC.clearError(el)
 *   GECC.loadOffice()                GET /api/v1/office (once), sets GECC.timezone
 *   GECC.formatTime(iso, style)      UTC ISO -> office time, Thai Buddhist-era dates
 *   GECC.live({rooms, on})           socket.io with a reconnecting sign; re-joins rooms
 *   GECC.h(tag, attrs, ...children)  tiny DOM builder (text is never parsed as HTML)
 */
(function () {
  "use strict";

  var GECC = (window.GECC = window.GECC || {});

  GECC.timezone = "Asia/Bangkok";
  GECC.locale = "th-TH-u-ca-buddhist";

  // --- DOM -------------------------------------------------------------------------

  /** h("p", {class: "x", onclick: fn}, "text", otherNode): children are text or nodes. */
  GECC.h = function (tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key.slice(0, 2) === "on" && typeof value === "function") {
          node.addEventListener(key.slice(2), value);
        } else if (key === "class") {
          node.className = value;
        } else if (key === "dataset") {
          Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; });
        } else if (value === true) {
          node.setAttribute(key, "");
        } else {
          node.setAttribute(key, String(value));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  };

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  GECC.$ = function (selector, root) { return (root || document).querySelector(selector); };

  GECC.setText = function (selectorOrNode, text) {
    var node = typeof selectorOrNode === "string" ? GECC.$(selectorOrNode) : selectorOrNode;
    if (node) node.textContent = text === null || text === undefined ? "" : String(text);
  };

  // --- HTTP ------------------------------------------------------------------------

  /** The office of a public page served under /o/<office>/ (several offices on one
   *  server): its API calls and its rooms are that office's. Empty: the server's first. */
  GECC.officeId = document.documentElement.dataset.office || "";

  GECC.csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };

  function ApiError(message, code, status, details) {
    var error = new Error(message);
    error.name = "ApiError";
    error.code = code;
    error.status = status;
    error.details = details || [];
    return error;
  }
  GECC.ApiError = ApiError;

  /** JSON request to the API. `path` is "/api/..." or relative to /api/v1 ("/services").
   *  `headers` adds to the request's (a device's Authorization: Bearer <token>).
   *  Resolves to the parsed body; rejects with an error carrying .code, .status and the
   *  server's {"error": {"message"}} as .message. */
  GECC.api = function (path, options) {
    options = options || {};
    var method = (options.method || (options.body !== undefined ? "POST" : "GET")).toUpperCase();
    var url = path.indexOf("/api/") === 0 ? path : "/api/v1" + (path.charAt(0) === "/" ? "" : "/") + path;
    var headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
    if (GECC.officeId) headers["X-Gecc-Office"] = GECC.officeId;  // a page of /o/<office>/
    var init = { method: method, headers: headers, credentials: "same-origin", cache: "no-store" };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    if (method !== "GET" && method !== "HEAD") {
      var token = GECC.csrfToken();
      if (token) headers["X-CSRFToken"] = token;
    }
    return fetch(url, init).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        if (text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
        if (response.ok) return data;
        var err = (data && data.error) || {};
        var message = err.message || ("HTTP " + response.status + " " + (response.statusText || ""));
        var error = ApiError(message, err.code || "http_" + response.status, response.status, err.details);
        error.body = err;   // the refusal's other fields (e.g. call-next's `previous`)
        if (err.message_th) { error.messageTh = err.message_th; error.messageEn = err.message_en || message; }
        throw error;
      });
    }, function () {
      throw ApiError("ติดต่อเซิร์ฟเวอร์ไม่ได้ / Cannot reach the server", "network", 0);
    });
  };
  GECC.get = function (path) { return GECC.api(path, { method: "GET" }); };
  GECC.post = function (path, body) { return GECC.api(path, { method: "POST", body: body || {} }); };

  /** Staff pages: a 401 means the session ended; go to the log-in page and come back. */
  GECC.loginIfNeeded = function (err) {
    if (err && err.status === 401) {
      var next = location.pathname + location.search;
      location.href = "/login?next=" + encodeURIComponent(next);
      return true;
    }
    return false;
  };

  // --- messages --------------------------------------------------------------------

  // The server explains in English; staff read Thai first. By the API's error code.
  var ERROR_TH = {
    queue_empty: "ไม่มีผู้รอคิว", counter_closed: "ช่องบริการปิดอยู่ เปิดช่องก่อน",
    invalid_transition: "ทำรายการนี้กับคิวในสถานะนี้ไม่ได้", conflict: "ทำรายการนี้ไม่ได้ในขณะนี้",
    service_closed: "บริการนี้ปิดรับบัตรคิวอยู่", not_found: "ไม่พบรายการนี้",
    invalid_input: "ข้อมูลไม่ถูกต้อง", invalid_request: "ข้อมูลไม่ถูกต้อง",
    forbidden: "บัญชีนี้ไม่มีสิทธิ์ทำรายการนี้", unauthorized: "กรุณาเข้าสู่ระบบใหม่",
    bad_request: "คำขอไม่ถูกต้อง ลองโหลดหน้าใหม่",
    already_rated: "บัตรคิวนี้ได้รับการประเมินแล้ว ขอบคุณที่ประเมิน",
    not_finished: "ยังประเมินไม่ได้ ประเมินได้เมื่อรับบริการเสร็จแล้ว",
    rating_closed: "หมดเวลาประเมินความพึงพอใจของบัตรคิวนี้แล้ว",
    rate_limited: "ส่งคำขอถี่เกินไป กรุณารอสักครู่แล้วลองใหม่",
    invalid_rating: "คะแนนหรือความคิดเห็นไม่ถูกต้อง กรุณาตรวจสอบแล้วส่งใหม่"
  };

  /** An error as staff read it: the server's English after a Thai lead for its code; a
   *  refusal that comes with its own Thai (a 429's message_th) is shown in its own words. */
  GECC.errorText = function (err) {
    if (err && err.messageTh) return err.messageTh + " / " + err.messageEn;
    var message = (err && err.message) || String(err);
    var th = err && err.name === "ApiError" && ERROR_TH[err.code];
    return th ? th + " / " + message : message;
  };

  GECC.showError = function (err, el) {
    el = el || document.getElementById("error");
    var message = GECC.errorText(err);
    if (!el) { window.console && console.error(message); return; }
    el.textContent = message;
    el.hidden = false;
  };
  GECC.clearError = function (el) {
    el = el || document.getElementById("error");
    if (el) { el.textContent = ""; el.hidden = true; }
  };

  // --- time ------------------------------------------------------------------------

  var formatters = {};
  var STYLES = {
    time: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
    seconds: { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" },
    date: { day: "numeric", month: "long", year: "numeric" },
    shortdate: { day: "numeric", month: "short", year: "2-digit" },
    datetime: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
    weekday: { weekday: "long", day: "numeric", month: "long", year: "numeric" }
  };

  GECC.setTimezone = function (tz) {
    if (!tz || tz === GECC.timezone) return;
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      GECC.timezone = tz;
      formatters = {};
    } catch (e) { /* unknown zone: keep the default */ }
  };

  var officePromise = null;
  /** GET /api/v1/office once; sets GECC.timezone. Never rejects (falls back to defaults). */
  GECC.loadOffice = function () {
    if (!officePromise) {
      officePromise = GECC.get("/office").then(function (office) {
        GECC.office = office;
        GECC.setTimezone(office && office.timezone);
        return office;
      }, function () { return null; });
    }
    return officePromise;
  };

  /** A UTC ISO instant ("2025-01-02T03:04:05Z") in the office's zone. style: time,
   *  seconds, date, shortdate, datetime, weekday. Dates use the Buddhist era (2568). */
  GECC.formatTime = function (iso, style, locale) {
    if (!iso) return "";
    var date = iso instanceof Date ? iso : new Date(iso);
    if (isNaN(date.getTime())) return "";
    style = style || "time";
    locale = locale || GECC.locale;
    var key = locale + "|" + style + "|" + GECC.timezone;
    if (!formatters[key]) {
      var opts = Object.assign({ timeZone: GECC.timezone }, STYLES[style] || STYLES.time);
      try { formatters[key] = new Intl.DateTimeFormat(locale, opts); }
      catch (e) { formatters[key] = new Intl.DateTimeFormat(undefined, opts); }
    }
    return formatters[key].format(date);
  };

  /** A printer's state in words, Thai or English (`lang` "en"), from its state (GET
   *  /printers, an issue answer's `printer`); the agent's own `detail` is English and for
   *  the technician. */
  var PRINTER_WORDS = {
    unknown: ["ไม่ทราบสถานะ", "state unknown"], ready: ["พร้อม", "ready"],
    low: ["กระดาษใกล้หมด", "paper low"], silent: ["ยังไม่มีเครื่องพิมพ์รายงานสถานะ", "no printer has reported"],
    offline: ["ออฟไลน์", "offline"], cover: ["ฝาเครื่องเปิดอยู่", "cover open"], out: ["กระดาษหมด", "out of paper"]
  };
  GECC.printerText = function (p, lang) {
    var key = "unknown";
    if (p && p.usable) key = p.paper === "low" ? "low" : "ready";
    else if (p && !p.online) key = p.updated_at ? "offline" : "silent";
    else if (p && p.cover_open) key = "cover";
    else if (p && p.paper === "out") key = "out";
    return PRINTER_WORDS[key][lang === "en" ? 1 : 0];
  };

  /** Minutes of expected wait, in words. null means no open counter serves the queue. */
  GECC.formatEta = function (minutes, lang) {
    var en = lang === "en";
    if (minutes === null || minutes === undefined) return en ? "no counter open" : "ยังไม่มีช่องเปิดให้บริการ";
    if (minutes <= 0) return en ? "next" : "ถัดไป";
    if (minutes >= 60) {
      var hours = Math.floor(minutes / 60), rest = minutes % 60;
      return en ? "about " + hours + " h" + (rest ? " " + rest + " min" : "")
                : "ประมาณ " + hours + " ชม." + (rest ? " " + rest + " นาที" : "");
    }
    return en ? "about " + minutes + " min" : "ประมาณ " + minutes + " นาที";
  };

  // --- words -----------------------------------------------------------------------

  GECC.STATUS = {
    waiting: { th: "รอเรียกคิว", en: "Waiting" },
    called: { th: "ถึงคิวแล้ว เชิญที่ช่องบริการ", en: "Called: please go to the counter" },
    serving: { th: "กำลังรับบริการ", en: "Being served" },
    finished: { th: "รับบริการเสร็จสิ้น", en: "Finished" },
    no_show: { th: "ไม่มาตามเรียก", en: "Did not come" },
    cancelled: { th: "ยกเลิกแล้ว", en: "Cancelled" }
  };
  GECC.PRIORITIES = [
    { value: "normal", th: "ปกติ", en: "Normal" },
    { value: "elderly", th: "ผู้สูงอายุ", en: "Elderly" },
    { value: "disabled", th: "ผู้พิการ", en: "Disabled" },
    { value: "pregnant", th: "หญิงตั้งครรภ์", en: "Pregnant" },
    { value: "monk", th: "พระภิกษุสงฆ์", en: "Monk" }
  ];
  GECC.statusText = function (status, lang) {
    var s = GECC.STATUS[status];
    return s ? s[lang === "en" ? "en" : "th"] : status;
  };
  GECC.priorityText = function (value, lang) {
    for (var i = 0; i < GECC.PRIORITIES.length; i++) {
      if (GECC.PRIORITIES[i].value === value) return GECC.PRIORITIES[i][lang === "en" ? "en" : "th"];
    }
    return value;
  };

  // --- live events -----------------------------------------------------------------

  // A join the server has not answered in this time counts as done (the page then shows live
  // events rather than a sign for ever); a snapshot takes milliseconds.
  var JOIN_WAIT_MS = 10000;

  function banner() {
    var el = document.getElementById("conn-banner");
    if (!el) {
      el = GECC.h("div", { id: "conn-banner", class: "conn-banner", role: "status", "aria-live": "polite", hidden: true });
      document.body.appendChild(el);
    }
    return el;
  }

  var lastUse = 0;
  ["pointerdown", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, function () { lastUse = Date.now(); }, true);
  });
  var reloading = null;
  /** Reload the page when it has not been used for 15 s (at once if it never was). */
  GECC.reloadWhenIdle = function () {
    if (reloading) return;
    reloading = setInterval(function () {
      if (Date.now() - lastUse >= 15000) { clearInterval(reloading); location.reload(); }
    }, 1000);
  };

  /** Connect to the live events of this origin.
   *   rooms: the rooms to be in (re-joined on every connect; the server answers `snapshot`)
   *   on:    {event: handler}, e.g. {snapshot: fn, ticket_called: fn}
   * Returns {socket, setRooms(list), rooms()}. Until the page is connected and has the
   * snapshot of each of its rooms, a sign "กำลังเชื่อมต่อใหม่ / Reconnecting" is shown and body
   * has the class `is-offline`: the sign goes only when the screen is up to date.
   *
   * After a (re)connect, events that arrive before the rooms' snapshots are held and handed
   * on after them, in order: the server joins the room before it reads the snapshot, so an
   * event can come first, and the older snapshot must not undo it (a call made just as a
   * display reconnects stays on screen, and is announced). */
  GECC.live = function (options) {
    options = options || {};
    var rooms = (options.rooms || []).slice();
    var handlers = Object.assign({}, options.on || {});
    // The office's set-up changed (admin pages): read it afresh, once nobody is using the
    // screen (a citizen at the kiosk, a clerk typing), unless the page handles it itself.
    if (!handlers.office_changed) handlers.office_changed = GECC.reloadWhenIdle;
    var sign = banner();
    var connectedOnce = false;

    function showSign() {
      sign.textContent = connectedOnce
        ? "ขาดการเชื่อมต่อ กำลังเชื่อมต่อใหม่… / Reconnecting…"
        : "กำลังเชื่อมต่อ… / Connecting…";
      sign.hidden = false;
      document.body.classList.add("is-offline");
    }
    function hideSign() {
      sign.hidden = true;
      document.body.classList.remove("is-offline");
    }

    if (typeof window.io !== "function") {
      showSign();
      sign.textContent = "ไม่พบไลบรารี socket.io / socket.io client missing";
      return { socket: null, setRooms: function () {}, rooms: function () { return rooms; } };
    }

    var socket = window.io({ transports: ["websocket", "polling"], tryAllTransports: true });
    var synced = false;     // connected, and every room's join answered (its snapshot came)
    var held = [];          // [event, args] that came before the snapshots
    var connection = 0;     // which connect the answers belong to
    var firstTimer = setTimeout(function () { if (!synced) showSign(); }, 1500);

    /** Join `room`; `done` once the server has answered (after the room's snapshot, which
     *  comes first on the same connection), or has not within JOIN_WAIT_MS. */
    function join(room, done) {
      var mine = connection;
      var asked = GECC.officeId ? { room: room, office: GECC.officeId } : { room: room };
      socket.timeout(JOIN_WAIT_MS).emit("join", asked, function (err, ack) {
        if (mine !== connection || !socket.connected) return;   // an earlier connection
        if (!err && ack && ack.ok === false && handlers.join_failed) handlers.join_failed(room);
        if (done) done();
      });
    }

    function inSync() {
      synced = true;
      clearTimeout(firstTimer);
      hideSign();
      var events = held;
      held = [];
      events.forEach(function (e) { handlers[e[0]].apply(null, e[1]); });
    }

    socket.on("connect", function () {
      connection += 1;
      connectedOnce = true;
      synced = false;
      held = [];
      var waiting = rooms.length;
      if (handlers.connect) handlers.connect();
      if (!waiting) { inSync(); return; }
      rooms.forEach(function (room) {
        join(room, function () { if (--waiting === 0) inSync(); });
      });
    });
    socket.on("disconnect", function (reason) {
      synced = false;
      showSign();
      if (handlers.disconnect) handlers.disconnect(reason);
    });
    socket.on("connect_error", function () { showSign(); });

    Object.keys(handlers).forEach(function (event) {
      if (event === "connect" || event === "disconnect" || event === "join_failed") return;
      socket.on(event, function () {
        if (synced || event === "snapshot") handlers[event].apply(null, arguments);
        else held.push([event, Array.prototype.slice.call(arguments)]);
      });
    });

    return {
      socket: socket,
      rooms: function () { return rooms.slice(); },
      /** Leave the rooms not in `list`, join the new ones (each answers a snapshot). */
      setRooms: function (list) {
        var next = list.slice();
        rooms.forEach(function (room) {
          if (next.indexOf(room) < 0 && socket.connected) socket.emit("leave", { room: room });
        });
        var added = next.filter(function (room) { return rooms.indexOf(room) < 0; });
        rooms = next;
        if (socket.connected) added.forEach(function (room) { join(room); });
      }
    };
  };

  /** "A023" -> "A 0 2 3": spoken one character at a time. */
  GECC.spell = function (number) {
    return String(number || "").split("").join(" ");
  };
})();
