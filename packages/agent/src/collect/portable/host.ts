/** Host facts on macOS, Windows and other non-Linux systems, from the `os` module and one plist read once. */
import type { SystemSource } from "../source.js";
import type { HostFacts } from "../linux/host.js";
import type { OsApi } from "./os-api.js";

const plistString = (plist: string, key: string) => new RegExp(`<key>${key}</key>\\s*<string>([^<]*)</string>`).exec(plist)?.[1];

/** "macOS 14.2.1", "Windows 11 Pro", or `os.type()` with the release elsewhere. */
export async function readPortableOsName(source: SystemSource, osApi: OsApi, platform: NodeJS.Platform): Promise<string> {
  if (platform === "darwin") {
    const plist = await source.readText("/System/Library/CoreServices/SystemVersion.plist");
    const name = plist && plistString(plist, "ProductName");
    const version = plist && plistString(plist, "ProductVersion");
    return name && version ? `${name} ${version}` : `macOS (Darwin ${osApi.release()})`;
  }
  if (platform === "win32") {
    // Windows 11 still calls itself "Windows 10" in the registry; its builds start at 22000.
    const build = Number(osApi.release().split(".")[2]);
    const name = osApi.version();
    return build >= 22000 ? name.replace(/^Windows 10\b/, "Windows 11") : name;
  }
  return `${osApi.type()} ${osApi.release()}`;
}

export function readPortableHostFacts(source: SystemSource, osApi: OsApi, osName: string, now: number): HostFacts {
  return {
    hostname: source.hostname().slice(0, 255),
    os: osName.slice(0, 128),
    arch: process.arch,
    // Whole seconds, so the boot time stays the same from one batch to the next.
    boot_time: Math.round((now - osApi.uptime() * 1000) / 1000) * 1000,
    kernel: osApi.release().slice(0, 128),
  };
}
