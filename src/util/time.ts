// The node's clock with Core's mock time: one object that every time-dependent component reads, so that
// setmocktime moves them all (block times, the IBD latch, the future-time rule, RPC waits).

/** Core's GetTime()/NodeClock with SetMockTime(): wall time unless a mock time (seconds) is set. */
export class NodeClock {
  private mockSeconds = 0;
  private readonly listeners = new Set<(mockSeconds: number) => void>();

  /** Seconds since the epoch, mocked when a mock time is set. */
  now(): number {
    return this.mockSeconds !== 0 ? this.mockSeconds : Math.floor(Date.now() / 1000);
  }

  /** Milliseconds since the epoch, mocked when a mock time is set. */
  nowMs(): number {
    return this.mockSeconds !== 0 ? this.mockSeconds * 1000 : Date.now();
  }

  /** 0 when no mock time is set. */
  get mockTime(): number {
    return this.mockSeconds;
  }

  /** Sets (or with 0 clears) the mock time, and tells the components that keep their own timers. */
  setMockTime(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 0) throw new RangeError(`mock time out of range: ${seconds}`);
    this.mockSeconds = seconds;
    for (const cb of this.listeners) cb(seconds);
  }

  /** Subscribes to mock time changes; returns the unsubscribe function. */
  onMockTime(cb: (mockSeconds: number) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
}
