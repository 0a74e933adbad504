// The peer: a minimal socket.io server that broadcasts each posted comment to a room, the
// smallest program doing what the Dailies hub does for one room (no database, no auth).
//
//   node peer.mjs <port>
import { createServer } from "http";
import { Server } from "socket.io";

const port = Number(process.argv[2]);
const http = createServer();
const server = new Server(http, { transports: ["websocket"] });
server.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack();
  });
  socket.on("comment", (comment, ack) => {
    server.to("room").emit("comment", comment);
    ack();
  });
});
http.listen(port, "127.0.0.1", () => console.log(`listening=${port}`));
