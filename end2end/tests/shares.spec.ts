// Review links in a real browser: an owner shares a photo and a video with a password; a guest
// with no account fails the password, is throttled, opens the link with the right one, sees
// only what was shared, views the photo in the lightbox, plays the video and leaves a range
// comment with a drawing as "Ana", which the owner sees arrive live, attributed to Ana and the
// link; the owner sees the views and revokes the link; the guest's page and a media URL it had
// then serve nothing; the project's activity names who did what.
import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { along, api, canvasPixel, createProject, email, ffmpeg, hydrated, signUp, uploadAndWait } from "./helpers";

test("a password-protected review link for a guest: throttled, opened, viewed, revoked", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-share-"));
  const files = ["a", "b", "c"].map((n, i) => {
    const file = path.join(dir, `look-${n}.jpg`);
    ffmpeg(["-f", "lavfi", "-i", `testsrc2=s=320x240:d=1,hue=h=${i * 90}`, "-frames:v", "1", "-q:v", "4", file]);
    return file;
  });
  const clip = path.join(dir, "scene.mp4");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);
  files.push(clip);
  await signUp(page, "Sasha Sharer", email("sasha"));
  const projectPath = await createProject(page, "Client cut");
  const project = projectPath.split("/").pop()!;
  const ids = await uploadAndWait(page, projectPath, files);
  const video = ids.get("scene.mp4")!;
  await page.goto(projectPath);
  await hydrated(page);

  // Select a photo and the video, share them with a password and no downloads.
  await page.locator("[data-test-id=asset-card][data-name='look-a.jpg']").click();
  await page.locator("[data-test-id=asset-card][data-name='scene.mp4']").click({ modifiers: ["Control"] });
  await expect(page.getByTestId("selected-count")).toHaveText("2 selected");
  await page.getByTestId("bulk-share").click();
  await page.getByTestId("share-form-password").fill("short");
  await page.getByTestId("share-create").click();
  await expect(page.getByTestId("share-error")).toContainText("8 to 200 characters");
  await page.getByTestId("share-form-password").fill("open sesame");
  await page.getByTestId("share-create").click();
  const url = await page.getByTestId("share-url").inputValue();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{22}$/);

  // A guest without an account.
  const guest = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await guest.goto(url);
  await expect(guest.getByTestId("share-unlock")).toBeVisible();
  await hydrated(guest);
  for (let i = 0; i < 5; i++) {
    await guest.getByTestId("share-password").fill(`wrong ${i}`);
    await guest.getByTestId("share-guest-name").fill("Ana");
    // Each attempt must reach the server before the next: the alert from the previous one
    // already says the same thing (under load the loop once ran ahead of its requests).
    await Promise.all([
      guest.waitForResponse((r) => r.request().method() === "POST" && /unlock/i.test(r.url())),
      guest.getByTestId("share-open").click(),
    ]);
    await expect(guest.getByRole("alert")).toContainText("not this link's password");
  }
  await guest.getByTestId("share-password").fill("open sesame");
  await guest.getByTestId("share-open").click();
  await expect(guest.getByRole("alert")).toContainText("too many wrong passwords");

  // Failures count per link and address: this address is locked out of that link for a
  // while, so the owner makes a second link, which it opens with the password.
  await page.getByTestId("share-form-password").fill("open sesame");
  await page.getByTestId("share-create").click();
  await expect(page.getByTestId("share-url")).not.toHaveValue(url);
  const second = await page.getByTestId("share-url").inputValue();
  await guest.goto(second);
  await hydrated(guest);
  await guest.getByTestId("share-password").fill("open sesame");
  await guest.getByTestId("share-guest-name").fill("Ana");
  await guest.getByTestId("share-open").click();
  await expect(guest.getByTestId("share-guest")).toContainText("Ana");
  await expect(guest.getByTestId("share-card")).toHaveCount(2);
  await expect(guest.locator("[data-test-id=share-card][data-name='look-c.jpg']")).toHaveCount(0);
  await guest.locator("[data-test-id=share-card][data-name='look-a.jpg']").click();
  // The members' lightbox, through the link: the preview, no download, no original.
  await hydrated(guest);
  const preview = guest.getByTestId("lightbox-image");
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(guest.getByTestId("guest-banner")).toContainText("Ana");
  await expect(guest.getByTestId("share-download")).toHaveCount(0);
  await expect(guest.getByTestId("review-bar")).toHaveCount(0);
  const mediaUrl = (await preview.getAttribute("src"))!;
  expect(mediaUrl).toMatch(/^\/api\/v1\/s\/[A-Za-z0-9_-]{22}\/assets\/[0-9a-f-]{36}\/preview$/);
  expect((await guest.request.get(mediaUrl)).status()).toBe(200);
  const original = mediaUrl.replace(/preview$/, "original");
  expect((await guest.request.get(original)).status()).toBe(403);

  // The owner watches the video's review screen while the guest comments on it.
  await page.goto(`/assets/${video}`);
  await hydrated(page);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  await guest.getByTestId("back-to-link").click();
  await guest.locator("[data-test-id=share-card][data-name='scene.mp4']").click();
  await hydrated(guest);
  const player = guest.getByTestId("player-video");
  await expect(player).toHaveJSProperty("readyState", 4, { timeout: 20_000 });
  await guest.getByTestId("play").click();
  await expect(guest.getByTestId("player")).toHaveAttribute("data-playing", "true");
  await guest.getByTestId("play").click();
  await expect(guest.getByTestId("player")).toHaveAttribute("data-playing", "false");
  await guest.getByTestId("time-display").selectOption("frames");
  for (const [frame, key] of [[10, "KeyI"], [20, "KeyO"]] as const) {
    const input = guest.getByTestId("timecode-input");
    await input.click();
    await input.fill(String(frame));
    await input.press("Enter");
    await expect(guest.getByTestId("player")).toHaveAttribute("data-presented-frame", String(frame), { timeout: 10_000 });
    await guest.keyboard.press(key);
  }
  await guest.getByTestId("comment-span").selectOption("range");
  await expect(guest.getByTestId("private")).toHaveCount(0);
  await guest.getByTestId("draw-mode").click();
  await guest.getByTestId("tool-arrow").click();
  const layer = guest.getByTestId("pointer-layer");
  await layer.scrollIntoViewIfNeeded();
  const box = (await layer.boundingBox())!;
  await guest.mouse.move(box.x + 0.2 * box.width, box.y + 0.3 * box.height);
  await guest.mouse.down();
  await guest.mouse.move(box.x + 0.4 * box.width, box.y + 0.5 * box.height, { steps: 5 });
  await guest.mouse.move(box.x + 0.6 * box.width, box.y + 0.7 * box.height, { steps: 5 });
  await guest.mouse.up();
  // The arrow is on the guest's canvas, drawn by the same code as members'.
  expect((await canvasPixel(guest, along(box, [0.2, 0.3], [0.6, 0.7], 0.4))).slice(0, 4)).toEqual([255, 59, 48, 255]);
  await guest.getByTestId("comment-input").fill("Trim the pan here");
  await guest.getByTestId("comment-input").press("Enter");
  await expect(guest.getByTestId("comment")).toHaveCount(1);
  await expect(guest.getByTestId("comment").first()).toHaveAttribute("data-author", "Ana");
  await expect(guest.getByTestId("comment-timecode")).toHaveText("10 – 20");

  // Live on the owner's screen: Ana, a guest through this link, the range and the drawing.
  const arrived = page.locator("[data-test-id=comment][data-author='Ana']");
  await expect(arrived).toHaveCount(1, { timeout: 5_000 });
  await expect(arrived.getByTestId("guest-badge")).toContainText("guest");
  await expect(arrived.getByTestId("has-drawing")).toHaveCount(1);
  const theirs = await api(page.request, "GET", `/api/v1/assets/${video}/comments`);
  const c = theirs.body.find((x: any) => x.author.name === "Ana");
  expect([c.frame_in, c.frame_out, c.guest, c.annotation.shapes[0].tool]).toEqual([10, 20, true, "arrow"]);
  expect(c.via_link).toBeTruthy();

  // The owner's list shows the view; revoking closes the link and its media at once.
  await page.goto(`${projectPath}/shares`);
  await hydrated(page);
  const rows = page.getByTestId("share-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.first().getByTestId("share-views")).not.toHaveText("0");
  await rows.first().getByTestId("share-revoke").click();
  await expect(rows.first()).toHaveAttribute("data-state", "revoked");
  await guest.reload();
  await expect(guest.getByTestId("share-closed")).toContainText("no longer available");
  await expect(guest.getByTestId("share-closed")).toContainText("revoked");
  expect((await guest.request.get(mediaUrl)).status()).toBe(410);
  const listed = await api(page.request, "GET", `/api/v1/projects/${project}/shares`);
  expect(listed.body.map((s: any) => s.state)).toEqual(["revoked", "active"]);

  // The project's activity names who did each of these: Sasha for the links, Ana (a guest,
  // no account) for the wrong passwords, the opening and the comment.
  await page.goto(`${projectPath}/activity`);
  await hydrated(page);
  const entry = (action: string, actor: string) =>
    page.locator(`[data-test-id=audit-entry][data-action='${action}'][data-actor='${actor}']`);
  await expect(entry("share.create", "Sasha Sharer")).toHaveCount(2);
  await expect(entry("share.revoke", "Sasha Sharer")).toHaveCount(1);
  await expect(entry("share.unlock_failed", "Ana")).toHaveCount(5);
  await expect(entry("share.access", "Ana")).toHaveCount(1);
  const guestComment = entry("comment.create", "Ana");
  await expect(guestComment).toHaveCount(1);
  await expect(guestComment).toHaveAttribute("data-guest", "true");
});

