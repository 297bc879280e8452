/**
 * The deployment files in deploy/ checked without a Docker engine: the compose files parsed (with
 * Compose's `!reset`/`!override` tags and variable substitution), each hub container's environment
 * fed to the real config loader, the production override merged, the Caddyfile's routes resolved
 * and the Dockerfile's entry point traced to what `npm run build` produces.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from "yaml";
import { loadConfig, ROLE_NAMES, SETTING_NAMES, type Config, type RoleName } from "../packages/server/src/config/config.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const read = (relative: string) => readFileSync(path.join(ROOT, relative), "utf8");

// --- Compose files -----------------------------------------------------------------------------

/** `!reset`: the value of the earlier files is dropped. */
class Reset {}
/** `!override`: the value of the earlier files is replaced by this one instead of merged with it. */
class Override {
  constructor(readonly value: unknown) {}
}

const COMPOSE_TAGS: (CollectionTag | ScalarTag)[] = [
  { tag: "!reset", collection: "seq", resolve: () => new Reset() },
  { tag: "!reset", collection: "map", resolve: () => new Reset() },
  { tag: "!reset", resolve: () => new Reset() },
  { tag: "!override", collection: "seq", resolve: (seq) => new Override((seq as YAMLSeq).toJSON()) },
  { tag: "!override", collection: "map", resolve: (map) => new Override((map as YAMLMap).toJSON()) },
];

type Port = string | { target: number; published?: string | number };
type Volume = string | { type?: string; source?: string; target: string };

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  ports?: Port[] | Reset | Override;
  environment?: Record<string, string | number | boolean | null> | string[];
  command?: string | string[];
  volumes?: Volume[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  stop_grace_period?: string;
  deploy?: { replicas?: number };
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const COMPOSE_FILES = ["deploy/docker-compose.yml", "deploy/docker-compose.distributed.yml", "deploy/docker-compose.prod.yml"];
const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Compose's substitution: `$VAR`, `${VAR}`, `${VAR-default}`, `${VAR:-default}`, `${VAR:?error}` and `$$` for a `$`. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(VARIABLE, (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (match === "$$") return "$";
    const name = braced ?? bare!;
    const value = vars[name];
    const isSet = op?.startsWith(":") ? value !== undefined && value !== "" : value !== undefined;
    if (isSet) return value!;
    if (op?.endsWith("?")) throw new Error(`required variable ${name} is not set: ${arg}`);
    return op?.endsWith("-") ? arg! : "";
  });
}

function interpolateAll<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === "string") return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => interpolateAll(item, vars)) as T;
  if (value instanceof Override) return new Override(interpolateAll(value.value, vars)) as T;
  if (value && typeof value === "object" && !(value instanceof Reset)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, vars)])) as T;
  }
  return value;
}

/** The file as written: anchors and `<<` merge keys resolved, variables not yet substituted. */
function rawCompose(file: string): ComposeFile {
  return parse(read(file), { customTags: COMPOSE_TAGS, merge: true }) as ComposeFile;
}

/** Variables named in deploy/.env.example without a `#`: the ones an operator must set. */
function requiredVariables(): string[] {
  return [...read("deploy/.env.example").matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
}

/** A distinct URL-safe value per variable, as `openssl rand -hex` would give. */
function placeholders(names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, Buffer.from(name.padEnd(32, "x").slice(0, 32)).toString("hex")]));
}

const VARS = placeholders(requiredVariables());

function without(vars: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).filter(([key]) => key !== name));
}

function compose(file: string, vars: Record<string, string> = VARS): ComposeFile {
  return interpolateAll(rawCompose(file), vars);
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((entry) => [entry.split("=")[0]!, entry.slice(entry.indexOf("=") + 1)]));
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)]));
}

function portsOf(service: Service): Port[] {
  return Array.isArray(service.ports) ? service.ports : [];
}

