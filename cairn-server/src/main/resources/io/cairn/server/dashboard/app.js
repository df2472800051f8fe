// The dashboard's core: API calls, the hash router, the live stream and small DOM helpers.
// Plain browser JavaScript (no build step); views.js and graph.js add the pages.
"use strict";
const C = (window.Cairn = {});
C.STATUSES = ["queued", "running", "completed", "error", "aborted"];
C.views = {};
C.counts = new Map(); // collection -> {counts, throughput_per_s}
C.countListeners = new Set();

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || "request failed with status " + status);
    this.status = status;
    this.problem = problem;
  }
}

C.api = async function (path, opts = {}) {
  const init = { credentials: "same-origin", headers: { Accept: "application/json" } };
  if (opts.body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(opts.body);
  }
  const res = await fetch(path, init);
  if (res.status === 401) {
    C.showLogin();
    throw new ApiError(401, null);
  }
  const type = res.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof body === "object" ? body : null);
  if (opts.withHeaders) return { body, headers: res.headers };
  return body;
};

// el("div.panel#x", {onclick: f, title: "t"}, child, "text", [more])
C.el = function (spec, attrs, ...children) {
  const m = /^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i.exec(spec);
  const node = document.createElement((m && m[1]) || "div");
  ((m && m[2]) || "").replace(/([.#])([\w-]+)/g, (_, k, v) => {
    if (k === ".") node.classList.add(v);
    else node.id = v;
  });
  const isAttrs = attrs && typeof attrs === "object" && !(attrs instanceof Node)
    && !Array.isArray(attrs);
  if (!isAttrs) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "style") node.setAttribute("style", v);
    else if (k in node && k !== "list") node[k] = v;
    else node.setAttribute(k, v);
  }
  return append(node, children);
};
const el = C.el;

// Appends children, flattening arrays and skipping null/undefined/false (so optional parts can
// be written inline), text as text nodes, never as HTML.
function append(node, children) {
  const add = (c) => {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) c.forEach(add);
    else node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  };
  children.forEach(add);
  return node;
}

// Replaces a node's children, with the same rules as el().
C.fill = function (node, ...children) {
  node.replaceChildren();
  return append(node, children);
};

C.fmt = (n) => (n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US"));
C.rate = (r) => (r > 0 ? (r >= 100 ? Math.round(r) : r.toFixed(1)) + "/s" : "–");
C.time = (ms) => (ms > 0 ? new Date(ms).toLocaleString() : "–");
C.duration = function (ms) {
  if (ms === null || ms === undefined || ms < 0) return "–";
  if (ms < 1000) return ms + " ms";
  if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
  return Math.floor(ms / 60000) + " min " + Math.round((ms % 60000) / 1000) + " s";
};
C.enc = encodeURIComponent;
C.badge = (status) => el("span.badge." + status, status);
C.total = (counts) => C.STATUSES.reduce((a, s) => a + (counts[s] || 0), 0);

C.bar = function (counts, big) {
  const total = C.total(counts);
  const bar = el("div.bar" + (big ? ".big" : ""));
  bar.title = C.STATUSES.map((s) => s + " " + C.fmt(counts[s] || 0)).join(", ");
  for (const s of C.STATUSES) {
    const w = total ? (100 * (counts[s] || 0)) / total : 0;
    bar.appendChild(el("span.s-" + s, { style: "width:" + w + "%" }));
  }
  return bar;
};
C.legend = () =>
  el("div.legend", C.STATUSES.map((s) => el("span", el("i.s-" + s), s)));

C.toast = function (text, bad) {
  const t = document.getElementById("toast");
  t.textContent = text;
  t.className = "toast" + (bad ? " bad" : "");
  t.hidden = false;
  clearTimeout(C.toastTimer);
  C.toastTimer = setTimeout(() => (t.hidden = true), 5000);
};

C.crumbs = function (...parts) {
  const nav = document.getElementById("crumbs");
  C.fill(nav);
  parts.forEach((p, i) => {
    if (i) nav.appendChild(el("span.sep", "/"));
    nav.appendChild(p[1] ? el("a", { href: p[1] }, p[0]) : el("span", p[0]));
  });
};

C.showLogin = function () {
  C.stopTimers();
  C.fill(document.getElementById("main"), 
    el("div.panel.login#login",
      el("h1", "Log in to this Cairn server"),
      el("p", "Open the one-time login URL that ", el("code", "cairn serve"),
        " printed when it started (it sets a session cookie in this browser)."),
      el("p.muted", "Each URL works once; restart cairn serve for a new one, or call the API with",
        " the bearer token in the home's server-token file.")));
};

// Timers and streams of the current page, stopped when the page changes.
C.timers = [];
C.every = function (ms, fn) {
  C.timers.push(setInterval(fn, ms));
};
C.stopTimers = function () {
  C.timers.forEach(clearInterval);
  C.timers = [];
  C.countListeners.clear();
};

// One live stream for the whole page; a resource page re-opens it with its watch list.
C.openStream = function (watch) {
  if (C.stream) C.stream.close();
  const q = (watch || []).map((w) => "watch=" + C.enc(w)).join("&");
  const es = new EventSource("/api/v1/events" + (q ? "?" + q : ""));
  const live = document.getElementById("live");
  es.onopen = () => { live.className = "live on"; live.textContent = "live"; };
  es.onerror = () => { live.className = "live off"; live.textContent = "reconnecting"; };
  es.addEventListener("counts", (e) => {
    const doc = JSON.parse(e.data);
    for (const c of doc.collections) C.counts.set(c.name, c);
    C.countListeners.forEach((fn) => fn(doc));
  });
  es.addEventListener("resource", (e) => {
    const r = JSON.parse(e.data);
    if (C.onResource) C.onResource(r);
  });
  C.stream = es;
  C.streamWatch = q;
};
C.onCounts = (fn) => C.countListeners.add(fn);

C.route = async function () {
  C.stopTimers();
  C.onResource = null;
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const main = document.getElementById("main");
  const view = { c: C.views.collection, r: C.views.resource, p: C.views.pipeline,
    j: C.views.job }[parts[0]] || C.views.overview;
  const watch = parts[0] === "r" ? [parts[1] + "/" + parts.slice(2).join("/")]
    : parts[0] === "j" ? [parts[1] + "." + parts[2] + "/" + parts[3]] : [];
  const q = watch.map((w) => "watch=" + C.enc(w)).join("&");
  if (!C.stream || C.streamWatch !== q) C.openStream(watch);
  try {
    await view(main, parts.slice(1));
  } catch (e) {
    if (e.status === 401) return;
    C.fill(main, el("div.panel", el("h1", "Cannot show this page"), el("p", e.message)));
  }
};

window.addEventListener("hashchange", C.route);
document.addEventListener("DOMContentLoaded", C.route);
