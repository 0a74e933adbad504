// Version stacks and comparison in a real browser: upload v2 onto a photo from its review
// screen, compare v1 and v2 side by side (one zoom) and with the wipe, rate inside the
// comparison, roll back to v1; and two videos stepped together to the frame with an offset.
import { expect, Locator, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { api, createProject, email, ffmpeg, hydrated, signUp, uploadAndWait } from "./helpers";

/** Moves a range input as a person dragging it would (an `input` event). */
async function setRange(slider: Locator, value: number): Promise<void> {
  await slider.evaluate((el: HTMLInputElement, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

test("upload v2 onto a photo, compare v1 and v2 side by side and with the wipe, roll back to v1", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-versions-"));
  const v1 = path.join(dir, "poster.jpg");
  const v2 = path.join(dir, "poster-v2.jpg");
  ffmpeg(["-f", "lavfi", "-i", "color=c=red:s=640x400", "-frames:v", "1", v1]);
  ffmpeg(["-f", "lavfi", "-i", "color=c=blue:s=640x400", "-frames:v", "1", v2]);
  await signUp(page, "Vera Versions", email("vera"));
  const projectPath = await createProject(page, "Versions");
  const ids = await uploadAndWait(page, projectPath, [v1]);
  const id = ids.get("poster.jpg")!;

  await page.goto(`/assets/${id}`);
  await hydrated(page);
  await expect(page.getByTestId("version-of")).toHaveText(" · v1 of 1");
  await page.locator("[data-test-id=upload-version] input").setInputFiles(v2);
  await expect
    .poll(async () => {
      const a = (await api(page.request, "GET", `/api/v1/assets/${id}`)).body;
      return a.versions.filter((v: any) => v.state === "ready").length;
    }, { timeout: 60_000, intervals: [500] })
    .toBe(2);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("version-of")).toHaveText(" · v2 of 2");

  // Compare with the previous version.
  await page.getByTestId("compare-versions").click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?asset=${id}&versions=1,2`));
  await hydrated(page);
  const panes = page.getByTestId("compare-pane");
  await expect(panes).toHaveCount(2);
  await expect(panes.nth(0)).toHaveAttribute("data-label", "v1");
  await expect(panes.nth(1)).toHaveAttribute("data-label", "v2");
  const images = page.getByTestId("compare-image");
  await expect.poll(() => images.evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);
  // One zoom and pan for both sides.
  await page.getByTestId("zoom-in").click();
  await page.getByTestId("zoom-in").click();
  await expect(page.getByTestId("zoom-level")).toHaveText("156 %");
  const transforms = await images.evaluateAll((imgs) => imgs.map((i) => (i as HTMLElement).style.transform));
  expect(transforms[0]).toContain("scale(1.5625)");
  expect(transforms[1]).toBe(transforms[0]);

  // The wipe: v2 is cut at the divider, so the left of the stage shows v1 (red), the right v2 (blue).
  await page.getByTestId("zoom-fit").click();
  await page.getByTestId("mode-wipe").click();
  await expect(page.getByTestId("compare")).toHaveAttribute("data-mode", "wipe");
  await setRange(page.getByTestId("wipe-position"), 60);
  await expect(panes.nth(1)).toHaveAttribute("style", /clip-path:inset\(0 0 0 60%\)/);
  const stage = await page.locator(".compare-stage").boundingBox();
  const shot = await page.screenshot({ clip: { x: stage!.x, y: stage!.y + stage!.height / 2, width: stage!.width, height: 1 } });
  // Read the screenshot's pixels back through a canvas in the page.
  const [left, right] = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext("2d")!;
    g.drawImage(img, 0, 0);
    const px = (fx: number) => Array.from(g.getImageData(Math.floor(img.width * fx), 0, 1, 1).data);
    return [px(0.45), px(0.7)];
  }, shot.toString("base64"));
  expect(left[0]).toBeGreaterThan(left[2] + 100); // red: v1 shows left of the divider's image edge
  expect(right[2]).toBeGreaterThan(right[0] + 100); // blue: v2 to its right
  // Overlay with an opacity slider.
  await page.getByTestId("mode-overlay").click();
  await setRange(page.getByTestId("overlay-opacity"), 25);
  await expect(panes.nth(1)).toHaveAttribute("style", /opacity:0.25;/);

  // Rate inside the comparison.
  await page.locator("[data-test-id=compare-side][data-label=v2]").getByTestId("compare-star-4").click();
  await expect.poll(async () => (await api(page.request, "GET", `/api/v1/assets/${id}/review`)).body.rating).toBe(4);

  // Roll back to v1.
  await page.goto(`/assets/${id}`);
  await hydrated(page);
  await page.getByTestId("version-select").selectOption("1");
  await page.getByTestId("make-current").click();
  await expect(page.getByTestId("version-of")).toHaveText(" · v1 of 2");
  // Making a version current reloads the page: a choice made before it hydrates is lost.
  await hydrated(page);
  expect((await api(page.request, "GET", `/api/v1/assets/${id}`)).body.current_version).toBe(1);
  // Stars belong to a version: v1 is unrated, v2 keeps its 4.
  await expect(page.getByTestId("review-bar")).toHaveAttribute("data-rating", "0");

  // View the older (now not current) v2 on the review screen: its picture, stars and comments.
  await page.getByTestId("version-select").selectOption("2");
  await page.getByTestId("view-version").click();
  await expect(page).toHaveURL(new RegExp(`/assets/${id}\\?version=2`));
  await hydrated(page);
  await expect(page.getByTestId("version-of")).toHaveText(" · v2 of 2");
  await expect(page.getByTestId("older-version")).toContainText("v1 is current");
  await expect(page.getByTestId("review-bar")).toHaveAttribute("data-rating", "4");
  await expect(page.locator("img[src*='version=2']").first()).toBeVisible();
  await page.getByTestId("star-2").click();
  await expect.poll(async () => (await api(page.request, "GET", `/api/v1/assets/${id}/review?version=2`)).body.rating).toBe(2);
  expect((await api(page.request, "GET", `/api/v1/assets/${id}/review`)).body.rating).toBe(0);
  await page.getByTestId("comment-input").fill("Only about v2");
  await page.getByTestId("send-comment").click();
  await expect(page.getByTestId("comment-count")).toHaveText("1");
  const comments = (await api(page.request, "GET", `/api/v1/assets/${id}/comments`)).body;
  expect(comments.map((c: any) => [c.body, c.version])).toEqual([["Only about v2", 2]]);
  // On the current v1 the v2 comment is behind "All versions".
  await page.getByTestId("view-current").click();
  await hydrated(page);
  await expect(page.getByTestId("comment-count")).toHaveText("0");
  await page.getByTestId("all-versions").check();
  await expect(page.getByTestId("comment-count")).toHaveText("1");
});

test("two videos compared step together to the frame, with a per-side offset", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-compare-"));
  const a = path.join(dir, "take-1.mp4");
  const b = path.join(dir, "take-2.mp4");
  for (const f of [a, b]) {
    ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", f]);
  }
  await signUp(page, "Cole Compare", email("cole"));
  const projectPath = await createProject(page, "Compare");
  const ids = await uploadAndWait(page, projectPath, [a, b]);
  await page.goto(projectPath);
  await hydrated(page);
  await page.locator("[data-test-id=asset-card][data-name='take-1.mp4']").click();
  await page.locator("[data-test-id=asset-card][data-name='take-2.mp4']").click({ modifiers: ["ControlOrMeta"] });
  await page.getByTestId("bulk-compare").click();
  await expect(page).toHaveURL(/\/compare\?assets=/);
  await hydrated(page);
  await expect(page.getByTestId("compare-video")).toHaveCount(2);
  await page.getByTestId("compare-offset").fill("2");
  await page.getByTestId("compare-offset").press("Enter");
  for (let i = 0; i < 5; i++) await page.getByTestId("compare-forward").click();
  await expect(page.getByTestId("compare-frame")).toContainText("frame 5");
  // Each side sits in the middle of its frame: 5 and 5 + 2.
  await expect
    .poll(() => page.getByTestId("compare-video").evaluateAll((vs) => vs.map((v) => Math.round((v as HTMLVideoElement).currentTime * 25 - 0.5))))
    .toEqual([5, 7]);
  expect(ids.size).toBe(2);
});