/** "8080:80", "127.0.0.1:8080:80/tcp" or the long syntax, as host port → container port. */
function publishedPort(port: Port): { published: string; target: number } {
  if (typeof port !== "string") return { published: String(port.published ?? ""), target: port.target };
  const parts = port.replace(/\/(tcp|udp)$/, "").split(":");
  return { published: parts.length > 1 ? parts[parts.length - 2]! : "", target: Number(parts[parts.length - 1]) };
}

/** Where named volumes (declared under the file's top-level `volumes:`) are mounted in a service. */
function namedVolumeTargets(file: ComposeFile, service: Service): string[] {
  const declared = Object.keys(file.volumes ?? {});
  return (service.volumes ?? []).flatMap((volume) => {
    const [source, target] = typeof volume === "string" ? volume.split(":") : [volume.source, volume.target];
    return source && target && declared.includes(source) ? [target] : [];
  });
}

function commandWords(service: Service): string[] {
  const command = service.command ?? [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

function isHub(service: Service): boolean {
  return typeof service.build === "object" && service.build.dockerfile === "deploy/Dockerfile";
}

function hubServices(file: ComposeFile): [string, Service][] {
  return Object.entries(file.services).filter(([, service]) => isHub(service));
}

function rolesOf(service: Service): string[] {
  return environmentOf(service).ROLES?.split(",").map((role) => role.trim()) ?? [...ROLE_NAMES];
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition]));
}

/** "30s", "1m30s", "24h" → milliseconds. */
function durationMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h)/g)];
  expect(parts.map((p) => p[0]).join(""), `duration ${text}`).toBe(text);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0);
}

/**
 * Ports after `docker compose -f base -f override`: a plain list is appended to the earlier one
 * (so `ports: []` removes nothing), `!reset` empties it and `!override` replaces it.
 */
function mergedPorts(base: ComposeFile, override: ComposeFile): Record<string, Port[]> {
  const merged = Object.fromEntries(Object.entries(base.services).map(([name, service]) => [name, portsOf(service)]));
  for (const [name, service] of Object.entries(override.services)) {
    const ports = service.ports;
    if (ports instanceof Reset) merged[name] = [];
    else if (ports instanceof Override) merged[name] = ports.value as Port[];
    else if (Array.isArray(ports)) merged[name] = [...(merged[name] ?? []), ...ports];
  }
  return merged;
}

// --- Dockerfile ----------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions per build stage, continuation lines joined and comments dropped. */
function dockerfileStages(text: string): Instruction[][] {
  const lines = text.replace(/\\\n/g, " ").split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword!.toUpperCase(), args: args!.replace(/\s+/g, " ") };
    if (instruction.keyword === "FROM") stages.push([]);
    stages[stages.length - 1]!.push(instruction);
  }
  return stages;
}

