// A stock tus client (tus-js-client, unmodified, in Node) uploading files to Dailies.
// Usage: node tus-upload.mjs BASE_URL TOKEN PROJECT_ID FILE...   (one JSON line per file)
import { createRequire } from "module";
import * as fs from "fs";
import * as path from "path";

const require = createRequire(import.meta.url);
const tus = require("tus-js-client");
const [base, token, project, ...files] = process.argv.slice(2);

function upload(file) {
  return new Promise((resolve) => {
    const data = fs.readFileSync(file);
    const u = new tus.Upload(data, {
      endpoint: `${base}/api/v1/uploads`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: { filename: path.basename(file), project_id: project },
      chunkSize: 1024 * 1024,
      retryDelays: [0, 500, 1000],
      onSuccess: () => resolve({ file, ok: true, url: u.url }),
      onError: (e) => resolve({ file, ok: false, error: String(e.message || e).slice(0, 300) }),
    });
    u.start();
  });
}

const queue = [...files];
async function worker() {
  while (queue.length) {
    const file = queue.shift();
    process.stdout.write(JSON.stringify(await upload(file)) + "\n");
  }
}
await Promise.all([worker(), worker(), worker(), worker()]);
