// Feedback out and back in, in a real browser: the comments on a clip go out as Resolve EDL
// markers, CSV and a PDF report from the comment panel's Export menu (its filters apply), and the EDL comes
// back in as comments at the same frames with the same text.
import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { api, createProject, email, ffmpeg, hydrated, signUp, uploadAndWait } from "./helpers";

test("export a clip's comments as EDL markers, CSV and PDF, then import the EDL back", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-deliver-"));
  const clip = path.join(dir, "scene.mp4");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);
  await signUp(page, "Dee Deliver", email("dee"));
  const projectPath = await createProject(page, "Deliveries");
  const video = (await uploadAndWait(page, projectPath, [clip])).get("scene.mp4")!;
  for (const [frame_in, frame_out, body] of [[25, null, "Cut here"], [50, 74, "Hold this shot longer"]] as const) {
    const r = await api(page.request, "POST", `/api/v1/assets/${video}/comments`, { body, frame_in, frame_out });
    expect(r.status).toBe(201);
  }
  await page.goto(`/assets/${video}`);
  await hydrated(page);
  await expect(page.getByTestId("comment-count")).toHaveText("2");

  // Export: the EDL has both markers at their timecodes; the CSV has both rows.
  await page.getByTestId("comment-export").locator("summary").click();
  const [edl] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-edl").click()]);
  expect(edl.suggestedFilename()).toBe("scene v1 markers.edl");
  const edlPath = path.join(dir, "markers.edl");
  await edl.saveAs(edlPath);
  const text = fs.readFileSync(edlPath, "utf8");
  expect(text).toContain("00:00:01:00 00:00:01:01");
  expect(text).toContain("|M:Dee Deliver: Cut here |D:1");
  expect(text).toContain("|M:Dee Deliver: Hold this shot longer |D:25");
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const csvPath = path.join(dir, "comments.csv");
  await csv.saveAs(csvPath);
  expect(fs.readFileSync(csvPath, "utf8").trim().split("\n")).toHaveLength(3);

  const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-pdf").click()]);
  expect(pdf.suggestedFilename()).toBe("scene v1 comments.pdf");
  const pdfPath = path.join(dir, "report.pdf");
  await pdf.saveAs(pdfPath);
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe("%PDF-");

  // Import it back: two more comments, at the same frames with the same text.
  await page.getByTestId("import-format").selectOption("edl");
  await page.getByTestId("import-file").setInputFiles(edlPath);
  await expect(page.getByTestId("import-done")).toHaveText("2 comment(s) imported");
  await expect(page.getByTestId("comment-count")).toHaveText("4");
  const comments = (await api(page.request, "GET", `/api/v1/assets/${video}/comments`)).body;
  const seen = comments.map((c: any) => `${c.frame_in}-${c.frame_out}-${c.body}`).sort();
  expect(seen).toEqual([
    "25-null-Cut here", "25-null-Cut here",
    "50-74-Hold this shot longer", "50-74-Hold this shot longer",
  ]);

  // A file that is not markers is refused, visibly, and adds nothing.
  const junk = path.join(dir, "junk.edl");
  fs.writeFileSync(junk, "hello world\n");
  await page.getByTestId("import-file").setInputFiles(junk);
  await expect(page.getByTestId("import-error")).toContainText("line 1");
  await expect(page.getByTestId("comment-count")).toHaveText("4");
});

test("an owner adds a webhook that a local receiver hears, and makes a read-only token", async ({ page }) => {
  test.setTimeout(120_000);
  const http = await import("http");
  const received: { headers: Record<string, any>; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as any).port;
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-hooks-"));
    const photo = path.join(dir, "still.jpg");
    ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:d=1", "-frames:v", "1", "-q:v", "4", photo]);
    await signUp(page, "Hana Hooks", email("hana"));
    const projectPath = await createProject(page, "Integrations");
    const asset = (await uploadAndWait(page, projectPath, [photo])).get("still.jpg")!;
    await page.goto(projectPath);
    await page.getByTestId("webhooks-link").click();
    await hydrated(page);
    // A cloud metadata address is refused, visibly.
    await page.getByTestId("webhook-url").fill("http://169.254.169.254/latest/meta-data/");
    await page.getByTestId("webhook-add").click();
    await expect(page.getByTestId("form-error")).toContainText("link-local");
    await page.getByTestId("webhook-url").fill(`http://127.0.0.1:${port}/hook`);
    await page.getByTestId("webhook-event-comment.created").check();
    await page.getByTestId("webhook-add").click();
    const secret = await page.getByTestId("webhook-secret").textContent();
    expect(secret).toMatch(/^whsec_/);
    await expect(page.getByTestId("webhook")).toContainText("comment.created");

    const r = await api(page.request, "POST", `/api/v1/assets/${asset}/comments`, { body: "Ping the hook", x: 0.5, y: 0.5 });
    expect(r.status).toBe(201);
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
    expect(received[0].headers["dailies-event"]).toBe("comment.created");
    const crypto = await import("crypto");
    const expected = "v1=" + crypto.createHmac("sha256", secret!).update(`${received[0].headers["dailies-timestamp"]}.${received[0].body}`).digest("hex");
    expect(received[0].headers["dailies-signature"]).toBe(expected);
    await page.reload();
    await expect(page.locator("[data-test-id=delivery][data-state=delivered]")).toHaveCount(1);

    // A read-only token from the account page.
    await page.goto("/account");
    await hydrated(page);
    await page.getByTestId("token-name").fill("dashboard");
    await page.getByTestId("token-scope").selectOption("read");
    await page.getByTestId("token-expiry").selectOption("30");
    await page.getByTestId("create-token").click();
    await expect(page.getByTestId("token-secret")).toBeVisible();
    await expect(page.getByTestId("token-row").filter({ hasText: "dashboard" }).getByTestId("token-access")).toHaveText("read only");
  } finally {
    server.close();
  }
});

