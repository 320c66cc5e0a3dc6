import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_MODEL_REPLY } from "../helpers/shared-models.js";
import { agentClients, isSelected, type ClientDialect } from "./clients.js";
import { startOutboundTrap, trapEnv, type OutboundTrap } from "./outbound-trap.js";
import { startRecordingProxy, type RecordingProxy } from "./recording-proxy.js";
import { runClient } from "./run-client.js";
import { longContextModelId, startWrenServe, type WrenServe } from "./wren-server.js";

/** The endpoint each dialect's model requests go to. */
const chatPaths: Record<ClientDialect, RegExp> = {
  anthropic: /^\/v1\/messages(\?|$)/,
  responses: /^\/v1\/responses$/,
  gemini: /^\/v1(beta)?\/models\/[^/:]+:(stream)?[gG]enerateContent(\?|$)/,
  openai: /^\/v1\/chat\/completions$/,
};


describe("agent CLIs, unchanged, against wren serve on the 128k synthetic model", () => {
  let wren: WrenServe;
  let proxy: RecordingProxy;
  let trap: OutboundTrap;

  beforeAll(async () => {
    wren = await startWrenServe();
    proxy = await startRecordingProxy(wren.url);
    trap = await startOutboundTrap();
  });
  afterAll(async () => {
    await trap?.close();
    await proxy?.close();
    await wren?.close();
  });

  for (const client of agentClients) {
    // Skipped (and so reported, never counted as passing): a CLI this Node cannot run, or one not selected.
    it.skipIf(!isSelected(client))(`${client.name} ${client.version} (${client.pkg}, ${client.dialect}) prints the model's reply in its headless mode`, async () => {
      proxy.requests.length = 0;
      trap.attempts.length = 0;
      const run = await runClient(client, { baseURL: proxy.url, model: longContextModelId, prompt: "Say hello.", timeoutMs: 840_000, extraEnv: trapEnv(trap) });
      const seen = proxy.requests.map((r) => `${r.method} ${r.path} → ${r.status ?? "no answer"}`);
      const context = `exit ${run.code}${run.signal ? ` (${run.signal})` : ""}\nrequests:\n${seen.join("\n")}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr.slice(-4000)}`;
      expect(run.stdout, context).toContain(CHAT_MODEL_REPLY);
      expect(run.code, context).toBe(0);
      const chats = proxy.requests.filter((r) => chatPaths[client.dialect].test(r.path));
      expect(chats.length, context).toBeGreaterThan(0);
      // Every request wren answered well: no refusal the client happened to survive, no retry after a 5xx.
      expect(seen.filter((line) => !/→ 2\d\d$/.test(line)), context).toEqual([]);
      const unexpected = trap.attempts.filter((host) => client.unstoppable?.[host] === undefined);
      expect(unexpected, `${client.name} tried to reach the network`).toEqual([]);
    });
  }
});
