// The Echo interface (Core's interfaces/echo.cpp): returns its input, to check that an IPC connection works.
import type { Echo } from '../interfaces/echo.js';

export class EchoImpl implements Echo {
  async echo(echo: string): Promise<string> {
    return echo;
  }

  /** Holds nothing. */
  async destroy(): Promise<void> {}
}
