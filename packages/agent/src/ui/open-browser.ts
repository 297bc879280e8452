/** Opens a URL in the desktop's browser when there is one; the printed link always works without it. */
import { spawn } from "node:child_process";

function command(url: string): [string, string[]] {
  switch (process.platform) {
    case "darwin":
      return ["open", [url]];
    case "win32":
      // `start` is a cmd built-in; its first quoted argument is a window title.
      return ["cmd", ["/c", "start", '""', url]];
    default:
      return ["xdg-open", [url]];
  }
}

export function openBrowser(url: string): void {
  const [file, args] = command(url);
  try {
    // Verbatim on Windows, or Node would quote the empty title into a literal "\"\"" (the URL itself is only [A-Za-z0-9:/._-]).
    const child = spawn(file, args, { detached: true, stdio: "ignore", windowsHide: true, windowsVerbatimArguments: true });
    // No browser (a server, a container): the link printed on the terminal is enough.
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // spawn itself can throw (e.g. EPERM): the same, the printed link is enough.
  }
}