test("two clips export as one file with a progress bar and a download", async ({ page }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-export-"));
  const clips = ["first", "second"].map((n) => {
    const file = path.join(dir, `${n}.mp4`);
    ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", file]);
    return file;
  });
  await signUp(page, "Evan Export", email("evan"));
  const projectPath = await createProject(page, "Exports");
  await uploadAndWait(page, projectPath, clips);
  await page.goto(projectPath);
  await hydrated(page);
  await page.locator("[data-test-id=asset-card][data-name='first.mp4']").click();
  await page.locator("[data-test-id=asset-card][data-name='second.mp4']").click({ modifiers: ["Control"] });
  await page.getByTestId("bulk-export").click();
  await page.getByTestId("export-title").fill("Joined cut");
  await page.getByTestId("export-start").click();
  await expect(page.getByTestId("export-started")).toContainText("1 export(s) started");
  await page.getByTestId("export-started").getByRole("link").click();
  await expect(page.locator("[data-test-id=export-row]")).toHaveCount(1);
  // The bar shows while it runs; the download appears by itself when it is done.
  const row = page.locator("[data-test-id=export-row]");
  await expect(row).toHaveAttribute("data-state", /queued|running|done/);
  await expect(row.getByTestId("export-download")).toBeVisible({ timeout: 120_000 });
  const [file] = await Promise.all([page.waitForEvent("download"), row.getByTestId("export-download").click()]);
  expect(file.suggestedFilename()).toBe("Joined cut mp4-better.mp4");
  const saved = path.join(dir, "out.mp4");
  await file.saveAs(saved);
  const seconds = parseFloat(require("child_process").execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", saved]).toString());
  expect(Math.abs(seconds - 4)).toBeLessThan(0.15);
});

test("a folder is copied into another project with its comments, and a bar follows the copy", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-clone-"));
  const still = path.join(dir, "still.jpg");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:d=1", "-frames:v", "1", still]);
  await signUp(page, "Cleo Clone", email("cleo"));
  const targetPath = await createProject(page, "Finishing");
  const sourcePath = await createProject(page, "Principal");
  const source = sourcePath.split("/").pop();
  const photo = (await uploadAndWait(page, sourcePath, [still])).get("still.jpg")!;
  const folder = (await api(page.request, "POST", `/api/v1/projects/${source}/folders`, { name: "Day 1" })).body.id;
  expect((await api(page.request, "PUT", "/api/v1/assets/bulk/move", { asset_ids: [photo], folder_id: folder })).status).toBe(200);
  expect((await api(page.request, "POST", `/api/v1/assets/${photo}/comments`, { body: "Warmer, please" })).status).toBe(201);

  // Someone already looking at the target project sees the copies arrive.
  const watcher = await page.context().newPage();
  await watcher.goto(targetPath);
  await hydrated(watcher);
  await expect(watcher.getByTestId("asset-card")).toHaveCount(0);

  await page.goto(sourcePath);
  await hydrated(page);
  await page.locator('[data-test-id=folder-link][data-name="Day 1"]').click();
  await page.locator(".folder-actions").getByTestId("clone-open").click();
  await page.getByTestId("clone-target").selectOption({ label: "Finishing" });
  await page.getByTestId("clone-start").click();
  const status = page.getByTestId("clone-status");
  await expect(status).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  await expect(status).toContainText("Copied 1 assets, 1 versions, 1 folders, 1 comments");
  await expect(watcher.locator("[data-test-id=asset-card][data-name='still.jpg']")).toBeVisible();
  await watcher.close();
  await status.getByTestId("clone-open-target").click();
  await expect(page).toHaveURL(new RegExp(`${targetPath}$`));
  await hydrated(page);
  await page.locator('[data-test-id=folder-link][data-name="Day 1"]').click();
  const card = page.locator("[data-test-id=asset-card][data-name='still.jpg']");
  await expect(card).toBeVisible();
  await card.click();
  await expect(page.getByTestId("cloned-from")).toContainText("Copied from “Principal”");
  // The copy is a new asset, ready at once, with the comment and its origin.
  const target = targetPath.split("/").pop();
  const copies = (await api(page.request, "GET", `/api/v1/projects/${target}/assets`)).body.items;
  expect(copies).toHaveLength(1);
  expect(copies[0].id).not.toBe(photo);
  const copy = (await api(page.request, "GET", `/api/v1/assets/${copies[0].id}`)).body;
  expect(copy.status).toBe("ready");
  expect(copy.cloned_from.source_id).toBe(photo);
  const notes = (await api(page.request, "GET", `/api/v1/assets/${copies[0].id}/comments`)).body;
  expect(notes.map((c: any) => c.body)).toEqual(["Warmer, please"]);
});

