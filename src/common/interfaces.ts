// Local implementations of the process-independent interfaces (Core's common/interfaces.cpp).
import type { Echo } from '../interfaces/echo.js';

class LocalEcho implements Echo {
  async destroy(): Promise<void> {
    // Nothing is held: a local echo has no connection or remote object to release.
  }

  async echo(echo: string): Promise<string> {
    return echo;
  }
}

/** An Echo that answers in this process (Core's interfaces::MakeEcho). */
export function makeEcho(): Echo {
  return new LocalEcho();
}
