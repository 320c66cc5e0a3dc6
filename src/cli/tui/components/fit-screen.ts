import { Box, type DOMElement } from "ink";
import { createElement as h, useLayoutEffect, useRef, type ReactElement, type ReactNode, type RefObject } from "react";

type YogaNode = NonNullable<DOMElement["yogaNode"]>;

/**
 * Keeps the live region (everything under the scrollback: the answer streaming in, a dialog, the
 * prompt, the status lines) shorter than the terminal. Ink treats a frame as tall as the terminal as
 * full-screen: from then on, every frame clears the terminal and its scrollback (what the shell
 * showed before wren included) and prints the whole transcript again. A long code block streaming
 * in, a dialog with a diff or `/` listing the commands in a short terminal did that at every frame.
 *
 * Parts that may grow are {@link FitZone}s: when the frame would be too tall, the zones are cut,
 * lowest priority first, right after Ink's layout and before the frame is drawn, so no frame that is
 * too tall is ever written (a frame drawn by a commit or by a resize alike).
 */
export class ScreenFit {
  readonly #patched = new WeakSet<YogaNode>();

  /** @param rows the terminal's height now (read at every layout, so a resize applies at once). */
  constructor(private readonly rows: () => number) {}

  /** Hooks into the layout of the tree `node` belongs to (once per tree). */
  attach(node: DOMElement): void {
    let root = node;
    while (root.parentNode) root = root.parentNode;
    const yoga = root.yogaNode;
    if (!yoga || this.#patched.has(yoga)) return;
    this.#patched.add(yoga);
    const layout = yoga.calculateLayout.bind(yoga);
    // Ink lays the tree out on each commit and on each resize, then draws: both go through here.
    yoga.calculateLayout = (...args: Parameters<YogaNode["calculateLayout"]>) => {
      const zones = zonesOf(root).sort((a, b) => a.priority - b.priority);
      for (const { yoga } of zones) yoga.setHeightAuto();
      layout(...args);
      // One zone at a time, laid out again after each cut: a zone may hold another.
      for (const zone of zones) {
        const excess = yoga.getComputedHeight() - this.limit();
        if (excess <= 0) break;
        const height = zone.yoga.getComputedHeight();
        if (height <= 0) continue;
        zone.yoga.setHeight(Math.max(0, height - excess));
        layout(...args);
      }
      for (const zone of zones) zone.onFit?.(zone.yoga.getComputedHeight(), zone.yoga.getChild(0)?.getComputedHeight() ?? 0);
    };
  }

  /** The most lines the live region may take: one less than the terminal has. */
  limit(): number {
    const rows = this.rows();
    return Number.isFinite(rows) && rows > 1 ? rows - 1 : Number.POSITIVE_INFINITY;
  }
}

/** What a zone says of itself to the layout hook, in its style: its priority, and who hears of its fit. */
interface ZoneMark {
  fitPriority?: number;
  fitReport?: FitReport;
}

/** Hears, after each layout, how many lines of a zone are shown and how many its content has. */
export type FitReport = (shown: number, total: number) => void;

/** The zones in the tree under `node`: boxes drawn by {@link FitZone}, marked in their style. */
function zonesOf(node: DOMElement, found: Array<{ yoga: YogaNode; priority: number; onFit?: FitReport }> = []): Array<{ yoga: YogaNode; priority: number; onFit?: FitReport }> {
  const { fitPriority: priority, fitReport } = node.style as ZoneMark;
  if (priority !== undefined && node.yogaNode) found.push({ yoga: node.yogaNode, priority, ...(fitReport ? { onFit: fitReport } : {}) });
  for (const child of node.childNodes) if (child.nodeName !== "#text") zonesOf(child, found);
  return found;
}

/** Hooks `fit` into the layout of the tree the returned ref's element is in. */
export function useFitRoot(fit: ScreenFit): RefObject<DOMElement | null> {
  const ref = useRef<DOMElement>(null);
  useLayoutEffect(() => {
    if (ref.current) fit.attach(ref.current);
  });
  return ref;
}

/**
 * A part of the live region that is cut when the frame would not fit the terminal: `keep: "end"`
 * keeps its last lines (a streaming answer, the prompt's text), `"start"` its first (a diff, the
 * status lines). Lower `priority` is cut first. `scrollTop` (with `keep: "start"`) leaves out that
 * many of its first lines, so what was cut can be scrolled to; `onFit` hears after each layout how
 * many lines are shown and how many the content has (scrolled-past ones included), to say what is
 * cut. It is called from the layout: it must not render synchronously.
 */
export function FitZone({ priority, keep, scrollTop = 0, onFit, children }: { priority: number; keep: "start" | "end"; scrollTop?: number; onFit?: FitReport; children?: ReactNode }): ReactElement {
  // Ink passes a box's unknown props on as its style, where the layout hook finds the zones.
  const mark: ZoneMark = { fitPriority: priority, ...(onFit ? { fitReport: onFit } : {}) };
  return h(
    Box,
    { ...(mark as object), flexDirection: "column", flexShrink: 0, overflowY: "hidden", justifyContent: keep === "end" ? "flex-end" : "flex-start" },
    h(Box, { flexDirection: "column", flexShrink: 0, ...(scrollTop > 0 ? { marginTop: -scrollTop } : {}) }, children),
  );
}
