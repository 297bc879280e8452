/** Cycles the theme: system → light → dark. */
import { useTheme, type ThemePreference } from "../../theme/theme";
import { Icon } from "../ui/icons";

const NEXT: Record<ThemePreference, ThemePreference> = { system: "light", light: "dark", dark: "system" };
const ICON = { system: "monitor", light: "sun", dark: "moon" } as const;

export function ThemeSwitch() {
  const { preference, setPreference } = useTheme();
  return (
    <button
      type="button"
      onClick={() => setPreference(NEXT[preference])}
      aria-label={`Theme: ${preference}. Switch to ${NEXT[preference]}`}
      title={`Theme: ${preference}`}
      className="rounded-lg p-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
    >
      <Icon name={ICON[preference]} />
    </button>
  );
}
