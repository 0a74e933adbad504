// Live collaboration in real browsers: two people on one asset see each other's comments,
// drawings, ratings, statuses, presence and pointers at once; a browser cut off for 10 s gets
// what it missed exactly once; a review session keeps a follower on the presenter's frame.
import { Browser, expect, Page, test, WebSocketRoute } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { along, api, canvasPixel, createProject, email, ffmpeg, hydrated, member, signUp, uploadAndWait } from "./helpers";

/** Milliseconds until `pred` holds in `page`, checked every animation frame (so the figure is not Playwright's polling interval). */
async function until(page: Page, pred: () => boolean, what: string): Promise<number> {
  const started = Date.now();
  try {
    await page.waitForFunction(pred, undefined, { polling: "raf", timeout: 10_000 });
  } catch {
    throw new Error(`${what} did not happen within 10 s`);
  }
  return Date.now() - started;
}

async function live(page: Page): Promise<void> {
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live", { timeout: 10_000 });
}

/** Owner and a second member, both with the project's asset `name` open for review. */
async function twoOn(browser: Browser, files: string[], name: string, role = "editor") {
  const a = await (await browser.newContext({ viewport: { width: 1300, height: 850 } })).newPage();
  await signUp(a, "Ada Live", email("ada"));
  const projectPath = await createProject(a, "Live");
  const ids = await uploadAndWait(a, projectPath, files);
  const b = await member(browser, projectPath.split("/").pop()!, a, "Ben Live", role);
  await b.setViewportSize({ width: 1100, height: 800 });
  return { a, b, id: ids.get(name)!, projectPath };
}

async function open(page: Page, id: string): Promise<void> {
  await page.goto(`/assets/${id}`);
  await hydrated(page);
  await live(page);
}

test("two browsers on one photo: comments, drawings, ratings, statuses, presence and pointers arrive live", async ({ browser }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-live-"));
  const photo = path.join(dir, "set.jpg");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=1600x1000", "-frames:v", "1", "-q:v", "3", photo]);
  const { a, b, id } = await twoOn(browser, [photo], "set.jpg");
  await open(a, id);
  await open(b, id);
  // Each sees both people here.
  await expect(a.getByTestId("presence-user")).toHaveCount(2);
  await expect(b.getByTestId("presence-user")).toHaveCount(2);
  const figures: string[] = [];

  // A comment.
  await a.getByTestId("comment-input").fill("Sky is blown out");
  let t = Date.now();
  await a.getByTestId("comment-input").press("Enter");
  await until(b, () => [...document.querySelectorAll("[data-test-id=comment-body]")].some((e) => e.textContent === "Sky is blown out"), "the comment");
  const comment = Date.now() - t;
  figures.push(`comment ${comment} ms`);
  await expect(b.getByTestId("toast")).toContainText("Ada Live commented: Sky is blown out");

  // A drawing (an arrow with its comment): B sees the same strokes in the same place.
  await a.getByTestId("draw-mode").click();
  await a.getByTestId("tool-arrow").click();
  const boxA = (await a.getByTestId("pointer-layer").boundingBox())!;
  const [p, q]: [number, number][] = [[0.2, 0.3], [0.7, 0.6]];
  await a.mouse.move(boxA.x + p[0] * boxA.width, boxA.y + p[1] * boxA.height);
  await a.mouse.down();
  await a.mouse.move(boxA.x + q[0] * boxA.width, boxA.y + q[1] * boxA.height, { steps: 6 });
  await a.mouse.up();
  await a.getByTestId("comment-input").fill("Arrow to the horizon");
  t = Date.now();
  await a.getByTestId("comment-input").press("Enter");
  await until(b, () => document.querySelectorAll("[data-test-id=has-drawing]").length === 1, "the drawing");
  const drawing = Date.now() - t;
  figures.push(`drawing ${drawing} ms`);
  await b.getByTestId("comment-body").filter({ hasText: "Arrow to the horizon" }).click();
  const boxB = (await b.getByTestId("pointer-layer").boundingBox())!;
  await expect.poll(async () => (await canvasPixel(b, along(boxB, p, q, 0.5)))[3]).toBeGreaterThan(0);

  // A rating and a status.
  await a.getByTestId("comment-input").press("Escape");
  t = Date.now();
  await a.keyboard.press("Digit4");
  await until(b, () => document.querySelector("[data-test-id=review-bar]")?.getAttribute("data-rating") === "4", "the rating");
  const rating = Date.now() - t;
  figures.push(`rating ${rating} ms`);
  t = Date.now();
  await a.getByTestId("status").selectOption("changes_requested");
  await until(b, () => document.querySelector("[data-test-id=review-bar]")?.getAttribute("data-status") === "changes_requested", "the status");
  const status = Date.now() - t;
  figures.push(`status ${status} ms`);

  // A's pointer over the picture shows on B's, labelled, in the same relative place.
  await a.mouse.move(boxA.x + 0.5 * boxA.width, boxA.y + 0.5 * boxA.height);
  await a.mouse.move(boxA.x + 0.25 * boxA.width, boxA.y + 0.75 * boxA.height, { steps: 4 });
  const cursor = b.getByTestId("remote-cursor");
  await expect(cursor).toContainText("Ada Live");
  await expect
    .poll(async () => {
      // The pointer is a zero-size anchor (its arrow is drawn around it).
      const c = await cursor.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.left, y: r.top };
      });
      const box = (await b.getByTestId("pointer-layer").boundingBox())!;
      return [Math.round(((c.x - box.x) / box.width) * 100), Math.round(((c.y - box.y) / box.height) * 100)];
    })
    .toEqual([25, 75]);
  // …unless A stops sharing it.
  await a.getByTestId("share-cursor").uncheck();
  await expect(cursor).toHaveCount(0);

  console.log(`live delivery in the browser (action → shown in the other browser): ${figures.join(", ")}`);
  for (const ms of [comment, drawing, rating, status]) expect(ms).toBeLessThan(1000);

  // A leaves the asset: B's presence shows only B.
  await a.goto("/projects");
  await expect(b.getByTestId("presence-user")).toHaveCount(1);
});

