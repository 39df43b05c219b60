// The chatforge operator console: sign in with an admin key, then each tab reads and acts through
// /v1/admin/console/... (chatforge/serve/console*.py). Everything is built with textContent: no HTML
// from the server or from users is ever parsed.
"use strict";
const $ = (id) => document.getElementById(id);
const state = { key: sessionStorage.getItem("chatforge.console.key"), reports: [], inbox: [] };
const API = "/v1/admin/console";

async function api(path, body) {
  const options = { headers: { Authorization: `Bearer ${state.key}` } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const res = await fetch(path, options);
  let data = null;
  try { data = await res.json(); } catch (_) { /* not JSON */ }
  if (!res.ok) {
    const detail = data && data.detail !== undefined ? data.detail : res.statusText;
    throw new Error(`${res.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  }
  return data;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    if (c instanceof Node) { const td = document.createElement("td"); td.append(c); tr.append(td); }
    else tr.append(el("td", c === null || c === undefined ? "—" : c));
  }
  return tr;
}
const fmt = (x) => (x === null || x === undefined ? "—" : typeof x === "number" ? (Math.round(x * 10000) / 10000).toString() : String(x));
const ci = (node) => (node && node.ci ? `[${fmt(node.ci[0])}, ${fmt(node.ci[1])}]` : "—");
function button(text, onclick, cls) { const b = el("button", text, cls); b.type = "button"; b.onclick = onclick; return b; }

function flash(text, bad) {
  const f = $("flash");
  f.textContent = text;
  f.className = bad ? "flash bad" : "flash";
  f.hidden = false;
}
async function run(action) {
  try { await action(); } catch (e) { flash(e.message, true); }
}

// ---- sign in and tabs ----------------------------------------------------------------------------
async function signIn(key) {
  state.key = key;
  const me = await api("/v1/me");
  if (!me.admin) throw new Error("403: this console needs a key with the 'admin' role");
  await api(`${API}/audit`);
  sessionStorage.setItem("chatforge.console.key", key);
  $("who").textContent = `${me.user} · ${me.roles.join(", ")}`;
  $("login").hidden = true;
  $("app").hidden = false;
  show("registry");
}
const loaders = { registry: () => loadRegistry(), keys: () => loadKeys(), reports: () => loadReports(),
  live: () => loadLive(), runs: () => loadRuns(), audit: () => loadAudit() };  // console_traffic.js, console_runs.js
function show(tab) {
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === tab);
  for (const s of document.querySelectorAll(".tab")) s.hidden = s.id !== `tab-${tab}`;
  $("flash").hidden = true;
  if (state.runsTimer) { clearInterval(state.runsTimer); state.runsTimer = null; }
  $("new-key").hidden = true;  // a new key is shown once: leaving the tab forgets it
  $("new-key-value").textContent = "";
  run(loaders[tab]);
}

// ---- registry ------------------------------------------------------------------------------------
async function loadRegistry() {
  const reg = await api(`${API}/registry`);
  $("reg-uri").textContent = reg.uri || reg.error || "";
  $("serving").textContent = Object.entries(reg.serving).map(([v, e]) => `${v}: ${e.name}`).join(", ");
  const box = $("models");
  box.replaceChildren(...reg.models.map(modelSection));
  if (reg.error) box.append(el("p", reg.error, "error"));
}

function lineageText(v) {
  const l = v.lineage || {};
  const data = Object.entries(l.data || {}).map(([p, d]) => `${p} ${(d.sha256 || "").slice(0, 12)}`).join("; ");
  const parent = l.parent ? `${l.parent.name}@${l.parent.version}` : "—";
  return `base ${l.base || "—"} · parent ${parent} · run ${l.run_id || "—"} · data ${data || "—"} · model ${(l.model_sha256 || "").slice(0, 12)}`;
}

function gateCell(v) {
  const gc = v.gate_check;
  if (!gc) return el("span", "no gate", "muted");
  const span = el("span");
  for (const c of gc.checks) {
    span.append(el("span", `${c.metric} (${c.variant}) ${fmt(c.value)} ${c.direction} ${c.threshold} `, c.passed ? "pass" : "fail"), el("br"));
  }
  return span;
}

function modelSection(m) {
  const sec = el("div", null, "model panel");
  sec.dataset.model = m.name;
  sec.append(el("h2", `${m.name} — production: ${m.production ?? "none"}` + (m.candidate ? `, A/B candidate: ${m.candidate} (${m.ab_share})` : "")));
  const gateForm = el("form", null, "row gate-form");
  const gateInput = el("input");
  gateInput.className = "gate-input";
  gateInput.size = 40;
  gateInput.value = Object.entries(m.gate || {}).map(([k, v]) => `${k}=${v}`).join(",");
  gateInput.placeholder = "token_f1=0.3,hallucination=0.2";
  gateForm.append(el("span", "gate"), gateInput, el("button", "Set gate"));
  gateForm.onsubmit = (e) => { e.preventDefault(); run(async () => {
    const r = await api(`${API}/registry/${encodeURIComponent(m.name)}/gate`, { gate: gateInput.value });
    flash(`${m.name}: gate set to ${JSON.stringify(r.gate)}`);
    await loadRegistry();
  }); };
  const reason = el("input");
  reason.className = "force-reason";
  reason.placeholder = "reason (forces a refused promotion)";
  reason.size = 36;
  const controls = el("div", null, "row");
  controls.append(reason, button("Roll back", () => rollback(m.name), "rollback"));
  const table = el("table", null, "versions");
  const head = el("thead");
  head.append(row(["version", "aliases", "lineage", "gate metrics", ""]));
  const body = el("tbody");
  for (const v of m.versions) {
    const tags = el("span");
    for (const a of v.aliases) tags.append(el("span", a, `tag ${a}`));
    const action = v.aliases.includes("production") ? el("span", "serving", "muted")
      : button("Promote", () => promote(m.name, v.version, reason.value), "promote");
    const tr = row([String(v.version), tags, el("span", lineageText(v), "lineage"), gateCell(v), action]);
    tr.dataset.version = v.version;
    body.append(tr);
  }
  table.append(head, body);
  sec.append(gateForm, controls, table);
  return sec;
}

function showDecision(name, res) {
  $("decision").hidden = false;
  $("decision").className = res.promoted ? "panel" : "panel refused";
  $("decision-title").textContent = res.promoted
    ? `${name}@${res.version} ${res.forced ? "FORCED to" : "promoted to"} production (was ${fmt(res.previous)})`
    : `refused: ${name}@${res.version}`;
  $("decision-reason").textContent = res.reason;
  $("decision-warnings").replaceChildren(...(res.warnings || []).map((w) => el("li", w)));
  $("decision-table").querySelector("tbody").replaceChildren(...(res.comparison || []).map((r) => {
    const tr = row([r.metric, r.variant, fmt(r.production), fmt(r.candidate), fmt(r.delta), r.verdict]);
    tr.lastChild.className = `verdict-${r.verdict}`;
    return tr;
  }));
}

async function promote(name, version, reason) {
  await run(async () => {
    const body = { version, force: Boolean(reason && reason.trim()), reason: reason || null };
    const res = await api(`${API}/registry/${encodeURIComponent(name)}/promote`, body);
    showDecision(name, res);
    if (res.promoted) flash(`${name}@${version} now in production` + (res.serving.length ? `; serving ${res.serving.join(", ")}` : ""));
    else flash(`promotion refused: ${res.reason}`, true);
    await loadRegistry();
  });
}

async function rollback(name) {
  await run(async () => {
    const res = await api(`${API}/registry/${encodeURIComponent(name)}/rollback`, {});
    showDecision(name, res);
    flash(`${name}: rolled back to ${res.version}` + (res.serving.length ? `; serving ${res.serving.join(", ")}` : ""));
    await loadRegistry();
  });
}

// ---- keys ----------------------------------------------------------------------------------------
async function loadKeys() {
  const { data } = await api(`${API}/keys`);
  $("keys").querySelector("tbody").replaceChildren(...data.map((k) => {
    const roles = el("input");
    roles.value = k.roles.join(",");
    roles.className = "roles-input";
    const cell = el("span");
    if (!k.revoked) {
      cell.append(button("Set roles", () => run(async () => {
        await api(`${API}/keys/${k.id}/roles`, { roles: roles.value });
        flash(`key ${k.id}: roles ${roles.value}`);
        await loadKeys();
      }), "set-roles"), " ", button("Revoke", () => run(async () => {
        await api(`${API}/keys/${k.id}/revoke`, {});
        flash(`key ${k.id} revoked`);
        await loadKeys();
      }), "revoke"));
    }
    const tr = row([String(k.id), k.user, `${k.prefix}…`, k.revoked ? k.roles.join(",") : roles,
      k.revoked ? `revoked ${k.revoked}` : "active", cell]);
    tr.dataset.key = k.id;
    tr.dataset.user = k.user;
    return tr;
  }));
}

// ---- audit ---------------------------------------------------------------------------------------
async function loadAudit() {
  const { data } = await api(`${API}/audit`);
  $("audit").querySelector("tbody").replaceChildren(...data.map((a) =>
    row([a.at, a.user, a.action, a.target, JSON.stringify(a.detail)])));
}

// ---- wiring --------------------------------------------------------------------------------------
$("login-form").onsubmit = (e) => {
  e.preventDefault();
  signIn($("key").value.trim()).catch((err) => { $("login-error").textContent = err.message; });
};
$("logout").onclick = () => { sessionStorage.removeItem("chatforge.console.key"); location.reload(); };
for (const b of document.querySelectorAll("#tabs button")) b.onclick = () => show(b.dataset.tab);
$("key-form").onsubmit = (e) => { e.preventDefault(); run(async () => {
  const k = await api(`${API}/keys`, { user: $("key-user").value, roles: $("key-roles").value });
  $("new-key").hidden = false;
  $("new-key-user").textContent = `${k.user} (${k.roles.join(", ")})`;
  $("new-key-value").textContent = k.key;
  await loadKeys();
}); };
if (state.key) signIn(state.key).catch(() => { sessionStorage.removeItem("chatforge.console.key"); });
