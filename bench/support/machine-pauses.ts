/**
 * How often this machine takes the CPU from a thread that wants it: a busy loop
 * reads the clock for `ms` and notes every gap of more than 1 ms between two
 * readings (the loop itself takes well under a microsecond a turn). On a virtual
 * machine these are mostly the hypervisor's, which the guest's steal counter may
 * not show. A request whose thread loses the CPU waits the gap out: it is the
 * floor under any one-at-a-time tail this machine measures.
 */
export interface MachinePauses {
  seconds: number;
  /** Gaps over 1 ms. */
  count: number;
  /** Their sum, as a share of the time watched. */
  share: number;
  longestMs: number;
}

export function measureMachinePauses(ms = 5000): MachinePauses {
  const start = performance.now();
  let last = start;
  let count = 0;
  let sum = 0;
  let longest = 0;
  for (;;) {
    const now = performance.now();
    const gap = now - last;
    if (gap > 1) {
      count++;
      sum += gap;
      longest = Math.max(longest, gap);
    }
    last = now;
    if (now - start >= ms) break;
  }
  return { seconds: ms / 1000, count, share: sum / ms, longestMs: longest };
}

export const describeMachinePauses = (p: MachinePauses) =>
  `a busy thread lost the CPU ${p.count} times in ${p.seconds} s for over 1 ms (${(p.share * 100).toFixed(1)} % of the time, longest ${p.longestMs.toFixed(1)} ms)`;
