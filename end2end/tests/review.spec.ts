// The review screen in a real browser: frame accuracy at four frame rates (clips whose every
// frame shows its own number as a block code, read back from a canvas), the photo and video
// review flows, drawings that survive a reload at another size, and the role rules.
import { expect, Page, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { along, api, canvasPixel, createProject, email, ffmpeg, hydrated, member, origin, signUp, uploadAndWait } from "./helpers";

const BITS = 12;

/** A clip whose frame n shows n in binary: 12 vertical blocks, white = 1, least significant left. */
function blockClip(dir: string, name: string, rate: string, seconds: number, timecode?: string): string {
  const file = path.join(dir, name);
  ffmpeg([
    "-f", "lavfi",
    "-i", `color=c=black:s=384x64:r=${rate}:d=${seconds},format=gray,geq=lum='255*mod(floor(N/pow(2\\,floor(X*${BITS}/W)))\\,2)'`,
    "-c:v", "libx264", "-preset", "ultrafast", "-qp", "10", "-pix_fmt", "yuv420p",
    ...(timecode ? ["-timecode", timecode] : []),
    file,
  ]);
  return file;
}

/** Independent drop-frame / non-drop SMPTE labelling, to check the app's. */
function smpte(frame: number, fps: number, drop: boolean): string {
  let f = frame;
  if (drop) {
    const d = Math.round(fps) / 15;
    const perTen = Math.round(fps) * 600 - 9 * d;
    const perMin = Math.round(fps) * 60 - d;
    const tens = Math.floor(f / perTen);
    const rem = f % perTen;
    f += 9 * d * tens + (rem > d ? d * Math.floor((rem - d) / perMin) : 0);
  }
  const n = Math.round(fps);
  const pad = (v: number) => String(v).padStart(2, "0");
  return `${pad(Math.floor(f / (n * 3600)) % 24)}:${pad(Math.floor(f / (n * 60)) % 60)}:${pad(Math.floor(f / n) % 60)}${drop ? ";" : ":"}${pad(f % n)}`;
}

/** Waits until the player has presented frame n (confirmed by requestVideoFrameCallback). */
async function presented(page: Page, n: number): Promise<void> {
  await expect(page.getByTestId("player")).toHaveAttribute("data-presented-frame", String(n), { timeout: 10_000 });
}

/** Draws the video's current picture on a canvas and decodes the block code. */
async function readFrame(page: Page): Promise<number> {
  return page.getByTestId("player-video").evaluate((v: HTMLVideoElement, bits: number) => {
    const c = document.createElement("canvas");
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const ctx = c.getContext("2d", { willReadFrequently: true })!;
    ctx.drawImage(v, 0, 0);
    let n = 0;
    for (let b = 0; b < bits; b++) {
      const px = ctx.getImageData(Math.floor(((b + 0.5) * c.width) / bits), Math.floor(c.height / 2), 1, 1).data;
      if (px[0] > 128) n |= 1 << b;
    }
    return n;
  }, BITS);
}

/** Seek-to-presented times (ms), printed per clip as a figure, never asserted. */
const seekTimes: number[] = [];

async function goToFrame(page: Page, n: number): Promise<void> {
  const input = page.getByTestId("timecode-input");
  await input.click();
  await input.fill(String(n));
  const started = Date.now();
  await input.press("Enter");
  await presented(page, n);
  seekTimes.push(Date.now() - started);
}

function seekFigures(label: string): void {
  const sorted = seekTimes.splice(0).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  console.log(`${label}: ${sorted.length} seeks, seek→presented median ${at(0.5)} ms, max ${sorted[sorted.length - 1]} ms (incl. Playwright polling)`);
}

function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("frame accuracy at 23.976, 25, 29.97 DF and 59.94 DF: seek, step, comment, marker", async ({ page }) => {
  test.setTimeout(420_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-frames-"));
  const clips = [
    { name: "r23976.mp4", rate: "24000/1001", fps: 24000 / 1001, seconds: 6, start: 0, drop: false },
    { name: "r25.mp4", rate: "25", fps: 25, seconds: 6, tc: "01:00:00:00", start: 90000, drop: false },
    // Both drop-frame clips start at 00:00:59;00, so their labels cross a dropped minute.
    { name: "r2997.mp4", rate: "30000/1001", fps: 30000 / 1001, seconds: 8, tc: "00:00:59;00", start: 1770, drop: true, crossing: 31 },
    { name: "r5994.mp4", rate: "60000/1001", fps: 60000 / 1001, seconds: 5, tc: "00:00:59;00", start: 3540, drop: true, crossing: 62 },
  ];
  const files = clips.map((c) => blockClip(dir, c.name, c.rate, c.seconds, c.tc));
  const seed = Number(process.env.FRAME_SEED ?? Date.now() % 100000);
  console.log(`frame-accuracy seed ${seed} (FRAME_SEED=${seed} to repeat)`);
  const random = mulberry32(seed);

  await signUp(page, "Fay Frames", email("fay"));
  const projectPath = await createProject(page, "Frames");
  const ids = await uploadAndWait(page, projectPath, files);

  for (const clip of clips) {
    const id = ids.get(clip.name)!;
    await page.goto(`/assets/${id}`);
    await hydrated(page);
    await expect(page.getByTestId("player-video")).toHaveJSProperty("readyState", 4, { timeout: 20_000 });
    const count = Number(await page.getByTestId("player").getAttribute("data-frame-count"));
    expect(count, clip.name).toBe(Math.round(clip.seconds * clip.fps));
    await page.getByTestId("time-display").selectOption("frames");

    const frames = [1, count - 2, ...Array.from({ length: 4 }, () => 1 + Math.floor(random() * (count - 3)))];
    if (clip.crossing) frames.push(clip.crossing); // just past a minute whose first labels are dropped
    for (const n of frames) {
      await goToFrame(page, n);
      expect(await readFrame(page), `${clip.name} seek ${n}`).toBe(n);
      await page.keyboard.press("ArrowRight");
      await presented(page, n + 1);
      expect(await readFrame(page), `${clip.name} step +1 from ${n}`).toBe(n + 1);
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("ArrowLeft");
      await presented(page, n - 1);
      expect(await readFrame(page), `${clip.name} step -1 from ${n}`).toBe(n - 1);
    }

    // A comment on frame n: stored with frame_in = n, labelled with the exact SMPTE timecode.
    const n = frames[frames.length - 1];
    await goToFrame(page, n);
    await page.getByTestId("time-display").selectOption("timecode");
    const label = smpte(clip.start + n, clip.fps, clip.drop);
    await expect(page.getByTestId("timecode-input")).toHaveValue(label);
    await page.getByTestId("comment-input").fill(`check frame ${n}`);
    await page.getByTestId("comment-input").press("Enter");
    const item = page.locator(`[data-test-id=comment][data-frame="${n}"]`);
    await expect(item.getByTestId("comment-timecode")).toHaveText(label);
    const { body } = await api(page.request, "GET", `/api/v1/assets/${id}/comments`);
    expect(body).toHaveLength(1);
    expect(body[0].frame_in).toBe(n);
    expect(body[0].timecode_in).toBe(label);
    // Its marker seeks back to n.
    await page.getByTestId("time-display").selectOption("frames");
    await goToFrame(page, 0);
    await page.locator(`[data-test-id=comment-marker][data-frame="${n}"]`).click();
    await presented(page, n);
    expect(await readFrame(page), `${clip.name} marker`).toBe(n);
    seekFigures(clip.name);
  }
});

test("photo review: lightbox, press 5, comment, approve", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-photo-"));
  const photo = path.join(dir, "portrait.jpg");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=3000x2000", "-frames:v", "1", "-q:v", "3", photo]);
  const second = path.join(dir, "second.jpg");
  ffmpeg(["-f", "lavfi", "-i", "smptebars=s=1200x800", "-frames:v", "1", second]);
  await signUp(page, "Pia Photo", email("pia"));
  const projectPath = await createProject(page, "Stills");
  const ids = await uploadAndWait(page, projectPath, [photo, second]);

  // From the library: select the card and open it.
  await page.goto(projectPath);
  await hydrated(page);
  await page.locator('[data-test-id=asset-card][data-name="portrait.jpg"]').click();
  await page.getByTestId("open-asset").click();
  await expect(page).toHaveURL(new RegExp(`/assets/${ids.get("portrait.jpg")}$`));
  await hydrated(page);
  await expect(page.getByTestId("lightbox")).toBeVisible();
  const image = page.getByTestId("lightbox-image");
  await expect.poll(() => image.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(2048);

  // Zoom: keys, fit, 100 % (past the preview the original loads), loupe, EXIF.
  const stage = page.getByTestId("lightbox-stage");
  await page.keyboard.press("Equal");
  await expect.poll(async () => Number(await stage.getAttribute("data-zoom"))).toBeGreaterThan(1.2);
  await page.keyboard.press("KeyZ");
  await expect(stage).toHaveAttribute("data-zoom", "1.000");
  await page.getByTestId("zoom-100").click();
  await expect(stage).toHaveAttribute("data-full-resolution", "true");
  await expect.poll(() => image.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(3000);
  await page.getByTestId("zoom-fit").click();
  await page.keyboard.press("KeyL");
  const box = (await stage.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId("loupe")).toBeVisible();
  await page.keyboard.press("KeyL");
  await page.keyboard.press("KeyI");
  await expect(page.getByTestId("exif-panel")).toContainText("3000 × 2000");
  await page.keyboard.press("Shift+Slash");
  await expect(page.getByTestId("shortcut-help")).toContainText("Fit ↔ 100 %");
  await page.keyboard.press("Escape");

  // Press 5, comment, approve.
  await page.keyboard.press("Digit5");
  await expect(page.getByTestId("review-bar")).toHaveAttribute("data-rating", "5");
  await page.getByTestId("comment-input").fill("Great shot!");
  await page.getByTestId("comment-input").press("Enter");
  await expect(page.getByTestId("comment-body")).toHaveText("Great shot!");
  await page.getByTestId("approve").click();
  await expect(page.getByTestId("approvals")).toContainText("Pia Photo approved v1");

  const id = ids.get("portrait.jpg");
  const asset = await api(page.request, "GET", `/api/v1/assets/${id}`);
  expect(asset.body.rating).toBe(5);
  expect(asset.body.review_status).toBe("approved");
  const comments = await api(page.request, "GET", `/api/v1/assets/${id}/comments`);
  expect(comments.body.map((c: any) => c.body)).toEqual(["Great shot!"]);

  // → goes to the next photo in the folder, and back.
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("neighbour")).toHaveCount(2);

  // In the grid: select a card and rate it from the keyboard.
  await page.goto(projectPath);
  await hydrated(page);
  const card = page.locator('[data-test-id=asset-card][data-name="second.jpg"]');
  await card.click();
  await page.keyboard.press("Digit3");
  await expect(card).toHaveAttribute("data-rating", "3");
  await expect(card.getByTestId("card-rating")).toHaveText("★★★");
  await expect.poll(async () => (await api(page.request, "GET", `/api/v1/assets/${ids.get("second.jpg")}`)).body.rating).toBe(3);
});

/** The arrow's middle, in page pixels, for a drawing layer box. */
test("video review: range comment with an arrow drawing that comes back identical after reload", async ({ page }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-video-"));
  const clip = path.join(dir, "scene.mp4");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);
  await page.setViewportSize({ width: 1400, height: 900 });
  await signUp(page, "Vera Video", email("vera"));
  const projectPath = await createProject(page, "Cut");
  const ids = await uploadAndWait(page, projectPath, [clip]);
  const id = ids.get("scene.mp4")!;
  await page.goto(`/assets/${id}`);
  await hydrated(page);
  await expect(page.getByTestId("player-video")).toHaveJSProperty("readyState", 4, { timeout: 20_000 });

  // In at 10, out at 20 (I/O), a range comment with an arrow.
  await page.getByTestId("time-display").selectOption("frames");
  await goToFrame(page, 10);
  await page.keyboard.press("KeyI");
  await goToFrame(page, 20);
  await page.keyboard.press("KeyO");
  await expect(page.getByTestId("in-out")).toBeVisible();
  await page.getByTestId("comment-span").selectOption("range");
  await page.getByTestId("draw-mode").click();
  await page.getByTestId("tool-arrow").click();
  const layer = page.getByTestId("pointer-layer");
  const box = (await layer.boundingBox())!;
  const a: [number, number] = [0.2, 0.3];
  const b: [number, number] = [0.6, 0.7];
  await page.mouse.move(box.x + a[0] * box.width, box.y + a[1] * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + 0.4 * box.width, box.y + 0.5 * box.height, { steps: 5 });
  await page.mouse.move(box.x + b[0] * box.width, box.y + b[1] * box.height, { steps: 5 });
  await page.mouse.up();
  expect((await canvasPixel(page, along(box, a, b, 0.4))).slice(0, 4)).toEqual([255, 59, 48, 255]);
  await page.getByTestId("comment-input").fill("Reframe this move @nobody");
  await page.getByTestId("comment-input").press("Enter");
  await expect(page.getByTestId("comment")).toHaveCount(1);
  await expect(page.getByTestId("comment-timecode")).toHaveText("10 – 20");
  await page.getByTestId("time-display").selectOption("timecode");
  await expect(page.getByTestId("comment-timecode")).toHaveText("00:00:00:10 – 00:00:00:20");

  // Rate and approve, as for the photo: the API shows rating 5, approved, one comment.
  // Shortcuts are ignored while typing: Escape leaves the comment box.
  await page.getByTestId("comment-input").press("Escape");
  await page.keyboard.press("Digit5");
  await expect(page.getByTestId("review-bar")).toHaveAttribute("data-rating", "5");
  await page.getByTestId("approve").click();
  await expect(page.getByTestId("review-bar")).toHaveAttribute("data-status", "approved");
  await expect(page.getByTestId("approvals")).toContainText("Vera Video approved v1");
  const asset = await api(page.request, "GET", `/api/v1/assets/${id}`);
  expect([asset.body.rating, asset.body.review_status]).toEqual([5, "approved"]);

  const first = await api(page.request, "GET", `/api/v1/assets/${id}/comments`);
  expect(first.body).toHaveLength(1);
  const c = first.body[0];
  expect([c.frame_in, c.frame_out]).toEqual([10, 20]);
  expect(c.annotation.shapes).toHaveLength(1);
  const shape = c.annotation.shapes[0];
  expect(shape.tool).toBe("arrow");
  expect(shape.color).toBe("#ff3b30");
  for (const [got, want] of [[shape.points[0], a], [shape.points[1], b]]) {
    expect(Math.abs(got[0] - want[0])).toBeLessThan(0.01);
    expect(Math.abs(got[1] - want[1])).toBeLessThan(0.01);
  }

  // Reload at another window size: the same vector data, drawn in the same place.
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.reload();
  await hydrated(page);
  const again = await api(page.request, "GET", `/api/v1/assets/${id}/comments`);
  expect(again.body[0].annotation).toEqual(c.annotation);
  await page.getByTestId("comment").click();
  await presented(page, 10);
  const box2 = (await page.getByTestId("pointer-layer").boundingBox())!;
  expect(box2.width).toBeLessThan(box.width);
  for (const t of [0.2, 0.4, 0.6]) {
    const px = await canvasPixel(page, along(box2, [shape.points[0][0], shape.points[0][1]], [shape.points[1][0], shape.points[1][1]], t));
    expect(px, `arrow at t=${t}`).toEqual([255, 59, 48, 255]);
  }
  // Off the arrow, nothing is drawn; and off its frames, the drawing is hidden.
  expect((await canvasPixel(page, { x: box2.x + 0.9 * box2.width, y: box2.y + 0.1 * box2.height }))[3]).toBe(0);
  await page.getByTestId("time-display").selectOption("frames");
  await goToFrame(page, 30);
  expect((await canvasPixel(page, along(box2, a, b, 0.4)))[3]).toBe(0);

  // The thread in the UI: reply, react, resolve, filter, edit.
  await page.getByTestId("reply").click();
  await page.getByTestId("reply-input").fill("Agreed, **tighter** please");
  await page.getByTestId("reply-input").press("Enter");
  await expect(page.locator(".replies [data-test-id=comment-body]")).toHaveText("Agreed, tighter please");
  await expect(page.locator(".replies strong", { hasText: "tighter" })).toHaveCount(1);
  await page.getByTestId("add-reaction").first().click();
  await page.getByTestId("react-option").first().click();
  await expect(page.getByTestId("reaction").first()).toContainText("1");
  await page.getByTestId("resolve").click();
  await expect(page.locator(".thread > .comment.resolved, .thread > article.resolved")).toHaveCount(1);
  await page.getByTestId("filter-state").selectOption("open");
  await expect(page.getByTestId("no-comments")).toBeVisible();
  await page.getByTestId("filter-state").selectOption("resolved");
  await expect(page.getByTestId("comment")).toHaveCount(2);
  await page.getByTestId("edit").first().click();
  await page.getByTestId("edit-input").fill("Reframe this move, please");
  await page.getByTestId("save-edit").click();
  await expect(page.getByTestId("comment-body").first()).toHaveText("Reframe this move, please");
  const after = await api(page.request, "GET", `/api/v1/assets/${id}/comments`);
  const top = after.body.find((x: any) => x.id === c.id);
  const reply = after.body.find((x: any) => x.parent_id === c.id);
  expect(after.body).toHaveLength(2);
  expect([top.body, top.resolved, top.reactions[0].count]).toEqual(["Reframe this move, please", true, 1]);
  expect([reply.body, reply.resolved]).toEqual(["Agreed, **tighter** please", false]);
});

test("a viewer cannot comment, rate or change status; a commenter can rate and comment but not upload", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-roles-"));
  const photo = path.join(dir, "frame.jpg");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=800x600", "-frames:v", "1", photo]);
  await signUp(owner, "Olive Owner", email("olive"));
  const projectPath = await createProject(owner, "Roles");
  const projectId = projectPath.split("/").pop()!;
  const ids = await uploadAndWait(owner, projectPath, [photo]);
  const id = ids.get("frame.jpg")!;
  const viewer = await member(browser, projectId, owner, "Vik", "viewer");
  const commenter = await member(browser, projectId, owner, "Cai", "commenter");

  // Viewer: no comment box, disabled stars, no status or approve controls; the API says 403.
  await viewer.goto(`/assets/${id}`);
  await hydrated(viewer);
  await expect(viewer.getByTestId("lightbox")).toBeVisible();
  await expect(viewer.getByTestId("comment-input")).toHaveCount(0);
  await expect(viewer.getByTestId("approve")).toHaveCount(0);
  await expect(viewer.getByTestId("status")).toHaveCount(0);
  await expect(viewer.getByTestId("status-badge")).toHaveText("Needs review");
  await expect(viewer.getByTestId("star-3")).toBeDisabled();
  await viewer.keyboard.press("Digit3");
  await expect(viewer.getByTestId("review-bar")).toHaveAttribute("data-rating", "0");
  for (const [method, url, data] of [
    ["POST", `/api/v1/assets/${id}/comments`, { body: "hi" }],
    ["PUT", `/api/v1/assets/${id}/rating`, { rating: 3 }],
    ["PUT", `/api/v1/assets/${id}/status`, { status: "approved" }],
    ["POST", `/api/v1/assets/${id}/approvals`, {}],
  ] as const) {
    const r = await api(viewer.request, method, url, data);
    expect(r.status, `${method} ${url}`).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
  }

  // Commenter: rates with a key, comments with a mention; no upload controls in the library.
  await commenter.goto(`/assets/${id}`);
  await hydrated(commenter);
  await commenter.keyboard.press("Digit4");
  await expect(commenter.getByTestId("review-bar")).toHaveAttribute("data-rating", "4");
  await commenter.getByTestId("comment-input").fill("Looks good @oli");
  await expect(commenter.getByTestId("mention-option")).toContainText("Olive Owner");
  await commenter.getByTestId("comment-input").press("Tab");
  await expect(commenter.getByTestId("comment-input")).toHaveValue(/@olive\.\d+\.\d+ $/);
  await commenter.getByTestId("comment-input").press("End");
  await commenter.getByTestId("comment-input").type("please check");
  await commenter.getByTestId("comment-input").press("Enter");
  await expect(commenter.locator(".comment .mention")).toHaveCount(1);
  const notes = await api(owner.request, "GET", "/api/v1/notifications");
  expect(notes.body[0].kind).toBe("mention");
  expect(notes.body[0].actor.name).toBe("Cai");
  // The owner's inbox shows it, unread, and links to the asset.
  await owner.goto("/projects");
  await hydrated(owner);
  await expect(owner.getByTestId("unread-count")).toHaveText("1");
  await owner.getByTestId("notifications-link").click();
  const note = owner.getByTestId("notification");
  await expect(note).toContainText("Cai mentioned you on frame.jpg");
  await expect(note).toContainText("Looks good");
  await owner.getByTestId("mark-read").click();
  await note.getByRole("link").click();
  await expect(owner).toHaveURL(new RegExp(`/assets/${id}$`));
  await commenter.goto(projectPath);
  await hydrated(commenter);
  await expect(commenter.locator("[data-upload-files]")).toHaveCount(0);
  const upload = await commenter.request.post("/api/v1/uploads", {
    headers: { Origin: origin(), "Tus-Resumable": "1.0.0", "Upload-Length": "3", "Upload-Metadata": `filename ${Buffer.from("x.jpg").toString("base64")},project_id ${Buffer.from(projectId).toString("base64")}` },
  });
  expect(upload.status()).toBe(403);
  // A failed change rolls back and says why: the owner demotes the commenter mid-review.
  await commenter.goto(`/assets/${id}`);
  await hydrated(commenter);
  const demote = await api(owner.request, "GET", `/api/v1/projects/${projectId}/members`);
  const cai = demote.body.find((m: any) => m.name === "Cai");
  expect((await api(owner.request, "PATCH", `/api/v1/projects/${projectId}/members/${cai.user_id}`, { role: "viewer" })).status).toBe(200);
  await commenter.keyboard.press("Digit1");
  await expect(commenter.getByTestId("review-error")).toContainText("Not saved");
  await expect(commenter.getByTestId("review-bar")).toHaveAttribute("data-rating", "4");
});
