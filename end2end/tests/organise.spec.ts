// Organising in a real browser: a smart collection that follows ratings live, multi-select
// with a bulk bar (rating, a ZIP of the originals, status, move, delete and restore from the
// trash), and search by
// a comment's word and a misspelled camera model.
import { expect, Page, test } from "@playwright/test";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { api, createProject, email, ffmpeg, hydrated, signUp, uploadAndWait } from "./helpers";

function photos(dir: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(dir, `shot-${String(i).padStart(2, "0")}.jpg`);
    ffmpeg(["-f", "lavfi", "-i", `testsrc2=s=320x240:d=1,hue=h=${i * 30}`, "-frames:v", "1", "-q:v", "4", file]);
    out.push(file);
  }
  return out;
}

async function card(page: Page, name: string) {
  return page.locator(`[data-test-id=asset-card][data-name="${name}"]`);
}

test("a smart collection follows ratings live; bulk edits, moves and the trash", async ({ page }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-organise-"));
  const files = photos(dir, 10);
  await signUp(page, "Orla Organiser", email("orla"));
  const projectPath = await createProject(page, "Organise");
  const project = projectPath.split("/").pop()!;
  const ids = await uploadAndWait(page, projectPath, files);
  await page.goto(projectPath);
  await hydrated(page);

  // Create the smart collection "5-star photos".
  await page.getByTestId("new-collection").click();
  await page.getByTestId("collection-name").fill("5-star photos");
  await page.getByTestId("rule-rating").selectOption("5");
  await page.getByTestId("rule-type").selectOption("image");
  await page.getByTestId("save-collection").click();
  const link = page.locator("[data-test-id=collection-link][data-name='5-star photos']");
  await expect(link).toHaveClass(/active/);
  await expect(link.getByTestId("collection-count")).toHaveText("0");
  await expect(page.getByTestId("empty-library")).toBeVisible();

  // Rating a photo 5 elsewhere puts it in, without a reload; rating it 3 takes it out.
  const first = ids.get("shot-00.jpg")!;
  expect((await api(page.request, "PUT", `/api/v1/assets/${first}/rating`, { rating: 5 })).status).toBe(200);
  await expect(await card(page, "shot-00.jpg")).toBeVisible({ timeout: 5_000 });
  await expect(link.getByTestId("collection-count")).toHaveText("1");
  expect((await api(page.request, "PUT", `/api/v1/assets/${first}/rating`, { rating: 3 })).status).toBe(200);
  await expect(await card(page, "shot-00.jpg")).toHaveCount(0, { timeout: 5_000 });
  await expect(link.getByTestId("collection-count")).toHaveText("0");

  // Back to everything: select all ten, rate them 4 stars in one action.
  await page.goto(projectPath);
  await hydrated(page);
  await (await card(page, "shot-09.jpg")).click();
  await page.getByTestId("select-all").click();
  await expect(page.getByTestId("selected-count")).toHaveText("10 selected");
  await page.getByTestId("bulk-rate-4").click();
  await expect(page.getByTestId("bulk-message")).toHaveText("Rated 10 items");
  await expect(page.locator("[data-test-id=asset-card][data-rating='4']")).toHaveCount(10);
  const listed = (await api(page.request, "GET", `/api/v1/projects/${project}/assets`)).body;
  expect(listed.items.every((a: any) => a.rating === 4)).toBe(true);
  // The same ten as one ZIP of originals, streamed to the browser.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("bulk-download").click()]);
  expect(download.suggestedFilename()).toMatch(/^dailies-10-files-.*\.zip$/);
  const zip = fs.readFileSync((await download.path())!);
  expect(zip.subarray(0, 4).toString("latin1")).toBe("PK\x03\x04");
  // The end-of-central-directory record counts the entries.
  expect(zip.readUInt16LE(zip.length - 22 + 10)).toBe(10);
  for (const f of files) expect(zip.includes(fs.readFileSync(f))).toBe(true);

  // Shift-click a range of three (in the grid's order), set their status.
  const order = await page.getByTestId("asset-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-name")!));
  await (await card(page, order[0])).click();
  await (await card(page, order[2])).click({ modifiers: ["Shift"] });
  await expect(page.getByTestId("selected-count")).toHaveText("3 selected");
  await page.getByTestId("bulk-status").selectOption("approved");
  await expect(page.getByTestId("bulk-message")).toHaveText("Set the status of 3 items");
  for (const name of order.slice(0, 3)) {
    const r = await api(page.request, "GET", `/api/v1/assets/${ids.get(name)}/review`);
    expect(r.body.status).toBe("approved");
  }
  const untouched = await api(page.request, "GET", `/api/v1/assets/${ids.get(order[3])}/review`);
  expect(untouched.body.status).toBe("needs_review");

  // Ctrl-click two more and move them into a new folder.
  await page.getByTestId("new-folder-name").fill("Selects");
  await page.getByTestId("new-folder").click();
  await expect(page.locator("[data-test-id=folder-link][data-name=Selects]")).toBeVisible();
  await page.goto(projectPath);
  await hydrated(page);
  await (await card(page, "shot-01.jpg")).click();
  await (await card(page, "shot-02.jpg")).click({ modifiers: ["ControlOrMeta"] });
  await expect(page.getByTestId("selected-count")).toHaveText("2 selected");
  const folderValue = await page.getByTestId("bulk-move").locator("option", { hasText: "Selects" }).getAttribute("value");
  await page.getByTestId("bulk-move").selectOption(folderValue!);
  await expect(page.getByTestId("bulk-message")).toHaveText("Moved 2 items");
  await page.locator("[data-test-id=folder-link][data-name=Selects]").click();
  await expect(page.getByTestId("asset-card")).toHaveCount(2);

  // Delete them; they are in the Trash and come back from it.
  await (await card(page, "shot-01.jpg")).click();
  await (await card(page, "shot-02.jpg")).click({ modifiers: ["ControlOrMeta"] });
  await page.getByTestId("bulk-delete").click();
  await expect(page.getByTestId("asset-card")).toHaveCount(0);
  await page.getByTestId("trash-link").click();
  await expect(page.getByTestId("view-title")).toContainText("Trash");
  await expect(page.getByTestId("asset-card")).toHaveCount(2);
  await (await card(page, "shot-02.jpg")).click();
  await page.getByTestId("bulk-restore").click();
  await expect(page.getByTestId("asset-card")).toHaveCount(1);
  const restored = await api(page.request, "GET", `/api/v1/assets/${ids.get("shot-02.jpg")}`);
  expect(restored.status).toBe(200);
  const gone = await api(page.request, "GET", `/api/v1/assets/${ids.get("shot-01.jpg")}`);
  expect(gone.status).toBe(404);
});

