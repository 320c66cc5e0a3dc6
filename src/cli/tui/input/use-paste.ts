import { useStdin } from "ink";
import { useEffect, useRef } from "react";
import type { SplitStdin } from "./split-stdin.js";

/**
 * Calls `onPaste` with text the person pasted (split-stdin.ts emits it, in its place among the keys
 * that `useInput` gets). The newest `onPaste` is called: it may read the latest render's state.
 */
export function usePaste(onPaste: (text: string) => void): void {
  const { stdin } = useStdin();
  const handler = useRef(onPaste);
  handler.current = onPaste;
  useEffect(() => {
    const input = stdin as unknown as SplitStdin;
    const listener = (text: string): void => handler.current(text);
    input.on("paste", listener);
    return () => void input.off("paste", listener);
  }, [stdin]);
}
