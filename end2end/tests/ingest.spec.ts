// The ingest flow in a real browser: drop (pick) a folder of photos and a video, watch the
// progress, and see thumbnails and the poster appear without reloading.
import { expect, test } from "@playwright/test";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createProject, email, hydrated, signUp } from "./helpers";

function ffmpeg(args: string[]): void {
  execFileSync("ffmpeg", ["-v", "error", "-y", ...args]);
}

/** A folder "Day 1" with two photos and a sub-folder "Camera B" with one, plus a video beside it. */
function makeMedia(): { folder: string; video: string; broken: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-media-"));
  const day = path.join(root, "Day 1");
  const cam = path.join(day, "Camera B");
  fs.mkdirSync(cam, { recursive: true });
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=800x600", "-frames:v", "1", path.join(day, "wide.jpg")]);
  ffmpeg(["-f", "lavfi", "-i", "mandelbrot=s=600x800", "-frames:v", "1", path.join(day, "tall.png")]);
  ffmpeg(["-f", "lavfi", "-i", "smptebars=s=640x360", "-frames:v", "1", path.join(cam, "bars.jpg")]);
  const video = path.join(root, "take-01.mp4");
  ffmpeg([
    "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=3",
    "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", video,
  ]);
  const broken = path.join(root, "notes.jpg");
  fs.writeFileSync(broken, "these are not pixels");
  return { folder: day, video, broken };
}

test("a folder of photos and a video upload, process and show up live", async ({ page }) => {
  const media = makeMedia();
  await signUp(page, "Uma Uploader", email("uma"));
  const projectPath = await createProject(page, "Ingest day");
  await hydrated(page);
  await expect(page.getByTestId("empty-library")).toBeVisible();

  // A folder through the folder picker (what a folder drop does too): structure is kept.
  await page.locator("[data-upload-folder]").setInputFiles(media.folder);
  await page.locator("[data-upload-files]").setInputFiles([media.video, media.broken]);
  const panel = page.getByTestId("upload-panel");
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId("upload-item")).toHaveCount(5);
  await expect(page.getByTestId("upload-summary")).toContainText("5 of 5 uploaded", { timeout: 30_000 });

  // Cards appear and turn into thumbnails without a reload.
  const cards = page.getByTestId("asset-card");
  await expect(cards).toHaveCount(5, { timeout: 30_000 });
  for (const name of ["wide.jpg", "tall.png", "bars.jpg", "take-01.mp4"]) {
    const card = page.locator(`[data-test-id=asset-card][data-name="${name}"]`);
    await expect(card).toHaveAttribute("data-status", "ready", { timeout: 60_000 });
    await expect(card.getByTestId("asset-thumb")).toBeVisible();
    // The card turns ready before its <img> has fetched: wait for the decode, not the element.
    await expect
      .poll(() => card.getByTestId("asset-thumb").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), {
        message: `${name} thumbnail decoded`,
        timeout: 15_000,
      })
      .toBe(true);
  }
  const video = page.locator('[data-test-id=asset-card][data-name="take-01.mp4"]');
  await expect(video).toHaveAttribute("data-media-type", "video");
  await expect(video.getByTestId("asset-chip")).toHaveText("0:03");
  await expect(page.locator('[data-test-id=asset-card][data-name="wide.jpg"]').getByTestId("asset-chip")).toHaveText("800×600");

  // The broken file says why.
  const broken = page.locator('[data-test-id=asset-card][data-name="notes.jpg"]');
  await expect(broken).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(broken.getByTestId("asset-error")).toContainText("not an image, video or audio");

  // The folder tree has the dropped structure; filtering by folder and type works.
  const tree = page.getByTestId("folder-tree");
  await page.reload();
  await hydrated(page);
  await expect(tree.locator('[data-test-id=folder-link][data-name="Day 1"]')).toBeVisible();
  await expect(tree.locator('[data-test-id=folder-link][data-name="Camera B"]')).toBeVisible();
  await tree.locator('[data-test-id=folder-link][data-name="Camera B"]').click();
  await expect(page.getByTestId("asset-card")).toHaveCount(1);
  await expect(page.getByTestId("asset-card")).toHaveAttribute("data-name", "bars.jpg");
  await page.goto(`${projectPath}?type=video`);
  await hydrated(page);
  await expect(page.getByTestId("asset-card")).toHaveCount(1);

  // The metadata panel.
  await page.getByTestId("asset-card").click();
  const details = page.getByTestId("asset-details");
  await expect(details).toBeVisible();
  await expect(details.getByTestId("metadata")).toContainText("320 × 240");
  await expect(details.getByTestId("metadata")).toContainText("25.000 fps (25/1)");
  await expect(details.getByTestId("details-status")).toHaveText("ready");
});
