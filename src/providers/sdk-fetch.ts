import type { Dispatcher } from "undici";
import { boundedAnswer, MAX_ANSWER_BYTES } from "./answer-bound.js";
import { redirectRefused } from "./upstream-error.js";
import { nodeFetchTakesAgent } from "../shared/node-fetch.js";

/** Whether this Node's fetch takes wren's pool (see {@link nodeFetchTakesAgent}): decided once, not per request. */
const OWN_POOL = nodeFetchTakesAgent(process.versions["undici"]);

type FetchInit = RequestInit | undefined;

export interface SdkFetchOptions {
  /** Registry name, for error messages. */
  provider: string;
  /** The most bytes one answer may take. Default {@link MAX_ANSWER_BYTES}. */
  maxAnswerBytes?: number | undefined;
  /** Adds to each request's init (a signal). */
  init?: (init: FetchInit) => FetchInit;
  /** Wraps each response, after the bound. */
  response?: (response: Response) => Response;
  /**
   * The connection pool the requests go through: the model's own `silenceAgent()`, whose only
   * silence limit is a failsafe, where Node's fetch would drop a request after 5 minutes without
   * headers whatever the router allows it. Default, and on a Node whose fetch refuses wren's
   * undici ({@link nodeFetchTakesAgent}): Node's.
   */
  dispatcher?: () => Promise<Dispatcher>;
}

/**
 * Loads the pool an {@link sdkFetch} given `dispatcher` sends through, where this Node's fetch
 * takes one: for a model's `prepare`, so that its first request does not load it.
 */
export async function loadPool(dispatcher: () => Promise<Dispatcher>): Promise<void> {
  if (OWN_POOL) await dispatcher();
}

/**
 * The fetch wren gives an SDK: no redirect is followed, each answer is bounded ({@link boundedAnswer}), and the `retry-after`
 * header of a failed response, which the SDKs' errors do not carry, is remembered so the router can
 * honour it.
 */
export function sdkFetch(options: SdkFetchOptions): {
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  retryAfter: () => string | null;
} {
  const { provider, maxAnswerBytes = MAX_ANSWER_BYTES, init: adaptInit, response: adaptResponse } = options;
  let retryAfter: string | null = null;
  return {
    fetch: async (input, init) => {
      const adapted = adaptInit ? adaptInit(init) : init;
      // Node's fetch takes undici's `dispatcher` (an option its types leave out).
      const withDispatcher = options.dispatcher && OWN_POOL ? ({ ...adapted, dispatcher: await options.dispatcher() } as RequestInit) : adapted;
      // A redirect is not followed: fetch would send the prompt on to wherever it points, with the
      // key in the headers it keeps across hosts (x-api-key, x-goog-api-key).
      const answer = await fetch(input, { ...withDispatcher, redirect: "manual" });
      if (answer.status >= 300 && answer.status < 400) {
        void answer.body?.cancel().catch(() => undefined);
        throw redirectRefused(provider, answer.status, answer.headers.get("location"));
      }
      const response = boundedAnswer(answer, provider, maxAnswerBytes);
      if (!response.ok) retryAfter = response.headers.get("retry-after");
      return adaptResponse ? adaptResponse(response) : response;
    },
    retryAfter: () => retryAfter,
  };
}