test("the analytics page charts a project's activity, selection and comment heatmap", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-analytics-"));
  const clip = path.join(dir, "take.mp4");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);
  const still = path.join(dir, "frame.jpg");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:d=1", "-frames:v", "1", still]);
  await signUp(page, "Ada Analyst", email("ada"));
  const projectPath = await createProject(page, "Metrics");
  const ids = await uploadAndWait(page, projectPath, [clip, still]);
  const video = ids.get("take.mp4")!;
  for (const frame_in of [0, 1, 40]) {
    expect((await api(page.request, "POST", `/api/v1/assets/${video}/comments`, { body: `at ${frame_in}`, frame_in })).status).toBe(201);
  }
  expect((await api(page.request, "PUT", `/api/v1/assets/${ids.get("frame.jpg")}/rating`, { rating: 5 })).status).toBe(200);

  await page.goto(projectPath);
  await page.getByTestId("analytics-link").click();
  await expect(page.locator("h1")).toHaveText("Analytics");
  const activity = page.getByTestId("activity-chart");
  await expect(activity).toHaveAttribute("data-uploads", "2");
  await expect(activity).toHaveAttribute("data-comments", "3");
  await expect(page.getByTestId("uploaded")).toHaveText("2");
  await expect(page.getByTestId("commented")).toHaveText("1");
  await expect(page.locator("[data-test-id=open-row][data-name='take.mp4']")).toHaveAttribute("data-open", "3");
  const heat = page.locator("[data-test-id=heatmap][data-name='take.mp4']");
  await expect(heat).toHaveAttribute("data-total", "3");
  // Frames 0 and 1 of 50 share the first slice; frame 40 is in slice 32.
  await expect(heat.locator("rect[data-bucket='0']")).toHaveAttribute("data-count", "2");
  await expect(heat.locator("rect[data-bucket='32']")).toHaveAttribute("data-count", "1");
  await expect(page.getByTestId("selection-shares")).toContainText("1 photos · 5 stars 100 %");
  await expect(page.locator("[data-test-id=selection-chart] g[data-rating='5']")).toHaveAttribute("data-count", "1");
  await page.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/analytics\?days=7$/);
  await expect(page.getByTestId("activity-chart")).toHaveAttribute("data-uploads", "2");
});

test("two photos export as square JPEGs in a ZIP and as a contact sheet", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-photos-"));
  const photos = ["bride", "groom"].map((n, i) => {
    const file = path.join(dir, `${n}.jpg`);
    ffmpeg(["-f", "lavfi", "-i", `testsrc2=s=${640 + i * 64}x480:d=1`, "-frames:v", "1", file]);
    return file;
  });
  await signUp(page, "Pia Photo", email("pia"));
  const projectPath = await createProject(page, "Wedding");
  await uploadAndWait(page, projectPath, photos);
  await page.goto(projectPath);
  await hydrated(page);
  await page.locator("[data-test-id=asset-card][data-name='bride.jpg']").click();
  await page.locator("[data-test-id=asset-card][data-name='groom.jpg']").click({ modifiers: ["Control"] });
  await page.getByTestId("bulk-export").click();
  // The default video preset does not take photos: the refusal is shown.
  await page.getByTestId("export-start").click();
  await expect(page.getByTestId("export-error")).toContainText("cannot go into");
  await page.getByTestId("export-preset-mp4-better").uncheck();
  await page.getByTestId("export-preset-jpeg-1080-square").check();
  await page.getByTestId("export-preset-contact-sheet").check();
  await page.getByTestId("export-title").fill("Proofs");
  await page.getByTestId("export-start").click();
  await expect(page.getByTestId("export-started")).toContainText("2 export(s) started");
  await page.getByTestId("export-started").getByRole("link").click();
  const rows = page.locator("[data-test-id=export-row]");
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) {
    await expect(row.getByTestId("export-download")).toBeVisible({ timeout: 60_000 });
  }
  const [zip] = await Promise.all([page.waitForEvent("download"), page.locator("[data-test-id=export-row][data-preset='jpeg-1080-square']").getByTestId("export-download").click()]);
  expect(zip.suggestedFilename()).toBe("Proofs jpeg-1080-square.zip");
  const zipPath = path.join(dir, "proofs.zip");
  await zip.saveAs(zipPath);
  const listing = require("child_process").execFileSync("python3", ["-c", "import sys,zipfile; print(' '.join(zipfile.ZipFile(sys.argv[1]).namelist()))", zipPath]).toString().trim();
  expect(listing).toBe("bride.jpg groom.jpg");
  const [pdf] = await Promise.all([page.waitForEvent("download"), page.locator("[data-test-id=export-row][data-preset='contact-sheet']").getByTestId("export-download").click()]);
  expect(pdf.suggestedFilename()).toBe("Proofs contact-sheet.pdf");
});
