import { useEffect, useState } from "react";
import { ApiError, call, type Case, type TimelineEntry } from "./api";
import { dateTime, stateLabel, untilDeadline, words } from "./format";
import { t, type Lang } from "./i18n";

type Verdict = { intact?: boolean } | "forbidden" | null;

/** A case: its summary, deadlines with time left or overdue by, visits, follow-up, its timeline and its chain's verdict. */
export function CaseView({ apiKey, lang, name, onBack }: { apiKey: string; lang: Lang; name: string; onBack: () => void }) {
  const [found, setFound] = useState<Case | null>(null);
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [verdict, setVerdict] = useState<Verdict>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    Promise.all([
      call<Case>(apiKey, "CaseQueryService/GetCase", { name }),
      call<{ timelineEntries?: TimelineEntry[] }>(apiKey, "CaseQueryService/ListTimelineEntries", { parent: name, pageSize: 1000 }),
    ]).then(([c, entries]) => {
      setFound(c);
      setTimeline(entries.timelineEntries ?? []);
    }).catch((e) => setError(String(e instanceof Error ? e.message : e)));
    call<{ intact?: boolean }>(apiKey, "AuditService/VerifyCase", { name })
      .then(setVerdict)
      .catch((e) => setVerdict(e instanceof ApiError && e.status === 403 ? "forbidden" : null));
  }, [apiKey, name]);

  const now = Date.now();
  return (
    <section aria-labelledby="case-title">
      <button type="button" className="link" onClick={onBack}>← {t(lang, "back")}</button>
      {error && <p role="alert" className="error">{t(lang, "error")}{error}</p>}
      {!found && !error && <p role="status">{t(lang, "loading")}</p>}
      {found && (
        <>
          <h2 id="case-title">{found.title}</h2>
          <dl className="summary">
            <dt>{t(lang, "case")}</dt><dd>{found.name}</dd>
            <dt>{t(lang, "state")}</dt><dd>{stateLabel(found.state, lang)}</dd>
            <dt>{t(lang, "category")}</dt><dd>{found.category}</dd>
            <dt>{t(lang, "district")} / {t(lang, "grid")}</dt><dd>{found.location?.district} / {found.location?.grid}</dd>
            <dt>{t(lang, "department")}</dt><dd>{found.department || "—"}</dd>
            <dt>{t(lang, "handler")}</dt><dd>{found.handler || "—"}</dd>
            <dt>{t(lang, "responseDeadline")}</dt>
            <dd>{dateTime(found.responseDeadline, lang)} {found.responseDeadline && `(${untilDeadline(found.responseDeadline, now, lang)})`}</dd>
            <dt>{t(lang, "resolutionDeadline")}</dt>
            <dd>{dateTime(found.resolutionDeadline, lang)} {found.resolutionDeadline && `(${untilDeadline(found.resolutionDeadline, now, lang)})`}</dd>
            <dt>{t(lang, "visits")}</dt><dd>{found.visits?.length ?? 0}</dd>
            <dt>{t(lang, "satisfaction")}</dt><dd>{words(found.satisfaction, "SATISFACTION_") || "—"}</dd>
            <dt>{t(lang, "audit")}</dt>
            <dd data-testid="verdict">{verdict === "forbidden" ? t(lang, "auditUnavailable")
              : verdict === null ? "…" : verdict.intact ? `✓ ${t(lang, "intact")}` : `✗ ${t(lang, "broken")}`}</dd>
          </dl>
          <h3>{t(lang, "timeline")}</h3>
          <table className="timeline">
            <thead>
              <tr><th scope="col">{t(lang, "when")}</th><th scope="col">{t(lang, "who")}</th>
                <th scope="col">{t(lang, "via")}</th><th scope="col">{t(lang, "what")}</th></tr>
            </thead>
            <tbody>
              {timeline.map((entry) => (
                <tr key={entry.name}>
                  <td>{dateTime(entry.eventTime, lang)}</td>
                  <td>{entry.actor?.id} ({entry.actor?.role}, {entry.actor?.organization})</td>
                  <td>{entry.partnerSystem}</td>
                  <td>{entry.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