test("search finds a word from a comment and a misspelled camera model, highlighted", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-search-"));
  const [plain, nikon] = photos(dir, 2);
  execFileSync("exiftool", ["-q", "-overwrite_original", "-Make=NIKON CORPORATION", "-Model=NIKON D850", nikon]);
  await signUp(page, "Sam Searcher", email("sam"));
  const projectPath = await createProject(page, "Search");
  const ids = await uploadAndWait(page, projectPath, [plain, nikon]);
  const c = await api(page.request, "POST", `/api/v1/assets/${ids.get("shot-00.jpg")}/comments`, { body: "Lose the flamingo on the left" });
  expect(c.status).toBe(201);

  await page.goto(projectPath);
  await hydrated(page);
  await page.getByTestId("search").fill("flamingo");
  await page.getByTestId("search").press("Enter");
  await expect(page.getByTestId("view-title")).toContainText("flamingo");
  await expect(page.getByTestId("asset-card")).toHaveCount(1);
  const match = (await card(page, "shot-00.jpg")).getByTestId("search-match");
  await expect(match).toHaveAttribute("data-field", "comment");
  await expect(match.locator("mark")).toHaveText("flamingo");

  // The box follows the URL: under load the first search's late render can put its words
  // back over what was just typed, so type until the second search is the one shown.
  await expect(async () => {
    await page.getByTestId("search").fill("nikn d850");
    await page.getByTestId("search").press("Enter");
    await expect(page.getByTestId("view-title")).toContainText("nikn d850", { timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("asset-card")).toHaveCount(1);
  await expect(await card(page, "shot-01.jpg")).toBeVisible();

  // Details edited in the side panel are searchable.
  await page.goto(projectPath);
  await hydrated(page);
  await (await card(page, "shot-01.jpg")).click();
  await page.getByTestId("fields-editor").locator("summary").click();
  await page.getByTestId("field-title").fill("Harbour at dawn");
  await page.getByTestId("field-tags").fill("Sunrise, harbour");
  await page.getByTestId("save-fields").click();
  await expect(page.getByTestId("fields-status")).toHaveText("Saved");
  const edited = (await api(page.request, "GET", `/api/v1/assets/${ids.get("shot-01.jpg")}`)).body;
  expect(edited.fields.tags).toEqual(["sunrise", "harbour"]);
  expect(edited.fields.info.title).toBe("Harbour at dawn");
  await page.getByTestId("search").fill("sunris");
  await page.getByTestId("search").press("Enter");
  await expect(page.getByTestId("view-title")).toContainText("sunris");
  await expect(page.getByTestId("asset-card")).toHaveCount(1);
  await expect(await card(page, "shot-01.jpg")).toBeVisible();

  // A search saved as a smart collection.
  await page.getByTestId("search").fill("flamingo");
  await page.getByTestId("search").press("Enter");
  await expect(page.getByTestId("view-title")).toContainText("flamingo");
  await hydrated(page);
  await page.getByTestId("new-collection").click();
  await page.getByTestId("collection-name").fill("Flamingo notes");
  await page.getByTestId("save-collection").click();
  const link = page.locator("[data-test-id=collection-link][data-name='Flamingo notes']");
  await expect(link).toHaveClass(/active/);
  await expect(link.getByTestId("collection-count")).toHaveText("1");
});

test("a manual collection keeps the order its cards are dragged into", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-manual-"));
  const files = photos(dir, 3);
  await signUp(page, "Max Manual", email("max"));
  const projectPath = await createProject(page, "Manual");
  await uploadAndWait(page, projectPath, files);
  await page.goto(projectPath);
  await hydrated(page);
  await page.getByTestId("new-collection").click();
  await page.getByTestId("collection-name").fill("Selects");
  await page.getByTestId("kind-manual").check();
  await page.getByTestId("save-collection").click();
  const link = page.locator("[data-test-id=collection-link][data-name='Selects']");
  await expect(link).toHaveClass(/active/);
  const collection = new URL(page.url()).searchParams.get("collection")!;

  // Add the three in the library's order (newest first), then open the collection.
  await page.goto(projectPath);
  await hydrated(page);
  await (await card(page, "shot-00.jpg")).click();
  await page.getByTestId("select-all").click();
  await expect(page.getByTestId("selected-count")).toHaveText("3 selected");
  await page.getByTestId("bulk-collect").selectOption({ label: "Selects" });
  await expect(page.getByTestId("bulk-message")).toHaveText("Added to Selects (3 items)");
  await link.click();
  await hydrated(page);
  const names = () => page.getByTestId("asset-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-name")));
  // The collection keeps the order they were added in (the library's).
  await expect.poll(async () => (await names()).length).toBe(3);
  const [a, b, c] = (await names()) as string[];

  // Drag the last card onto the first: it moves to the front, and stays there.
  await (await card(page, c)).dragTo(await card(page, a));
  await expect.poll(names).toEqual([c, a, b]);
  const listed = (await api(page.request, "GET", `/api/v1/collections/${collection}/assets`)).body;
  expect(listed.items.map((x: any) => x.name)).toEqual([c, a, b]);
  await page.reload();
  await hydrated(page);
  await expect.poll(names).toEqual([c, a, b]);
});
