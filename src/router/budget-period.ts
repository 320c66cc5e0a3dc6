/** A budget's period: it resets at 00:00 UTC each day, or on the 1st of each month. */
export type BudgetPeriod = "day" | "month";

/** The period a moment falls in: its id (part of the counter's key) and when it ends. */
export interface PeriodWindow {
  /** `2026-11-30` for a day, `2026-11` for a month. */
  id: string;
  /** The first millisecond of the next period (UTC). */
  resetsAt: number;
}

/** Periods are UTC so that replicas in different time zones count into the same one. */
export function periodWindow(period: BudgetPeriod, nowMs: number): PeriodWindow {
  const now = new Date(nowMs);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const mm = String(m + 1).padStart(2, "0");
  if (period === "month") return { id: `${y}-${mm}`, resetsAt: Date.UTC(y, m + 1, 1) };
  const d = now.getUTCDate();
  return { id: `${y}-${mm}-${String(d).padStart(2, "0")}`, resetsAt: Date.UTC(y, m, d + 1) };
}
