/* Call announcements for the lobby: a short chime (WebAudio oscillator, no sound file),
 * then the call spoken in Thai: "ขอเชิญหมายเลข A 0 2 3 ที่ช่องบริการ 3".
 *
 * Announcements are queued and played one after another, never overlapping.
 *   window.announcements        every text queued so far, oldest first (for tests; the
 *                               last 200 are kept)
 *   GECC.announcer.pending      calls not yet played ({text, call})
 *   Speech: the browser's Thai voice when it has one, otherwise the server's recording
 *   (espeak-ng, /display/speech/<number>/<counter>.wav), so calls are heard with no internet.
 *   GECC.announcer.enable()     call from a user gesture: browsers block audio before one
 */
(function () {
  "use strict";

  var KEEP = 200;
  var announcements = (window.announcements = window.announcements || []);
  var pending = [];
  var playing = false;
  var audio = null;
  var thaiVoice = null;

  function AudioCtx() { return window.AudioContext || window.webkitAudioContext; }

  function context() {
    if (!audio && AudioCtx()) {
      try { audio = new (AudioCtx())(); } catch (e) { audio = null; }
    }
    return audio;
  }

  function pickVoice() {
    if (!("speechSynthesis" in window)) return;
    var voices = window.speechSynthesis.getVoices() || [];
    thaiVoice = voices.filter(function (v) { return /^th(-|_|$)/i.test(v.lang); })[0] || null;
  }
  if ("speechSynthesis" in window) {
    pickVoice();
    window.speechSynthesis.addEventListener && window.speechSynthesis.addEventListener("voiceschanged", pickVoice);
  }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  /** Two soft tones ("ding-dong"), about a second. Silent when audio is blocked. */
  function chime() {
    var ctx = context();
    if (!ctx || ctx.state !== "running") return wait(200);
    var now = ctx.currentTime;
    [[880, 0], [659.25, 0.45]].forEach(function (tone) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = tone[0];
      var t0 = now + tone[1];
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.35, t0 + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.8);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + 0.85);
    });
    return wait(1350);
  }

  /** The server's recording of the call (espeak-ng), for a browser with no Thai voice. */
  function speakFromServer(call) {
    var url = "/display/speech/" + encodeURIComponent(call.number) + "/" +
      encodeURIComponent(String(call.counter_number)) + ".wav";
    api.lastSource = "server";
    api.serverUrls.push(url);
    return new Promise(function (resolve) {
      var finished = false;
      function done() { if (!finished) { finished = true; clearTimeout(limit); resolve(); } }
      var limit = setTimeout(done, 12000);
      try {
        var player = new Audio(url);
        player.onended = done;
        player.onerror = done;
        var started = player.play();
        if (started && started.catch) started.catch(done);
      } catch (e) {
        done();
      }
    });
  }

  /** Speak in Thai: the browser's Thai voice if it has one, else the server's recording.
   *  Resolves when done, on error, or after a time limit. */
  function say(item) {
    if (!thaiVoice && item.call && item.call.counter_number !== undefined &&
        item.call.counter_number !== null) {
      return speakFromServer(item.call);
    }
    api.lastSource = "browser";
    return speak(item.text);
  }

  /** Speak with the browser's speech synthesis; resolves when done, on error, or after a
   *  time limit (some browsers never fire `end` without a voice). */
  function speak(text) {
    if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return wait(300);
    return new Promise(function (resolve) {
      var finished = false;
      function done() { if (!finished) { finished = true; clearTimeout(limit); resolve(); } }
      var limit = setTimeout(function () {
        try { window.speechSynthesis.cancel(); } catch (e) { /* ignore */ }
        done();
      }, 3000 + text.length * 180);
      try {
        var u = new SpeechSynthesisUtterance(text);
        u.lang = "th-TH";
        if (thaiVoice) u.voice = thaiVoice;
        u.rate = 0.85;
        u.pitch = 1;
        u.volume = 1;
        u.onend = done;
        u.onerror = done;
        window.speechSynthesis.speak(u);
      } catch (e) {
        done();
      }
    });
  }

  function pump() {
    if (playing || !pending.length) return;
    playing = true;
    var item = pending.shift();
    api.current = item.text;
    chime().then(function () { return say(item); }).then(function () { return wait(700); })
      .catch(function () { /* keep going */ })
      .then(function () {
        playing = false;
        api.current = null;
        pump();
      });
  }

  /** The words of a `ticket_called` event. */
  function textFor(call) {
    var counter = call.counter_number !== undefined && call.counter_number !== null
      ? String(call.counter_number) : String(call.counter_name || "");
    return "ขอเชิญหมายเลข " + GECC.spell(call.number) + " ที่ช่องบริการ " + counter;
  }

  var api = {
    pending: pending,
    current: null,
    lastSource: null,   // "browser" or "server": how the last call was spoken
    serverUrls: [],     // recordings asked of the server (for tests)
    textFor: textFor,
    get soundEnabled() { return !!(audio && audio.state === "running"); },
    /** Unlock audio; call from a click or key press. Resolves to true when sound works. */
    enable: function () {
      var ctx = context();
      var resumed = ctx && ctx.state !== "running" ? ctx.resume() : Promise.resolve();
      // An empty utterance inside the gesture also unlocks speech in Chrome and Safari.
      try {
        if ("speechSynthesis" in window) window.speechSynthesis.speak(new SpeechSynthesisUtterance(""));
      } catch (e) { /* ignore */ }
      return Promise.resolve(resumed).then(function () { return api.soundEnabled; }, function () { return false; });
    },
    /** Queue the announcement of a call (recalls are announced again, too). */
    announce: function (call) {
      var text = textFor(call);
      announcements.push(text);
      if (announcements.length > KEEP) announcements.splice(0, announcements.length - KEEP);
      pending.push({ text: text, call: call });
      pump();
      return text;
    }
  };

  // Started with --autoplay-policy=no-user-gesture-required, audio runs at once.
  api.autoplayAllowed = function () {
    var ctx = context();
    return !!ctx && ctx.state === "running";
  };

  window.GECC = window.GECC || {};
  window.GECC.announcer = api;
})();