test("a browser cut off for 10 seconds gets the three comments it missed, once each", async ({ browser }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-cut-"));
  const photo = path.join(dir, "cut.jpg");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=800x500", "-frames:v", "1", photo]);
  const { a, b, id } = await twoOn(browser, [photo], "cut.jpg");

  // B's socket goes through the test, which can cut it (both ways, as a dropped network
  // does) and refuse reconnections while it is cut.
  let cut = false;
  let cuts = 0;
  const open_: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  const replayed: string[] = [];
  await b.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
    if (cut) {
      ws.close({ code: 1012, reason: "cut by the test" });
      return;
    }
    const server = ws.connectToServer();
    const afterCut = cuts > 0;
    open_.push({ page: ws, server });
    server.onMessage((m) => {
      const v = JSON.parse(String(m));
      if (afterCut && v.type === "event" && v.kind === "comment.created") replayed.push(v.payload.comment.body);
      ws.send(m);
    });
  });
  await open(b, id);

  cut = true;
  cuts += 1;
  for (const r of open_.splice(0)) {
    await r.server.close();
    await r.page.close({ code: 4000, reason: "network drop" });
  }
  await expect(b.getByTestId("live-status")).not.toHaveAttribute("data-state", "live");
  const cutAt = Date.now();
  for (const n of [1, 2, 3]) {
    const r = await api(a.request, "POST", `/api/v1/assets/${id}/comments`, { body: `while you were away ${n}` });
    expect(r.status).toBe(201);
  }
  await b.waitForTimeout(Math.max(0, 10_000 - (Date.now() - cutAt)));
  cut = false;
  const back = Date.now();
  await live(b);
  console.log(`reconnected ${Date.now() - back} ms after the network came back`);
  for (const n of [1, 2, 3]) {
    await expect(b.getByTestId("comment-body").filter({ hasText: `while you were away ${n}` })).toHaveCount(1);
  }
  await expect(b.getByTestId("comment")).toHaveCount(3);
  // They came over the socket on reconnection (replayed from the last event B had seen).
  await expect.poll(() => replayed.filter((t) => t.startsWith("while you were away")).sort()).toEqual([
    "while you were away 1",
    "while you were away 2",
    "while you were away 3",
  ]);
  // Still once each after a little while (no late duplicates).
  await b.waitForTimeout(1000);
  await expect(b.getByTestId("comment")).toHaveCount(3);
});

