type FetchInit = RequestInit | undefined;

/**
 * A fetch for an SDK that remembers the `retry-after` header of a failed response, which the SDKs'
 * errors do not carry, so the router can honour it. `adapt` may add a signal or wrap the response.
 */
export function captureRetryAfter(adapt: { init?: (init: FetchInit) => FetchInit; response?: (response: Response) => Response } = {}): {
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  retryAfter: () => string | null;
} {
  let retryAfter: string | null = null;
  return {
    fetch: async (input, init) => {
      const response = await fetch(input, adapt.init ? adapt.init(init) : init);
      if (!response.ok) retryAfter = response.headers.get("retry-after");
      return adapt.response ? adapt.response(response) : response;
    },
    retryAfter: () => retryAfter,
  };
}
