// The chatforge annotation workspace: one item at a time, answers A/B/C side by side (no model names), ranked by
// keyboard or drag, flagged, corrected; a submission is shown as saved only after the server answered 200 (committed).
// Reviewers see the items annotators disagree on and settle them.
"use strict";
const $ = (id) => document.getElementById(id);
const state = { key: localStorage.getItem("chatforge.key"), campaign: null, item: null, order: [], tied: new Set(),
                flags: {}, ranked: false, armed: null, busy: false };

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { "Content-Type": "application/json",
    Authorization: `Bearer ${state.key}`, ...(options.headers || {}) } });
  if (!res.ok) {
    let detail = res.statusText;
    try { detail = (await res.json()).detail || detail; } catch (_) { /* not JSON */ }
    const err = new Error(`${res.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

async function signIn(key) {
  state.key = key;
  const me = await api("/v1/me");
  const roles = new Set(me.roles);
  state.annotator = roles.has("annotator") || roles.has("admin");
  state.reviewer = roles.has("reviewer") || roles.has("admin");
  if (!state.annotator && !state.reviewer) throw new Error("403: this key has neither the annotator nor the reviewer role");
  localStorage.setItem("chatforge.key", key);
  $("who").textContent = `${me.user} · ${me.roles.join(", ")}`;
  $("login").hidden = true;
  $("app").hidden = false;
  $("tab-review").hidden = !state.reviewer;
  $("tab-queue").hidden = !state.annotator;
  const { data } = await api("/v1/annotate/campaigns");
  $("campaign").replaceChildren(...data.map((c) => new Option(`${c.name} (${c.mode})`, c.name)));
  state.campaign = data.length ? data[0].name : null;
  if (state.annotator) await showQueue(); else await showReview();
}

function setProgress(p) { $("progress").textContent = p ? `${p.done} / ${p.total} done` : ""; }

// ---- queue -------------------------------------------------------------------------------------------------
async function showQueue() {
  $("queue").hidden = false; $("review").hidden = true;
  $("tab-queue").classList.add("active"); $("tab-review").classList.remove("active");
  await loadNext();
}

async function loadNext() {
  if (!state.campaign) { $("queue-empty").hidden = false; $("item").hidden = true; return; }
  const next = await api(`/v1/annotate/campaigns/${encodeURIComponent(state.campaign)}/next`);
  setProgress(next.progress);
  if (next.done) { state.item = null; $("item").hidden = true; $("queue-empty").hidden = false; return; }
  state.item = next;
  state.order = next.answers.map((a) => a.label);
  state.tied = new Set(); state.flags = {}; state.ranked = next.answers.length < 2; state.typed = 0; state.last = 0; state.armed = null;
  $("queue-empty").hidden = true; $("item").hidden = false;
  $("prompt").textContent = next.prompt.map((m) => (next.prompt.length > 1 ? `${m.role}: ` : "") + m.content).join("\n");
  $("answers").replaceChildren(...next.answers.map((a) => {
    const card = document.createElement("article");
    card.className = "card"; card.dataset.label = a.label;
    card.innerHTML = `<h3><span>Answer ${a.label}</span><span class="rank"></span></h3><div class="text"></div>
      <div class="flags"><button class="flag" data-kind="unsafe">unsafe</button><button class="flag" data-kind="wrong">wrong</button></div>`;
    card.querySelector(".text").textContent = a.content;
    card.querySelectorAll(".flag").forEach((b) => { b.onclick = () => toggleFlag(a.label, b.dataset.kind); });
    return card;
  }));
  $("correction").value = ""; $("comment").value = ""; $("status").textContent = "";
  renderRanking();
}

function groups() {
  const out = [];
  state.order.forEach((label, i) => {
    if (i > 0 && state.tied.has(label)) out[out.length - 1].push(label); else out.push([label]);
  });
  return out;
}

function renderRanking() {
  const list = $("ranking");
  list.replaceChildren(...state.order.map((label, i) => {
    const li = document.createElement("li");
    li.textContent = label; li.dataset.label = label; li.draggable = true;
    li.classList.toggle("tied", i > 0 && state.tied.has(label));
    li.ondblclick = () => { if (i > 0) { state.tied.has(label) ? state.tied.delete(label) : state.tied.add(label); state.ranked = true; renderRanking(); } };
    li.addEventListener("dragstart", (e) => { e.dataTransfer.setData("text/plain", label); li.classList.add("dragging"); });
    li.addEventListener("dragend", () => li.classList.remove("dragging"));
    li.addEventListener("dragover", (e) => e.preventDefault());
    li.addEventListener("drop", (e) => {
      e.preventDefault();
      const moved = e.dataTransfer.getData("text/plain");
      if (!moved || moved === label) return;
      const rest = state.order.filter((x) => x !== moved);
      const at = rest.indexOf(label) + (state.order.indexOf(moved) < state.order.indexOf(label) ? 1 : 0);
      rest.splice(at, 0, moved);
      state.order = rest; state.ranked = true; state.typed = state.order.length; state.last = state.order.indexOf(moved);
      renderRanking();
    });
    return li;
  }));
  const place = {};
  groups().forEach((g, i) => g.forEach((label) => { place[label] = i + 1; }));
  document.querySelectorAll("#answers .card").forEach((card) => {
    card.querySelector(".rank").textContent = state.ranked ? `#${place[card.dataset.label]}` : "";
    card.querySelectorAll(".flag").forEach((b) => b.classList.toggle("on", (state.flags[card.dataset.label] || []).includes(b.dataset.kind)));
  });
}

