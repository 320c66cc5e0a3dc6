/**
 * Captures what each agent CLI sends, once, as fixtures for the fast schema test:
 * `npx tsx test/clients/capture-fixtures.ts [name...]` (build first: it runs `wren serve` from
 * dist/). Keeps each CLI's main request (its largest to a chat endpoint) as
 * test/fixtures/clients/<cli>.<dialect>.json. Rerun it when a pinned version changes.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "../helpers/shared-models.js";
import { agentClient, agentClients } from "./clients.js";
import { ensureClient } from "./install.js";
import { toFixture } from "./fixture-format.js";
import { startRecordingProxy } from "./recording-proxy.js";
import { runClient } from "./run-client.js";
import { longContextModelId, startWrenServe } from "./wren-server.js";

const chatPath = /\/v1\/messages(\?|$)|\/v1\/responses$|\/v1\/chat\/completions$|:(stream)?[gG]enerateContent/;

const names = process.argv.slice(2);
const clients = names.length ? names.map(agentClient) : agentClients;
await using wren = await startWrenServe();
for (const client of clients) {
  await ensureClient(client);
  await using proxy = await startRecordingProxy(wren.url);
  const run = await runClient(client, { baseURL: proxy.url, model: longContextModelId, prompt: "Say hello.", timeoutMs: 900_000 });
  const chats = proxy.requests.filter((r) => chatPath.test(r.path) && r.body !== undefined);
  const main = chats.reduce<(typeof chats)[number] | undefined>((best, r) => (!best || JSON.stringify(r.body).length > JSON.stringify(best.body).length ? r : best), undefined);
  if (!main) {
    process.stderr.write(`${client.name}: sent no chat request (exit ${run.code}): ${run.stderr.slice(-2000)}\n`);
    continue;
  }
  const file = path.join(projectRoot, "test", "fixtures", "clients", `${client.name}.${client.dialect}.json`);
  await writeFile(file, `${JSON.stringify(toFixture(main), null, 2)}\n`);
  process.stderr.write(`${client.name}: ${main.method} ${main.path} (answered ${main.status}) → ${path.relative(projectRoot, file)}\n`);
}
