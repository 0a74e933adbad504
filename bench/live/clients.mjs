// Connects N clients, posts one comment a second for SECONDS, and prints the delivery
// latency from just before the post to its receipt on every client (p50, p99, max), as
// key=value lines.
//
//   node clients.mjs dailies <base> <tokens,comma,separated> <project> <asset> <n> <seconds>
//   node clients.mjs socketio <base> <n> <seconds> [payload bytes]
// (the socket.io messages are padded to the size of Dailies' events, so both carry as much)
import * as fs from "fs";
import { io } from "socket.io-client";
import WebSocket from "ws";

const [mode, base, ...rest] = process.argv.slice(2);
const now = () => performance.now();

// The measured server's CPU time (utime + stime, in clock ticks), to tell the steady phase
// (one comment a second to everyone) from connecting.
function ticks() {
  const pid = process.env.SERVER_PID;
  if (!pid) return NaN;
  const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(f[11]) + Number(f[12]);
}
function rssMib() {
  const pid = process.env.SERVER_PID;
  if (!pid) return NaN;
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS"));
  return Number(line.split(/\s+/)[1]) / 1024;
}
function steady(label, t0, c0) {
  const tck = Number(process.env.CLK_TCK ?? 100);
  console.log(`${label}_steady_cpu_percent=${(((ticks() - c0) / tck / ((now() - t0) / 1000)) * 100).toFixed(1)}`);
}

function figures(latencies, expected, label) {
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  console.log(`${label}_deliveries=${latencies.length} ${label}_expected=${expected}`);
  console.log(`${label}_p50_ms=${at(0.5).toFixed(1)} ${label}_p99_ms=${at(0.99).toFixed(1)} ${label}_max_ms=${latencies[latencies.length - 1]?.toFixed(1)}`);
}

async function dailies() {
  const [tokenList, project, asset, nText, secondsText] = rest;
  const tokens = tokenList.split(",");
  const n = Number(nText);
  const seconds = Number(secondsText);
  const sent = new Map(); // comment body -> time posted
  const latencies = [];
  let bytes = 0;
  const url = base.replace("http://", "ws://") + "/api/v1/ws";
  let ready = 0;
  const sockets = [];
  await new Promise((resolve, reject) => {
    for (let i = 0; i < n; i++) {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } });
      ws.on("open", () => ws.send(JSON.stringify({ type: "subscribe", project_id: project, asset_id: asset })));
      ws.on("message", (data) => {
        const m = JSON.parse(data);
        if (m.type === "subscribed" && ++ready === n) resolve();
        if (m.type === "event" && m.kind === "comment.created") {
          const t0 = sent.get(m.payload.comment.body);
          if (t0 !== undefined) latencies.push(now() - t0);
          bytes += data.length;
        }
      });
      ws.on("error", reject);
      sockets.push(ws);
    }
  });
  console.log(`connected=${n} server_rss_mib_connected=${rssMib().toFixed(0)}`);
  const [t0, c0] = [now(), ticks()];
  for (let s = 0; s < seconds; s++) {
    const body = `bench ${s} ${Math.random()}`;
    sent.set(body, now());
    const r = await fetch(`${base}/api/v1/assets/${asset}/comments`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[0]}`, "content-type": "application/json" },
      body: JSON.stringify({ body }),
    });
    if (r.status !== 201) throw new Error(`post failed: ${r.status} ${await r.text()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  steady("dailies", t0, c0);
  await new Promise((r) => setTimeout(r, 1500));
  figures(latencies, n * seconds, "dailies");
  console.log(`dailies_event_bytes=${Math.round(bytes / Math.max(1, latencies.length))}`);
  for (const ws of sockets) ws.close();
}

async function socketio() {
  const [nText, secondsText, padText] = rest;
  const pad = "x".repeat(Math.max(0, Number(padText ?? 0) - 40));
  const n = Number(nText);
  const seconds = Number(secondsText);
  const sent = new Map();
  const latencies = [];
  const clients = [];
  let ready = 0;
  await new Promise((resolve) => {
    for (let i = 0; i < n; i++) {
      const c = io(base, { transports: ["websocket"], forceNew: true });
      c.on("connect", () => c.emit("join", "room", () => ++ready === n && resolve()));
      c.on("comment", (m) => {
        const t0 = sent.get(m.body);
        if (t0 !== undefined) latencies.push(now() - t0);
      });
      clients.push(c);
    }
  });
  console.log(`connected=${n} server_rss_mib_connected=${rssMib().toFixed(0)}`);
  const poster = io(base, { transports: ["websocket"], forceNew: true });
  await new Promise((r) => poster.on("connect", r));
  const [t0, c0] = [now(), ticks()];
  for (let s = 0; s < seconds; s++) {
    const body = `bench ${s} ${Math.random()}`;
    sent.set(body, now());
    await new Promise((r) => poster.emit("comment", { body, pad }, r));
    await new Promise((r) => setTimeout(r, 1000));
  }
  steady("socketio", t0, c0);
  await new Promise((r) => setTimeout(r, 1500));
  figures(latencies, n * seconds, "socketio");
  for (const c of [...clients, poster]) c.close();
}

await (mode === "dailies" ? dailies() : socketio());
process.exit(0);
