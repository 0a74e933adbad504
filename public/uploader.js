// Dailies uploader: drag and drop of files and whole folders (structure kept), file and folder
// pickers, per-file and total progress with speed and time left, pause/resume/cancel,
// automatic retry with backoff, and resume after a page reload — on tus-js-client (vendored
// from npm into /vendor/tus.min.js by scripts/setup), speaking tus 1.0 to /api/v1/uploads.
//
// It attaches by event delegation to any element with `data-uploader` (the library), so it
// keeps working across client-side navigation, and renders its own panel outside the app's
// DOM. It tells the page about progress with `dailies:upload-activity` / `dailies:upload-complete`
// window events. All text is set with textContent (never HTML).
(function () {
  "use strict";
  if (window.__dailiesUploader) return;
  window.__dailiesUploader = true;

  var RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000];
  var CHUNK = 32 * 1024 * 1024;
  var MAX_PARALLEL = 3;
  var items = [];
  var queue = [];
  var running = 0;
  var folderCache = {};
  var panel = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function fmtBytes(b) {
    if (b < 1e3) return b + " B";
    if (b < 1e6) return (b / 1e3).toFixed(1) + " KB";
    if (b < 1e9) return (b / 1e6).toFixed(1) + " MB";
    return (b / 1e9).toFixed(2) + " GB";
  }

  function fmtTime(s) {
    if (!isFinite(s) || s < 0) return "";
    s = Math.round(s);
    if (s < 60) return s + " s left";
    var m = Math.floor(s / 60);
    if (m < 60) return m + " min " + (s % 60) + " s left";
    return Math.floor(m / 60) + " h " + (m % 60) + " min left";
  }

  function emit(name, detail) {
    window.dispatchEvent(new CustomEvent(name, { detail: detail || {} }));
  }

  // ---- the panel ---------------------------------------------------------------------------

  function ensurePanel() {
    if (panel && document.body.contains(panel.root)) return panel;
    var root = el("section", "upload-panel");
    root.setAttribute("data-test-id", "upload-panel");
    root.setAttribute("aria-label", "Uploads");
    var head = el("div", "upload-head");
    var title = el("strong", null, "Uploads");
    var summary = el("span", "upload-summary muted");
    summary.setAttribute("data-test-id", "upload-summary");
    var actions = el("span", "upload-actions");
    var pauseAll = el("button", "small ghost", "Pause all");
    pauseAll.type = "button";
    pauseAll.onclick = function () { items.forEach(function (it) { pause(it); }); };
    var resumeAll = el("button", "small ghost", "Resume all");
    resumeAll.type = "button";
    resumeAll.onclick = function () { items.forEach(function (it) { resume(it); }); };
    var clear = el("button", "small ghost", "Clear finished");
    clear.type = "button";
    clear.onclick = function () {
      items = items.filter(function (it) {
        if (it.state === "done" || it.state === "cancelled") { it.row.remove(); return false; }
        return true;
      });
      render();
    };
    var hide = el("button", "small ghost", "×");
    hide.type = "button";
    hide.setAttribute("aria-label", "Hide uploads");
    hide.onclick = function () { root.classList.toggle("collapsed"); };
    actions.append(pauseAll, resumeAll, clear, hide);
    head.append(title, summary, actions);
    var total = el("div", "bar total");
    total.setAttribute("role", "progressbar");
    total.setAttribute("data-test-id", "upload-total");
    var totalFill = el("div");
    total.append(totalFill);
    var notice = el("p", "upload-notice muted");
    notice.hidden = true;
    var list = el("ul", "upload-list");
    root.append(head, total, notice, list);
    document.body.append(root);
    panel = { root: root, summary: summary, totalFill: totalFill, total: total, list: list, notice: notice };
    return panel;
  }

  function addRow(it) {
    var p = ensurePanel();
    var row = el("li", "upload-item");
    row.setAttribute("data-test-id", "upload-item");
    var name = el("span", "upload-name", it.path);
    var status = el("span", "upload-status muted", "waiting");
    status.setAttribute("data-test-id", "upload-status");
    var bar = el("div", "bar");
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    var fill = el("div");
    bar.append(fill);
    var btns = el("span", "upload-buttons");
    var pauseBtn = el("button", "small ghost", "Pause");
    pauseBtn.type = "button";
    pauseBtn.onclick = function () { it.state === "paused" ? resume(it) : pause(it); };
    var cancelBtn = el("button", "small ghost", "Cancel");
    cancelBtn.type = "button";
    cancelBtn.onclick = function () { cancel(it); };
    btns.append(pauseBtn, cancelBtn);
    row.append(name, btns, bar, status);
    p.list.append(row);
    it.row = row;
    it.ui = { status: status, fill: fill, bar: bar, pauseBtn: pauseBtn, cancelBtn: cancelBtn };
  }

  function renderItem(it) {
    var pct = it.size ? Math.floor((it.sent / it.size) * 100) : (it.state === "done" ? 100 : 0);
    it.ui.fill.style.width = pct + "%";
    it.ui.bar.setAttribute("aria-valuenow", String(pct));
    it.row.setAttribute("data-state", it.state);
    var text;
    switch (it.state) {
      case "uploading":
        text = pct + "% · " + fmtBytes(it.sent) + " of " + fmtBytes(it.size) +
          (it.speed > 0 ? " · " + fmtBytes(it.speed) + "/s · " + fmtTime((it.size - it.sent) / it.speed) : "");
        break;
      case "retrying": text = "connection lost, retrying…"; break;
      case "paused": text = "paused at " + pct + "%"; break;
      case "done": text = "uploaded — processing"; break;
      case "cancelled": text = "cancelled"; break;
      case "failed": text = "failed: " + it.error; break;
      default: text = "waiting";
    }
    it.ui.status.textContent = text;
    it.ui.pauseBtn.textContent = it.state === "paused" ? "Resume" : "Pause";
    var finished = it.state === "done" || it.state === "cancelled";
    it.ui.pauseBtn.disabled = finished || it.state === "failed";
    it.ui.cancelBtn.disabled = finished;
  }

  function render() {
    var p = ensurePanel();
    var size = 0, sent = 0, speed = 0, active = 0, done = 0, failed = 0;
    items.forEach(function (it) {
      if (it.state === "cancelled") return;
      size += it.size; sent += it.sent;
      if (it.state === "uploading") { speed += it.speed; active++; }
      if (it.state === "done") done++;
      if (it.state === "failed") failed++;
      renderItem(it);
    });
    var pct = size ? Math.floor((sent / size) * 100) : 100;
    p.totalFill.style.width = pct + "%";
    p.total.setAttribute("aria-valuenow", String(pct));
    var n = items.filter(function (it) { return it.state !== "cancelled"; }).length;
    p.summary.textContent = done + " of " + n + " uploaded" +
      (active ? " · " + pct + "% · " + fmtBytes(speed) + "/s · " + fmtTime((size - sent) / speed) : "") +
      (failed ? " · " + failed + " failed" : "");
  }

  // ---- folders ----------------------------------------------------------------------------

  function folderFor(project, parent, dir) {
    if (!dir) return Promise.resolve(parent || null);
    var key = project + "|" + (parent || "") + "|" + dir;
    if (!folderCache[key]) {
      folderCache[key] = fetch("/api/v1/projects/" + project + "/folders", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: dir, parent_id: parent || null }),
      }).then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error((body.error && body.error.message) || ("HTTP " + r.status));
          return body.id;
        });
      }).catch(function (e) { delete folderCache[key]; throw e; });
    }
    return folderCache[key];
  }

  // ---- uploads ----------------------------------------------------------------------------

  // `asset`: upload the first entry as a new version of that asset.
  function enqueue(project, folder, entries, asset) {
    entries.forEach(function (entry, i) {
      var it = {
        file: entry.file, path: entry.path, project: project, folder: folder, asset: i === 0 ? asset || null : null,
        size: entry.file.size, sent: 0, speed: 0, state: "waiting", upload: null,
        lastBytes: 0, lastTime: 0, error: "",
      };
      items.push(it);
      addRow(it);
      queue.push(it);
    });
    ensurePanel().root.classList.remove("collapsed");
    render();
    pump();
  }

  function pump() {
    while (running < MAX_PARALLEL && queue.length) {
      var it = queue.shift();
      if (it.state !== "waiting") continue;
      running++;
      start(it);
    }
  }

  function finish(it) {
    running = Math.max(0, running - 1);
    pump();
  }

  function start(it) {
    var slash = it.path.lastIndexOf("/");
    var dir = slash > 0 ? it.path.slice(0, slash) : "";
    it.state = "uploading";
    render();
    folderFor(it.project, it.folder, dir).then(function (folderId) {
      if (it.state === "cancelled") return;
      var metadata = { filename: it.file.name, filetype: it.file.type || "", project_id: it.project };
      if (folderId) metadata.folder_id = folderId;
      if (it.asset) metadata.asset_id = it.asset;
      var upload = new tus.Upload(it.file, {
        endpoint: "/api/v1/uploads",
        chunkSize: CHUNK,
        retryDelays: RETRY_DELAYS,
        metadata: metadata,
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onShouldRetry: function (err, retryAttempt, options) {
          var status = err.originalResponse ? err.originalResponse.getStatus() : 0;
          it.state = "retrying";
          render();
          return status === 0 || status === 409 || status === 423 || status >= 500;
        },
        onProgress: function (bytes, total) {
          var now = performance.now();
          if (it.lastTime) {
            var dt = (now - it.lastTime) / 1000;
            if (dt > 0.25) {
              var inst = (bytes - it.lastBytes) / dt;
              it.speed = it.speed ? it.speed * 0.7 + inst * 0.3 : inst;
              it.lastBytes = bytes; it.lastTime = now;
            }
          } else { it.lastBytes = bytes; it.lastTime = now; }
          it.sent = bytes;
          if (it.state === "retrying") it.state = "uploading";
          render();
          emit("dailies:upload-activity");
        },
        onSuccess: function () {
          it.state = "done"; it.sent = it.size; it.speed = 0;
          render();
          emit("dailies:upload-complete", { name: it.path });
          finish(it);
        },
        onError: function (err) {
          if (it.state === "cancelled" || it.state === "paused") return;
          it.state = "failed";
          var body = err.originalResponse ? err.originalResponse.getBody() : "";
          try { it.error = JSON.parse(body).error.message; } catch (e) { it.error = err.message || String(err); }
          render();
          finish(it);
        },
      });
      it.upload = upload;
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
        if (it.state === "uploading") upload.start();
        emit("dailies:upload-activity");
      });
    }).catch(function (e) {
      it.state = "failed"; it.error = e.message; render(); finish(it);
    });
  }

  function pause(it) {
    if (it.state !== "uploading" && it.state !== "retrying") return;
    it.state = "paused"; it.speed = 0;
    if (it.upload) it.upload.abort(false);
    render();
    finish(it);
  }

  function resume(it) {
    if (it.state !== "paused" && it.state !== "failed") return;
    if (it.upload) {
      it.state = "uploading"; running++;
      it.upload.start();
    } else {
      it.state = "waiting"; queue.push(it); pump();
    }
    render();
  }

  function cancel(it) {
    var wasRunning = it.state === "uploading" || it.state === "retrying";
    it.state = "cancelled"; it.speed = 0;
    // abort(true) also terminates the upload on the server (tus termination).
    if (it.upload) it.upload.abort(true).catch(function () {});
    render();
    if (wasRunning) finish(it);
  }

  // ---- reading drops and pickers ----------------------------------------------------------

  function readEntry(entry, prefix, out) {
    return new Promise(function (resolve) {
      if (entry.isFile) {
        entry.file(function (file) { out.push({ file: file, path: prefix + file.name }); resolve(); }, function () { resolve(); });
      } else if (entry.isDirectory) {
        var reader = entry.createReader();
        var all = [];
        (function more() {
          reader.readEntries(function (batch) {
            if (!batch.length) {
              Promise.all(all.map(function (e) { return readEntry(e, prefix + entry.name + "/", out); })).then(resolve);
            } else { all = all.concat(Array.prototype.slice.call(batch)); more(); }
          }, function () { resolve(); });
        })();
      } else resolve();
    });
  }

  function entriesFromDrop(dt) {
    var out = [];
    var roots = [];
    if (dt.items && dt.items.length && dt.items[0].webkitGetAsEntry) {
      for (var i = 0; i < dt.items.length; i++) {
        var e = dt.items[i].webkitGetAsEntry();
        if (e) roots.push(e);
      }
      return Promise.all(roots.map(function (e) { return readEntry(e, "", out); })).then(function () { return out; });
    }
    Array.prototype.forEach.call(dt.files || [], function (f) { out.push({ file: f, path: f.name }); });
    return Promise.resolve(out);
  }

  function entriesFromInput(input) {
    return Array.prototype.map.call(input.files || [], function (f) {
      return { file: f, path: f.webkitRelativePath || f.name };
    });
  }

  function zoneOf(node) {
    return node && node.closest ? node.closest("[data-uploader]") : null;
  }

  function isHidden(path) {
    return path.split("/").some(function (p) { return p.charAt(0) === "." || p === "Thumbs.db"; });
  }

  document.addEventListener("change", function (ev) {
    var input = ev.target;
    if (!input.matches || !input.matches("[data-upload-files],[data-upload-folder]")) return;
    var zone = zoneOf(input);
    if (!zone) return;
    var entries = entriesFromInput(input).filter(function (e) { return !isHidden(e.path); });
    var asset = input.getAttribute("data-asset");
    if (asset) entries = entries.slice(0, 1);
    if (entries.length) enqueue(zone.getAttribute("data-project"), zone.getAttribute("data-folder") || null, entries, asset);
    input.value = "";
  });

  // Only drags of files are uploads (a card dragged to reorder a collection is not).
  function carriesFiles(ev) {
    return !!ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types || [], "Files") >= 0;
  }
  document.addEventListener("dragover", function (ev) {
    var zone = zoneOf(ev.target);
    if (!zone || !carriesFiles(ev)) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragging");
  });
  document.addEventListener("dragleave", function (ev) {
    var zone = zoneOf(ev.target);
    if (zone && !zone.contains(ev.relatedTarget)) zone.classList.remove("dragging");
  });
  document.addEventListener("drop", function (ev) {
    var zone = zoneOf(ev.target);
    if (!zone || !carriesFiles(ev)) return;
    ev.preventDefault();
    zone.classList.remove("dragging");
    // Dropped onto an asset's card: the (first) file stacks onto it as a new version.
    var onto = ev.target.closest ? ev.target.closest("[data-asset]") : null;
    var asset = onto && zone.contains(onto) ? onto.getAttribute("data-asset") : null;
    entriesFromDrop(ev.dataTransfer).then(function (entries) {
      entries = entries.filter(function (e) { return !isHidden(e.path); });
      if (entries.length) enqueue(zone.getAttribute("data-project"), zone.getAttribute("data-folder") || null, entries, asset);
    });
  });

  // After a reload: tell people which uploads can be resumed (dropping the same file again
  // continues from the last stored byte).
  function announceUnfinished() {
    if (typeof tus === "undefined" || !tus.defaultOptions || !tus.defaultOptions.urlStorage) return;
    tus.defaultOptions.urlStorage.findAllUploads().then(function (all) {
      if (!all.length || !document.querySelector("[data-uploader]")) return;
      var p = ensurePanel();
      var names = all.map(function (u) { return (u.metadata && u.metadata.filename) || "a file"; });
      p.notice.hidden = false;
      p.notice.setAttribute("data-test-id", "upload-resumable");
      p.notice.textContent = all.length + " unfinished upload" + (all.length > 1 ? "s" : "") + " (" +
        names.slice(0, 3).join(", ") + (names.length > 3 ? ", …" : "") +
        "): add the same file" + (all.length > 1 ? "s" : "") + " again to resume where " + (all.length > 1 ? "they" : "it") + " stopped.";
      render();
    }).catch(function () {});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", announceUnfinished);
  else announceUnfinished();

  window.addEventListener("beforeunload", function (ev) {
    if (items.some(function (it) { return it.state === "uploading" || it.state === "retrying"; })) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });
})();
