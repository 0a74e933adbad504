import { expect, Page } from "@playwright/test";

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
