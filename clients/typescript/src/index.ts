// The Minqing API for TypeScript: typed clients of its four services over HTTP (the Connect
// protocol, docs/http.md), generated from the .proto files into ./gen.
import { createRegistry } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AuditService } from "./gen/minqing/v1/audit_service_pb.js";
import { CaseCommandService } from "./gen/minqing/v1/case_command_service_pb.js";
import { CaseQueryService } from "./gen/minqing/v1/case_query_service_pb.js";
import { file_minqing_v1_events } from "./gen/minqing/v1/events_pb.js";
import { SupervisionService } from "./gen/minqing/v1/supervision_service_pb.js";

export * from "./gen/minqing/v1/audit_service_pb.js";
export * from "./gen/minqing/v1/case_command_service_pb.js";
export * from "./gen/minqing/v1/case_query_service_pb.js";
export * from "./gen/minqing/v1/case_pb.js";
export * from "./gen/minqing/v1/events_pb.js";
export * from "./gen/minqing/v1/supervision_service_pb.js";

export interface MinqingClients {
  commands: Client<typeof CaseCommandService>;
  queries: Client<typeof CaseQueryService>;
  supervision: Client<typeof SupervisionService>;
  audit: Client<typeof AuditService>;
}

/** Sends the caller's API key (x-api-key) with every call. */
export function apiKey(key: string): Interceptor {
  return (next) => async (request) => {
    request.header.set("x-api-key", key);
    return next(request);
  };
}

/**
 * A transport to a Minqing server's HTTP port (e.g. http://127.0.0.1:8080) that reads the stored
 * events inside replays and exports (google.protobuf.Any) as the API's event types.
 */
export function minqingTransport(baseUrl: string, key: string): Transport {
  return createConnectTransport({
    baseUrl,
    httpVersion: "1.1",
    interceptors: [apiKey(key)],
    jsonOptions: { registry: createRegistry(file_minqing_v1_events) },
  });
}

/** The four services' clients, calling as the holder of {@code key}. */
export function minqingClients(baseUrl: string, key: string): MinqingClients {
  const transport = minqingTransport(baseUrl, key);
  return {
    commands: createClient(CaseCommandService, transport),
    queries: createClient(CaseQueryService, transport),
    supervision: createClient(SupervisionService, transport),
    audit: createClient(AuditService, transport),
  };
}