test("a folder's review link is living, and a collection can be shared from its view", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-share-folder-"));
  const still = (name: string, hue: number) => {
    const file = path.join(dir, name);
    ffmpeg(["-f", "lavfi", "-i", `testsrc2=s=320x240:d=1,hue=h=${hue}`, "-frames:v", "1", "-q:v", "4", file]);
    return file;
  };
  await signUp(page, "Fay Folder", email("fay"));
  const projectPath = await createProject(page, "Folder links");
  const project = projectPath.split("/").pop()!;
  const folder = (await api(page.request, "POST", `/api/v1/projects/${project}/folders`, { name: "Selects" })).body.id;
  const uploadInto = async (file: string, expected: number) => {
    await page.goto(`${projectPath}?folder=${folder}`);
    await hydrated(page);
    await page.locator("[data-upload-files]").setInputFiles([file]);
    await expect
      .poll(async () => (await api(page.request, "GET", `/api/v1/projects/${project}/assets?folder_id=${folder}`)).body.items
        .filter((a: any) => a.status === "ready").length, { timeout: 60_000 })
      .toBe(expected);
  };
  await uploadInto(still("one.jpg", 0), 1);

  // Share the folder from its view; the guest sees what is in it now…
  await page.goto(`${projectPath}?folder=${folder}`);
  await hydrated(page);
  await expect(page.getByTestId("share-collection")).toHaveCount(0);
  await page.getByTestId("share-folder").click();
  await page.getByTestId("share-create").click();
  const url = await page.getByTestId("share-url").inputValue();
  const guest = await (await browser.newContext()).newPage();
  await guest.goto(url);
  await hydrated(guest);
  await guest.getByTestId("share-guest-name").fill("Gil");
  await guest.getByTestId("share-open").click();
  await expect(guest.getByTestId("share-card")).toHaveCount(1);
  // …and what is added later.
  await uploadInto(still("two.jpg", 120), 2);
  await guest.reload();
  await expect(guest.getByTestId("share-card")).toHaveCount(2);
  const links = (await api(page.request, "GET", `/api/v1/projects/${project}/shares`)).body;
  expect(links[0].scope).toEqual({ kind: "folder", folder_id: folder });

  // A collection is shared from its own view.
  const made = await api(page.request, "POST", `/api/v1/projects/${project}/collections`, {
    name: "Everything", kind: "smart", filter: { field: "media_type", op: "eq", value: "image" },
  });
  await page.goto(`${projectPath}?collection=${made.body.id}`);
  await hydrated(page);
  await page.getByTestId("share-collection").click();
  await page.getByTestId("share-create").click();
  await expect(page.getByTestId("share-url")).toHaveValue(/\/s\//);
  const after = (await api(page.request, "GET", `/api/v1/projects/${project}/shares`)).body;
  expect(after[0].scope).toEqual({ kind: "collection", collection_id: made.body.id });
});