function placeNext(label) {  // keyboard ranking: the n-th digit typed puts that answer n-th
  const n = state.order.length;
  if (state.typed >= n) { state.typed = 0; state.tied = new Set(); }
  if (state.order.indexOf(label) < state.typed) return;  // already placed
  state.order = state.order.filter((x) => x !== label);
  state.order.splice(state.typed, 0, label);
  state.last = state.typed;
  state.typed = state.typed + 1 >= n - 1 ? n : state.typed + 1;  // the last answer left is placed by itself
  state.ranked = state.typed >= n;
  renderRanking();
}

function toggleFlag(label, kind) {
  const kinds = new Set(state.flags[label] || []);
  kinds.has(kind) ? kinds.delete(kind) : kinds.add(kind);
  state.flags[label] = [...kinds];
  renderRanking();
}

async function submit(skip = false) {
  if (!state.item || state.busy) return;
  if (!skip && !state.ranked) { $("status").textContent = "Rank the answers first (type 1…K or drag)."; return; }
  state.busy = true; $("submit").disabled = true; $("skip").disabled = true;
  $("status").textContent = "Saving…";
  const body = skip ? { skip: true } : { ranking: groups(), flags: state.flags,
    correction: $("correction").value || null, comment: $("comment").value || null };
  try {
    await api(`/v1/annotate/items/${state.item.item_id}/judgement`, { method: "POST", body: JSON.stringify(body) });
    $("status").textContent = skip ? "Skipped." : "Saved ✓";
  } catch (err) {
    if (err.status !== 409) { $("status").textContent = `Not saved — ${err.message}`; state.busy = false;
      $("submit").disabled = false; $("skip").disabled = false; return; }
  }
  state.busy = false; $("submit").disabled = false; $("skip").disabled = false;
  const saved = $("status").textContent;
  await loadNext();
  $("status").textContent = saved;
}

