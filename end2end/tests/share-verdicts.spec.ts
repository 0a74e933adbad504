// A client's verdict and a watermark through a review link, and an invitation accepted from
// the inbox, in a real browser: the owner shares a photo with approvals and a watermark; the
// guest's lightbox shows the marked preview (made by a job while the page waits) and the guest
// approves it; the owner's review screen shows the approval, attributed to the guest and the
// link. Then the owner invites someone who already has an account; they accept it from their
// notifications and land in the project, and the owner hands the project over to them.
import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createProject, email, ffmpeg, hydrated, signUp, uploadAndWait } from "./helpers";

test("a guest approves a watermarked photo; an account accepts an invitation from its inbox", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-verdict-"));
  const photo = path.join(dir, "hero.jpg");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=640x480:d=1", "-frames:v", "1", "-q:v", "4", photo]);
  await signUp(page, "Wren Owner", email("wren"));
  const projectPath = await createProject(page, "Hero shots");
  const ids = await uploadAndWait(page, projectPath, [photo]);
  const asset = ids.get("hero.jpg")!;
  await page.goto(projectPath);
  await hydrated(page);

  // Share with approvals and a watermark naming the client.
  await page.locator("[data-test-id=asset-card][data-name='hero.jpg']").click();
  await page.getByTestId("bulk-share").click();
  await page.getByTestId("share-form-approvals").check();
  await page.getByTestId("share-form-watermark").check();
  await page.getByTestId("share-form-watermark-text").fill("ana@client.example");
  await page.getByTestId("share-create").click();
  const url = await page.getByTestId("share-url").inputValue();

  const guest = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await guest.goto(url);
  await hydrated(guest);
  await guest.getByTestId("share-guest-name").fill("Ana");
  await guest.getByTestId("share-open").click();
  await expect(guest.getByTestId("share-card")).toHaveCount(1);
  // The card's thumbnail is the marked one; it loads once the job has made it.
  const thumb = guest.locator("[data-test-id=share-card] img");
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await thumb.getAttribute("src")).toContain("/thumbnail");
  await guest.getByTestId("share-card").click();
  await expect(guest.getByTestId("watermark-note")).toBeVisible({ timeout: 30_000 });
  await expect(guest.getByTestId("watermark-pending")).toHaveCount(0, { timeout: 30_000 });
  await hydrated(guest);
  const preview = guest.getByTestId("lightbox-image");
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
  // What the guest is served differs from the plain preview the owner gets.
  const marked = await (await guest.request.get((await preview.getAttribute("src"))!)).body();
  const plain = await (await page.request.get(`/api/v1/assets/${asset}/preview`)).body();
  expect(marked.length).toBeGreaterThan(0);
  expect(Buffer.compare(marked, plain)).not.toBe(0);

  // The guest approves; the status follows.
  await guest.getByTestId("guest-approve").click();
  await expect(guest.getByTestId("guest-approve")).toHaveAttribute("aria-pressed", "true");
  await expect(guest.getByTestId("guest-verdict-bar")).toHaveAttribute("data-status", "approved");
  await guest.reload();
  await expect(guest.getByTestId("guest-approve")).toHaveAttribute("aria-pressed", "true");

  // The owner sees who approved, through which link.
  await page.goto(`/assets/${asset}`);
  await hydrated(page);
  await expect(page.getByTestId("review-bar")).toHaveAttribute("data-status", "approved");
  await expect(page.getByTestId("guest-verdict")).toContainText("Ana");
  await expect(page.getByTestId("guest-verdict")).toContainText("approved v1");
  await expect(page.getByTestId("guest-verdict")).toContainText("hero.jpg");

  // An invitation to someone with an account: their inbox offers it; one click joins.
  const bob = await (await browser.newContext()).newPage();
  const bobEmail = email("bob");
  await signUp(bob, "Bob Booked", bobEmail);
  await page.goto(`${projectPath}/members`);
  await hydrated(page);
  await page.getByTestId("invite-email").fill(bobEmail);
  await page.getByTestId("invite-role").selectOption("editor");
  await page.getByTestId("invite-send").click();
  await expect(page.getByTestId("invite-sent")).toContainText(bobEmail);
  await bob.goto("/notifications");
  await hydrated(bob);
  await expect(bob.locator("[data-test-id=notification][data-kind=invitation]")).toContainText("Wren Owner");
  await expect(bob.getByTestId("my-invitation")).toContainText("Hero shots");
  await bob.getByTestId("accept-my-invitation").click();
  await expect(bob).toHaveURL(new RegExp(`${projectPath}$`));
  await expect(bob.locator("[data-test-id=asset-card][data-name='hero.jpg']")).toBeVisible();

  // The owner hands the project to Bob in one step and becomes an editor.
  await page.goto(`${projectPath}/members`);
  await hydrated(page);
  await page.locator(`[data-test-id=member-row][data-email='${bobEmail}']`).getByTestId("transfer-ownership").click();
  await expect(page).toHaveURL(new RegExp(`${projectPath}$`));
  await page.goto(`${projectPath}/members`);
  await expect(page.locator(`[data-test-id=member-row][data-email='${bobEmail}']`)).toContainText("Owner");
  await expect(page.getByTestId("transfer-ownership")).toHaveCount(0);
  await bob.goto(`${projectPath}/members`);
  await expect(bob.getByTestId("transfer-ownership")).toHaveCount(1);
});
