import { APIRequestContext, Browser, expect, Page, test } from "@playwright/test";
import { execFileSync } from "child_process";
import * as fs from "fs";

let counter = 0;

/** A unique e-mail for this run. */
export function email(name: string): string {
  counter += 1;
  return `${name}.${Date.now()}.${counter}@example.com`;
}

/** Waits until the WASM bundle has hydrated the page. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).__dailies_hydrated === true, undefined, { timeout: 20_000 });
}

/** Signs up through the form and lands on the project list. */
export async function signUp(page: Page, name: string, address: string): Promise<void> {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByTestId("name").fill(name);
  await page.getByTestId("email").fill(address);
  await page.getByTestId("password").fill("correct horse battery");
  await page.getByTestId("submit").click();
  await expect(page).toHaveURL(/\/projects$/);
}

/** Creates a project through the form and returns its URL path. */
export async function createProject(page: Page, name: string): Promise<string> {
  await page.goto("/projects/new");
  await hydrated(page);
  await page.getByTestId("project-name").fill(name);
  await page.getByTestId("create-project").click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("project-title")).toHaveText(name);
  return new URL(page.url()).pathname;
}

/** Runs ffmpeg quietly (test media are generated, not stored). */
export function ffmpeg(args: string[]): void {
  execFileSync("ffmpeg", ["-v", "error", "-y", ...args]);
}

export const origin = () => (test.info().project.use.baseURL ?? "").replace(/\/$/, "");

/** A JSON request with this site's Origin (as the app's own pages send). */
export async function api(request: APIRequestContext, method: string, url: string, data?: unknown) {
  const r = await request.fetch(url, { method, data, headers: { Origin: origin() } });
  return { status: r.status(), body: r.status() === 204 ? null : await r.json() };
}

/** Uploads files through the library's picker and waits until all are processed. */
export async function uploadAndWait(page: Page, projectPath: string, files: string[]): Promise<Map<string, string>> {
  await page.goto(projectPath);
  await hydrated(page);
  await page.locator("[data-upload-files]").setInputFiles(files);
  await expect(page.getByTestId("upload-summary")).toContainText(`${files.length} of ${files.length} uploaded`, { timeout: 60_000 });
  const project = projectPath.split("/").pop();
  const ids = new Map<string, string>();
  await expect
    .poll(async () => {
      const { body } = await api(page.request, "GET", `/api/v1/projects/${project}/assets`);
      for (const a of body.items) if (a.status === "ready") ids.set(a.name, a.id);
      return body.items.filter((a: any) => a.status === "ready").length;
    }, { timeout: 180_000, intervals: [1000] })
    .toBe(files.length);
  return ids;
}

/** A new person in a browser context of their own, added to the project with `role`. */
export async function member(browser: Browser, projectId: string, owner: Page, name: string, role: string) {
  const page = await (await browser.newContext()).newPage();
  const address = email(name.toLowerCase().replace(/[^a-z0-9]+/g, ""));
  await signUp(page, name, address);
  const r = await api(owner.request, "POST", `/api/v1/projects/${projectId}/members`, { email: address, role });
  expect(r.status).toBe(201);
  return page;
}

/** The page position a fraction `t` of the way from `a` to `b` (0..1 of `box`). */
export function along(box: { x: number; y: number; width: number; height: number }, a: [number, number], b: [number, number], t: number) {
  return { x: box.x + (a[0] + (b[0] - a[0]) * t) * box.width, y: box.y + (a[1] + (b[1] - a[1]) * t) * box.height };
}

/** The drawing canvas's pixel at a page position. */
export async function canvasPixel(page: Page, at: { x: number; y: number }): Promise<number[]> {
  return page.getByTestId("draw-canvas").evaluate((c: HTMLCanvasElement, p) => {
    const r = c.getBoundingClientRect();
    const x = Math.round(((p.x - r.left) / r.width) * c.width);
    const y = Math.round(((p.y - r.top) / r.height) * c.height);
    return Array.from(c.getContext("2d")!.getImageData(x, y, 1, 1).data);
  }, at);
}

/** The newest e-mail the local SMTP sink received for `address` whose subject matches. */
export async function mailTo(address: string, subject: RegExp): Promise<{ subject: string; body: string }> {
  const file = `${process.env.E2E_DATA}/mail.jsonl`;
  let found: { subject: string; body: string } | undefined;
  await expect
    .poll(() => {
      const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
      found = lines
        .map((l) => JSON.parse(l))
        .reverse()
        .find((m) => m.to.includes(address.toLowerCase()) && subject.test(m.subject));
      return found !== undefined;
    }, { timeout: 30_000, message: `an e-mail to ${address} matching ${subject}` })
    .toBe(true);
  return found!;
}
