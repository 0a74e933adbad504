// The team in a real browser: an owner invites a new address as commenter; the e-mail reaches
// the local SMTP sink; the invited person opens the link, creates an account and joins; they
// can comment but not upload; the link cannot be used twice; a mention reaches their inbox and
// their mail; the project's activity names who did each thing.
import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createProject, email, ffmpeg, hydrated, mailTo, signUp, uploadAndWait } from "./helpers";

test("invite a commenter by e-mail: accept once, comment, no uploads; the activity says who", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-team-"));
  const photo = path.join(dir, "poster.jpg");
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:d=1", "-frames:v", "1", "-q:v", "4", photo]);
  await signUp(page, "Olive Owner", email("olive"));
  const projectPath = await createProject(page, "Poster round");
  const ids = await uploadAndWait(page, projectPath, [photo]);
  const asset = ids.get("poster.jpg")!;

  // Invite by e-mail from the members page.
  const invited = email("nora");
  await page.goto(`${projectPath}/members`);
  await hydrated(page);
  await page.getByTestId("invite-email").fill(invited);
  await page.getByTestId("invite-role").selectOption("commenter");
  await page.getByTestId("invite-send").click();
  await expect(page.getByTestId("invite-sent")).toContainText(invited);
  await expect(page.locator(`[data-test-id=invitation-row][data-email='${invited}']`)).toContainText("Commenter");

  // The e-mail, through SMTP, carries the link.
  const mail = await mailTo(invited, /invited you to "Poster round"/);
  const link = mail.body.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)?.[0];
  expect(link, mail.body).toBeTruthy();

  // A new person opens it, creates an account and lands in the project as a commenter.
  const nora = await (await browser.newContext()).newPage();
  await nora.goto(link!);
  await hydrated(nora);
  await expect(nora.getByTestId("invite")).toContainText("Poster round");
  await expect(nora.getByTestId("invite")).toContainText("Olive Owner invited");
  await nora.getByTestId("invite-name").fill("Nora New");
  await nora.getByTestId("invite-password").fill("correct horse battery");
  await nora.getByTestId("invite-accept").click();
  await expect(nora).toHaveURL(new RegExp(`${projectPath}$`));
  await expect(nora.getByTestId("my-role")).toHaveText("Commenter");
  await hydrated(nora);
  await expect(nora.locator("[data-upload-files]")).toHaveCount(0);

  // She comments on the photo.
  await nora.goto(`/assets/${asset}`);
  await hydrated(nora);
  await nora.getByTestId("comment-input").fill("Can the title be bigger?");
  await nora.getByTestId("comment-input").press("Enter");
  await expect(nora.locator("[data-test-id=comment][data-author='Nora New']")).toHaveCount(1);

  // The link works once.
  const other = await (await browser.newContext()).newPage();
  await other.goto(link!);
  await expect(other.getByTestId("invite-refused")).toContainText("already used");

  // The owner sees her as a member and no pending invitation; a mention reaches her.
  await page.goto(`${projectPath}/members`);
  await hydrated(page);
  await expect(page.locator(`[data-test-id=member-row][data-email='${invited}']`)).toContainText("Commenter");
  await expect(page.getByTestId("pending-invitations")).toHaveCount(0);
  await page.goto(`/assets/${asset}`);
  await hydrated(page);
  const handle = invited.split("@")[0];
  await page.getByTestId("comment-input").fill(`@${handle} yes, and the date too`);
  await page.getByTestId("comment-input").press("Enter");
  await expect(page.getByTestId("comment")).toHaveCount(2);
  await nora.goto("/notifications");
  await hydrated(nora);
  await expect(nora.getByTestId("notification").first()).toContainText("Olive Owner");
  const mention = await mailTo(invited, /Olive Owner mentioned you/);
  expect(mention.body).toContain("yes, and the date too");
  // She chooses how each kind reaches her; the choice is kept.
  await expect(nora.getByTestId("delivery-mention")).toHaveValue("email");
  await nora.getByTestId("delivery-status").selectOption("off");
  await nora.getByTestId("delivery-comment").selectOption("email");
  await nora.getByTestId("save-notification-settings").click();
  await expect(nora.getByTestId("settings-saved")).toBeVisible();
  await nora.reload();
  await expect(nora.getByTestId("delivery-status")).toHaveValue("off");
  await expect(nora.getByTestId("delivery-comment")).toHaveValue("email");

  // The activity names who did each thing.
  await page.goto(`${projectPath}/activity`);
  await hydrated(page);
  const entry = (action: string, actor: string) =>
    page.locator(`[data-test-id=audit-entry][data-action='${action}'][data-actor='${actor}']`);
  await expect(entry("invitation.create", "Olive Owner")).toHaveCount(1);
  await expect(entry("invitation.accept", "Nora New")).toHaveCount(1);
  await expect(entry("comment.create", "Nora New")).toHaveCount(1);
  await expect(entry("asset.upload", "Olive Owner")).toHaveCount(1);
  await page.getByTestId("audit-kind").selectOption("comment");
  await page.getByTestId("audit-apply").click();
  await expect(page).toHaveURL(/kind=comment/);
  await expect(page.getByTestId("audit-entry")).toHaveCount(2);
});
