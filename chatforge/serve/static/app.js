// The chatforge web chat: sign in with a key, stream answers from /v1/chat/completions, show sources,
// record thumbs (with an optional comment), regenerate + pick (a preference pair), and a 1-5 survey.
// A grounded answer the documents do not support ("grounding.abstained") is shown apart, as
// "Not found in the documents", with the sources that were searched; removed sentences are counted.
"use strict";
const $ = (id) => document.getElementById(id);
const state = { key: localStorage.getItem("chatforge.key"), conv: null, history: [], busy: false };

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { "Content-Type": "application/json",
    Authorization: `Bearer ${state.key}`, ...(options.headers || {}) } });
  if (!res.ok) {
    let detail = res.statusText;
    try { detail = (await res.json()).detail || detail; } catch (_) { /* not JSON */ }
    throw new Error(`${res.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  }
  return res;
}

async function signIn(key) {
  state.key = key;
  const me = await (await api("/v1/me")).json();
  localStorage.setItem("chatforge.key", key);
  $("who").textContent = `${me.user} · ${me.roles.join(", ")}`;
  $("login").hidden = true;
  $("app").hidden = false;
  await loadConversations();
  $("input").focus();
}

async function loadConversations() {
  const { data } = await (await api("/v1/conversations")).json();
  const list = $("conversations");
  list.replaceChildren(...data.map((c) => {
    const li = document.createElement("li");
    li.textContent = c.title || `Conversation ${c.id}`;
    li.dataset.id = c.id;
    li.classList.toggle("active", c.id === state.conv);
    li.onclick = () => openConversation(c.id);
    return li;
  }));
}

function newConversation() {
  state.conv = null;
  state.history = [];
  $("messages").replaceChildren();
  $("survey").hidden = true;
  $("survey-done").hidden = true;
  loadConversations();
}

async function openConversation(id) {
  const { messages } = await (await api(`/v1/conversations/${id}`)).json();
  newConversation();
  state.conv = id;
  const replaced = new Set(messages.filter((m) => m.regenerates).map((m) => m.regenerates));
  for (const m of messages) {
    if (m.role === "user") { addBubble("user", m.content); state.history.push({ role: "user", content: m.content }); }
    else if (!replaced.has(m.id)) {
      const el = addBubble("assistant", m.content);
      finishAnswer(el, m.id, m.sources || [], m.grounding);
      state.history.push({ role: "assistant", content: m.content });
    }
  }
  $("survey").hidden = !messages.length;
  loadConversations();
}

function addBubble(role, text) {
  const el = document.createElement("div");
  el.className = `msg ${role}`;
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  bubble.textContent = text;
  el.appendChild(bubble);
  $("messages").appendChild(el);
  el.scrollIntoView({ block: "end" });
  return el;
}

// Parse the server-sent events of one streamed completion; onChunk gets each JSON chunk.
async function streamCompletion(body, onChunk) {
  const res = await api("/v1/chat/completions", { method: "POST",
    body: JSON.stringify({ model: "chatforge", stream: true, stream_options: { include_usage: true }, ...body }) });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const events = buffer.split(/\r?\n\r?\n/);
    buffer = events.pop();
    for (const event of events) {
      for (const line of event.split(/\r?\n/)) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") return;
        const chunk = JSON.parse(data);
        if (chunk.error) throw new Error(chunk.error.message);
        onChunk(chunk);
      }
    }
  }
}

async function answer(messages, extra = {}) {
  const el = addBubble("assistant", "");
  const bubble = el.querySelector(".bubble");
  bubble.classList.add("streaming");
  let messageId = null, sources = [], grounding = null;
  try {
    await streamCompletion({ messages, conversation_id: state.conv, ...extra }, (chunk) => {
      if (chunk.conversation_id) state.conv = chunk.conversation_id;
      if (chunk.sources && chunk.sources.length) sources = chunk.sources;
      if (chunk.message_id) messageId = chunk.message_id;
      if (chunk.grounding) grounding = chunk.grounding;
      const piece = chunk.choices && chunk.choices[0] && chunk.choices[0].delta.content;
      if (piece) { bubble.textContent += piece; el.scrollIntoView({ block: "end" }); }
    });
  } catch (err) {
    bubble.textContent += `\n[error ${err.message}]`;
  }
  bubble.classList.remove("streaming");
  if (messageId) finishAnswer(el, messageId, sources, grounding);
  $("survey").hidden = false;
  return { el, messageId, text: bubble.textContent };
}

function button(label, title, onclick) {
  const b = document.createElement("button");
  b.textContent = label;
  b.title = title;
  b.onclick = onclick;
  return b;
}

async function sendFeedback(body) {
  await api("/v1/feedback", { method: "POST", body: JSON.stringify(body) });
}

// The grounding check of an answer: a "not found" banner when it abstained, a count of removed sentences.
function showGrounding(el, grounding) {
  if (!grounding) return;
  if (grounding.abstained) {
    el.classList.add("abstained");
    const banner = document.createElement("div");
    banner.className = "not-found";
    banner.textContent = "Not found in the documents";
    el.insertBefore(banner, el.querySelector(".bubble"));
  } else if (grounding.removed_sentences && grounding.removed_sentences.length) {
    const n = grounding.removed_sentences.length;
    const removed = document.createElement("div");
    removed.className = "removed";
    removed.textContent = `${n} unsupported sentence${n > 1 ? "s" : ""} removed (not in the documents)`;
    el.appendChild(removed);
  }
}

function finishAnswer(el, messageId, sources, grounding) {
  el.dataset.messageId = messageId;
  showGrounding(el, grounding);
  if (sources.length) {
    const cited = new Set(((grounding && grounding.citations) || []).map((n) => `[${n}]`));
    const ul = document.createElement("ul");
    ul.className = "sources";
    if (grounding && grounding.abstained) {
      const head = document.createElement("li");
      head.className = "searched";
      head.textContent = "Searched:";
      ul.appendChild(head);
    }
    ul.append(...sources.map((s) => {
      const li = document.createElement("li");
      li.textContent = s;
      if (cited.has(s.split(" ")[0])) li.classList.add("cited");
      return li;
    }));
    el.appendChild(ul);
  }
  const actions = document.createElement("div");
  actions.className = "actions";
  const note = document.createElement("span");
  note.className = "note";
  const thumb = (value) => async (ev) => {
    await sendFeedback({ kind: "thumb", message_id: messageId, value });
    actions.querySelectorAll(".thumb").forEach((b) => b.classList.remove("chosen"));
    ev.target.classList.add("chosen");
    note.textContent = "Thanks — add a comment?";
    comment.hidden = send.hidden = false;
  };
  const up = button("▲ Good", "Good answer", thumb(1)), down = button("▼ Bad", "Bad answer", thumb(-1));
  up.classList.add("thumb", "thumb-up");
  down.classList.add("thumb", "thumb-down");
  const comment = document.createElement("input");
  comment.className = "comment";
  comment.placeholder = "Optional comment";
  const send = button("Send", "Send the comment", async () => {
    if (!comment.value.trim()) return;
    await sendFeedback({ kind: "comment", message_id: messageId, comment: comment.value.trim() });
    comment.hidden = send.hidden = true;
    note.textContent = "Comment saved.";
  });
  comment.hidden = send.hidden = true;
  const regen = button("↻ Regenerate", "Ask for another answer", () => regenerate(el, messageId));
  regen.classList.add("regenerate");
  actions.append(up, down, regen, note, comment, send);
  el.appendChild(actions);
}

// Another answer to the same question; the user keeps one, recorded as a preference pair.
async function regenerate(oldEl, oldId) {
  if (state.busy) return;
  state.busy = true;
  const messages = state.history.slice(0, -1);  // up to and including the question
  const fresh = await answer(messages, { regenerate_of: oldId });
  state.busy = false;
  if (!fresh.messageId) return;
  const oldText = oldEl.querySelector(".bubble").textContent;
  const pick = (chosenEl, chosen, other, text) => async () => {
    await sendFeedback({ kind: "pick", message_id: chosen, other_message_id: other });
    state.history[state.history.length - 1] = { role: "assistant", content: text };
    [oldEl, fresh.el].forEach((e) => e.querySelector(".keep") && e.querySelector(".keep").remove());
    (chosenEl === oldEl ? fresh.el : oldEl).style.opacity = 0.5;
  };
  const keepOld = button("Keep this one", "Prefer this answer", pick(oldEl, oldId, fresh.messageId, oldText));
  const keepNew = button("Keep this one", "Prefer this answer", pick(fresh.el, fresh.messageId, oldId, fresh.text));
  keepOld.classList.add("keep");
  keepNew.classList.add("keep");
  oldEl.querySelector(".actions").appendChild(keepOld);
  fresh.el.querySelector(".actions").appendChild(keepNew);
  state.history[state.history.length - 1] = { role: "assistant", content: fresh.text };
}

async function send(ev) {
  ev.preventDefault();
  const text = $("input").value.trim();
  if (!text || state.busy) return;
  state.busy = true;
  $("send").disabled = true;
  $("input").value = "";
  addBubble("user", text);
  state.history.push({ role: "user", content: text });
  const reply = await answer(state.history);
  state.history.push({ role: "assistant", content: reply.text });
  state.busy = false;
  $("send").disabled = false;
  loadConversations();
}

$("login-form").onsubmit = async (ev) => {
  ev.preventDefault();
  try { await signIn($("key").value.trim()); $("login-error").textContent = ""; }
  catch (err) { $("login-error").textContent = `Sign-in failed (${err.message})`; }
};
$("logout").onclick = () => { localStorage.removeItem("chatforge.key"); location.reload(); };
$("new-chat").onclick = newConversation;
$("composer").onsubmit = send;
$("input").onkeydown = (ev) => { if (ev.key === "Enter" && !ev.shiftKey) send(ev); };
document.querySelectorAll("#survey [data-score]").forEach((b) => b.onclick = async () => {
  if (!state.conv) return;
  await sendFeedback({ kind: "survey", conversation_id: state.conv, value: Number(b.dataset.score) });
  $("survey-done").hidden = false;
});
if (state.key) signIn(state.key).catch(() => { localStorage.removeItem("chatforge.key"); });
