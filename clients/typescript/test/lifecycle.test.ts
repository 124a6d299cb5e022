// One case's life through the generated TypeScript client, against a running server whose HTTP
// port is MINQING_HTTP (the server module's TypeScriptClientTest starts one and runs this).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  CaseState,
  Channel,
  ContactMethod,
  Satisfaction,
  Urgency,
  minqingClients,
  type Case,
} from "../src/index.js";

const baseUrl = process.env.MINQING_HTTP;
if (!baseUrl) {
  throw new Error("MINQING_HTTP must name the server's HTTP port, e.g. http://127.0.0.1:8080");
}
const centre = minqingClients(baseUrl, "minqing-dev-key");
const waterBureau = minqingClients(baseUrl, "minqing-dev-water-bureau");
const auditor = minqingClients(baseUrl, "minqing-dev-auditor");

/** The case's read model once it has caught up with {@code revision}. */
async function readModel(name: string, revision: bigint): Promise<Case> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const read = await centre.queries.getCase({ name });
      if (read.revision >= revision) {
        return read;
      }
    } catch (e) {
      if (ConnectError.from(e).code !== Code.NotFound) {
        throw e;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the read model of ${name} did not reach revision ${revision}`);
}

test("a case's life, from report to close, through the generated client", async () => {
  const reported = await centre.commands.reportCase({
    requestId: randomUUID(),
    channel: Channel.WECHAT,
    partnerReference: `TS-${randomUUID()}`,
    citizen: { name: "韩梅梅", phone: "13700000000" },
    category: "water",
    urgency: Urgency.NORMAL,
    title: "Burst pipe at the corner",
    location: { district: "chaoyang", grid: "cy-017", address: "某街 7号" },
  });
  const name = reported.case;
  assert.match(name, /^cases\//);
  assert.equal(reported.revision, 1n);
  assert.deepEqual(reported.eventTypes, ["minqing.v1.CaseReported"]);

  await centre.commands.acceptCase({ name, requestId: randomUUID() });
  await centre.commands.dispatchCase({ name, requestId: randomUUID(), department: "water-bureau", handler: "zhang-san" });
  await waterBureau.commands.acknowledgeCase({ name, requestId: randomUUID() });
  await waterBureau.commands.recordCitizenContact({ name, requestId: randomUUID(), method: ContactMethod.PHONE });
  await waterBureau.commands.resolveCase({ name, requestId: randomUUID(), summary: "pipe replaced" });
  await centre.commands.recordFeedback({ name, requestId: randomUUID(), solved: true, satisfaction: Satisfaction.SATISFIED });
  const closed = await centre.commands.closeCase({ name, requestId: randomUUID() });

  const read = await readModel(name, closed.revision);
  assert.equal(read.state, CaseState.CLOSED);
  assert.equal(read.department, "water-bureau");

  const timeline = await centre.queries.listTimelineEntries({ parent: name });
  assert.equal(timeline.timelineEntries[0].eventType, "minqing.v1.CaseReported");

  const replayed: string[] = [];
  for await (const event of auditor.audit.replayCase({ name })) {
    replayed.push(event.event?.typeUrl.split("/").pop() ?? "");
  }
  assert.equal(BigInt(replayed.length), closed.revision);
  assert.equal(replayed[0], "minqing.v1.CaseReported");
  assert.equal(replayed.at(-1), "minqing.v1.CaseClosed");

  const verdict = await auditor.audit.verifyCase({ name });
  assert.equal(verdict.intact, true);
});

test("refusals arrive as ConnectErrors with the gRPC code", async () => {
  const reported = await centre.commands.reportCase({
    requestId: randomUUID(),
    channel: Channel.WEB,
    partnerReference: `TS-${randomUUID()}`,
    citizen: { name: "李雷", phone: "13600000000" },
    category: "water",
    urgency: Urgency.NORMAL,
    title: "Leak",
    location: { district: "chaoyang", grid: "cy-017", address: "某街 9号" },
  });
  await centre.commands.acceptCase({ name: reported.case, requestId: randomUUID() });
  await assert.rejects(centre.commands.acceptCase({ name: reported.case, requestId: randomUUID() }),
    (e) => ConnectError.from(e).code === Code.FailedPrecondition && ConnectError.from(e).message.includes("ACCEPTED"));
  await assert.rejects(auditor.commands.acceptCase({ name: reported.case, requestId: randomUUID() }),
    (e) => ConnectError.from(e).code === Code.PermissionDenied);
  await assert.rejects(centre.commands.acceptCase({ name: reported.case, requestId: "" }),
    (e) => ConnectError.from(e).code === Code.InvalidArgument && ConnectError.from(e).message.includes("request_id"));
});
