import { ChatMLChatWrapper, QwenChatWrapper } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { userText, type ChatRequest } from "../protocol/index.js";
import { planChat } from "./generate.js";
import { HeldToolText } from "./held-tool-text.js";
import { parseToolCalls } from "./text-tool-calls.js";

const paris = { name: "get_weather", input: '{"city":"Paris"}' };

describe("tool calls parsed from a reply's text", () => {
  it("reads each common form", () => {
    expect(parseToolCalls('<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>')).toEqual({ text: "", calls: [paris] });
    expect(parseToolCalls('{"name": "get_weather", "arguments": {"city": "Paris"}}')).toEqual({ text: "", calls: [paris] });
    expect(parseToolCalls('```json\n{"name": "get_weather", "parameters": {"city": "Paris"}}\n```')).toEqual({ text: "", calls: [paris] });
    expect(parseToolCalls('<function=get_weather>{"city": "Paris"}</function>')).toEqual({ text: "", calls: [paris] });
    expect(parseToolCalls("<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>")).toEqual({ text: "", calls: [paris] });
    expect(parseToolCalls('<function_calls><invoke name="get_weather"><parameter name="city">Paris</parameter></invoke></function_calls>')).toEqual({
      text: "",
      calls: [paris],
    });
    expect(parseToolCalls('{"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}')).toEqual({ text: "", calls: [paris] });
  });

  it("keeps the text around calls, and finds several", () => {
    const reply = 'Checking both.<tool_call>{"name": "a", "arguments": {}}</tool_call><tool_call>{"name": "b", "arguments": {"n": 1}}</tool_call>';
    expect(parseToolCalls(reply)).toEqual({ text: "Checking both.", calls: [{ name: "a", input: "{}" }, { name: "b", input: '{"n":1}' }] });
  });

  it("keeps a malformed call as a call with its raw text, so validation can say what is wrong", () => {
    expect(parseToolCalls('<tool_call>{"name": "get_weather", "arguments": {"city": }</tool_call>')).toEqual({
      text: "",
      calls: [{ name: "get_weather", input: '{"name": "get_weather", "arguments": {"city": }' }],
    });
    expect(parseToolCalls("<tool_call>get weather please")).toMatchObject({ calls: [{ name: "" }] });
  });

  it("leaves ordinary text alone, JSON that is not a call included", () => {
    expect(parseToolCalls("It is sunny.")).toEqual({ text: "It is sunny.", calls: [] });
    expect(parseToolCalls('{"temperature": 21}')).toEqual({ text: '{"temperature": 21}', calls: [] });
  });
});

describe("held tool text", () => {
  const run = (chunks: string[]) => {
    const held = new HeldToolText();
    const streamed = chunks.map((c) => held.push(c)).join("");
    return { streamed, ...held.end() };
  };

  it("streams text up to an opener split across chunks, and never streams the call", () => {
    const r = run(["Let me look", ". <tool", "_call>", '{"name": "a", "arguments": {}}', "</tool_call>"]);
    expect(r.streamed).toBe("Let me look. ");
    expect(r.calls).toEqual([{ name: "a", input: "{}" }]);
    expect(r.text).toBe("");
  });

  it("holds a reply that starts with a brace, and gives it back as text when it is no call", () => {
    expect(run([" {", '"a": 1}'])).toEqual({ streamed: "", text: ' {"a": 1}', calls: [] });
    expect(run(["a <b> c"])).toEqual({ streamed: "a <b> c", text: "", calls: [] });
  });
});

describe("the prompt of a model without a function-calling format", () => {
  const tools = [{ name: "get_weather", inputSchema: { type: "object", properties: { city: { type: "string" } } } }];
  const messages: ChatRequest["messages"] = [
    { role: "system", content: "Be brief." },
    userText("Weather?"),
    { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "get_weather", input: { city: "Paris" } }] },
    { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "get_weather", output: "21 C" }] },
  ];

  it("describes the tools after the system prompt and shows earlier calls in the same <tool_call> form", () => {
    const plan = planChat(new ChatMLChatWrapper(), { messages, tools });
    expect(plan).toMatchObject({ textTools: true, functions: undefined });
    const prompt = plan.contextText.toString();
    expect(prompt).toContain("Be brief.\n\nYou can call tools.");
    expect(prompt).toContain('"name":"get_weather"');
    expect(prompt).toContain('<tool_call>\n{"name":"get_weather","arguments":{"city":"Paris"}}\n</tool_call>');
    expect(prompt).toContain("<tool_response>\n21 C\n</tool_response>");
    expect(prompt).not.toContain("||call");
  });

  it("leaves a format with its own call syntax to node-llama-cpp's function calling", () => {
    const plan = planChat(new QwenChatWrapper(), { messages, tools });
    expect(plan.textTools).toBe(false);
    expect(Object.keys(plan.functions ?? {})).toEqual(["get_weather"]);
    expect(plan.contextText.toString()).not.toContain("You can call tools.");
  });
});
