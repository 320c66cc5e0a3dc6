/** A tool call as an SDK hands it back. */
export interface SeenToolCall {
  name: string;
  args: unknown;
}

/** The tool every SDK declares, in JSON Schema: the teacher stand-in calls it. */
export const weatherParameters: { type: "object"; properties: { city: { type: "string" } }; required: string[] } = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
};

/** Where the SDKs find wren, and the model names they ask for. */
export interface SdkTarget {
  /** wren's base URL, no path. */
  url: string;
  /** A served local model: answers with the synthetic model's reply. */
  localModel: string;
  /** A `provider:model` id the router sends to the teacher stand-in, which calls the tool. */
  teacherModel: string;
}

/** One SDK driven the way its documentation shows, with only the base URL changed. */
export interface SdkClient {
  name: string;
  /** Asks the local model "Say hello." and returns the text it got. */
  text(target: SdkTarget, stream: boolean): Promise<string>;
  /** Asks the teacher about the weather with one tool declared and returns the calls it got. */
  toolCalls(target: SdkTarget, stream: boolean): Promise<SeenToolCall[]>;
}

export const helloPrompt = "Say hello.";
export const weatherPrompt = "What is the weather in Oslo?";
