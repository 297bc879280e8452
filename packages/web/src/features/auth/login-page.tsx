/** Sign in and register on one card; errors come from the hub's codes, field problems under their fields. */
import { useState, type FormEvent } from "react";
import { Navigate, useSearchParams } from "react-router";
import { ApiError, describeError } from "../../api/api-error";
import { Logo } from "../../components/layout/logo";
import { ThemeSwitch } from "../../components/layout/theme-switch";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/field";
import { useAuth } from "./auth-context";
import { safeNext } from "./safe-next";

type Mode = "login" | "register";

function messageFor(error: unknown, mode: Mode): string {
  if (!(error instanceof ApiError)) return describeError(error);
  switch (error.code) {
    case "INVALID_CREDENTIALS":
      return "Incorrect username or password.";
    case "USERNAME_TAKEN":
      return "This username is already taken; choose another or sign in.";
    case "REGISTRATION_CLOSED":
      return "Registration is closed on this hub. Ask an administrator for an account.";
    case "LOGIN_THROTTLED":
    case "TOO_MANY_REQUESTS":
      return "Too many attempts. Wait a minute and try again.";
    case "VALIDATION_FAILED":
      return mode === "register" ? "Check the fields below." : error.message;
    default:
      return describeError(error);
  }
}

export function LoginPage() {
  const { state, login, register } = useAuth();
  const [params] = useSearchParams();
  const [mode, setMode] = useState<Mode>("login");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (state.status === "signed-in") return <Navigate to={safeNext(params.get("next"))} replace />;

  const fieldError = (field: string) => (error instanceof ApiError ? (error.issues.find((issue) => issue.path === field)?.message ?? null) : null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === "login") await login(username.trim(), password);
      else await register(username.trim(), password);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const switchMode = () => {
    setMode(mode === "login" ? "register" : "login");
    setError(null);
  };

  return (
    <div className="flex min-h-dvh flex-col bg-slate-50 dark:bg-slate-950">
      <div className="flex justify-end p-3">
        <ThemeSwitch />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-[8vh]">
        <div className="w-full max-w-sm">
          <div className="mb-6 flex justify-center">
            <Logo />
          </div>
          <form onSubmit={submit} noValidate className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h1 className="text-xl font-semibold text-slate-900 dark:text-white">{mode === "login" ? "Sign in" : "Create an account"}</h1>
            {mode === "register" && <p className="text-sm text-slate-500 dark:text-slate-400">The first account on a hub becomes its administrator.</p>}
            {error !== null && <AlertBanner>{messageFor(error, mode)}</AlertBanner>}
            <TextField
              label="Username"
              name="username"
              autoComplete="username"
              required
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              error={fieldError("username")}
              hint={mode === "register" ? "3–32 letters, digits, '_', '.' or '-'." : undefined}
            />
            <TextField
              label="Password"
              name="password"
              type="password"
              autoComplete={mode === "login" ? "current-password" : "new-password"}
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              error={fieldError("password")}
              hint={mode === "register" ? "At least 8 characters." : undefined}
            />
            <Button type="submit" className="w-full" busy={busy} disabled={!username.trim() || !password}>
              {mode === "login" ? "Sign in" : "Create account"}
            </Button>
            <p className="text-center text-sm text-slate-600 dark:text-slate-400">
              {mode === "login" ? "No account yet? " : "Already have an account? "}
              <button type="button" onClick={switchMode} className="font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400">
                {mode === "login" ? "Create one" : "Sign in"}
              </button>
            </p>
          </form>
        </div>
      </main>
    </div>
  );
}
