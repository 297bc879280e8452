/** `statusmonitor admin create-user|reset-password`: account recovery without the HTTP API. */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { password as passwordSchema, username as usernameSchema } from "@statusmonitor/protocol";
import { hashPassword } from "../auth/passwords.js";
import type { Config } from "../config/config.js";
import { systemClock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { createEmbeddedAdapters } from "../presets/embedded.js";

export class UsageError extends Error {}

/** Reads the password from piped stdin, or asks for it without echo on a terminal. */
async function readPassword(prompt: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const tty = process.stdin.isTTY;
  if (tty) process.stdout.write(prompt);
  const rl = createInterface({ input: process.stdin, output: tty ? muted : undefined, terminal: tty });
  const line = await new Promise<string>((resolve) => {
    rl.once("line", resolve);
    rl.once("close", () => resolve(""));
  });
  rl.close();
  if (tty) process.stdout.write("\n");
  return line.replace(/\r$/, "");
}

export async function admin(
  args: { subcommand: string | undefined; username: string | undefined; makeAdmin: boolean },
  config: Config,
  logger: Logger,
): Promise<string> {
  if (args.subcommand !== "create-user" && args.subcommand !== "reset-password") {
    throw new UsageError("admin needs a subcommand: create-user <username> [--admin] | reset-password <username>");
  }
  const name = usernameSchema.safeParse(args.username);
  if (!name.success) throw new UsageError(`username ${name.error.issues[0]?.message ?? "is invalid"}`);
  const secret = passwordSchema.safeParse(await readPassword(`Password for ${name.data}: `));
  if (!secret.success) throw new UsageError(`password ${secret.error.issues[0]?.message ?? "is invalid"}`);

  const adapters = createEmbeddedAdapters({ dataDir: config.dataDir, synchronous: config.sqliteSynchronous, clock: systemClock, logger });
  try {
    const passwordHash = await hashPassword(secret.data);
    if (args.subcommand === "create-user") {
      const created = await adapters.users.create({
        username: name.data,
        passwordHash,
        createdAt: systemClock.now(),
        onlyIfFirst: false,
        role: args.makeAdmin ? "admin" : undefined,
      });
      if (created === "taken" || created === "closed") throw new UsageError(`user ${name.data} already exists`);
      return `created ${created.role} ${created.username} (id ${created.id})`;
    }
    const user = await adapters.users.findByUsername(name.data);
    if (!user || !(await adapters.users.setPassword(user.id, passwordHash))) throw new UsageError(`no user named ${name.data}`);
    return `password of ${user.username} changed`;
  } finally {
    for (const service of adapters.services) await service.stop?.();
  }
}
