// The load scenario: uploaders (tus, photos and videos), commenters, WebSocket viewers and
// browsers (library pages, search, asset pages, thumbnails) against one server for DURATION
// seconds. Prints, per route class, requests, p50/p95/p99/max latency and 4xx/5xx counts,
// then totals as key=value lines. Exits 1 if any response was a 5xx.
//
//   BASE=http://127.0.0.1:3199 MEDIA=/dir DURATION=600 node load.mjs
import * as fs from "fs";
import * as path from "path";
import WebSocket from "ws";

const env = (k, d) => process.env[k] ?? d;
const BASE = env("BASE", "http://127.0.0.1:3199");
const DURATION = Number(env("DURATION", "600")) * 1000;
const UPLOADERS = Number(env("UPLOADERS", "50"));
const COMMENTERS = Number(env("COMMENTERS", "200"));
const VIEWERS = Number(env("VIEWERS", "1000"));
const BROWSERS = Number(env("BROWSERS", "20"));
// Seconds an uploader waits between files ("lo-hi"): about one file a minute each, 500 in ten
// minutes, which a 2-core machine's worker can nearly keep up with (see the note in load.sh).
const [PAUSE_LO, PAUSE_HI] = env("UPLOAD_PAUSE_S", "40-80").split("-").map((v) => Number(v) * 1000);
const MEDIA = env("MEDIA", "/tmp/dailies-bench/load-media");
const CHUNK = 1 << 20;

const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pick = (a) => a[Math.floor(Math.random() * a.length)];
const between = (lo, hi) => lo + Math.random() * (hi - lo);
const WORDS = "grade shadows skin tone cut here hold longer logo bigger music dip sky warmer crop tighter lovely hero".split(" ");
const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

// Latency and status per route class.
const stats = new Map();
function record(cls, ms, status) {
  let s = stats.get(cls);
  if (!s) stats.set(cls, (s = { ms: [], s4: 0, s5: 0, net: 0 }));
  s.ms.push(ms);
  if (status >= 500) s.s5++;
  else if (status >= 400) s.s4++;
  else if (status === 0) s.net++;
}
let deadline = Infinity;
const running = () => now() < deadline;

async function call(cls, method, url, { token, body, headers = {}, json = true } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload = body;
  if (json && body !== undefined && !(body instanceof Uint8Array)) {
    h["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const t0 = now();
  try {
    const r = await fetch(BASE + url, { method, headers: h, body: payload });
    const buf = await r.arrayBuffer();
    record(cls, now() - t0, r.status);
    if (r.status >= 500) console.error(`5xx ${cls} ${method} ${url}: ${r.status} ${Buffer.from(buf).toString().slice(0, 200)}`);
    let parsed = null;
    try {
      parsed = JSON.parse(Buffer.from(buf).toString());
    } catch {}
    return { status: r.status, headers: r.headers, body: parsed };
  } catch (e) {
    record(cls, now() - t0, 0);
    return { status: 0, headers: new Headers(), body: null };
  }
}

async function account(email) {
  const r = await fetch(BASE + "/api/v1/auth/signup", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, name: email.split("@")[0], password: "password123" }),
  });
  const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0];
  const id = (await r.json()).id;
  const t = await fetch(BASE + "/api/v1/tokens", {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: BASE },
    body: JSON.stringify({ name: "load" }),
  });
  return { email, id, token: (await t.json()).secret };
}

// --- setup: an owner (the instance admin), editors who upload, reviewers who comment.
const owner = await account("owner@load.example");
const project = (await call("setup", "POST", "/api/v1/projects", { token: owner.token, body: { name: "Load" } })).body.id;
const editors = [owner];
for (let i = 0; i < 4; i++) editors.push(await account(`editor${i}@load.example`));
const reviewers = [];
for (let i = 0; i < 20; i++) reviewers.push(await account(`reviewer${i}@load.example`));
for (const e of editors.slice(1))
  await call("setup", "POST", `/api/v1/projects/${project}/members`, { token: owner.token, body: { email: e.email, role: "editor" } });
