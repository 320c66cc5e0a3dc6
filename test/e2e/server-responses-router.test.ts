import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { teacherRouter } from "../helpers/teacher-env.js";

// No local model: every Responses request goes through the router to the OpenAI teacher stand-in.
describe("wren serve's Responses API through the router: provenance, upstream failures", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;
  let openai: OpenAI;

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    server = await startServer({
      models: [],
      host: "127.0.0.1",
      port: 0,
      env: { OPENAI_API_KEY: "sk-test" },
      router: teacherRouter(teacher.url),
    });
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  it("auto answers with the route's provenance in the headers and on the final response", async () => {
    const { data, response } = await openai.responses.create({ model: "auto", input: "Say hello." }).withResponse();
    expect(data.output_text).toBe("Hello from the cloud.");
    expect([response.headers.get("x-wren-provider"), response.headers.get("x-wren-model"), response.headers.get("x-wren-route")]).toEqual(["openai", "gpt-4o-mini", "default"]);
    expect((data as unknown as Record<string, unknown>)["wren_provenance"]).toMatchObject({ provider: "openai", model: "gpt-4o-mini", route: "default" });
    expect(teacher.requests.at(-1)!.body["messages"]).toEqual([{ role: "user", content: "Say hello." }]);

    const stream = await openai.responses.create({ model: "default", input: "Say hello.", stream: true });
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) if (event.type === "response.completed") completed = event.response;
    expect(completed!.output.flatMap((o) => (o.type === "message" ? o.content.map((c) => (c.type === "output_text" ? c.text : "")) : [])).join("")).toBe("Hello from the cloud.");
  });

  it("an upstream failure before output is an error response; a cut after output ends the stream with response.failed", async () => {
    teacher.fail({ kind: "status", status: 400 });
    await expect(openai.responses.create({ model: "openai:gpt-4o-mini", input: "Say hello." })).rejects.toBeInstanceOf(OpenAI.APIError);

    teacher.fail({ kind: "cut", afterEvents: 3 });
    const stream = await openai.responses.create({ model: "openai:gpt-4o-mini", input: "Say hello.", stream: true });
    const types: string[] = [];
    let failed: OpenAI.Responses.ResponseFailedEvent | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.failed") failed = event;
    }
    expect(types).toContain("response.output_text.delta");
    expect(types.at(-1)).toBe("response.failed");
    expect(types).not.toContain("response.completed");
    expect(failed!.response.status).toBe("failed");
    expect(failed!.response.error).toMatchObject({ code: "server_error" });
    expect(failed!.response.error!.message.length).toBeGreaterThan(0);
    // The failed response is stored as such.
    expect((await openai.responses.retrieve(failed!.response.id)).status).toBe("failed");
  });
});
