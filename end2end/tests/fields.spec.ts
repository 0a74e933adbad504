// Custom fields in a real browser: define them, set them in the side panel and in bulk, show
// them as list-view columns (remembered), filter a smart collection by one, group the grid.
import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { api, createProject, email, ffmpeg, hydrated, signUp, uploadAndWait } from "./helpers";

test("custom fields: define, edit, bulk-set, list columns, smart collection, grouping", async ({ page }) => {
  test.setTimeout(150_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-fields-"));
  const files: string[] = [];
  for (let i = 0; i < 3; i++) {
    const file = path.join(dir, `still-${i}.jpg`);
    ffmpeg(["-f", "lavfi", "-i", `testsrc2=s=320x240:d=1,hue=h=${i * 60}`, "-frames:v", "1", "-q:v", "4", file]);
    files.push(file);
  }
  await signUp(page, "Fern Fields", email("fern"));
  const projectPath = await createProject(page, "Fields");
  const ids = await uploadAndWait(page, projectPath, files);
  await page.goto(projectPath);
  await hydrated(page);

  // Define a single-select and a number field.
  await page.getByTestId("new-field").click();
  await page.getByTestId("field-label").fill("Shoot day");
  await page.getByTestId("field-kind").selectOption("single_select");
  await page.getByTestId("field-options").fill("Day 1, Day 2");
  await page.getByTestId("save-field").click();
  await expect(page.locator("[data-test-id=custom-field][data-key=shoot_day]")).toBeVisible();
  await page.getByTestId("new-field").click();
  await page.getByTestId("field-label").fill("Budget");
  await page.getByTestId("field-kind").selectOption("number");
  await page.getByTestId("save-field").click();
  await expect(page.locator("[data-test-id=custom-field][data-key=budget]")).toBeVisible();
  // A bad definition shows why.
  await page.getByTestId("new-field").click();
  await page.getByTestId("field-label").fill("Budget");
  await page.getByTestId("save-field").click();
  await expect(page.getByTestId("field-error")).toContainText("already has a field `budget`");

  // The side panel edits them.
  const first = ids.get("still-0.jpg")!;
  await page.locator("[data-test-id=asset-card][data-name='still-0.jpg']").click();
  const panel = page.getByTestId("asset-details");
  await panel.locator("summary", { hasText: "Edit details" }).click();
  await panel.getByTestId("custom-shoot_day").selectOption("Day 2");
  await panel.getByTestId("custom-budget").fill("2500");
  await panel.getByTestId("save-fields").click();
  await expect(panel.getByTestId("fields-status")).toHaveText("Saved");
  let one = (await api(page.request, "GET", `/api/v1/assets/${first}`)).body;
  expect(one.fields.custom).toEqual({ budget: 2500, shoot_day: "Day 2" });

  // Bulk: all three get a budget.
  await page.getByTestId("select-all").click();
  await expect(page.getByTestId("selected-count")).toHaveText("3 selected");
  const bulk = page.getByTestId("bulk-field");
  await bulk.getByTestId("bulk-field-name").selectOption("custom.budget");
  await bulk.getByTestId("custom-budget").fill("800");
  await bulk.getByTestId("bulk-field-apply").click();
  await expect(page.getByTestId("bulk-message")).toHaveText("Updated 3 items");
  for (const id of ids.values()) {
    one = (await api(page.request, "GET", `/api/v1/assets/${id}`)).body;
    expect(one.fields.custom.budget).toBe(800);
  }

  // List view: choose the shoot-day column; it is remembered across a reload.
  await page.getByTestId("view-list").click();
  await expect(page.getByTestId("list-header")).toBeVisible();
  await page.getByTestId("columns-button").click();
  await page.getByTestId("column-custom.shoot_day").check();
  const dayCell = page.locator("[data-test-id=asset-card][data-name='still-0.jpg'] [data-col='custom.shoot_day']");
  await expect(dayCell).toHaveText("Day 2");
  await page.reload();
  await hydrated(page);
  await expect(dayCell).toHaveText("Day 2");
  await expect(page.locator("[data-test-id=asset-card][data-name='still-1.jpg'] [data-col='custom.budget']")).toHaveCount(0);

  // A smart collection on the custom field.
  await page.getByTestId("new-collection").click();
  await page.getByTestId("collection-name").fill("Day 2");
  await page.getByTestId("rule-custom").selectOption("shoot_day");
  await page.getByTestId("rule-custom-value").fill("Day 2");
  await page.getByTestId("save-collection").click();
  const link = page.locator("[data-test-id=collection-link][data-name='Day 2']");
  await expect(link.getByTestId("collection-count")).toHaveText("1");
  await expect(page.getByTestId("asset-card")).toHaveCount(1);

  // Group by rating: a heading starts each group.
  expect((await api(page.request, "PUT", `/api/v1/assets/${first}/rating`, { rating: 5 })).status).toBe(200);
  await page.goto(`${projectPath}?view=list`);
  await hydrated(page);
  await page.getByTestId("group-by").selectOption("rating");
  await expect(page).toHaveURL(/group=rating/);
  await expect(page.getByTestId("group-label")).toHaveText(["★★★★★", "No rating"]);
  const order = await page.getByTestId("asset-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-name")));
  expect(order[0]).toBe("still-0.jpg");

  // A field defined elsewhere appears without a reload.
  const project = projectPath.split("/").pop()!;
  const made = await api(page.request, "POST", `/api/v1/projects/${project}/fields`, { label: "Reel no", kind: "text" });
  expect(made.status).toBe(201);
  await expect(page.locator("[data-test-id=custom-field][data-key=reel_no]")).toBeVisible({ timeout: 5_000 });
});
