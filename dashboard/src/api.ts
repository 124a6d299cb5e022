// The server's API over HTTP (the Connect protocol, docs/http.md): a method is a POST of JSON to
// /minqing.v1.<Service>/<Method>, with the caller's key in x-api-key. Same origin: no CORS.

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

export async function call<T>(key: string, method: string, body: object = {}): Promise<T> {
  const response = await fetch(`/${method.startsWith("grpc.") ? "" : "minqing.v1."}${method}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "x-api-key": key },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new ApiError(json.code ?? "unknown", json.message ?? response.statusText, response.status);
  }
  return json as T;
}

export interface Timestamped {
  [key: string]: unknown;
}

export interface WorklistItem {
  case: string;
  title: string;
  state: string;
  department?: string;
  district?: string;
  grid?: string;
  category?: string;
  urgency?: string;
  status: string;
  deadlineKind?: string;
  deadline?: string;
  urgeCount?: number;
  supervised?: boolean;
}

export interface Case {
  name: string;
  state: string;
  title: string;
  category: string;
  urgency?: string;
  department?: string;
  handler?: string;
  location?: { district?: string; grid?: string };
  reportTime?: string;
  responseDeadline?: string;
  resolutionDeadline?: string;
  responseOverdue?: boolean;
  resolutionOverdue?: boolean;
  satisfaction?: string;
  solved?: boolean;
  visits?: { name: string; state?: string; scheduledTime?: string; place?: string }[];
  revision?: string;
}

export interface TimelineEntry {
  name: string;
  sequence?: string;
  eventTime: string;
  eventType: string;
  actor?: { id?: string; role?: string; organization?: string };
  partnerSystem?: string;
  summary: string;
}

export interface Rate {
  numerator?: string;
  denominator?: string;
  value?: number;
}

export interface RateRow {
  periodStart: string;
  periodEnd: string;
  value?: string;
  responseRate?: Rate;
  resolutionRate?: Rate;
  satisfactionRate?: Rate;
  onTimeResolutionRate?: Rate;
  returnRate?: Rate;
  reopenRate?: Rate;
}

export interface DepartmentRanking {
  rank?: number;
  department: string;
  rate?: Rate;
  insufficientSample?: boolean;
}
