/** The part of Node's `os` module the portable collectors use, so tests can stand in for another platform. */
import type os from "node:os";

export type OsApi = Pick<typeof os, "cpus" | "loadavg" | "totalmem" | "freemem" | "uptime" | "release" | "version" | "type" | "homedir">;