for (const r of reviewers)
  await call("setup", "POST", `/api/v1/projects/${project}/members`, { token: owner.token, body: { email: r.email, role: "commenter" } });
const files = fs.readdirSync(MEDIA).map((f) => ({ name: f, bytes: new Uint8Array(fs.readFileSync(path.join(MEDIA, f))) }));
const b64 = (s) => Buffer.from(s).toString("base64");

let ready = [];
let videos = new Set();
async function refreshReady() {
  // Ready ones only: under load the newest 200 are all still processing.
  const r = await call("library", "GET", `/api/v1/projects/${project}/assets?limit=200&status=ready`, { token: owner.token });
  if (r.body?.items) ready = r.body.items.filter((a) => a.status === "ready").map((a) => a.id);
  if (r.body?.items) videos = new Set(r.body.items.filter((a) => a.media_type === "video").map((a) => a.id));
}

// --- actors
// One whole tus upload: creation with the first chunk, then PATCHes. True when complete.
async function tusUpload(who, name, bytes) {
  const first = bytes.subarray(0, Math.min(CHUNK, bytes.length));
  const r = await call("upload_create", "POST", "/api/v1/uploads", {
    token: who.token,
    json: false,
    body: first,
    headers: {
      "tus-resumable": "1.0.0",
      "upload-length": String(bytes.length),
      "upload-metadata": `filename ${b64(name)},project_id ${b64(project)}`,
      "content-type": "application/offset+octet-stream",
    },
  });
  let offset = Number(r.headers.get("upload-offset") ?? 0);
  const location = r.headers.get("location");
  while (location && offset < bytes.length) {
    const chunk = bytes.subarray(offset, Math.min(offset + CHUNK, bytes.length));
    const p = await call("upload_patch", "PATCH", location, {
      token: who.token,
      json: false,
      body: chunk,
      headers: { "tus-resumable": "1.0.0", "upload-offset": String(offset), "content-type": "application/offset+octet-stream" },
    });
    if (p.status !== 204) return false;
    offset += chunk.length;
  }
  return r.status === 201 && offset >= bytes.length;
}

let uploads = 0;
async function uploader(i) {
  const who = editors[i % editors.length];
  await sleep(between(0, PAUSE_HI));
  while (running()) {
    const f = pick(files);
    if (await tusUpload(who, `${i}-${uploads}-${f.name}`, f.bytes)) uploads++;
    await sleep(between(PAUSE_LO, PAUSE_HI));
  }
}

let comments = 0;
async function commenter(i) {
  const who = reviewers[i % reviewers.length];
  await sleep(between(0, 10000));
  while (running()) {
    if (ready.length) {
      const asset = pick(ready);
      const r = await call("comment_post", "POST", `/api/v1/assets/${asset}/comments`, {
        token: who.token,
        // Videos are commented at a frame, photos at a point.
        body: videos.has(asset)
          ? { body: words(6), frame_in: Math.floor(between(0, 100)) }
          : { body: words(6), x: Math.random(), y: Math.random() },
      });
      if (r.status === 201) comments++;
      if (Math.random() < 0.3) await call("comment_list", "GET", `/api/v1/assets/${asset}/comments`, { token: who.token });
      if (Math.random() < 0.2) await call("review", "GET", `/api/v1/assets/${asset}/review`, { token: who.token });
    }
    await sleep(between(5000, 15000));
  }
}

async function browser(i) {
  const who = pick([...reviewers, ...editors]);
  while (running()) {
    await call("library", "GET", `/api/v1/projects/${project}/assets?limit=100`, { token: who.token });
    await call("search", "GET", `/api/v1/projects/${project}/search?q=${pick(WORDS)}`, { token: who.token });
    if (ready.length) {
      const asset = pick(ready);
      await call("asset", "GET", `/api/v1/assets/${asset}`, { token: who.token });
      await call("thumbnail", "GET", `/api/v1/assets/${asset}/thumbnail`, { token: who.token });
    }
    await sleep(between(1000, 3000));
  }
}

