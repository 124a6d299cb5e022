import { useEffect, useMemo, useRef, useState } from "react";
import * as echarts from "echarts/core";
import { BarChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import { ApiError, call, type DepartmentRanking, type RateRow } from "./api";
import { csv, download } from "./csv";
import { rate } from "./format";
import { t, type Key, type Lang } from "./i18n";

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const DIMENSIONS = { RATE_DIMENSION_DEPARTMENT: "department", RATE_DIMENSION_DISTRICT: "district", RATE_DIMENSION_CATEGORY: "category" } as const;
const GRANULARITIES = { PERIOD_GRANULARITY_MONTH: "month", PERIOD_GRANULARITY_WEEK: "week", PERIOD_GRANULARITY_DAY: "day" } as const;
const RATES: [keyof RateRow, Key][] = [
  ["responseRate", "responseRate"], ["resolutionRate", "resolutionRate"], ["satisfactionRate", "satisfactionRate"],
  ["onTimeResolutionRate", "onTimeRate"], ["returnRate", "returnRate"], ["reopenRate", "reopenRate"],
];
const METRICS: [string, Key][] = [
  ["RANKING_METRIC_RESPONSE_RATE", "responseRate"], ["RANKING_METRIC_RESOLUTION_RATE", "resolutionRate"],
  ["RANKING_METRIC_SATISFACTION_RATE", "satisfactionRate"], ["RANKING_METRIC_ON_TIME_RESOLUTION_RATE", "onTimeRate"],
];

/** The browser's time zone: a supervisor's "today" is the one on their screen, and the rates count days in it. */
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** yyyy-mm-dd of the date in the browser's time zone. */
function day(date: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/** The first day of the month {@code back} months before the one {@code date} falls in (browser's zone). */
function monthStart(date: Date, back: number): string {
  const [year, month] = day(date).split("-").map(Number);
  return new Date(Date.UTC(year, month - 1 - back, 1)).toISOString().slice(0, 10);
}

/** The three rates (and on-time, return, reopen) per department, district or category and month, as a chart and a table with the raw counts. */
export function Rates({ apiKey, lang }: { apiKey: string; lang: Lang }) {
  const today = new Date();
  const [dimension, setDimension] = useState<keyof typeof DIMENSIONS>("RATE_DIMENSION_DEPARTMENT");
  const [granularity, setGranularity] = useState<keyof typeof GRANULARITIES>("PERIOD_GRANULARITY_MONTH");
  const [start, setStart] = useState(monthStart(today, 5));
  const [end, setEnd] = useState(day(today));
  const [rows, setRows] = useState<RateRow[] | null>(null);
  const [period, setPeriod] = useState<string>("");
  const [error, setError] = useState<string | null>(null);
  const [metric, setMetric] = useState(METRICS[0][0]);
  const [ranking, setRanking] = useState<DepartmentRanking[] | "forbidden" | null>(null);
  const chart = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setRows(null);
    setError(null);
    call<{ rates?: RateRow[] }>(apiKey, "SupervisionService/ListRates", {
      dimension, granularity, startDate: start, endDate: end, timeZone: ZONE, pageSize: 1000,
    }).then((answer) => {
      const found = answer.rates ?? [];
      setRows(found);
      const periods = [...new Set(found.map((r) => r.periodStart))].sort();
      setPeriod((current) => (periods.includes(current) ? current : periods[periods.length - 1] ?? ""));
    }).catch((e) => setError(String(e instanceof Error ? e.message : e)));
  }, [apiKey, dimension, granularity, start, end]);

  const periods = useMemo(() => [...new Set((rows ?? []).map((r) => r.periodStart))].sort(), [rows]);
  const shown = useMemo(() => (rows ?? []).filter((r) => r.periodStart === period), [rows, period]);

  useEffect(() => {
    if (!chart.current || shown.length === 0) {
      return;
    }
    const instance = echarts.init(chart.current);
    instance.setOption({
      tooltip: { trigger: "axis", valueFormatter: (v: number) => `${v.toFixed(1)} %` },
      legend: {},
      grid: { left: 48, right: 16, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: shown.map((r) => r.value || "—") },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value} %" } },
      series: RATES.slice(0, 3).map(([field, label]) => ({
        name: t(lang, label), type: "bar",
        data: shown.map((r) => Number((((r[field] as { value?: number } | undefined)?.value ?? 0) * 100).toFixed(1))),
      })),
    });
    const resize = () => instance.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      instance.dispose();
    };
  }, [shown, lang]);

  useEffect(() => {
    const row = shown[0];
    if (!row) {
      setRanking(null);
      return;
    }
    call<{ departmentRankings?: DepartmentRanking[] }>(apiKey, "SupervisionService/ListDepartmentRankings", {
      metric, startDate: row.periodStart, endDate: row.periodEnd, timeZone: ZONE, pageSize: 100,
    }).then((answer) => setRanking(answer.departmentRankings ?? []))
      .catch((e) => setRanking(e instanceof ApiError && e.status === 403 ? "forbidden" : []));
  }, [apiKey, metric, shown]);

  const exportCsv = () => {
    download(`rates-${period}.csv`, csv(
      [t(lang, "period"), t(lang, DIMENSIONS[dimension]), ...RATES.flatMap(([, label]) => [t(lang, label), "numerator", "denominator"])],
      shown.map((r) => [r.periodStart, r.value, ...RATES.flatMap(([field]) => {
        const value = r[field] as { numerator?: string; denominator?: string; value?: number } | undefined;
        return [value?.value ?? "", value?.numerator ?? "0", value?.denominator ?? "0"];
      })])));
  };

  return (
    <section aria-labelledby="rates-title">
      <div className="heading">
        <h2 id="rates-title">{t(lang, "rates")}</h2>
        <button type="button" onClick={exportCsv} disabled={!shown.length}>{t(lang, "exportCsv")}</button>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>{t(lang, "dimension")}
          <select value={dimension} onChange={(e) => setDimension(e.target.value as keyof typeof DIMENSIONS)}>
            {Object.entries(DIMENSIONS).map(([value, label]) => <option key={value} value={value}>{t(lang, label)}</option>)}
          </select>
        </label>
        <label>{t(lang, "granularity")}
          <select value={granularity} onChange={(e) => setGranularity(e.target.value as keyof typeof GRANULARITIES)}>
            {Object.entries(GRANULARITIES).map(([value, label]) => <option key={value} value={value}>{t(lang, label)}</option>)}
          </select>
        </label>
        <label>{t(lang, "from")}<input type="date" value={start} onChange={(e) => setStart(e.target.value)} /></label>
        <label>{t(lang, "to")}<input type="date" value={end} onChange={(e) => setEnd(e.target.value)} /></label>
        <label>{t(lang, "period")}
          <select data-testid="period" value={period} onChange={(e) => setPeriod(e.target.value)}>
            {periods.map((p) => <option key={p} value={p}>{granularity === "PERIOD_GRANULARITY_MONTH" ? p.slice(0, 7) : p}</option>)}
          </select>
        </label>
      </form>
      <details>
        <summary>{t(lang, "definitions")}</summary>
        <ul className="definitions">
          <li><b>{t(lang, "responseRate")}</b>: {lang === "zh" ? "按时响应（签收并联系诉求人）的派单数 ÷ 派单数" : "assignments responded to (acknowledged and citizen contacted) by the response deadline ÷ assignments"}</li>
          <li><b>{t(lang, "resolutionRate")}</b>: {lang === "zh" ? "回访中诉求人确认已解决的次数 ÷ 回访次数" : "follow-ups where the citizen confirmed it solved ÷ follow-ups"}</li>
          <li><b>{t(lang, "satisfactionRate")}</b>: {lang === "zh" ? "回访满意或基本满意的次数 ÷ 回访次数" : "follow-ups satisfied or basically satisfied ÷ follow-ups"}</li>
          <li><b>{t(lang, "onTimeRate")}</b>: {lang === "zh" ? "在办结时限内办结的次数 ÷ 办结次数" : "resolutions by the resolution deadline ÷ resolutions"}</li>
          <li><b>{t(lang, "returnRate")}</b>: {lang === "zh" ? "被承办单位退回的派单数 ÷ 派单数" : "assignments returned by the department ÷ assignments"}</li>
          <li><b>{t(lang, "reopenRate")}</b>: {lang === "zh" ? "办结后重办的次数 ÷ 办结次数" : "resolutions later reopened ÷ resolutions"}</li>
        </ul>
        <p className="muted">{lang === "zh" ? "完整定义见 docs/metrics.md。" : "The full definitions are in docs/metrics.md."}</p>
      </details>
      {error && <p role="alert" className="error">{t(lang, "error")}{error}</p>}
      {rows === null && !error && <p role="status">{t(lang, "loading")}</p>}
      {rows && shown.length === 0 && <p role="status">{t(lang, "empty")}</p>}
      {shown.length > 0 && (
        <>
          <div ref={chart} className="chart" role="img" aria-label={`${t(lang, "rates")} ${period.slice(0, 7)}`} />
          <table className="rates">
            <thead>
              <tr><th scope="col">{t(lang, DIMENSIONS[dimension])}</th>
                {RATES.map(([, label]) => <th scope="col" key={label}>{t(lang, label)}</th>)}</tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.value ?? ""} data-value={r.value ?? ""}>
                  <th scope="row">{r.value || "—"}</th>
                  {RATES.map(([field, label]) => <td key={label}>{rate(r[field] as never)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
          {ranking !== "forbidden" && (
            <>
              <div className="heading">
                <h3>{t(lang, "rankings")} {shown[0]?.periodStart} – {shown[0]?.periodEnd}</h3>
                <label>{t(lang, "metric")}
                  <select value={metric} onChange={(e) => setMetric(e.target.value)}>
                    {METRICS.map(([value, label]) => <option key={value} value={value}>{t(lang, label)}</option>)}
                  </select>
                </label>
              </div>
              <table className="rankings">
                <thead><tr><th scope="col">{t(lang, "rank")}</th><th scope="col">{t(lang, "department")}</th>
                  <th scope="col">{t(lang, "metric")}</th></tr></thead>
                <tbody>
                  {(ranking ?? []).map((r) => (
                    <tr key={r.department}>
                      <td>{r.insufficientSample ? t(lang, "unranked") : r.rank}</td>
                      <td>{r.department}</td>
                      <td>{rate(r.rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
    </section>
  );
}