document.addEventListener("keydown", (e) => {
  if ($("item").hidden || $("queue").hidden) return;
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); return; }
  const typing = ["TEXTAREA", "INPUT", "SELECT"].includes(document.activeElement.tagName);
  if (typing) { if (e.key === "Escape") document.activeElement.blur(); return; }
  const n = state.item ? state.item.answers.length : 0;
  const digit = /^Digit[0-9]$/.test(e.code) ? Number(e.code.slice(5)) : null;
  if (digit !== null && digit >= 1 && digit <= n) {
    const label = state.item.answers[digit - 1].label;
    if (state.armed) { toggleFlag(label, state.armed); state.armed = null; } else placeNext(label);
    e.preventDefault();
  } else if (digit === 0) { state.order = state.item.answers.map((a) => a.label); state.tied = new Set(); state.typed = 0;
    state.ranked = n < 2; renderRanking();
  } else if (e.key === "=") {
    const last = state.order[Math.max(1, state.last || 0)];  // ties the answer placed last with the one above it
    state.tied.has(last) ? state.tied.delete(last) : state.tied.add(last); state.ranked = true; renderRanking();
  } else if (e.key === "u") state.armed = "unsafe";
  else if (e.key === "w") state.armed = "wrong";
  else if (e.key === "s") submit(true);
  else if (e.key === "c") { e.preventDefault(); $("correction").focus(); }
  else if (e.key === "Enter") { e.preventDefault(); submit(); }
});

// ---- review ------------------------------------------------------------------------------------------------
const show = (ranking) => ranking.map((g) => g.join(" = ")).join(" > ");
const parse = (text) => text.split(">").map((g) => g.split("=").map((x) => x.trim().toUpperCase()).filter(Boolean)).filter((g) => g.length);

async function showReview() {
  $("queue").hidden = true; $("review").hidden = false;
  $("tab-review").classList.add("active"); $("tab-queue").classList.remove("active");
  if (!state.campaign) return;
  const { data } = await api(`/v1/annotate/campaigns/${encodeURIComponent(state.campaign)}/disagreements`);
  $("disagreements").replaceChildren(...data.map((d) => {
    const el = document.createElement("div");
    el.className = "dis"; el.dataset.item = d.item_id;
    el.innerHTML = `<div class="prompt"></div><div class="note">tau ${d.tau ?? "–"} · flag conflicts ${d.flag_conflicts}</div>
      <table class="answers-table"></table><table class="judgements"><tr><th>annotator</th><th>ranking</th><th>flags</th><th>correction</th><th>comment</th></tr></table>
      <div class="actions"><input class="settle-ranking" value=""><button class="settle primary">Settle</button><span class="settled-note"></span></div>`;
    el.querySelector(".prompt").textContent = d.prompt.map((m) => m.content).join("\n");
    for (const a of d.answers) {
      const tr = el.querySelector(".answers-table").insertRow();
      tr.insertCell().textContent = a.label; tr.insertCell().textContent = a.content;
    }
    for (const j of d.judgements) {
      const tr = el.querySelector(".judgements").insertRow();
      [j.user, show(j.ranking), Object.entries(j.flags).map(([l, k]) => `${l}: ${k.join(", ")}`).join("; "),
        j.correction || "", j.comment || ""].forEach((v) => { tr.insertCell().textContent = v; });
    }
    const input = el.querySelector(".settle-ranking");
    input.value = show(d.settled || d.judgements[0].ranking);
    if (d.settled) el.querySelector(".settled-note").textContent = `settled: ${show(d.settled)}`;
    el.querySelector(".settle").onclick = async () => {
      try {
        const r = await api(`/v1/annotate/items/${d.item_id}/settle`, { method: "POST", body: JSON.stringify({ ranking: parse(input.value) }) });
        el.querySelector(".settled-note").textContent = `settled: ${show(r.settled)}`;
      } catch (err) { el.querySelector(".settled-note").textContent = `not settled — ${err.message}`; }
    };
    return el;
  }));
}

// ---- wiring ------------------------------------------------------------------------------------------------
$("login-form").onsubmit = async (e) => {
  e.preventDefault();
  $("login-error").textContent = "";
  try { await signIn($("key").value.trim()); } catch (err) { state.key = null; $("login-error").textContent = err.message; }
};
$("logout").onclick = () => { localStorage.removeItem("chatforge.key"); location.reload(); };
$("campaign").onchange = () => { state.campaign = $("campaign").value; $("review").hidden ? showQueue() : showReview(); };
$("tab-queue").onclick = () => showQueue();
$("tab-review").onclick = () => showReview();
$("submit").onclick = () => submit(false);
$("skip").onclick = () => submit(true);
if (state.key) signIn(state.key).catch(() => { state.key = null; });
