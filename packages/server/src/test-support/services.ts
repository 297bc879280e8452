/**
 * Where the real services for `npm run test:services` are: taken from the environment (the runner,
 * scripts/test-services.sh, sets them), with the development machines' local defaults.
 */
export interface ServiceUrls {
  databaseUrl: string;
  redisUrl: string;
  /** Undefined when no broker was started: Kafka suites fail with a clear message instead of hanging. */
  kafkaBootstrapServers: string | undefined;
}

export function serviceUrls(env: Record<string, string | undefined> = process.env): ServiceUrls {
  return {
    databaseUrl: env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    redisUrl: env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
    kafkaBootstrapServers: env.TEST_KAFKA_BOOTSTRAP_SERVERS,
  };
}

/** A name no other test run (or parallel worker) uses: for schemas, key prefixes and topics. */
export function uniqueTestName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