function instructionsOf(stage: Instruction[], keyword: string): string[] {
  return stage.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** `ENV A=1 B=2` lines of a stage, as Docker gives them to the container. */
function imageEnvironment(stage: Instruction[]): Record<string, string> {
  return Object.fromEntries(instructionsOf(stage, "ENV").flatMap((args) => args.split(" ").map((pair) => pair.split("=") as [string, string])));
}

const dockerfile = dockerfileStages(read("deploy/Dockerfile"));
const runtimeStage = dockerfile[dockerfile.length - 1]!;
const IMAGE_ENV = imageEnvironment(runtimeStage);

/** The hub's configuration in a container of this service: the image's ENV, then the service's environment. */
function containerConfig(service: Service): Config {
  return loadConfig({ env: { ...IMAGE_ENV, ...environmentOf(service) }, cwd: "/app" });
}

// --- Caddyfile ---------------------------------------------------------------------------------

interface ProxyRoute {
  /** Paths the route's matcher accepts (a trailing `*` is a prefix); null for the catch-all `handle`. */
  paths: string[] | null;
  /** The directives inside the `handle` block, one per line. */
  lines: string[];
}

/** The `handle` blocks of the Caddyfile's one site block, with their path matchers resolved. */
function proxyRoutes(text: string): ProxyRoute[] {
  const lines = text.split("\n").map((line) => line.replace(/(^|\s)#.*$/, "").trim()).filter(Boolean);
  const matchers = new Map<string, string[]>();
  const routes: ProxyRoute[] = [];
  let depth = 0;
  let current: ProxyRoute | undefined;
  for (const line of lines) {
    if (depth === 1) {
      const matcher = /^@(\S+)\s+path\s+(.+)$/.exec(line);
      if (matcher) matchers.set(`@${matcher[1]}`, matcher[2]!.split(/\s+/));
      const handle = /^handle(?:\s+(\S+))?\s*\{$/.exec(line);
      if (handle) current = { paths: handle[1] ? (matchers.get(handle[1]) ?? [handle[1]]) : null, lines: [] };
    } else if (depth >= 2 && current) {
      current.lines.push(line);
    }
    if (line.endsWith("{")) depth += 1;
    if (line === "}") {
      depth -= 1;
      if (depth === 1 && current) routes.push(current);
      if (depth === 1) current = undefined;
    }
  }
  return routes;
}

function pathMatches(pattern: string, requestPath: string): boolean {
  return pattern.endsWith("*") ? requestPath.startsWith(pattern.slice(0, -1)) : requestPath === pattern;
}

/** Caddy's choice for a request path: `handle` blocks are exclusive, and the one without a matcher comes last. */
function routeFor(routes: ProxyRoute[], requestPath: string): ProxyRoute {
  const route = routes.find((r) => r.paths?.some((p) => pathMatches(p, requestPath))) ?? routes.find((r) => r.paths === null);
  if (!route) throw new Error(`no route for ${requestPath}`);
  return route;
}

/** `dynamic a <service> <port>` or `reverse_proxy <host:port>`: the upstream service and port of a route. */
function upstreamOf(route: ProxyRoute): { service: string; port: number } | null {
  for (const line of route.lines) {
    const dynamic = /^dynamic a (\S+) (\d+)/.exec(line);
    if (dynamic) return { service: dynamic[1]!, port: Number(dynamic[2]) };
    const fixed = /^reverse_proxy (?:https?:\/\/)?([^\s:{]+):(\d+)/.exec(line);
    if (fixed) return { service: fixed[1]!, port: Number(fixed[2]) };
  }
  return null;
}

function subdirective(route: ProxyRoute, name: string): string | undefined {
  return route.lines.find((line) => line.startsWith(`${name} `))?.slice(name.length + 1);
}

// --- The checks ----------------------------------------------------------------------------------

describe("deploy/docker-compose.yml (embedded)", () => {
  const file = compose("deploy/docker-compose.yml");
  const hub = file.services.hub!;

  it("is one hub container built from deploy/Dockerfile, restarted, health-checked", () => {
    expect(Object.keys(file.services)).toEqual(["hub"]);
    expect(isHub(hub)).toBe(true);
    expect(hub.restart).toMatch(/^(always|unless-stopped)$/);
    expect(hub.healthcheck?.disable).not.toBe(true);
  });

  it("loads as the embedded preset with every role, and publishes the port the hub listens on", () => {
    const config = containerConfig(hub);
    expect(config.preset).toBe("embedded");
    expect(config.roles).toEqual([...ROLE_NAMES]);
    expect(config.port).toBe(8080);
    expect(portsOf(hub).map(publishedPort)).toContainEqual({ published: "8080", target: config.port });
    expect(durationMs(hub.stop_grace_period!)).toBeGreaterThan(config.shutdownTimeoutMs);
  });

  it("keeps the SQLite file on a named volume mounted at the DATA_DIR it sets", () => {
    const dataDir = environmentOf(hub).DATA_DIR;
    expect(dataDir).toBe("/data");
    expect(namedVolumeTargets(file, hub)).toContain(dataDir);
    expect(containerConfig(hub).dataDir).toBe(dataDir);
  });

  it("only uses setting names the hub knows", () => {
    for (const key of Object.keys(environmentOf(hub))) expect(SETTING_NAMES).toContain(key);
  });
});

describe("deploy/docker-compose.distributed.yml", () => {
  const raw = rawCompose("deploy/docker-compose.distributed.yml");
  const file = compose("deploy/docker-compose.distributed.yml");
  const { kafka, postgres, redis, proxy } = file.services;
  const hubs = hubServices(file);

  it("has the infrastructure, the five roles as separate services and the proxy", () => {
    expect(Object.keys(file.services).sort()).toEqual(["alerts", "api", "history", "ingest", "kafka", "live", "postgres", "proxy", "redis"]);
    expect(hubs.map(([name]) => name).sort()).toEqual(["alerts", "api", "history", "ingest", "live"]);
    expect(kafka!.image).toMatch(/^apache\/kafka:4\.1\.\d+$/);
    expect(postgres!.image).toMatch(/^postgres:16(\.|$)/);
    expect(redis!.image).toMatch(/^redis:7(\.|$)/);
    expect(proxy!.image).toMatch(/^caddy:2(\.|$)/);
  });

  it("publishes a port on the proxy only: Kafka, PostgreSQL, Redis and the roles stay inside", () => {
    for (const [name, service] of Object.entries(file.services)) {
      if (name !== "proxy") expect(portsOf(service), name).toEqual([]);
    }
    expect(portsOf(proxy!).map(publishedPort)).toEqual([{ published: "8080", target: 80 }]);
  });

  it("keeps Kafka's log dir on a named volume mounted exactly there, advertised by service name", () => {
    const env = environmentOf(kafka!);
    expect(env.KAFKA_LOG_DIRS).toBeTruthy();
    expect(namedVolumeTargets(file, kafka!)).toContain(env.KAFKA_LOG_DIRS);
    expect(env.KAFKA_PROCESS_ROLES).toBe("broker,controller");
    expect(env.KAFKA_ADVERTISED_LISTENERS!.split(",")).toContain("PLAINTEXT://kafka:9092");
    expect(env.KAFKA_LISTENERS).toContain(":9092");
  });

  it("keeps PostgreSQL's and Redis's data on named volumes, Redis with its append-only file", () => {
    expect(namedVolumeTargets(file, postgres!)).toContain("/var/lib/postgresql/data");
    expect(namedVolumeTargets(file, redis!)).toContain("/data");
    expect(commandWords(redis!).join(" ")).toContain("--appendonly yes");
  });

  it("requires the PostgreSQL and Redis passwords and the secret key: none of them has a default", () => {
    expect(environmentOf(raw.services.postgres!).POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(commandWords(raw.services.redis!).join(" ")).toMatch(/--requirepass \$\{REDIS_PASSWORD:\?/);
    for (const name of ["POSTGRES_PASSWORD", "REDIS_PASSWORD", "SECRET_KEY"]) {
      expect(() => compose("deploy/docker-compose.distributed.yml", without(VARS, name)), name).toThrow(`required variable ${name}`);
      expect(() => compose("deploy/docker-compose.distributed.yml", { ...VARS, [name]: "" }), `${name} empty`).toThrow(name);
    }
  });

  it("gives every role only setting names the hub knows, and a valid, non-empty ROLES", () => {
    for (const [name, service] of hubs) {
      for (const key of Object.keys(environmentOf(service))) expect(SETTING_NAMES, `${name}: ${key}`).toContain(key);
      const roles = rolesOf(service);
      expect(roles.length, name).toBeGreaterThan(0);
      for (const role of roles) expect(ROLE_NAMES, name).toContain(role);
    }
  });

  it("covers all five roles, with at least two ingest instances", () => {
    const covered = new Set(hubs.flatMap(([, service]) => rolesOf(service)));
    expect([...covered].sort()).toEqual([...ROLE_NAMES].sort());
    const ingestInstances = hubs.filter(([, s]) => rolesOf(s).includes("ingest")).reduce((n, [, s]) => n + (s.deploy?.replicas ?? 1), 0);
    expect(ingestInstances).toBeGreaterThanOrEqual(2);
  });

  it("loads every role's environment as the distributed preset with its roles, behind a trusted proxy", () => {
    for (const [name, service] of hubs) {
      const config = containerConfig(service);
      expect(config.preset, name).toBe("distributed");
      expect(config.roles, name).toEqual(rolesOf(service) as RoleName[]);
      expect(config.trustProxy, name).toBe(true);
      expect(config.secretKey, name).toBe(VARS.SECRET_KEY);
      expect(durationMs(service.stop_grace_period!), name).toBeGreaterThan(config.shutdownTimeoutMs);
    }
  });

  it("gives every role the same required SECRET_KEY, so a token signed by one verifies in all", () => {
    const keys = new Set(hubServices(raw).map(([, service]) => environmentOf(service).SECRET_KEY));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^\$\{SECRET_KEY:\?[^}]*\}$/);
  });

  it("points DATABASE_URL, REDIS_URL and KAFKA_BOOTSTRAP_SERVERS at the compose services, with their credentials", () => {
    const pg = environmentOf(postgres!);
    const requirepass = commandWords(redis!)[commandWords(redis!).indexOf("--requirepass") + 1];
    expect(requirepass).toBe(VARS.REDIS_PASSWORD);
    for (const [name, service] of hubs) {
      const { distributed } = containerConfig(service);
      const database = new URL(distributed!.databaseUrl);
      expect([database.hostname, database.port || "5432"], name).toEqual(["postgres", "5432"]);
      expect([database.username, database.password, database.pathname], name).toEqual([pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, `/${pg.POSTGRES_DB}`]);
      const cache = new URL(distributed!.redisUrl);
      expect([cache.hostname, cache.port || "6379", cache.password], name).toEqual(["redis", "6379", requirepass]);
      for (const server of distributed!.kafka.bootstrapServers) {
        expect(environmentOf(kafka!).KAFKA_ADVERTISED_LISTENERS!.split(",").map((l) => l.replace(/^\w+:\/\//, "")), name).toContain(server);
        expect(server.split(":")[0], name).toBe("kafka");
      }
    }
  });

  it("starts the roles after healthy infrastructure and the proxy after healthy roles; everything restarts and is health-checked", () => {
    for (const [name, service] of hubs) {
      expect(dependsOn(service), name).toEqual({ postgres: "service_healthy", redis: "service_healthy", kafka: "service_healthy" });
    }
    expect(dependsOn(proxy!)).toEqual({ api: "service_healthy", ingest: "service_healthy", live: "service_healthy" });
    for (const [name, service] of Object.entries(file.services)) {
      expect(service.restart, name).toMatch(/^(always|unless-stopped)$/);
      expect(service.healthcheck, name).toBeDefined();
      // A hub container inherits the image's HEALTHCHECK test (checked below); the others bring their own.
      if (!isHub(service)) expect(service.healthcheck!.test, name).toBeDefined();
    }
  });

  it("mounts the Caddyfile that is checked below and sets the site address it reads (plain HTTP without a domain)", () => {
    expect(proxy!.volumes).toContain("./Caddyfile:/etc/caddy/Caddyfile:ro");
    expect(read("deploy/Caddyfile")).toContain("{$SITE_ADDRESS:");
    const withoutDomain = compose("deploy/docker-compose.distributed.yml", without(VARS, "SITE_ADDRESS"));
    expect(environmentOf(withoutDomain.services.proxy!).SITE_ADDRESS).toBe(":80");
  });
});

describe("deploy/docker-compose.prod.yml", () => {
  const base = compose("deploy/docker-compose.distributed.yml");
  const prod = compose("deploy/docker-compose.prod.yml");
  const merged = mergedPorts(base, prod);

  it("overrides only services of the distributed file", () => {
    for (const name of Object.keys(prod.services)) expect(Object.keys(base.services)).toContain(name);
  });

  it("leaves the proxy, on 80 and 443, as the only service with published ports once merged", () => {
    for (const [name, ports] of Object.entries(merged)) {
      if (name !== "proxy") expect(ports, name).toEqual([]);
    }
    expect(merged.proxy!.map(publishedPort).map((p) => p.published).sort()).toEqual(["443", "443", "80"]);
  });

  it("resets the ports of every other service, in case an earlier file publishes one", () => {
    for (const name of Object.keys(base.services).filter((n) => n !== "proxy")) {
      expect(prod.services[name]?.ports, name).toBeInstanceOf(Reset);
    }
  });

  it("needs `!reset`, which a plain empty list is not: Compose appends lists", () => {
    const leaky: ComposeFile = { services: { postgres: { ports: [] } } };
    const withPort: ComposeFile = { services: { postgres: { ports: ["5432:5432"] } } };
    expect(mergedPorts(withPort, leaky).postgres).toEqual(["5432:5432"]);
    expect(rawCompose("deploy/docker-compose.prod.yml").services.postgres!.ports).toBeInstanceOf(Reset);
    expect(read("deploy/docker-compose.prod.yml")).toMatch(/Compose 2\.24\.4 or later/);
  });

  it("requires a domain name for the HTTPS site", () => {
    expect(environmentOf(rawCompose("deploy/docker-compose.prod.yml").services.proxy!).SITE_ADDRESS).toMatch(/^\$\{SITE_ADDRESS:\?/);
    expect(environmentOf(prod.services.proxy!).SITE_ADDRESS).toBe(VARS.SITE_ADDRESS);
  });
});

describe("deploy/.env.example", () => {
  it("lists every variable the compose files use, and the required ones uncommented, with how to generate secrets", () => {
    const example = read("deploy/.env.example");
    const required = requiredVariables();
    for (const file of COMPOSE_FILES) {
      for (const [match, braced, , , bare] of read(file).matchAll(VARIABLE)) {
        if (match === "$$") continue;
        const name = braced ?? bare!;
        expect(example, `${file}: ${name}`).toMatch(new RegExp(`^#?${name}=`, "m"));
        if (match.includes(":?")) expect(required, `${file}: ${name}`).toContain(name);
      }
    }
    for (const secret of ["POSTGRES_PASSWORD", "REDIS_PASSWORD", "SECRET_KEY"]) {
      expect(example).toMatch(new RegExp(`openssl rand[^\\n]*\\n(#[^\\n]*\\n)*${secret}=\\n`));
    }
  });
});

describe("deploy/Caddyfile", () => {
  const routes = proxyRoutes(read("deploy/Caddyfile"));
  const file = compose("deploy/docker-compose.distributed.yml");

  /** The role a request path reaches through the proxy, checked against that service's ROLES and port. */
  function roleServiceFor(requestPath: string): string[] {
    const upstream = upstreamOf(routeFor(routes, requestPath));
    expect(upstream, requestPath).not.toBeNull();
    const service = file.services[upstream!.service];
    expect(service, `${requestPath} → ${upstream!.service}`).toBeDefined();
    expect(upstream!.port, requestPath).toBe(containerConfig(service!).port);
    return rolesOf(service!);
  }

  it("has one catch-all route, last", () => {
    expect(routes.filter((r) => r.paths === null)).toHaveLength(1);
    expect(routes[routes.length - 1]!.paths).toBeNull();
  });

  it("sends the agents' ingest paths to the ingest instances", () => {
    for (const requestPath of ["/ingest", "/api/v1/ingest"]) expect(roleServiceFor(requestPath), requestPath).toEqual(["ingest"]);
  });

  it("sends the live WebSocket to the live role, with long stream timeouts, but its tickets to the api role", () => {
    expect(roleServiceFor("/api/v1/live")).toEqual(["live"]);
    const live = routeFor(routes, "/api/v1/live");
    expect(durationMs(subdirective(live, "stream_timeout")!)).toBeGreaterThanOrEqual(3_600_000);
    expect(subdirective(live, "stream_close_delay")).toBeDefined();
    expect(roleServiceFor("/api/v1/live/tickets")).toEqual(["api"]);
  });

  it("sends everything else to the api role", () => {
    for (const requestPath of ["/", "/agents/7", "/assets/index-abc.js", "/api/v1/auth/login", "/api/v1/agents", "/api/docs", "/health", "/ingestion"]) {
      expect(roleServiceFor(requestPath), requestPath).toEqual(["api"]);
    }
  });

  it("keeps the hub's own metrics off the public entry", () => {
    const metrics = routeFor(routes, "/metrics");
    expect(upstreamOf(metrics)).toBeNull();
    expect(subdirective(metrics, "respond")).toBe("404");
  });
});

describe("deploy/Dockerfile", () => {
  const packageJson = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
  const serverTsconfig = JSON.parse(read("packages/server/tsconfig.json")) as { compilerOptions: { rootDir: string; outDir: string } };

  it("builds on Node 20 slim with npm ci and npm run build, and prunes the dev dependencies", () => {
    for (const stage of dockerfile) expect(stage[0]!.args).toMatch(/^node:20-bookworm-slim( AS \w+)?$/);
    const runs = dockerfile.slice(0, -1).flatMap((stage) => instructionsOf(stage, "RUN")).join("\n");
    expect(runs).toContain("npm ci");
    expect(runs).toContain("npm run build");
    expect(runs).toContain("npm prune --omit=dev");
  });

  it("runs the server's dist/main.js, which `npm run build` compiles from packages/server/src/main.ts", () => {
    const entrypoint = JSON.parse(instructionsOf(runtimeStage, "ENTRYPOINT")[0]!) as string[];
    expect(entrypoint).toEqual(["node", "packages/server/dist/main.js"]);
    expect(JSON.parse(instructionsOf(runtimeStage, "CMD")[0]!)).toEqual(["serve"]);
    expect(packageJson.scripts.build).toMatch(/\btsc -b packages\/server\b/);
    const { rootDir, outDir } = serverTsconfig.compilerOptions;
    const compiled = path.posix.join("packages/server", outDir, path.posix.relative(rootDir, "src/main.ts").replace(/\.ts$/, ".js"));
    expect(compiled).toBe(entrypoint[1]);
    expect(read("packages/server/src/main.ts")).toContain('case "serve"');
  });

  it("copies the server, the protocol it imports and the dashboard into the runtime stage", () => {
    const copies = instructionsOf(runtimeStage, "COPY").join("\n");
    for (const dir of ["node_modules", "packages/server/dist", "packages/protocol/dist", "packages/web/dist"]) expect(copies).toContain(`/app/${dir} ${dir}`);
  });

  it("runs as a non-root user with DATA_DIR on a volume, exposes 8080 and checks /health with node", () => {
    const user = instructionsOf(runtimeStage, "USER");
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(IMAGE_ENV.DATA_DIR).toBe("/data");
    expect(instructionsOf(runtimeStage, "VOLUME")).toEqual([IMAGE_ENV.DATA_DIR]);
    expect(instructionsOf(runtimeStage, "EXPOSE")).toEqual([String(loadConfig({ env: IMAGE_ENV }).port)]);
    const healthcheck = instructionsOf(runtimeStage, "HEALTHCHECK")[0]!;
    expect(healthcheck).toMatch(/CMD \["node", "-e", ".*\/health/);
    expect(healthcheck).not.toContain("curl");
  });

  it("has a .dockerignore that keeps installs, builds, data and history out of the build context", () => {
    const ignored = read(".dockerignore").split("\n").map((line) => line.trim());
    for (const entry of ["**/node_modules", "**/dist", ".cache", "data", "e2e/screenshots", ".git"]) expect(ignored).toContain(entry);
  });
});
