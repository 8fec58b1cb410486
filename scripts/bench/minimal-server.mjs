// The minimal keep-alive server of the peer and memory benches, in its own process so that its
// CPU is not counted against the clients: every POST gets EIAM's success answer to asyncSend.
import { createServer } from "node:http";

const ANSWER = JSON.stringify({ noitce_id: "20220809161411767-9524-8618BA3BB" });
const HEADERS = { "content-type": "application/json", "content-length": String(Buffer.byteLength(ANSWER)) };
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, HEADERS);
    res.end(ANSWER);
  });
});
server.maxRequestsPerSocket = 0;
server.listen(0, "127.0.0.1", () => process.send({ type: "ready", port: server.address().port }));
process.on("message", (msg) => {
  if (msg === "stop") server.close(() => process.exit(0));
});
process.on("disconnect", () => process.exit(0));
