// XSS: a script-bearing payload in every text people type — account name, project name and
// description, folder, collection, custom field, tag, file name, comment, share-link name and a
// guest's name and comment — is shown as text on every page that renders it, and never runs.
import { expect, Page, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { api, email, ffmpeg, hydrated, signUp, uploadAndWait } from "./helpers";

const PAYLOAD = `<img src=x onerror="window.__xss=1">`;
const SCRIPT = `<script>window.__xss=1</script>`;

/** Fails the test on any dialog, and checks that no payload ran on the page. */
function guard(page: Page) {
  page.on("dialog", (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
}
async function inert(page: Page, where: string) {
  await hydrated(page);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as any).__xss), `a payload ran on ${where}`).toBeUndefined();
  expect(await page.locator("img[src='x']").count(), `an injected <img> on ${where}`).toBe(0);
}

test("script payloads in every user-visible text field are rendered inert", async ({ page, browser }) => {
  test.setTimeout(180_000);
  guard(page);
  await signUp(page, `Mallory ${PAYLOAD}`, email("mallory"));
  const created = await api(page.request, "POST", "/api/v1/projects", { name: `Cut ${PAYLOAD}`, description: `About ${SCRIPT}` });
  expect(created.status).toBe(201);
  const project = created.body.id;
  const projectPath = `/projects/${project}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-xss-"));
  const file = path.join(dir, `<img src=x onerror=window.__xss=1>.jpg`);
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:d=1", "-frames:v", "1", file]);
  const ids = await uploadAndWait(page, projectPath, [file]);
  const asset = [...ids.values()][0];

  expect((await api(page.request, "POST", `/api/v1/projects/${project}/folders`, { name: `Day ${PAYLOAD}` })).status).toBe(201);
  expect((await api(page.request, "POST", `/api/v1/projects/${project}/collections`, { name: `Picks ${PAYLOAD}`, kind: "manual" })).status).toBe(201);
  expect((await api(page.request, "POST", `/api/v1/projects/${project}/fields`, { label: `Scene ${PAYLOAD}`, kind: "text" })).status).toBe(201);
  expect((await api(page.request, "PUT", "/api/v1/assets/bulk/metadata", { asset_ids: [asset], tags_add: [`tag${PAYLOAD}`] })).status).toBeLessThan(300);
  expect((await api(page.request, "POST", `/api/v1/assets/${asset}/comments`, { body: `Look ${PAYLOAD} ${SCRIPT} **bold**` })).status).toBe(201);
  const share = await api(page.request, "POST", "/api/v1/shares", { project_id: project, asset_ids: [asset], name: `Link ${PAYLOAD}`, comments: true });
  expect(share.status).toBe(201);

  // A guest whose name and comment carry payloads.
  const guest = await (await browser.newContext()).newPage();
  guard(guest);
  await guest.goto(`/s/${share.body.token}`);
  await hydrated(guest);
  const unlock = await api(guest.request, "POST", `/api/v1/s/${share.body.token}/unlock`, { name: `Eve ${PAYLOAD}` });
  expect(unlock.status).toBe(200);
  const said = await api(guest.request, "POST", `/api/v1/s/${share.body.token}/assets/${asset}/comments`, { body: `Guest ${SCRIPT}` });
  expect(said.status).toBe(201);
  await guest.goto(`/s/${share.body.token}`);
  await inert(guest, "the share page");
  await guest.goto(`/s/${share.body.token}/assets/${asset}`);
  await inert(guest, "the shared review page");
  await expect(guest.getByTestId("comment-body").first()).toBeVisible();

  // Every page the team sees them on.
  for (const [where, url] of [
    ["the project list", "/projects"],
    ["the library", projectPath],
    ["the library as a list", `${projectPath}?view=list`],
    ["the review page", `/assets/${asset}`],
    ["the members page", `${projectPath}/members`],
    ["the shares page", `${projectPath}/shares`],
    ["the activity page", `${projectPath}/activity`],
    ["notifications", "/notifications"],
    ["the account page", "/account"],
  ]) {
    await page.goto(url);
    await inert(page, where);
  }
  // The payloads are there, as text.
  await page.goto(projectPath);
  await hydrated(page);
  await expect(page.getByTestId("project-title")).toHaveText(`Cut ${PAYLOAD}`);
  await page.goto(`/assets/${asset}`);
  await hydrated(page);
  const bodies = page.getByTestId("comment-body");
  await expect(bodies.filter({ hasText: `Look ${PAYLOAD} ${SCRIPT}` })).toHaveCount(1);
  await expect(bodies.filter({ hasText: `Guest ${SCRIPT}` })).toHaveCount(1);
  await expect(page.getByText(`Eve ${PAYLOAD}`).first()).toBeVisible();
  await inert(page, "the review page with the guest's comment");
});
