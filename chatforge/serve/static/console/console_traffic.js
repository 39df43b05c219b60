// The console's Reports and Live traffic tabs (loaded after console.js, whose helpers they use).
"use strict";

// ---- reports: two eval variants side by side ---------------------------------------------------
async function loadReports() {
  const { root, data } = await api(`${API}/reports`);
  state.reports = data;
  $("reports-note").textContent = data.length ? `${data.length} report(s) under ${root} and the registry`
    : `no report.json under ${root} or in the registry yet (chatforge eval writes one)`;
  for (const side of ["a", "b"]) {
    const sel = $(`rep-${side}`);
    const keep = sel.value;
    sel.replaceChildren(...data.map((r) => { const o = el("option", r.label); o.value = r.path; return o; }));
    if (keep) sel.value = keep;
    else if (data.length) sel.selectedIndex = side === "b" && data.length > 1 ? 1 : 0;
    fillVariants(side);
  }
}

function fillVariants(side) {
  const rep = state.reports.find((r) => r.path === $(`rep-${side}`).value);
  const sel = $(`var-${side}`);
  sel.replaceChildren(...(rep ? rep.variants : []).map((v) => { const o = el("option", v); o.value = v; return o; }));
  if (rep && rep.variants.length) sel.value = rep.variants[rep.variants.length - 1];
}

function itemCell(it) {
  const box = el("div");
  if (!it) { box.append(el("span", "—", "muted")); return box; }
  box.append(el("div", it.answer, "answer"));
  const tags = el("div");
  if (it.abstained) tags.append(el("span", "abstained", "tag"));
  for (const f of it.degenerate || []) tags.append(el("span", f, "tag flag"));
  if (it.answer_correct !== undefined) tags.append(el("span", `correct ${fmt(it.answer_correct)}`, "tag"));
  if (it.token_f1 !== undefined) tags.append(el("span", `F1 ${fmt(it.token_f1)}`, "tag"));
  const g = it.grounding;
  if (g) {
    tags.append(el("span", `support ${fmt(g.support)}`, "tag"));
    if (g.citations && g.citations.length) tags.append(el("span", `cites ${g.citations.join(", ")}`, "tag"));
    if (g.removed_sentences && g.removed_sentences.length) {
      tags.append(el("span", `${g.removed_sentences.length} removed`, "tag flag"));
      box.append(el("div", `removed: ${g.removed_sentences.join(" · ")}`, "muted removed"));
    }
  }
  if (it.sources && it.sources.length) tags.append(el("span", `sources: ${it.sources.join("; ")}`, "muted"));
  box.append(tags);
  return box;
}

async function compareReports() {
  const q = new URLSearchParams({ a: $("rep-a").value, va: $("var-a").value, b: $("rep-b").value, vb: $("var-b").value });
  const res = await api(`${API}/reports/compare?${q}`);
  $("metric-deltas").querySelector("tbody").replaceChildren(...res.metrics.map((m) => {
    const tr = row([m.metric, fmt(m.a && m.a.value), ci(m.a), fmt(m.b && m.b.value), ci(m.b), fmt(m.delta)]);
    if (m.delta !== null && m.delta !== 0) {
      const better = m.lower_is_better ? m.delta < 0 : m.delta > 0;
      tr.lastChild.className = `num ${better ? "verdict-better" : "verdict-worse"}`;
      if (m.intervals_overlap) tr.lastChild.title = "the intervals overlap: the difference may be noise";
    }
    return tr;
  }));
  state.items = res.items;
  $("items-hidden").textContent = res.hidden ? `${res.hidden} item(s) hidden: they are about or quote documents `
    + "your roles may not read (or that the server's index does not hold, or their test set is unreadable)" : "";
  renderItems();
}

function renderItems() {
  const only = $("only-diff").checked;
  $("item-diff").querySelector("tbody").replaceChildren(...(state.items || []).filter((i) => !only || i.differ)
    .map((i) => row([i.id, itemCell(i.a), itemCell(i.b)])));
}

// ---- live traffic: A/B, feedback inbox, send to annotation --------------------------------------
async function loadLive() {
  const rep = await api(`${API}/ab`);
  $("ab-verdict").textContent = rep.verdict;
  $("ab").querySelector("tbody").replaceChildren(...Object.entries(rep.variants).map(([v, r]) =>
    row([v, r.users, r.answers, `${r.thumbs_up}/${r.thumbs}`, fmt(r.regenerate_rate), fmt(r.survey_mean)])));
  await loadInbox();
}

async function loadInbox() {
  const model = $("inbox-model").value;
  const res = await api(`${API}/inbox` + (model ? `?model=${encodeURIComponent(model)}` : ""));
  const sel = $("inbox-model");
  sel.replaceChildren(el("option", "all"), ...res.models.map((m) => { const o = el("option", m); o.value = m; return o; }));
  sel.firstChild.value = "";
  sel.value = model;
  $("inbox").querySelector("tbody").replaceChildren(...res.data.map((r) => {
    const box = el("input");
    box.type = "checkbox";
    box.className = "pick";
    box.dataset.conversation = r.conversation_id;
    const hidden = el("span", "restricted: quotes documents your roles may not read", "muted");
    const tr = row([box, r.why.join(", "), r.model, r.restricted ? hidden : r.question,
      r.restricted ? hidden.cloneNode(true) : el("div", r.answer, "answer"), fmt(r.support)]);
    tr.dataset.message = r.message_id;
    return tr;
  }));
}

$("rep-a").onchange = () => fillVariants("a");
$("rep-b").onchange = () => fillVariants("b");
$("compare-form").onsubmit = (e) => { e.preventDefault(); run(compareReports); };
$("only-diff").onchange = renderItems;
$("inbox-form").onsubmit = (e) => { e.preventDefault(); run(loadInbox); };
$("campaign-form").onsubmit = (e) => { e.preventDefault(); run(async () => {
  const conversations = [...new Set([...document.querySelectorAll("#inbox .pick:checked")].map((b) => Number(b.dataset.conversation)))];
  if (!conversations.length) throw new Error("select at least one conversation");
  const r = await api(`${API}/campaigns`, { name: $("campaign-name").value, annotators: $("campaign-annotators").value, conversations });
  flash(`campaign ${r.name}: ${r.items} items, ${r.answers} answers, ${r.assigned} assignments`);
}); };
