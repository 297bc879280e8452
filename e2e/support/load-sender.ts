/**
 * A load generator in front of several ingest instances, as an agent behind a load balancer sees
 * them: batches of one-second-spaced samples sent round-robin, a failed request retried on the next
 * instance (its samples may or may not have been stored: only a 200 counts), every acknowledged
 * timestamp remembered so the test can look for each one in history.
 */
import type { BatchSample } from "@statusmonitor/protocol";

export class LoadSender {
  /** Timestamps the hub acknowledged (answered 200 for). */
  readonly acknowledged = new Set<number>();
  /** Requests that failed (connection refused or reset, 5xx) and were retried elsewhere. */
  failures = 0;
  cpu = 10;
  private nextTimestamp: number;
  private seq = 0;
  private turn = 0;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly ingestUrls: () => string[],
    private readonly agentToken: string,
    private readonly options: { firstTimestamp: number; samplesPerRequest: number; pauseMs: number },
  ) {
    this.nextTimestamp = options.firstTimestamp;
  }

  /** Sends one batch now (retrying on other instances until one acknowledges it); returns its timestamps. */
  async sendOnce(): Promise<number[]> {
    const samples: BatchSample[] = [];
    for (let i = 0; i < this.options.samplesPerRequest; i += 1) {
      samples.push({ seq: this.seq++, timestamp: this.nextTimestamp, cpu: { usage_percent: this.cpu } });
      this.nextTimestamp += 1000;
    }
    const body = JSON.stringify({ agent: { hostname: "load-sender", os: "linux", arch: "x64", version: "e2e" }, samples });
    for (let attempt = 0; ; attempt += 1) {
      const urls = this.ingestUrls();
      const url = urls[this.turn++ % urls.length]!;
      const answer = await fetch(`${url}/api/v1/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-agent-token": this.agentToken },
        body,
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      if (answer?.status === 200) {
        await answer.arrayBuffer();
        for (const sample of samples) this.acknowledged.add(sample.timestamp);
        return samples.map((s) => s.timestamp);
      }
      if (answer && answer.status < 500) throw new Error(`ingest refused the batch: ${answer.status} ${await answer.text()}`);
      this.failures += 1;
      if (attempt > 200) throw new Error("no ingest instance acknowledged a batch after 200 attempts");
      // A short breath before the next instance, so a dead one is not hammered in a tight loop.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Sends batches back to back (with a short pause) until `stop()`. */
  start(): void {
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        await this.sendOnce();
        await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }
}
