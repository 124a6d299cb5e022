import { useEffect, useState } from "react";
import { ApiError, call } from "./api";
import { CaseView } from "./CaseView";
import { t, type Lang } from "./i18n";
import { Login } from "./Login";
import { Rates } from "./Rates";
import { Worklist } from "./Worklist";

type View = { page: "worklist" } | { page: "rates" } | { page: "case"; name: string };

const KEY = "minqing.dashboard.key";

export function App() {
  const [lang, setLang] = useState<Lang>(() => (sessionStorage.getItem("minqing.dashboard.lang") as Lang) ?? "zh");
  const [key, setKey] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const [view, setView] = useState<View>({ page: "worklist" });
  const [stale, setStale] = useState(false);

  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = `民情 · ${t(lang, "title")}`;
    sessionStorage.setItem("minqing.dashboard.lang", lang);
  }, [lang]);

  // The read models' readiness (the gRPC health service's "readiness"): a banner while they lag.
  useEffect(() => {
    if (!key) {
      return;
    }
    const check = () =>
      call<{ status?: string }>(key, "grpc.health.v1.Health/Check", { service: "readiness" })
        .then((answer) => setStale(answer.status !== "SERVING"))
        .catch(() => setStale(true));
    check();
    const timer = setInterval(check, 10000);
    return () => clearInterval(timer);
  }, [key]);

  const signIn = (entered: string) => {
    sessionStorage.setItem(KEY, entered);
    setKey(entered);
  };
  const signOut = () => {
    sessionStorage.removeItem(KEY);
    setKey(null);
    setView({ page: "worklist" });
  };
  const toggle = (
    <button type="button" className="link" onClick={() => setLang(lang === "zh" ? "en" : "zh")}>
      {t(lang, "language")}
    </button>
  );

  if (!key) {
    return <Login lang={lang} toggle={toggle} onSignIn={signIn} />;
  }
  const onAuthError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) {
      signOut();
    }
  };
  return (
    <div className="app">
      <header>
        <h1>民情 · {t(lang, "title")}</h1>
        <nav aria-label={t(lang, "title")}>
          <button type="button" aria-current={view.page === "worklist" || view.page === "case"}
                  onClick={() => setView({ page: "worklist" })}>{t(lang, "worklist")}</button>
          <button type="button" aria-current={view.page === "rates"} onClick={() => setView({ page: "rates" })}>
            {t(lang, "rates")}
          </button>
        </nav>
        <div className="tools">
          {toggle}
          <button type="button" className="link" onClick={signOut}>{t(lang, "signOut")}</button>
        </div>
      </header>
      {stale && <div role="status" className="banner stale">{t(lang, "stale")}</div>}
      <main>
        {view.page === "worklist" && (
          <Worklist apiKey={key} lang={lang} onOpen={(name) => setView({ page: "case", name })} onAuthError={onAuthError} />
        )}
        {view.page === "case" && (
          <CaseView apiKey={key} lang={lang} name={view.name} onBack={() => setView({ page: "worklist" })} />
        )}
        {view.page === "rates" && <Rates apiKey={key} lang={lang} />}
      </main>
    </div>
  );
}
