// Review links in a real browser: an owner shares two photos with a password; a guest with no
// account fails the password, is throttled, opens the link with the right one, sees only what
// was shared and views a photo; the owner sees the view and revokes the link; the guest's page
// and a media URL it had then serve nothing.
import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { api, createProject, email, ffmpeg, hydrated, signUp, uploadAndWait } from "./helpers";

test("a password-protected review link for a guest: throttled, opened, viewed, revoked", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-share-"));
  const files = ["a", "b", "c"].map((n, i) => {
    const file = path.join(dir, `look-${n}.jpg`);
    ffmpeg(["-f", "lavfi", "-i", `testsrc2=s=320x240:d=1,hue=h=${i * 90}`, "-frames:v", "1", "-q:v", "4", file]);
    return file;
  });
  await signUp(page, "Sasha Sharer", email("sasha"));
  const projectPath = await createProject(page, "Client cut");
  const project = projectPath.split("/").pop()!;
  await uploadAndWait(page, projectPath, files);
  await page.goto(projectPath);
  await hydrated(page);

  // Select two photos, share them with a password and no downloads.
  await page.locator("[data-test-id=asset-card][data-name='look-a.jpg']").click();
  await page.locator("[data-test-id=asset-card][data-name='look-b.jpg']").click({ modifiers: ["Control"] });
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
  const guest = await (await browser.newContext()).newPage();
  await guest.goto(url);
  await expect(guest.getByTestId("share-unlock")).toBeVisible();
  await hydrated(guest);
  for (let i = 0; i < 5; i++) {
    await guest.getByTestId("share-password").fill(`wrong ${i}`);
    await guest.getByTestId("share-guest-name").fill("Ana");
    await guest.getByTestId("share-open").click();
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
  const preview = guest.getByTestId("share-preview");
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(guest.getByTestId("share-download")).toHaveCount(0);
  const mediaUrl = (await preview.getAttribute("src"))!;
  expect((await guest.request.get(mediaUrl)).status()).toBe(200);
  const original = mediaUrl.replace(/preview$/, "original");
  expect((await guest.request.get(original)).status()).toBe(403);

  // The owner's list shows the view; revoking closes the link and its media at once.
  await page.goto(`${projectPath}/shares`);
  await hydrated(page);
  const rows = page.getByTestId("share-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.first().getByTestId("share-views")).toHaveText("1");
  await rows.first().getByTestId("share-revoke").click();
  await expect(rows.first()).toHaveAttribute("data-state", "revoked");
  await guest.reload();
  await expect(guest.getByTestId("share-closed")).toContainText("no longer available");
  await expect(guest.getByTestId("share-closed")).toContainText("revoked");
  expect((await guest.request.get(mediaUrl)).status()).toBe(410);
  const listed = await api(page.request, "GET", `/api/v1/projects/${project}/shares`);
  expect(listed.body.map((s: any) => s.state)).toEqual(["revoked", "active"]);
});
