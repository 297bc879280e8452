/**
 * The settings page: one self-contained HTML document (inline style and script allowed by a
 * per-response CSP nonce, no external resources) with a Status tab and a Settings tab.
 * Everything from the API reaches the DOM through textContent, never as HTML.
 */

const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f4f6f8; --card: #ffffff; --text: #1b2430; --muted: #5b6675; --border: #d9dee5;
  --accent: #2563eb; --accent-text: #ffffff; --accent-soft: #e3ecfd;
  --ok: #15803d; --ok-soft: #e3f5e9; --bad: #b91c1c; --bad-soft: #fdeaea; --idle: #6b7280; --idle-soft: #eceef1;
  --bar: #e6e9ee; --input: #ffffff; --focus: #2563eb; --warn: #b45309;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1419; --card: #171d24; --text: #e6e9ee; --muted: #9aa5b1; --border: #2b3440;
    --accent: #4f8ff7; --accent-text: #0b1220; --accent-soft: #1a2a44;
    --ok: #4ade80; --ok-soft: #12301d; --bad: #f87171; --bad-soft: #3a1717; --idle: #9ca3af; --idle-soft: #232a33;
    --bar: #26303b; --input: #10161c; --focus: #7fb0ff; --warn: #fbbf24;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif; }
main { max-width: 760px; margin: 0 auto; padding: 24px 16px 48px; }
header { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 16px; }
h1 { font-size: 1.35rem; margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 1rem; margin: 0 0 12px; }
.muted { color: var(--muted); }
.small { font-size: 0.85rem; }
.badge { display: inline-flex; align-items: center; gap: 8px; padding: 4px 12px; border-radius: 999px; font-weight: 600; font-size: 0.9rem; background: var(--idle-soft); color: var(--idle); }
.badge::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: currentColor; }
.badge.running { background: var(--ok-soft); color: var(--ok); }
[role="tablist"] { display: flex; gap: 4px; border-bottom: 1px solid var(--border); margin-bottom: 16px; }
[role="tab"] { appearance: none; border: 0; background: none; color: var(--muted); font: inherit; font-weight: 600; padding: 10px 16px; border-bottom: 2px solid transparent; margin-bottom: -1px; cursor: pointer; border-radius: 6px 6px 0 0; }
[role="tab"][aria-selected="true"] { color: var(--accent); border-bottom-color: var(--accent); }
[role="tab"]:hover { color: var(--text); }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 18px; margin-bottom: 16px; }
.row { display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 16px 0 0; }
.stat { border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; }
.stat dt { color: var(--muted); font-size: 0.8rem; }
.stat dd { margin: 2px 0 0; font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.alert { border-radius: 8px; padding: 10px 12px; margin-top: 14px; background: var(--bad-soft); color: var(--bad); overflow-wrap: anywhere; }
.alert.ok { background: var(--ok-soft); color: var(--ok); }
.alert strong { display: block; }
.alert .detail { color: var(--text); opacity: 0.8; font-size: 0.85rem; margin-top: 2px; }
.metric { display: grid; grid-template-columns: 9rem 1fr 6.5rem; align-items: center; gap: 12px; padding: 6px 0; }
.metric .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.metric .value { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.metric .sub { grid-column: 2 / 4; margin-top: -6px; }
.bar { height: 8px; border-radius: 4px; background: var(--bar); overflow: hidden; }
/* No width transition: the bar must show the value printed beside it at any moment (and in a screenshot). */
.bar > span { display: block; height: 100%; width: 0; background: var(--accent); border-radius: 4px; }
.bar.warn > span { background: #d97706; }
.bar.high > span { background: var(--bad); }
.net { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 10px; }
h3 { font-size: 0.85rem; color: var(--muted); font-weight: 600; margin: 14px 0 4px; text-transform: uppercase; letter-spacing: 0.04em; }
button { font: inherit; font-weight: 600; border-radius: 8px; padding: 8px 16px; cursor: pointer; border: 1px solid var(--border); background: var(--card); color: var(--text); }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
button.danger { color: var(--bad); }
button:disabled, button.primary:disabled { background: var(--idle-soft); border-color: var(--border); color: var(--muted); cursor: not-allowed; }
button:not(:disabled):hover { filter: brightness(0.95); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.buttons { display: flex; gap: 8px; flex-wrap: wrap; }
.field { margin-bottom: 16px; }
.field > label:not(.check) { display: block; font-weight: 600; margin-bottom: 4px; }
input[type="url"], input[type="text"], input[type="password"], input[type="number"] { font: inherit; width: 100%; padding: 8px 10px; border: 1px solid var(--border); border-radius: 8px; background: var(--input); color: var(--text); }
input[type="number"] { width: 7rem; }
input[aria-invalid="true"] { border-color: var(--bad); }
.inline { display: flex; align-items: center; gap: 10px; }
.inline input[type="password"], .inline input[type="text"] { flex: 1; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.check { display: inline-flex; align-items: center; gap: 8px; font-weight: normal; white-space: nowrap; cursor: pointer; }
input[type="checkbox"] { width: 1.05rem; height: 1.05rem; margin: 0; accent-color: var(--accent); }
.hint { color: var(--muted); font-size: 0.85rem; margin-top: 4px; }
.hint.override { color: var(--warn); }
.error-text { color: var(--bad); font-size: 0.85rem; margin-top: 4px; }
ol { margin: 8px 0 0; padding-left: 1.3rem; }
details summary { cursor: pointer; font-weight: 600; }
footer { margin-top: 8px; }
[hidden] { display: none !important; }
@media (max-width: 520px) { .metric { grid-template-columns: 6rem 1fr 5.5rem; } .net { grid-template-columns: 1fr; } }
`;

const BODY = `
<main>
  <header>
    <h1>StatusMonitor Agent</h1>
    <span id="badge" class="badge" role="status" aria-live="polite">Stopped</span>
  </header>
  <div role="tablist" aria-label="Agent">
    <button type="button" role="tab" id="tab-status" aria-controls="panel-status" aria-selected="true">Status</button>
    <button type="button" role="tab" id="tab-settings" aria-controls="panel-settings" aria-selected="false" tabindex="-1">Settings</button>
  </div>

  <section id="panel-status" role="tabpanel" aria-labelledby="tab-status">
    <div class="card">
      <div class="row">
        <div>
          <h2>Agent status</h2>
          <div id="target" class="muted small">Not configured</div>
        </div>
        <div class="buttons">
          <button type="button" id="start" class="primary">Start agent</button>
          <button type="button" id="stop" class="danger">Stop agent</button>
        </div>
      </div>
      <dl class="stats">
        <div class="stat"><dt>Samples sent</dt><dd id="sent">0</dd></div>
        <div class="stat"><dt>Buffered</dt><dd id="buffered">—</dd></div>
        <div class="stat"><dt>Dropped</dt><dd id="dropped">—</dd></div>
        <div class="stat"><dt>Last sent</dt><dd id="last-sent">—</dd></div>
      </dl>
      <div id="status-message" class="alert" role="alert" hidden></div>
    </div>
    <div class="card">
      <h2>Current metrics</h2>
      <p id="no-metrics" class="muted">Start the agent to see this machine's current metrics.</p>
      <div id="metrics" hidden>
        <div class="metric"><span class="label">CPU</span><div class="bar" id="cpu-bar"><span></span></div><span class="value" id="cpu">—</span></div>
        <div class="metric"><span class="label">Memory</span><div class="bar" id="mem-bar"><span></span></div><span class="value" id="mem">—</span><span class="sub muted small" id="mem-detail"></span></div>
        <h3>Disks</h3>
        <div id="disks"></div>
        <h3>Network (since boot)</h3>
        <dl class="net">
          <div class="stat"><dt>Sent</dt><dd id="net-sent">—</dd></div>
          <div class="stat"><dt>Received</dt><dd id="net-recv">—</dd></div>
        </dl>
      </div>
    </div>
  </section>

  <section id="panel-settings" role="tabpanel" aria-labelledby="tab-settings" hidden>
    <form id="settings" class="card" novalidate>
      <div class="field">
        <label for="hub-url">Hub URL</label>
        <input type="url" id="hub-url" name="hubUrl" autocomplete="url" spellcheck="false" placeholder="http://hub.example:8080" aria-describedby="hub-url-hint hub-url-error">
        <div class="hint" id="hub-url-hint">The StatusMonitor hub's address (its /ingest URL works too).</div>
        <div class="error-text" id="hub-url-error" hidden></div>
      </div>
      <div class="field">
        <label for="token">Agent token</label>
        <div class="inline">
          <input type="password" id="token" name="token" autocomplete="off" spellcheck="false" aria-describedby="token-hint token-error">
          <label class="check"><input type="checkbox" id="show-token"> Show</label>
        </div>
        <div class="hint" id="token-hint">Paste the token shown in the dashboard when the agent was created.</div>
        <div class="error-text" id="token-error" hidden></div>
      </div>
      <div class="field">
        <label for="interval">Collection interval</label>
        <div class="inline">
          <input type="number" id="interval" name="intervalS" min="1" max="60" step="1" required aria-describedby="interval-hint interval-error">
          <span class="muted">seconds</span>
        </div>
        <div class="hint" id="interval-hint">From 1 to 60 seconds.</div>
        <div class="error-text" id="interval-error" hidden></div>
      </div>
      <div class="field">
        <label class="check"><input type="checkbox" id="auto-start" name="autoStart"> Auto-start the agent when this settings UI opens</label>
        <div class="error-text" id="auto-start-error" hidden></div>
      </div>
      <div class="row">
        <button type="button" id="test">Test connection</button>
        <button type="submit" id="save" class="primary">Save settings</button>
      </div>
      <div id="test-result" class="alert" role="status" aria-live="polite" hidden></div>
      <div id="settings-message" class="alert" role="status" aria-live="polite" hidden></div>
    </form>
    <div class="card">
      <details>
        <summary>How to get a token</summary>
        <ol>
          <li>Sign in to the StatusMonitor dashboard.</li>
          <li>Go to Agents.</li>
          <li>Click Add agent and give it a name.</li>
          <li>Copy the token it shows (only once).</li>
          <li>Paste it here, save, and start the agent.</li>
        </ol>
      </details>
    </div>
  </section>
  <footer class="muted small" id="footer"></footer>
</main>
`;

// Plain ES2020 in the browser; no template literals here, so nothing in it is interpolated by TypeScript.
const SCRIPT = `
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var state = { tokenEdited: false, tokenRevealed: false, tokenSet: false, running: false, reachable: true };
  var FIELD_IDS = { hubUrl: "hub-url", token: "token", intervalS: "interval", autoStart: "auto-start" };

  function api(method, path, body) {
    var init = { method: method, headers: { accept: "application/json" } };
    if (body !== undefined) { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch("api/" + path, init).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (json) { return { status: res.status, body: json }; });
    });
  }

  // ---- formatting (bytes in 1024 steps with two decimals, as the original GUI showed them)
  function bytes(n) {
    if (typeof n !== "number") return "—";
    var units = ["B", "KB", "MB", "GB", "TB", "PB"]; var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return n.toFixed(i === 0 ? 0 : 2) + " " + units[i];
  }
  function percent(n) { return typeof n === "number" ? n.toFixed(1) + " %" : "—"; }
  function count(n) { return typeof n === "number" ? n.toLocaleString() : "—"; }
  function ago(ms) {
    if (typeof ms !== "number") return "—";
    var s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 2) return "just now";
    if (s < 60) return s + " s ago";
    if (s < 3600) return Math.floor(s / 60) + " min ago";
    return new Date(ms).toLocaleString();
  }
  function setBar(id, value) {
    var bar = $(id); var p = typeof value === "number" ? Math.min(100, Math.max(0, value)) : 0;
    bar.firstElementChild.style.width = p + "%";
    bar.classList.toggle("warn", p >= 75 && p < 90);
    bar.classList.toggle("high", p >= 90);
  }
  function showMessage(el, ok, title, message, detail) {
    el.replaceChildren();
    el.classList.toggle("ok", ok);
    if (title) { var t = document.createElement("strong"); t.textContent = title; el.append(t); }
    var m = document.createElement("div"); m.textContent = message; el.append(m);
    if (detail) { var d = document.createElement("div"); d.className = "detail"; d.textContent = detail; el.append(d); }
    el.hidden = false;
  }

  // ---- tabs
  var tabs = [$("tab-status"), $("tab-settings")];
  function selectTab(tab, focus) {
    tabs.forEach(function (t) {
      var selected = t === tab;
      t.setAttribute("aria-selected", String(selected));
      t.tabIndex = selected ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !selected;
    });
    if (focus) tab.focus();
    history.replaceState(null, "", tab.id === "tab-settings" ? "#settings" : "#status");
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { selectTab(tab, false); });
    tab.addEventListener("keydown", function (e) {
      var next = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (e.key === "Home") selectTab(tabs[0], true);
      else if (e.key === "End") selectTab(tabs[tabs.length - 1], true);
      else if (next) selectTab(tabs[(i + next + tabs.length) % tabs.length], true);
      else return;
      e.preventDefault();
    });
  });
  if (location.hash === "#settings") selectTab(tabs[1], false);

  // ---- status
  function renderDisks(disks) {
    var box = $("disks"); box.replaceChildren();
    if (!disks || disks.length === 0) { var none = document.createElement("p"); none.className = "muted small"; none.textContent = "No filesystems reported."; box.append(none); return; }
    disks.forEach(function (d) {
      var row = document.createElement("div"); row.className = "metric";
      var label = document.createElement("span"); label.className = "label"; label.textContent = d.mountpoint; label.title = (d.device || "") + (d.fstype ? " (" + d.fstype + ")" : "");
      var bar = document.createElement("div"); bar.className = "bar"; bar.setAttribute("aria-hidden", "true");
      var fill = document.createElement("span"); bar.append(fill);
      var p = typeof d.used_percent === "number" ? Math.min(100, Math.max(0, d.used_percent)) : 0;
      fill.style.width = p + "%"; bar.classList.toggle("warn", p >= 75 && p < 90); bar.classList.toggle("high", p >= 90);
      var value = document.createElement("span"); value.className = "value"; value.textContent = percent(d.used_percent);
      var sub = document.createElement("span"); sub.className = "sub muted small"; sub.textContent = bytes(d.used) + " of " + bytes(d.total) + " used";
      row.append(label, bar, value, sub); box.append(row);
    });
  }
  function renderMetrics(latest) {
    $("no-metrics").hidden = !!latest; $("metrics").hidden = !latest;
    if (!latest) return;
    var cpu = latest.cpu || {}; var mem = latest.memory || {};
    $("cpu").textContent = percent(cpu.usage_percent); setBar("cpu-bar", cpu.usage_percent);
    $("mem").textContent = percent(mem.used_percent); setBar("mem-bar", mem.used_percent);
    $("mem-detail").textContent = typeof mem.total === "number" ? bytes(mem.used) + " of " + bytes(mem.total) + " used, " + bytes(mem.available) + " available" : "";
    renderDisks(latest.disks);
    var sent, recv;
    ((latest.network && latest.network.interfaces) || []).forEach(function (i) {
      if (typeof i.bytes_sent === "number") sent = (sent || 0) + i.bytes_sent;
      if (typeof i.bytes_recv === "number") recv = (recv || 0) + i.bytes_recv;
    });
    $("net-sent").textContent = bytes(sent); $("net-recv").textContent = bytes(recv);
  }
  function renderStatus(s) {
    state.running = s.running;
    var badge = $("badge"); badge.textContent = s.running ? "Running" : "Stopped"; badge.classList.toggle("running", s.running);
    $("start").disabled = s.running; $("stop").disabled = !s.running;
    var c = s.settings;
    $("target").textContent = c.hubUrl ? (s.running ? "Sending" : "Will send") + " every " + c.intervalS + " s to " + c.hubUrl : "Not configured: set the hub URL and token in Settings.";
    var a = s.agent;
    $("sent").textContent = count(a ? a.samplesSent : 0);
    $("buffered").textContent = a ? count(a.buffered) + (a.bufferBytes ? " (" + bytes(a.bufferBytes) + ")" : "") : "—";
    $("dropped").textContent = a ? count(a.dropped) : "—";
    var last = $("last-sent"); last.textContent = a ? ago(a.lastSentAt) : "—"; last.title = a && a.lastSentAt ? new Date(a.lastSentAt).toLocaleString() : "";
    var msg = $("status-message");
    if (a && a.lastError) showMessage(msg, false, "Last error", a.lastError.charAt(0).toUpperCase() + a.lastError.slice(1), a.retryAt ? "Retrying " + (a.retryAt > Date.now() ? "in " + Math.ceil((a.retryAt - Date.now()) / 1000) + " s" : "now") + "; samples are kept on disk meanwhile." : "");
    else if (msg.dataset.kind !== "action") msg.hidden = true;
    renderMetrics(a && s.running ? a.latest : null);
    $("footer").textContent = "Buffer: " + c.bufferDir;
  }
  function poll() {
    api("GET", "status").then(function (r) {
      if (r.status === 200) { state.reachable = true; renderStatus(r.body); }
    }, function () {
      if (state.reachable) { state.reachable = false; var msg = $("status-message"); msg.dataset.kind = "action"; showMessage(msg, false, "The settings UI is not answering", "It may have been stopped (Ctrl+C in its terminal).", ""); }
    }).finally(function () { setTimeout(poll, 1000); });
  }

  function startStop(path, button) {
    var msg = $("status-message"); button.disabled = true; delete msg.dataset.kind; msg.hidden = true;
    api("POST", path).then(function (r) {
      if (r.status === 200) { renderStatus(r.body); return; }
      var err = (r.body && r.body.error) || { message: "HTTP " + r.status };
      msg.dataset.kind = "action";
      showMessage(msg, false, path === "start" ? "Could not start" : "Could not stop", err.message, "");
      if (err.code === "NOT_CONFIGURED") { selectTab(tabs[1], false); $($("hub-url").value ? "token" : "hub-url").focus(); }
      button.disabled = false;
    }, function () { button.disabled = false; });
  }
  $("start").addEventListener("click", function () { startStop("start", $("start")); });
  $("stop").addEventListener("click", function () { startStop("stop", $("stop")); });

  // ---- settings
  function clearFieldErrors() {
    Object.keys(FIELD_IDS).forEach(function (f) {
      var id = FIELD_IDS[f]; $(id).removeAttribute("aria-invalid");
      var e = $(id + "-error"); e.hidden = true; e.textContent = "";
    });
  }
  function fillSettings(s) {
    $("hub-url").value = s.hubUrl; $("interval").value = String(s.intervalS); $("auto-start").checked = s.autoStart;
    state.tokenSet = s.tokenSet;
    if (!state.tokenRevealed) { $("token").value = s.token; state.tokenEdited = false; }
    ["hubUrl", "token", "intervalS", "autoStart"].forEach(function (f) {
      var hint = $(FIELD_IDS[f] + "-hint");
      if (!hint) return;
      if (!hint.dataset.text) hint.dataset.text = hint.textContent;
      var over = s.overridden.indexOf(f) >= 0;
      hint.classList.toggle("override", over);
      hint.textContent = over ? hint.dataset.text + " Also set by an environment variable or flag, which wins over the saved value at the next launch." : hint.dataset.text;
    });
  }
  function loadSettings() { return api("GET", "settings").then(function (r) { if (r.status === 200) fillSettings(r.body); }); }
  $("token").addEventListener("input", function () { state.tokenEdited = true; });
  // A test result speaks of the URL and token it was made with: once they change it is stale.
  ["hub-url", "token"].forEach(function (id) { $(id).addEventListener("input", function () { $("test-result").hidden = true; }); });
  $("show-token").addEventListener("change", function () {
    var show = $("show-token").checked; var input = $("token");
    input.type = show ? "text" : "password";
    if (show && !state.tokenEdited && !state.tokenRevealed && state.tokenSet) {
      api("GET", "settings?reveal=1").then(function (r) {
        if (r.status === 200 && !state.tokenEdited) { input.value = r.body.token; state.tokenRevealed = true; }
      });
    }
  });
  // The token goes back only when the field holds the real one (typed or revealed), never its masked form.
  function tokenForRequest() { return state.tokenEdited || state.tokenRevealed ? $("token").value : undefined; }

  $("test").addEventListener("click", function () {
    var button = $("test"); var msg = $("test-result");
    button.disabled = true; button.textContent = "Testing…"; msg.hidden = true;
    api("POST", "test", { hubUrl: $("hub-url").value, token: tokenForRequest() }).then(function (r) {
      if (r.status === 200) showMessage(msg, r.body.ok, r.body.title, r.body.message, r.body.detail);
      else showMessage(msg, false, "Error", (r.body && r.body.error && r.body.error.message) || "HTTP " + r.status, "");
    }, function (e) { showMessage(msg, false, "Error", String(e), ""); })
      .finally(function () { button.disabled = false; button.textContent = "Test connection"; });
  });

  $("settings").addEventListener("submit", function (e) {
    e.preventDefault();
    var button = $("save"); var msg = $("settings-message");
    clearFieldErrors(); button.disabled = true; msg.hidden = true;
    var interval = $("interval").value;
    var body = { hubUrl: $("hub-url").value, token: tokenForRequest(), intervalS: interval === "" ? null : Number(interval), autoStart: $("auto-start").checked };
    api("PUT", "settings", body).then(function (r) {
      if (r.status === 200) {
        if (state.tokenEdited) { state.tokenRevealed = $("show-token").checked; state.tokenEdited = false; if (!state.tokenRevealed) $("token").value = r.body.settings.token; }
        fillSettings(r.body.settings);
        showMessage(msg, true, "Settings saved", r.body.message, "");
        return;
      }
      var err = (r.body && r.body.error) || { message: "HTTP " + r.status };
      var problems = err.problems || [];
      var firstInvalid = null;
      problems.forEach(function (p) {
        if (!p.field || !FIELD_IDS[p.field]) return;
        var id = FIELD_IDS[p.field]; $(id).setAttribute("aria-invalid", "true");
        var e = $(id + "-error"); e.textContent = p.message; e.hidden = false;
        firstInvalid = firstInvalid || $(id);
      });
      // Field problems are shown at their fields; the summary names those fields and spells out only the others.
      var labels = { hubUrl: "Hub URL", token: "Agent token", intervalS: "Collection interval", autoStart: "Auto-start" };
      var named = problems.filter(function (p) { return p.field && labels[p.field]; }).map(function (p) { return labels[p.field]; });
      var others = problems.filter(function (p) { return !(p.field && labels[p.field]); }).map(function (p) { return p.message; });
      var summary = named.length ? "Check the highlighted " + (named.length > 1 ? "fields: " : "field: ") + named.join(", ") + "." : "";
      showMessage(msg, false, "Not saved", problems.length ? [summary].concat(others).filter(Boolean).join(" ") : err.message, "");
      if (firstInvalid) firstInvalid.focus();
    }, function (e) { showMessage(msg, false, "Not saved", String(e), ""); })
      .finally(function () { button.disabled = false; });
  });

  loadSettings();
  poll();
})();
`;

export function renderPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>StatusMonitor Agent</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>${BODY}<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
