/** Where to go after signing in: only a path on this site, so `?next=` cannot become an open redirect. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/agents";
  return next.startsWith("/login") ? "/agents" : next;
}
