// Pages: a pipeline (its task graph, trigger forms, runs) and one triggered job.
"use strict";
(function () {
  const C = window.Cairn;
  const el = C.el;
  const COLORS = { queued: "#94a3b8", running: "#3b82f6", completed: "#22a55e",
    error: "#e5484d", aborted: "#f0a020" };

  // A node is a small stacked bar: hard colour stops in proportion to its jobs' statuses.
  function nodeStyle(counts) {
    const total = C.total(counts);
    if (!total) return { colors: "#e9edf2 #e9edf2", stops: "0% 100%" };
    const colors = [];
    const stops = [];
    let at = 0;
    for (const s of C.STATUSES) {
      const n = counts[s] || 0;
      if (!n) continue;
      const w = (100 * n) / total;
      colors.push(COLORS[s], COLORS[s]);
      stops.push(at.toFixed(2) + "%", (at + w).toFixed(2) + "%");
      at += w;
    }
    return { colors: colors.join(" "), stops: stops.join(" ") };
  }

  function label(task, counts) {
    const total = C.total(counts);
    const parts = C.STATUSES.filter((s) => counts[s]).map((s) => C.fmt(counts[s]) + " " + s);
    return task + "\n" + (total ? parts.join(" · ") : "no jobs yet");
  }

  // dagre lays out left to right; cytoscape only draws (preset positions), since the
  // cytoscape-dagre adapter is not available as a webjar.
  function layout(nodes, edges) {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(() => ({}));
    nodes.forEach((n) => g.setNode(n.task, { width: 210, height: 64 }));
    edges.forEach((e) => g.setEdge(e.from, e.to));
    dagre.layout(g);
    const pos = {};
    g.nodes().forEach((id) => { const n = g.node(id); pos[id] = { x: n.x, y: n.y }; });
    return pos;
  }

  C.views.pipeline = async function (main, [name]) {
    C.crumbs(["overview", "#/"], [name]);
    const [p, graph] = await Promise.all([
      C.api("/api/v1/pipelines/" + C.enc(name)),
      C.api("/api/v1/pipelines/" + C.enc(name) + "/graph"),
    ]);
    const collectionOf = {};
    p.tasks.forEach((t) => (collectionOf[t.task || t.name] = t.collection));
    const box = el("div#graph");
    const runs = el("div#runs");
    const forms = el("div");
    C.fill(main, 
      el("h1", name, el("span.kind", "pipeline")),
      el("div.panel", el("h2", "Tasks"), box, C.legend(),
        el("p.muted", "Click a task to see its jobs.")),
      el("div.grid2",
        el("div.panel", el("h2", "Trigger"), forms),
        el("div.panel", el("h2", "Runs"),
          el("div.toolbar", el("button.btn#run-all", { onclick: runAll }, "run every task")),
          runs)));

    const pos = layout(graph.nodes, graph.edges);
    const cy = cytoscape({
      container: box,
      layout: { name: "preset" },
      userZoomingEnabled: true,
      wheelSensitivity: 0.2,
      elements: [
        ...graph.nodes.map((n) => {
          const st = nodeStyle(n.counts);
          return { data: { id: n.task, label: label(n.task, n.counts), colors: st.colors,
            stops: st.stops }, position: pos[n.task] };
        }),
        ...graph.edges.map((e, i) => ({ data: { id: "e" + i, source: e.from, target: e.to,
          via: e.via || "" } })),
      ],
      style: [
        { selector: "node", style: {
          shape: "round-rectangle", width: 210, height: 64,
          "background-fill": "linear-gradient", "background-gradient-direction": "to-right",
          "background-gradient-stop-colors": "data(colors)",
          "background-gradient-stop-positions": "data(stops)",
          "border-width": 1.5, "border-color": "#33415a",
          label: "data(label)", "text-wrap": "wrap", "text-max-width": 200,
          "text-valign": "center", "text-halign": "center", "font-size": 12, color: "#0d1522",
          "text-background-color": "#ffffff", "text-background-opacity": 0.85,
          "text-background-padding": 3, "text-background-shape": "round-rectangle" } },
        { selector: "node:active, node:selected", style: { "border-width": 3,
          "border-color": "#2f6fdf" } },
        { selector: "edge", style: { width: 2, "line-color": "#9aa7b8",
          "target-arrow-color": "#9aa7b8", "target-arrow-shape": "triangle",
          "curve-style": "bezier", label: "data(via)", "font-size": 10, color: "#6b7685",
          "text-rotation": "autorotate", "text-margin-y": -8 } },
      ],
    });
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.3) { cy.zoom(1.3); cy.center(); }
    cy.on("tap", "node", (e) => {
      location.hash = "#/c/" + C.enc(collectionOf[e.target.id()]);
    });
    C.graph = cy; // for the browser test and for curious people

    C.onCounts((doc) => {
      for (const c of doc.collections) {
        const task = Object.keys(collectionOf).find((t) => collectionOf[t] === c.name);
        if (!task) continue;
        const st = nodeStyle(c.counts);
        cy.getElementById(task).data({ label: label(task, c.counts), colors: st.colors,
          stops: st.stops });
      }
    });

    for (const t of p.tasks) {
      if (!t.parameterized) continue;
      const inputs = {};
      const form = el("form.trigger", { "data-task": t.name },
        el("div", { style: "grid-column:1/3" }, el("b", t.name)),
        t.params.map((prm) => {
          const type = prm.type === "boolean" ? "checkbox"
            : ["int", "long", "double"].includes(prm.type) ? "number"
            : prm.type === "date" ? "date" : "text";
          const input = el("input", { type, name: prm.name, step: prm.type === "double" ? "any" : null });
          if (prm.default !== null && prm.default !== undefined) {
            if (type === "checkbox") input.checked = !!prm.default;
            else input.value = prm.default;
          }
          inputs[prm.name] = [input, prm];
          return [el("label", prm.name, " ", el("span.type", prm.type)), input];
        }),
        el("div.actions", el("button.btn.primary", { type: "submit" }, "trigger " + t.name)));
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const params = {};
        for (const [k, [input, prm]] of Object.entries(inputs)) {
          if (prm.type === "boolean") params[k] = input.checked;
          else if (input.value === "") continue;
          else if (prm.type === "int" || prm.type === "long") params[k] = parseInt(input.value, 10);
          else if (prm.type === "double") params[k] = parseFloat(input.value);
          else params[k] = input.value;
        }
        try {
          const r = await C.api(t.jobs_url, { body: { params } });
          C.toast(r.scheduled ? "triggered " + t.name + " " + r.job
            : t.name + " " + r.job + " is " + r.status + ": nothing new to run");
          location.hash = "#/j/" + C.enc(name) + "/" + C.enc(t.name) + "/" + C.enc(r.job);
        } catch (err) {
          C.toast(err.message, true);
        }
      });
      forms.appendChild(form);
    }
    if (!forms.childNodes.length) {
      forms.appendChild(el("p.empty", "no task of this pipeline takes parameters; run it instead"));
    }

    async function loadRuns() {
      const s = await C.api("/api/v1/pipelines/" + C.enc(name) + "/status");
      C.fill(runs, s.runs.length
        ? el("table", el("thead", el("tr", el("th", "#"), el("th", "what"), el("th", "state"),
            el("th.num", "completed"), el("th.num", "failed"))),
          el("tbody", s.runs.slice().reverse().slice(0, 10).map((r) => el("tr",
            el("td", r.id), el("td.mono", r.what),
            el("td", r.failure ? C.badge("error") : C.badge(r.done ? "completed" : "running")),
            el("td.num", C.fmt(r.completed)), el("td.num", C.fmt(r.failed))))))
        : el("p.empty", s.done ? "nothing is running" : "jobs are waiting or running"));
    }
    async function runAll() {
      try {
        const r = await C.api("/api/v1/pipelines/" + C.enc(name) + "/runs", { body: {} });
        C.toast("started run " + r.id);
      } catch (err) {
        C.toast(err.message, true);
      }
      loadRuns();
    }
    await loadRuns();
    C.every(2000, loadRuns);
  };

  // ------------------------------------------------------------------ one job
  C.views.job = async function (main, [pipeline, task, job]) {
    C.crumbs(["overview", "#/"], [pipeline, "#/p/" + C.enc(pipeline)],
      [task, "#/c/" + C.enc(pipeline + "." + task)], [job]);
    const url = "/api/v1/pipelines/" + C.enc(pipeline) + "/tasks/" + C.enc(task) + "/jobs/"
      + C.enc(job);
    const status = el("span#job-status");
    const facts = el("dl.kv");
    const outputs = el("div#outputs");
    const log = el("pre#job-log", "");
    C.fill(main, 
      el("h1", task, " ", el("span.mono", job), " ", status),
      el("div.grid2",
        el("div.panel", el("h2", "Job"), facts),
        el("div.panel", el("h2", "Outputs"), outputs)),
      el("div.panel", el("h2", "Log"), log));
    let done = false;
    const poll = async () => {
      if (done) return;
      const j = await C.api(url);
      // Before its scheduling run has queued it, a job is not in the store yet.
      const shown = j.scheduling && j.status === "unavailable" ? "scheduling" : j.status;
      C.fill(status, C.badge(shown));
      C.fill(facts,
        el("dt", "status"), el("dd", C.badge(shown)),
        el("dt", "attempts"), el("dd", j.attempts),
        el("dt", "parameters"), el("dd.mono", j.params ? JSON.stringify(j.params) : "–"),
        j.blocked_on ? [el("dt", "waiting for"), el("dd", j.blocked_on)] : null,
        j.error ? [el("dt", "error"), el("dd.mono", j.error)] : null,
        el("dt", "result"), el("dd.mono", j.result === null ? "–" : JSON.stringify(j.result)),
        el("dt", "resource"), el("dd", el("a", { href: "#/r/" + C.enc(pipeline + "." + task) + "/"
          + C.enc(job) }, "all details")));
      C.fill(outputs, j.outputs.length
        ? el("ul", j.outputs.map((o) => el("li", el("a.output", { href: o.url }, o.name),
            el("span.muted", " " + C.fmt(o.size) + " bytes"))))
        : el("p.empty", j.status === "completed" ? "no outputs" : "outputs appear when it completes"));
      if (j.status !== "unavailable") {
        const res = await fetch(j.log_url, { credentials: "same-origin" });
        if (res.ok) log.textContent = (await res.text()) || "(no log yet)";
      } else {
        log.textContent = "(no log yet)";
      }
      done = ["completed", "error", "aborted"].includes(j.status);
    };
    await poll();
    C.every(1000, poll);
    C.onResource = () => poll();
  };
})();
