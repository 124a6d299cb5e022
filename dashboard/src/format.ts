import { t, type Lang } from "./i18n";

export function dateTime(value: string | undefined, lang: Lang): string {
  return value ? new Date(value).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { hour12: false }) : "—";
}

/** "3 h 20 min left" or "overdue by 2 d 1 h". */
export function untilDeadline(deadline: string | undefined, now: number, lang: Lang): string {
  if (!deadline) {
    return "—";
  }
  const ms = new Date(deadline).getTime() - now;
  const span = duration(Math.abs(ms), lang);
  return ms >= 0 ? (lang === "zh" ? `${t(lang, "timeLeft")} ${span}` : `${span} ${t(lang, "timeLeft")}`)
    : `${t(lang, "overdueBy")} ${span}`;
}

function duration(ms: number, lang: Lang): string {
  const minutes = Math.floor(ms / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const [d, h, m] = lang === "zh" ? ["天", "小时", "分"] : [" d", " h", " min"];
  return days > 0 ? `${days}${d} ${hours}${h}` : hours > 0 ? `${hours}${h} ${mins}${m}` : `${mins}${m}`;
}

/** A rate as a percentage with its raw counts: "75.0 % (3/4)". */
export function rate(r: { numerator?: string; denominator?: string; value?: number } | undefined): string {
  if (!r || !r.denominator || r.denominator === "0") {
    return "— (0/0)";
  }
  return `${((r.value ?? 0) * 100).toFixed(1)} % (${r.numerator ?? "0"}/${r.denominator})`;
}

/** CASE_STATE_IN_PROGRESS → in progress. */
export function words(value: string | undefined, prefix: string): string {
  return value ? value.replace(prefix, "").toLowerCase().replace(/_/g, " ") : "";
}

const STATES: Record<string, string> = {
  REPORTED: "待受理", ACCEPTED: "已受理", REJECTED: "不予受理", MERGED: "已合并", DISPATCHED: "已派单",
  RETURNED: "已退单", IN_PROGRESS: "办理中", RESOLVED: "已办结", FOLLOWED_UP: "已回访", CLOSED: "已结案",
};

/** A case's state in the page's language. */
export function stateLabel(state: string | undefined, lang: Lang): string {
  const bare = (state ?? "").replace("CASE_STATE_", "");
  return lang === "zh" ? STATES[bare] ?? bare : bare.toLowerCase().replace(/_/g, " ");
}
