const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The longest header value wren sends for a value that came from a client or a config. */
export const MAX_HEADER_VALUE = 256;

/**
 * A value that is safe to set as a response header. Header values are bytes, and anything past
 * printable ASCII is trouble: characters above U+00FF make the `Headers` object throw (a 500),
 * control characters such as DEL make a malformed reply, and Latin-1 letters are read differently
 * by different clients. Such a value is percent-encoded as UTF-8 (`encodeURIComponent`), which
 * clients can decode, and every value is capped at {@link MAX_HEADER_VALUE} characters.
 */
export function headerValue(value: string): string {
  const safe = PRINTABLE_ASCII.test(value) ? value : encodeURIComponent(value);
  return safe.length > MAX_HEADER_VALUE ? safe.slice(0, MAX_HEADER_VALUE) : safe;
}
