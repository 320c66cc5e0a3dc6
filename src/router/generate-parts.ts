import type { CallOptions, ChatRequest, LanguageModel, StreamPart } from "../protocol/index.js";
import { generateAsStream } from "./generate-as-stream.js";

/**
 * A model whose non-streamed call can also be read as parts: the router's models, which call
 * their targets without streaming yet report provenance (and each failover) as parts, as a stream does.
 */
export interface WholeAsParts {
  doGenerateParts(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart>;
}

function hasWholeParts(model: LanguageModel): model is LanguageModel & WholeAsParts {
  return typeof (model as Partial<WholeAsParts>).doGenerateParts === "function";
}

/**
 * The non-streamed answer of `model` as parts: what an edge that commits to a status on the first
 * part needs when its client asked for one response. Upstreams are called without streaming, so a
 * response cut before it is whole is a failure before any byte reached the client, and the router
 * fails over to its next target instead of answering 502.
 */
export function generateParts(model: LanguageModel, request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
  return hasWholeParts(model) ? model.doGenerateParts(request, options) : generateAsStream(model, request, options);
}
