/** React access to a LiveSession: one per open agent dashboard, started and stopped with the page. */
import { useEffect, useState, useSyncExternalStore } from "react";
import { useAuth } from "../auth/auth-context";
import { LiveSession, type LiveSnapshot } from "./live-session";

export function useLiveSession(agentId: number | null): LiveSession | null {
  const { api, session } = useAuth();
  const [live, setLive] = useState<LiveSession | null>(null);
  useEffect(() => {
    if (agentId === null) return;
    const created = new LiveSession({ agentId, api, session });
    created.start();
    setLive(created);
    return () => {
      created.stop();
      setLive(null);
    };
  }, [agentId, api, session]);
  return live;
}

/** Re-renders the caller on every sample and connection change. */
export function useLiveSnapshot(live: LiveSession): LiveSnapshot {
  return useSyncExternalStore(live.subscribe, live.getSnapshot);
}

/** The current time, refreshed every `everyMs`, for "2 s ago" texts (re-renders only the caller). */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
