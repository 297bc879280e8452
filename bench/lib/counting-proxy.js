/** A loopback TCP proxy that counts the bytes each way: what a client puts on the wire, headers and all (TCP/IP framing aside); it can go away and come back on the same port to simulate an outage. */
import net from "node:net";

/**
 * Listens on 127.0.0.1 (a free port, then always the same one) and forwards every connection to
 * `target` ({ host, port }). `counts` holds bytes up (client → target), down, and connections.
 */
export async function startCountingProxy(target) {
  const counts = { up: 0, down: 0, connections: 0 };
  const sockets = new Set();
  let server;
  let port = 0;

  const onConnection = (client) => {
    counts.connections++;
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      // Either side failing ends both; the client sees a reset like a real dropped connection.
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (chunk) => (counts.up += chunk.length));
    upstream.on("data", (chunk) => (counts.down += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = () =>
    new Promise((resolve, reject) => {
      server = net.createServer(onConnection);
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = server.address().port;
        resolve();
      });
    });

  /** Stops listening and drops every open connection: the client now gets "connection refused". */
  const down = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    counts,
    /** A copy of the counters, to subtract later. */
    snapshot: () => ({ ...counts }),
    down,
    /** Listens again on the same port. */
    up: listen,
    close: down,
  };
}
