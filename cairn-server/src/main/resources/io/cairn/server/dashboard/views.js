// Pages: the overview, a collection or task, one resource.
"use strict";
(function () {
  const C = window.Cairn;
  const el = C.el;

  // ------------------------------------------------------------------ overview
  C.views.overview = async function (main) {
    C.crumbs(["overview"]);
    const [cols, pipes] = await Promise.all([
      C.api("/api/v1/collections"),
      C.api("/api/v1/pipelines"),
    ]);
    const tiles = el("div.tiles");
    const rows = new Map();
    const tbody = el("tbody");
    for (const c of cols.collections) {
      C.counts.set(c.name, c);
      const link = "#/c/" + C.enc(c.name);
      const tr = el("tr", { "data-collection": c.name },
        el("td", el("a.name", { href: link }, c.name),
          el("span.kind", c.kind === "task" ? "task " + c.task : c.kind)),
        el("td.barcell"), el("td.num.total"),
        C.STATUSES.map((s) => el("td.num.n-" + s)), el("td.num.rate"));
      rows.set(c.name, tr);
      tbody.appendChild(tr);
    }
    const running = el("div");
    const pipeCards = el("div.cards");
    for (const p of pipes.pipelines) {
      const card = el("div.card", el("h3", el("a", { href: "#/p/" + C.enc(p.name) }, p.name),
        el("span.kind", "pipeline")));
      for (const t of p.tasks) {
        card.appendChild(el("div.task-row", { "data-collection": p.name + "." + t },
          el("a", { href: "#/c/" + C.enc(p.name + "." + t) }, t), el("div.barcell"),
          el("span.num.total.muted")));
      }
      card.appendChild(el("a", { href: "#/p/" + C.enc(p.name) }, "graph and triggers →"));
      pipeCards.appendChild(card);
    }
    C.fill(main, 
      el("h1", "Overview"),
      tiles,
      pipes.pipelines.length ? el("div.panel", el("h2", "Pipelines"), pipeCards) : null,
      el("div.panel", el("h2", "Collections, trackers and tasks"),
        cols.collections.length
          ? el("table#collections", el("thead", el("tr", el("th", "name"), el("th", "status"),
              el("th.num", "total"), C.STATUSES.map((s) => el("th.num", s)),
              el("th.num", "throughput"))), tbody)
          : el("p.empty", "nothing in this home yet"),
        C.legend()),
      el("div.panel", el("h2", "Running now"), running));

    const paint = () => {
      const sum = { total: 0, running: 0, error: 0, completed: 0, aborted: 0, rate: 0 };
      for (const [name, c] of C.counts) {
        const counts = c.counts;
        sum.total += C.total(counts);
        sum.running += counts.running || 0;
        sum.error += counts.error || 0;
        sum.completed += counts.completed || 0;
        sum.aborted += counts.aborted || 0;
        sum.rate += c.throughput_per_s || 0;
        document.querySelectorAll('[data-collection="' + CSS.escape(name) + '"]').forEach((row) => {
          C.fill(row.querySelector(".barcell"), C.bar(counts));
          row.querySelector(".total").textContent = C.fmt(C.total(counts));
          for (const s of C.STATUSES) {
            const cell = row.querySelector(".n-" + s);
            if (cell) {
              const text = C.fmt(counts[s] || 0);
              if (cell.textContent && cell.textContent !== text) {
                cell.classList.remove("flash");
                void cell.offsetWidth;
                cell.classList.add("flash");
              }
              cell.textContent = text;
            }
          }
          const rate = row.querySelector(".rate");
          if (rate) rate.textContent = C.rate(c.throughput_per_s);
        });
      }
      C.fill(tiles, 
        tile("resources", sum.total, ""), tile("completed", sum.completed, "completed"),
        tile("running", sum.running, "running"), tile("errors", sum.error, "error"),
        tile("aborted", sum.aborted, "aborted"),
        tile("throughput", C.rate(sum.rate), ""));
    };
    paint();
    let lastRunning = 0;
    const loadRunning = async () => {
      lastRunning = Date.now();
      const r = await C.api("/api/v1/running");
      C.fill(running, r.items.length
        ? el("table#running", el("thead", el("tr", el("th", "resource"), el("th", "collection"),
            el("th", "worker"), el("th", "attempt"), el("th", "running for"))),
          el("tbody", r.items.map((x) => el("tr",
            el("td.mono", el("a", { href: "#/r/" + C.enc(x.collection) + "/" + C.enc(x.ident) },
              x.ident)),
            el("td", x.collection), el("td.mono", x.owner || "–"), el("td.num", x.attempts),
            el("td", C.duration(Date.now() - x.started_ms))))))
        : el("p.empty", "nothing is running"));
      if (r.running > r.items.length) {
        running.appendChild(el("p.muted", "and " + C.fmt(r.running - r.items.length) + " more"));
      }
    };
    await loadRunning();
    C.onCounts((doc) => {
      paint();
      if (Date.now() - lastRunning > 2000) loadRunning();
    });
    C.every(5000, loadRunning);
  };

  function tile(label, n, cls) {
    return el("div.tile" + (cls ? "." + cls : ""), el("div.n", typeof n === "number" ? C.fmt(n) : n),
      el("div.l", label));
  }

  // ------------------------------------------------------------------ collection / task
  C.views.collection = async function (main, [name]) {
    const info = await C.api("/api/v1/collections/" + C.enc(name));
    const crumbs = [["overview", "#/"]];
    if (info.task) {
      const p = info.task.split("/")[0];
      crumbs.push([p, "#/p/" + C.enc(p)]);
    }
    crumbs.push([name]);
    C.crumbs(...crumbs);
    const state = { status: "", prefix: "", cursors: [null] };
    const head = el("div");
    const chips = el("div.toolbar");
    const search = el("input#prefix", { type: "text", placeholder: "ident starts with…" });
    const table = el("div#resources");
    const pager = el("div.pager");
    const groups = el("div#groups");
    C.fill(main, 
      el("h1", name, el("span.kind", info.kind === "task" ? "task " + info.task : info.kind)),
      el("div.panel", head),
      el("div.grid2",
        el("div.panel", el("h2", "Resources"), chips,
          el("div.toolbar", search, el("button.btn", { onclick: () => reload() }, "search")),
          table, pager),
        el("div.panel", el("h2", "Error groups"), groups)));
    search.addEventListener("keydown", (e) => e.key === "Enter" && reload());

    const paintHead = (c) => {
      C.fill(head, C.bar(c.counts, true), C.legend(),
        el("div.toolbar", { style: "margin-top:10px" },
          el("span", el("b", C.fmt(C.total(c.counts))), " resources"),
          C.STATUSES.map((s) => el("span", C.badge(s), " ", C.fmt(c.counts[s] || 0))),
          el("span.muted", "throughput " + C.rate(c.throughput_per_s))));
      C.fill(chips, ...["", ...C.STATUSES].map((s) =>
        el("button.chip" + (state.status === s ? ".on" : ""), {
          "data-status": s || "all",
          onclick: () => { state.status = s; reload(); paintHead(c); },
        }, s || "all", el("span.c", C.fmt(s ? c.counts[s] || 0 : C.total(c.counts))))));
    };
    paintHead(info);

    const load = async () => {
      const cursor = state.cursors[state.cursors.length - 1];
      const q = new URLSearchParams({ limit: "25" });
      if (state.status) q.set("status", state.status);
      if (state.prefix) q.set("prefix", state.prefix);
      if (cursor) q.set("cursor", cursor);
      const page = await C.api("/api/v1/collections/" + C.enc(name) + "/resources?" + q);
      C.fill(table, page.items.length
        ? el("table", el("thead", el("tr", el("th", "ident"), el("th", "status"),
            el("th.num", "attempts"), el("th", "ended"))),
          el("tbody", page.items.map((r) => el("tr",
            el("td.mono", el("a", { href: "#/r/" + C.enc(name) + "/" + C.enc(r.ident) }, r.ident)),
            el("td", C.badge(r.status)), el("td.num", r.attempts), el("td", C.time(r.ended_ms))))))
        : el("p.empty", "no resources" + (state.status ? " with status " + state.status : "")
            + (state.prefix ? " starting with '" + state.prefix + "'" : "")));
      C.fill(pager, 
        el("button.btn", { disabled: state.cursors.length < 2,
          onclick: () => { state.cursors.pop(); load(); } }, "← previous"),
        el("button.btn#next", { disabled: !page.next_cursor,
          onclick: () => { state.cursors.push(page.next_cursor); load(); } }, "next →"));
    };
    const reload = () => {
      state.prefix = search.value.trim();
      state.cursors = [null];
      return load();
    };

    const loadGroups = async () => {
      const g = await C.api("/api/v1/collections/" + C.enc(name) + "/errors");
      if (!g.groups.length) {
        C.fill(groups, el("p.empty", "no errors"));
        return;
      }
      C.fill(groups, 
        el("div.toolbar", el("button.btn.danger#retry-all",
          { onclick: () => act("retry", { all: true }, "every ERROR resource") }, "retry all errors")),
        g.groups.map((x) => el("div.group", { "data-group": x.id },
          el("div.head", el("span.type", x.type !== undefined ? x.type : "exit code " + x.exit_code),
            el("span.count", C.fmt(x.count))),
          x.frames && x.frames.length
            ? el("div.frames", x.frames.map((f) => el("div", "at " + f)))
            : x.last_line ? el("div.frames", x.last_line) : null,
          el("div.toolbar",
            el("span.muted", "e.g. ", el("a", { href: "#/r/" + C.enc(name) + "/"
              + C.enc(x.example.ident) }, x.example.ident), " — " + x.example.message)),
          el("div.toolbar",
            el("button.btn.primary.retry", { onclick: () => act("retry", { group: x.id },
              x.count + " resources") }, "retry this group"),
            el("button.btn.danger", { onclick: () => act("abort", { group: x.id },
              x.count + " resources") }, "abort them")))),
        g.truncated ? el("p.muted", "grouped from the first 10,000 errors") : null);
    };
    const act = async (what, body, label) => {
      try {
        const r = await C.api("/api/v1/collections/" + C.enc(name) + "/errors/" + what, { body });
        C.toast((what === "retry" ? "requeued " + r.requeued : "aborted " + r.aborted) + " of "
          + label);
      } catch (e) {
        C.toast(e.message, true);
      }
      await Promise.all([load(), loadGroups()]);
    };
    await Promise.all([load(), loadGroups()]);
    let last = JSON.stringify(info.counts);
    C.onCounts(() => {
      const c = C.counts.get(name);
      if (!c) return;
      paintHead(c);
      const now = JSON.stringify(c.counts);
      if (now !== last) {
        last = now;
        if (state.cursors.length === 1) load();
        loadGroups();
      }
    });
  };

  // ------------------------------------------------------------------ one resource
  C.views.resource = async function (main, [name, ...rest]) {
    const ident = rest.join("/");
    const q = "?ident=" + C.enc(ident);
    const base = "/api/v1/collections/" + C.enc(name) + "/resource";
    const r = await C.api(base + q);
    C.crumbs(["overview", "#/"], [name, "#/c/" + C.enc(name)], [ident]);
    const status = el("span#status", C.badge(r.status));
    const facts = el("dl.kv");
    const log = el("pre#log", "");
    const trace = el("div#trace-box");
    const files = el("div");
    C.fill(main, 
      el("h1", el("span.mono", ident), " ", status),
      el("div.grid2",
        el("div.panel", el("h2", "Resource"), facts),
        el("div.panel", el("h2", "Result"), el("pre.json#result", json(r.result)),
          el("h2", { style: "margin-top:14px" }, "Arguments"), el("pre.json", json(r.args)))),
      el("div.panel", el("h2", "Stack trace"), trace),
      el("div.panel", el("h2", "Log ", el("span#following.muted")), log),
      el("div.panel", el("h2", "Files"), files));

    const paint = (x) => {
      C.fill(status, C.badge(x.status));
      const t = x.timings;
      C.fill(facts, 
        el("dt", "collection"), el("dd", el("a", { href: "#/c/" + C.enc(name) }, name)),
        el("dt", "status"), el("dd", C.badge(x.status)),
        el("dt", "attempts"), el("dd", x.attempts),
        el("dt", "worker"), el("dd.mono", x.owner || "–"),
        el("dt", "queued"), el("dd", C.time(t.queued_ms)),
        el("dt", "started"), el("dd", C.time(t.started_ms)),
        el("dt", "ended"), el("dd", C.time(t.ended_ms)),
        el("dt", "duration"), el("dd", C.duration(t.duration_ms)),
        x.why ? [el("dt", "why"), el("dd", x.why.message)] : null,
        x.error ? [el("dt", "error"), el("dd.mono", x.error)] : null);
    };
    paint(r);

    const loadTrace = async (x) => {
      if (!x.error) {
        C.fill(trace, el("p.empty", "no stored error"));
        return;
      }
      const text = await C.api(x.links.trace);
      C.fill(trace, el("pre.trace#trace", text));
    };
    await loadTrace(r);

    let size = 0;
    let following = r.status === "running";
    const readLog = async (first) => {
      const res = await fetch(base + "/log" + q + (first ? "&tail=500" : "&from=" + size),
        { credentials: "same-origin" });
      if (!res.ok) return;
      const text = await res.text();
      size = Number(res.headers.get("X-Cairn-Log-Size") || size);
      following = res.headers.get("X-Cairn-Status") === "running";
      if (first) log.textContent = text;
      else if (text) log.textContent += text;
      if (!log.textContent) log.textContent = "(no log)";
      document.getElementById("following").textContent = following ? "following…" : "";
      if (following) log.scrollTop = log.scrollHeight;
    };
    await readLog(true);
    C.every(1000, () => following && readLog(false));

    C.api(r.links.files).then((f) => {
      const items = f.files || f.items || [];
      C.fill(files, items.length
        ? el("ul", items.map((x) => el("li", el("a", { href: x.url || (base + "/file" + q
            + "&path=" + C.enc(x.path || x.name)) }, x.path || x.name),
            x.size !== undefined ? el("span.muted", " " + C.fmt(x.size) + " bytes") : null)))
        : el("p.empty", "no files"));
    }).catch(() => C.fill(files, el("p.empty", "no files")));

    C.onResource = async (ev) => {
      if (ev.collection !== name || ev.ident !== ident) return;
      const x = await C.api(base + q);
      paint(x);
      document.getElementById("result").textContent = json(x.result);
      if (x.status === "running" && !following) {
        following = true;
      }
      await loadTrace(x);
    };
  };

  function json(v) {
    return v === null || v === undefined ? "–" : JSON.stringify(v, null, 2);
  }
  C.json = json;
})();