let wsOpen = 0;
let wsMessages = 0;
let wsErrors = 0;
function viewer(i) {
  return new Promise((resolve) => {
    const who = reviewers[i % reviewers.length];
    const t0 = now();
    const ws = new WebSocket(BASE.replace("http", "ws") + "/api/v1/ws", { headers: { authorization: `Bearer ${who.token}` } });
    const asset = ready.length ? pick(ready) : undefined;
    let timer;
    ws.on("open", () => ws.send(JSON.stringify({ type: "subscribe", project_id: project, asset_id: asset })));
    ws.on("message", (data) => {
      wsMessages++;
      const m = JSON.parse(data);
      if (m.type === "subscribed") {
        record("ws_subscribe", now() - t0, 101);
        wsOpen++;
        timer = setInterval(() => {
          if (asset) ws.send(JSON.stringify({ type: "playhead", project_id: project, asset_id: asset, frame: Math.floor(between(0, 100)), playing: true }));
        }, 5000);
      }
      if (m.type === "error" && m.code !== "rate_limited") wsErrors++;
    });
    ws.on("unexpected-response", (_req, res) => {
      record("ws_subscribe", now() - t0, res.statusCode);
      resolve();
    });
    ws.on("error", () => {
      wsErrors++;
      resolve();
    });
    ws.on("close", () => {
      clearInterval(timer);
      resolve();
    });
    const stop = setInterval(() => {
      if (!running()) {
        clearInterval(stop);
        ws.close();
      }
    }, 1000);
  });
}

// --- run
// Seed one of each file so commenters and viewers have something from the start.
for (const f of files) await tusUpload(owner, "seed-" + f.name, f.bytes);
for (let t = 0; t < 120 && ready.length < files.length; t++) {
  await refreshReady();
  await sleep(1000);
}
console.log(`seeded_ready_assets=${ready.length}`);
const started = now();
deadline = started + DURATION;
const refresher = setInterval(refreshReady, 10000);
const actors = [];
for (let i = 0; i < VIEWERS; i++) {
  actors.push(viewer(i));
  if (i % 50 === 49) await sleep(200);
}
for (let i = 0; i < UPLOADERS; i++) actors.push(uploader(i));
for (let i = 0; i < COMMENTERS; i++) actors.push(commenter(i));
for (let i = 0; i < BROWSERS; i++) actors.push(browser(i));
const progress = setInterval(() => {
  const s = Math.round((now() - started) / 1000);
  console.error(`t=${s}s uploads=${uploads} comments=${comments} ws_open=${wsOpen} ws_messages=${wsMessages}`);
}, 30000);
await Promise.all(actors);
clearInterval(refresher);
clearInterval(progress);

// --- figures
const q = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))] ?? NaN;
console.log("| route class | requests | p50 ms | p95 ms | p99 ms | max ms | 4xx | 5xx | network errors |");
console.log("|---|---|---|---|---|---|---|---|---|");
let total5 = 0;
let total = 0;
for (const [cls, s] of [...stats].sort()) {
  if (cls === "setup") continue;
  s.ms.sort((a, b) => a - b);
  total5 += s.s5;
  total += s.ms.length;
  const f = (v) => v.toFixed(1);
  console.log(`| ${cls} | ${s.ms.length} | ${f(q(s.ms, 0.5))} | ${f(q(s.ms, 0.95))} | ${f(q(s.ms, 0.99))} | ${f(s.ms[s.ms.length - 1])} | ${s.s4} | ${s.s5} | ${s.net} |`);
}
console.log(`duration_s=${((now() - started) / 1000).toFixed(0)} requests=${total} responses_5xx=${total5}`);
console.log(`uploads_completed=${uploads} comments_posted=${comments} ws_subscribed=${wsOpen} ws_messages_received=${wsMessages} ws_errors=${wsErrors}`);
process.exit(total5 > 0 ? 1 : 0);
