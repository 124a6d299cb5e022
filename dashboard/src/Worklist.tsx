import { useCallback, useEffect, useRef, useState } from "react";
import { call, type WorklistItem } from "./api";
import { csv, download } from "./csv";
import { dateTime, stateLabel, untilDeadline, words } from "./format";
import { t, type Lang } from "./i18n";

interface Filter {
  department: string;
  district: string;
  grid: string;
  category: string;
}

/** Overdue and at-risk cases, most urgent first, re-read every 5 s; new ones are marked. */
export function Worklist({ apiKey, lang, onOpen, onAuthError }: {
  apiKey: string; lang: Lang; onOpen: (name: string) => void; onAuthError: (e: unknown) => void;
}) {
  const [filter, setFilter] = useState<Filter>({ department: "", district: "", grid: "", category: "" });
  const [items, setItems] = useState<WorklistItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const seen = useRef<Set<string> | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());

  const load = useCallback(async () => {
    try {
      const answer = await call<{ worklistItems?: WorklistItem[] }>(apiKey, "SupervisionService/ListWorklistItems", {
        filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v)),
        pageSize: 500,
      });
      const list = answer.worklistItems ?? [];
      if (seen.current) {
        setFresh(new Set(list.map((i) => i.case).filter((name) => !seen.current!.has(name))));
      }
      seen.current = new Set(list.map((i) => i.case));
      setItems(list);
      setError(null);
      setNow(Date.now());
    } catch (e) {
      onAuthError(e);
      setError(String(e instanceof Error ? e.message : e));
    }
  }, [apiKey, filter, onAuthError]);

  useEffect(() => {
    seen.current = null;
    setItems(null);
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [load]);

  const exportCsv = () => {
    download(`worklist-${new Date().toISOString().slice(0, 10)}.csv`, csv(
      [t(lang, "case"), "title", t(lang, "state"), t(lang, "status"), t(lang, "department"), t(lang, "district"),
        t(lang, "grid"), t(lang, "category"), t(lang, "deadline")],
      (items ?? []).map((i) => [i.case, i.title, stateLabel(i.state, lang), words(i.status, "WORKLIST_STATUS_"),
        i.department, i.district, i.grid, i.category, i.deadline])));
  };

  return (
    <section aria-labelledby="worklist-title">
      <div className="heading">
        <h2 id="worklist-title">{t(lang, "worklist")}</h2>
        <span className="muted">{t(lang, "refreshed")}</span>
        <button type="button" onClick={exportCsv} disabled={!items?.length}>{t(lang, "exportCsv")}</button>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        {(["department", "district", "grid", "category"] as const).map((field) => (
          <label key={field}>
            {t(lang, field)}
            <input value={filter[field]} placeholder={t(lang, "all")}
                   onChange={(e) => setFilter({ ...filter, [field]: e.target.value.trim() })} />
          </label>
        ))}
      </form>
      {error && (
        <p role="alert" className="error">{t(lang, "error")}{error} <button type="button" onClick={load}>{t(lang, "retry")}</button></p>
      )}
      {items === null && !error && <p role="status">{t(lang, "loading")}</p>}
      {items?.length === 0 && <p role="status">{t(lang, "empty")}</p>}
      {items && items.length > 0 && (
        <table className="worklist">
          <thead>
            <tr>
              <th scope="col">{t(lang, "status")}</th><th scope="col">{t(lang, "case")}</th>
              <th scope="col">{t(lang, "state")}</th><th scope="col">{t(lang, "department")}</th>
              <th scope="col">{t(lang, "district")} / {t(lang, "grid")}</th><th scope="col">{t(lang, "category")}</th>
              <th scope="col">{t(lang, "deadline")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.case} className={fresh.has(item.case) ? "fresh" : undefined} data-case={item.case}>
                <td><span className={`badge ${item.status === "WORKLIST_STATUS_OVERDUE" ? "overdue" : "risk"}`}>
                  {item.status === "WORKLIST_STATUS_OVERDUE" ? t(lang, "overdue") : t(lang, "atRisk")}</span></td>
                <td><a href={`#${item.case}`} onClick={(e) => { e.preventDefault(); onOpen(item.case); }}>{item.title}</a></td>
                <td>{stateLabel(item.state, lang)}</td>
                <td>{item.department}</td>
                <td>{item.district}{item.grid ? ` / ${item.grid}` : ""}</td>
                <td>{item.category}</td>
                <td title={dateTime(item.deadline, lang)}>{untilDeadline(item.deadline, now, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