test("review session: the follower's frame equals the presenter's after play, pause and seek", async ({ browser }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-session-"));
  const clip = path.join(dir, "take.mp4");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=8", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);
  const { a, b, id } = await twoOn(browser, [clip], "take.mp4", "viewer");
  await open(a, id);
  await open(b, id);
  for (const p of [a, b]) await expect(p.getByTestId("player-video")).toHaveJSProperty("readyState", 4, { timeout: 20_000 });

  await a.getByTestId("session-start").click();
  await expect(a.getByTestId("session-bar")).toHaveAttribute("data-role", "presenter");
  await expect(b.getByTestId("session-bar")).toHaveAttribute("data-role", "follower");
  await expect(b.getByTestId("session-presenter")).toHaveText("Ada Live is presenting");

  const frame = async (p: Page) => Number(await p.getByTestId("player").getAttribute("data-frame"));
  const settled = async (p: Page) => {
    // The frame a paused player rests on (two equal readings 200 ms apart).
    let last = -1;
    for (;;) {
      const f = await frame(p);
      if (f === last && (await p.getByTestId("player").getAttribute("data-playing")) === "false") return f;
      last = f;
      await p.waitForTimeout(200);
    }
  };

  // Play for a moment: the follower plays too.
  await a.getByTestId("play").click();
  await expect(b.getByTestId("player")).toHaveAttribute("data-playing", "true");
  await a.waitForTimeout(1500);
  await a.getByTestId("play").click();
  const paused = await settled(a);
  expect(paused).toBeGreaterThan(10);
  await expect(b.getByTestId("player")).toHaveAttribute("data-playing", "false");
  await expect(b.getByTestId("player")).toHaveAttribute("data-frame", String(paused));
  await expect(b.getByTestId("player")).toHaveAttribute("data-presented-frame", String(paused));

  // Seek by typing a frame, and by stepping.
  await a.getByTestId("time-display").selectOption("frames");
  await a.getByTestId("timecode-input").click();
  await a.getByTestId("timecode-input").fill("137");
  await a.getByTestId("timecode-input").press("Enter");
  await expect(b.getByTestId("player")).toHaveAttribute("data-presented-frame", "137");
  await a.keyboard.press("ArrowRight");
  await a.keyboard.press("ArrowRight");
  await expect(b.getByTestId("player")).toHaveAttribute("data-presented-frame", "139");
  expect(await settled(a)).toBe(139);

  // Detached, the follower stays put; following again, it jumps to the presenter.
  await b.getByTestId("session-detach").click();
  await a.keyboard.press("ArrowLeft");
  await expect(a.getByTestId("player")).toHaveAttribute("data-presented-frame", "138");
  await b.waitForTimeout(800);
  expect(await frame(b)).toBe(139);
  await b.getByTestId("session-follow").click();
  await expect(b.getByTestId("player")).toHaveAttribute("data-presented-frame", "138");

  // The presenter hands over; the new presenter drives.
  await a.getByTestId("session-handover").selectOption({ label: "Ben Live" });
  await expect(b.getByTestId("session-bar")).toHaveAttribute("data-role", "presenter");
  await expect(a.getByTestId("session-bar")).toHaveAttribute("data-role", "follower");
  await b.getByTestId("time-display").selectOption("frames");
  await b.getByTestId("timecode-input").click();
  await b.getByTestId("timecode-input").fill("40");
  await b.getByTestId("timecode-input").press("Enter");
  await expect(a.getByTestId("player")).toHaveAttribute("data-presented-frame", "40");
});

test("review session on photos: followers get the presenter's zoom and the photo they open", async ({ browser }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-session-photo-"));
  const first = path.join(dir, "a-first.jpg");
  const second = path.join(dir, "b-second.jpg");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=2400x1600", "-frames:v", "1", first]);
  ffmpeg(["-f", "lavfi", "-i", "smptebars=s=2400x1600", "-frames:v", "1", second]);
  const { a, b, id } = await twoOn(browser, [first, second], "a-first.jpg");
  await open(a, id);
  await open(b, id);
  await a.getByTestId("session-start").click();
  await expect(b.getByTestId("session-bar")).toHaveAttribute("data-role", "follower");

  await a.keyboard.press("Equal");
  await a.keyboard.press("Equal");
  const zoom = await a.getByTestId("lightbox-stage").getAttribute("data-zoom");
  expect(Number(zoom)).toBeGreaterThan(1.5);
  await expect(b.getByTestId("lightbox-stage")).toHaveAttribute("data-zoom", zoom!);

  // The presenter moves to the other photo; the follower's screen goes along.
  await a.locator('[data-test-id=neighbour][data-name="b-second.jpg"]').click();
  await expect(a.getByTestId("asset-name")).toHaveText("b-second.jpg");
  await expect(b.getByTestId("asset-name")).toHaveText("b-second.jpg", { timeout: 15_000 });
  await expect(b.getByTestId("session-bar")).toHaveAttribute("data-role", "follower");
});
