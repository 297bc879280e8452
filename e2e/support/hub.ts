/**
 * The real hub for the e2e test: the built `statusmonitor serve` as a child process serving a given
 * dashboard build, with Telegram pointed at a local recording server; restartable on the same port and data dir.
 */
import { buildServer, startServerProcess, stopServerProcess, type ServerProcess } from "../../packages/server/src/test-support/server-process.js";

export interface HubOptions {
  dataDir: string;
  webDir: string;
  telegramApiUrl: string;
  /** Extra settings, e.g. `{ ACCESS_TOKEN_TTL_S: "60" }`. */
  env?: Record<string, string>;
}

export class E2eHub {
  private process: ServerProcess | undefined;
  private port = 0;

  private constructor(private readonly options: HubOptions) {}

  /** Compiles the server (a no-op when dist is current) and starts it on a free port. */
  static async start(options: HubOptions): Promise<E2eHub> {
    buildServer();
    const hub = new E2eHub(options);
    await hub.startProcess();
    return hub;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Everything the current process printed (for failure messages). */
  output(): string {
    return this.process?.output() ?? "";
  }

  /** SIGTERM (a graceful stop, as an operator would do) and wait until the process is gone. */
  async stop(): Promise<void> {
    if (this.process) await stopServerProcess(this.process, "SIGTERM");
    this.process = undefined;
  }

  /** Starts it again after `stop()`, on the same port and data directory, so open dashboards and agents find it where it was. */
  async resume(): Promise<void> {
    if (this.process) throw new Error("the hub is running: stop it first");
    await this.startProcess();
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  private async startProcess(): Promise<void> {
    const { dataDir, webDir, telegramApiUrl, env } = this.options;
    this.process = await startServerProcess(
      dataDir,
      { WEB_DIR: webDir, TELEGRAM_BOT_TOKEN: "123456789:AAE2eTestBotTokenForTheRecordingServer", TELEGRAM_API_URL: telegramApiUrl, ...env },
      { port: this.port },
    );
    this.port = Number(new URL(this.process.url).port);
  }
}
