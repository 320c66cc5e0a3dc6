import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/**
 * Refuses request bodies over `maxSize` bytes. A body whose `content-length` states its size (what
 * every client sends for a JSON request) is judged by that header alone; only a chunked body is
 * counted as it streams, by hono's `bodyLimit`. hono's middleware reads `request.body` first thing,
 * which on the Node server builds a whole web `Request` and a web stream per request; the routes read
 * a body through `arrayBuffer()`, which the Node server answers from the socket directly.
 */
export function bodySizeLimit(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  const counted = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const method = c.req.method;
    // The Node server gives these no body, whatever their headers say.
    if (method === "GET" || method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      // Node's HTTP parser has already refused a content-length that is not a number.
      if (Number.parseInt(length, 10) > maxSize) return onError(c);
      return next();
    }
    return counted(c, next);
  };
}
