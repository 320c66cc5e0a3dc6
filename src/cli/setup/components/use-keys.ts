import { useInput, type Key } from "ink";
import { createContext, useCallback, useContext, useLayoutEffect, useRef } from "react";

export type KeyHandler = (input: string, key: Key) => void;

/** The key handler of the step on screen now. */
export const KeysContext = createContext<{ current: KeyHandler | undefined }>({ current: undefined });

/**
 * Makes `handler` the one that answers keys. It is installed in a layout effect, which runs in the
 * same synchronous commit that draws the frame: a key typed once a step is on screen reaches that
 * step's newest handler. (Ink's `useInput` subscribes in a passive effect, which can run after the
 * frame is drawn, so a fast key could reach the previous step, or a handler with stale state.)
 */
export function useKeys(handler: KeyHandler): void {
  const active = useContext(KeysContext);
  useLayoutEffect(() => {
    active.current = handler;
    return () => {
      if (active.current === handler) active.current = undefined;
    };
  });
}

/** The wizard's single subscription to Ink's input: Esc cancels, every other key goes to the step on screen. */
export function useKeyRouter(onEscape: () => void): { current: KeyHandler | undefined } {
  const active = useRef<KeyHandler | undefined>(undefined);
  const escape = useRef(onEscape);
  useLayoutEffect(() => {
    escape.current = onEscape;
  });
  useInput(
    useCallback((input: string, key: Key) => {
      if (key.escape) escape.current();
      else active.current?.(input, key);
    }, []),
  );
  return active;
}
