/** The colour theme: follows the system unless the user picks light or dark, remembered in this browser. */
import { useCallback, useEffect, useSyncExternalStore } from "react";

export type ThemePreference = "system" | "light" | "dark";
const STORAGE_KEY = "statusmonitor.theme";
const media = () => window.matchMedia("(prefers-color-scheme: dark)");

function readPreference(): ThemePreference {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === "light" || stored === "dark" ? stored : "system";
}

export function isDark(preference: ThemePreference = readPreference()): boolean {
  return preference === "dark" || (preference === "system" && media().matches);
}

/** Puts the `dark` class on <html>; called before the first render so the page never flashes. */
export function applyTheme(preference: ThemePreference = readPreference()): void {
  document.documentElement.classList.toggle("dark", isDark(preference));
  document.documentElement.style.colorScheme = isDark(preference) ? "dark" : "light";
}

const listeners = new Set<() => void>();
function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const emit = () => listeners.forEach((listener) => listener());

export function useTheme(): { preference: ThemePreference; dark: boolean; setPreference: (next: ThemePreference) => void } {
  const preference = useSyncExternalStore(subscribe, readPreference);
  const dark = useSyncExternalStore(subscribe, () => isDark(preference));

  useEffect(() => {
    const query = media();
    const onSystemChange = () => {
      applyTheme();
      emit();
    };
    query.addEventListener("change", onSystemChange);
    return () => query.removeEventListener("change", onSystemChange);
  }, []);

  const setPreference = useCallback((next: ThemePreference) => {
    if (next === "system") localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, next);
    applyTheme(next);
    emit();
  }, []);

  return { preference, dark, setPreference };
}
