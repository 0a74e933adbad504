// Playwright against the real `dailies serve` (debug build unless E2E_BIN says otherwise),
// on Debian's chromium, with a fresh data directory (embedded PostgreSQL) per run.
import { defineConfig } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const repo = path.resolve(__dirname, "..");
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const smtpPort = port + 1;

// Playwright loads this file in every worker; only the main process starts the server.
if (!process.env.E2E_DATA) {
  process.env.E2E_DATA = fs.mkdtempSync(path.join(os.tmpdir(), "dailies-e2e-"));
  // The embedded cluster runs as the unprivileged postgres user when the tests run as root.
  fs.chmodSync(process.env.E2E_DATA, 0o755);
}

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    testIdAttribute: "data-test-id",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [{
    // E-mail goes to a local SMTP sink; tests read what it received (see helpers.mailTo).
    command: `node ${path.join(__dirname, "tools/smtp-sink.mjs")} ${smtpPort} ${path.join(process.env.E2E_DATA!, "mail.jsonl")}`,
    port: smtpPort,
    timeout: 10_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  }, {
    command: `${process.env.E2E_BIN ?? path.join(repo, "target/debug/dailies")} serve`,
    cwd: repo,
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DAILIES_DATA: process.env.E2E_DATA,
      DAILIES_ADDR: `127.0.0.1:${port}`,
      DAILIES_WORKERS: "1",
      DAILIES_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      // The webhook test's receiver is on loopback, which servers refuse by default.
      DAILIES_WEBHOOK_HOSTS: "external,127.0.0.1",
      RUST_LOG: "warn",
    },
  }],
});
