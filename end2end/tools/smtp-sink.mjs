// A minimal SMTP server for the end-to-end tests: accepts every message and appends it, as
// one JSON line {to, subject, body}, to the file named by its second argument. Bodies are
// decoded from quoted-printable or base64. No mail server ships on these machines.
import * as fs from "fs";
import * as net from "net";

const [port, out] = [Number(process.argv[2]), process.argv[3]];

function decode(headers, body) {
  const enc = (headers["content-transfer-encoding"] ?? "").toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (enc === "quoted-printable") {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

function parse(data) {
  const split = data.indexOf("\r\n\r\n");
  const head = data.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers = {};
  for (const line of head.split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { subject: headers.subject ?? "", body: decode(headers, data.slice(split + 4)) };
}

net.createServer((socket) => {
  let buffer = "";
  let inData = false;
  let to = [];
  let data = [];
  socket.write("220 sink ESMTP\r\n");
  socket.on("data", (chunk) => {
    buffer += chunk.toString("latin1");
    let i;
    while ((i = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (inData) {
        if (line === ".") {
          inData = false;
          fs.appendFileSync(out, JSON.stringify({ to, ...parse(data.join("\r\n")) }) + "\n");
          to = [];
          data = [];
          socket.write("250 queued\r\n");
        } else {
          data.push(line.startsWith("..") ? line.slice(1) : line);
        }
        continue;
      }
      const upper = line.toUpperCase();
      if (upper.startsWith("EHLO") || upper.startsWith("HELO")) socket.write("250-sink\r\n250 8BITMIME\r\n");
      else if (upper.startsWith("RCPT TO:")) {
        to.push(line.slice(8).trim().replace(/^<|>$/g, "").toLowerCase());
        socket.write("250 ok\r\n");
      } else if (upper.startsWith("DATA")) {
        inData = true;
        socket.write("354 go on\r\n");
      } else if (upper.startsWith("QUIT")) {
        socket.end("221 bye\r\n");
      } else socket.write("250 ok\r\n");
    }
  });
  socket.on("error", () => {});
}).listen(port, "127.0.0.1");
