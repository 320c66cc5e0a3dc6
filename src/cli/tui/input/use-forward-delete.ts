import { useStdin } from "ink";
import { isForwardDelete, type SplitStdin } from "./split-stdin.js";

/**
 * Ink calls Backspace and Delete both `delete`. The returned function says, inside a `useInput`
 * handler, whether the key being handled is Delete (the character under the cursor goes) rather
 * than Backspace (the one before it): the key as the terminal sent it (split-stdin.ts) tells.
 */
export function useForwardDelete(): () => boolean {
  const { stdin } = useStdin();
  return () => isForwardDelete((stdin as unknown as SplitStdin).lastKey);
}
