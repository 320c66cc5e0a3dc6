import { boundedAnswer, MAX_ANSWER_BYTES } from "./answer-bound.js";

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
}

/**
 * The fetch wren gives an SDK: each answer is bounded ({@link boundedAnswer}), and the `retry-after`
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
      const response = boundedAnswer(await fetch(input, adaptInit ? adaptInit(init) : init), provider, maxAnswerBytes);
      if (!response.ok) retryAfter = response.headers.get("retry-after");
      return adaptResponse ? adaptResponse(response) : response;
    },
    retryAfter: () => retryAfter,
  };
}
