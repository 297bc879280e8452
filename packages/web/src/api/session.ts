/**
 * The signed-in session: the access token lives in memory only and is renewed through the HttpOnly
 * refresh cookie shortly before it expires, on a 401, and once at page load.
 */
import type { TokenPair } from "@statusmonitor/protocol";

/** Renew this long before the access token expires, so a request never carries an expired one. */
const REFRESH_MARGIN_S = 60;
const MIN_REFRESH_DELAY_S = 5;
const REFRESH_LOCK = "statusmonitor-refresh";

export type SessionListener = (signedIn: boolean) => void;

export class Session {
  private accessToken: string | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<boolean> | null = null;
  private readonly listeners = new Set<SessionListener>();

  get token(): string | null {
    return this.accessToken;
  }

  /** Takes a fresh token pair (login or refresh) and schedules the next silent refresh. */
  accept(pair: Pick<TokenPair, "access_token" | "expires_in">): void {
    const wasSignedIn = this.accessToken !== null;
    this.accessToken = pair.access_token;
    clearTimeout(this.refreshTimer);
    const delayS = Math.max(MIN_REFRESH_DELAY_S, pair.expires_in - REFRESH_MARGIN_S);
    this.refreshTimer = setTimeout(() => void this.refresh(), delayS * 1000);
    if (!wasSignedIn) this.notify(true);
  }

  /**
   * Exchanges the refresh cookie for a new pair. Concurrent callers share one request, and tabs take
   * turns through a Web Lock: two tabs sending the same cookie at once would look like a stolen token
   * and end the session.
   */
  refresh(): Promise<boolean> {
    this.inflight ??= this.withLock(() => this.requestRefresh()).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Forgets the access token (after logout or a refused refresh). */
  clear(): void {
    clearTimeout(this.refreshTimer);
    const wasSignedIn = this.accessToken !== null;
    this.accessToken = null;
    if (wasSignedIn) this.notify(false);
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async requestRefresh(): Promise<boolean> {
    try {
      const response = await fetch("/api/v1/auth/refresh", { method: "POST", credentials: "same-origin" });
      if (!response.ok) {
        // A hub that is restarting is not a refused session: keep the token and let the next call retry.
        if (response.status >= 500) return this.accessToken !== null;
        this.clear();
        return false;
      }
      this.accept((await response.json()) as TokenPair);
      return true;
    } catch {
      return this.accessToken !== null;
    }
  }

  private withLock<T>(task: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    return locks ? (locks.request(REFRESH_LOCK, task) as Promise<T>) : task();
  }

  private notify(signedIn: boolean): void {
    for (const listener of this.listeners) listener(signedIn);
  }
}
