/**
 * A JSON response whose headers stay a plain object. hono's `c.json(body, status, headers)` turns
 * more than one header into a `Headers` object, which the Node adapter then converts back for
 * `writeHead`; a plain object goes to `writeHead` as it is. For the non-streamed answers of the
 * generation routes, which every such request pays for.
 */
export function jsonResponse(body: unknown, headers: Record<string, string> = {}, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}
