/**
 * Credentials written into a URL (`https://user:password@host/…`): wren takes none, and never
 * repeats them (a model's URL is kept in the store's index and shown in messages).
 */

/** The part of an absolute URL's authority before `@`, if it has one (whether or not the URL parses). */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

/** Whether `url` carries a user name or password. */
export function hasCredentials(url: string): boolean {
  return USERINFO.test(url.trim());
}

/** `url` with its user name and password replaced by `…`, to say which URL was meant. */
export function withoutCredentials(url: string): string {
  return url.trim().replace(USERINFO, "$1…@");
}
