import { useRef, useState } from "react";

/**
 * State whose latest value key handlers read through `ref`: a key can arrive before React has
 * handed Ink the handler of the newest render, and must not see the text as it was a key ago.
 */
export function useCurrent<T>(initial: T): [T, (next: T) => void, { readonly current: T }] {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const set = (next: T): void => {
    ref.current = next;
    setValue(next);
  };
  return [value, set, ref];
}
