import { useState, type FormEvent, type ReactNode } from "react";
import { ApiError, call } from "./api";
import { t, type Lang } from "./i18n";

export function Login({ lang, toggle, onSignIn }: { lang: Lang; toggle: ReactNode; onSignIn: (key: string) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call(key, "SupervisionService/ListWorklistItems", { pageSize: 1 });
      onSignIn(key);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? t(lang, "badKey")
        : e instanceof ApiError && e.status === 403 ? t(lang, "noAccess") : `${t(lang, "error")}${String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">民情 · {t(lang, "title")}</h1>
        <label htmlFor="api-key">{t(lang, "keyLabel")}</label>
        <input id="api-key" type="password" autoComplete="off" required value={key} onChange={(e) => setKey(e.target.value)} />
        <p className="hint">{t(lang, "keyHint")}</p>
        {error && <p role="alert" className="error">{error}</p>}
        <div className="row">
          <button type="submit" disabled={busy || !key}>{t(lang, "signIn")}</button>
          {toggle}
        </div>
      </form>
    </main>
  );
}
