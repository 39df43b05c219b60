// The console's Runs tab: pipeline runs with their stage graph, live progress and logs; start, stop, resume.
"use strict";

async function loadRuns() {
  const { root, data } = await api(`${API}/runs`);
  $("runs-note").textContent = data.length ? `runs under ${root}` : `no pipeline run under ${root} yet`;
  $("runs").replaceChildren(...data.map(runPanel));
  const going = data.some((r) => r.process && r.process.alive);
  if (going && !state.runsTimer) state.runsTimer = setInterval(() => run(loadRuns), 2000);
  if (!going && state.runsTimer) { clearInterval(state.runsTimer); state.runsTimer = null; }
}

function stageBox(r, s) {
  const box = el("div", null, `stage ${s.state}`);
  box.dataset.stage = s.name;
  box.append(el("b", s.name), el("div", `${s.uses || ""}`, "muted"));
  box.append(el("div", `${s.state}${s.seconds !== null ? ` · ${fmt(s.seconds)} s` : ""}`, "state"));
  if (s.needs.length) box.append(el("div", `after ${s.needs.join(", ")}`, "needs"));
  if (s.progress && s.progress.total) {
    const bar = el("progress");
    bar.max = s.progress.total;
    bar.value = s.progress.completed || 0;
    box.append(bar, el("div", `${s.progress.task || ""} ${s.progress.completed}/${s.progress.total}`, "muted"));
  }
  if (s.note) box.append(el("div", s.note, "muted"));
  if (s.log) box.append(button("log", () => run(() => showLog(r.out, s.name)), "link show-log"));
  return box;
}

function runPanel(r) {
  const panel = el("div", null, "panel run");
  panel.dataset.out = r.out;
  const p = r.process;
  const status = p ? (p.alive ? `running (pid ${p.pid})` : `exited ${p.exit}`) : "not started from this console";
  panel.append(el("h3", `${r.name || "?"} · profile ${r.profile} · ${r.out}`), el("p", status, "muted run-status"));
  const graph = el("div", null, "stage-graph");
  graph.append(...r.stages.map((s) => stageBox(r, s)));
  const controls = el("div", null, "row");
  if (p && p.alive) controls.append(button("Stop", () => run(async () => {
    await api(`${API}/runs/stop`, { out: r.out });
    flash(`stopped ${r.out}`);
    await loadRuns();
  }), "stop"));
  else controls.append(button("Resume", () => run(async () => {
    await api(`${API}/runs/resume`, { out: r.out });
    flash(`resumed ${r.out}`);
    await loadRuns();
  }), "resume"));
  panel.append(graph, controls);
  return panel;
}

async function showLog(out, stage) {
  const q = new URLSearchParams({ out, stage });
  const res = await api(`${API}/runs/log?${q}`);
  $("log-box").hidden = false;
  $("log-title").textContent = `${stage} · ${res.bytes} bytes${res.truncated ? " (end shown)" : ""}`;
  $("log").textContent = res.text;
}

$("run-form").onsubmit = (e) => { e.preventDefault(); run(async () => {
  const sets = $("run-sets").value.split(",").map((s) => s.trim()).filter(Boolean);
  const r = await api(`${API}/runs/start`, { pipeline: $("run-pipeline").value, profile: $("run-profile").value || null,
    out: $("run-out").value, sets });
  flash(`started ${r.argv.join(" ")} (pid ${r.pid})`);
  await loadRuns();
}); };
