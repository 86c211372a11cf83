// How init reports to the user without a GUI (Core's noui.cpp and InitError/InitWarning): errors and
// warnings go to the log and to stderr as "Error: ..."/"Warning: ...", init messages to the log only.
import type { Logger } from '../util/logging.js';

export interface InitUI {
  /** Core's InitError: always returns false so callers can `return ui.initError(...)`. */
  initError(message: string, details?: readonly string[]): false;
  initWarning(message: string): void;
  /** Core's uiInterface.InitMessage: the progress text, also shown by RPC during warm-up. */
  initMessage(message: string): void;
}

export interface InitUIOptions {
  logger: Logger;
  stderr?: (text: string) => void;
  /** Extra listeners of init messages (the RPC warm-up status). */
  onInitMessage?: (message: string) => void;
}

export class NoUI implements InitUI {
  private readonly stderr: (text: string) => void;
  private readonly messageListeners: Array<(message: string) => void> = [];

  constructor(private readonly options: InitUIOptions) {
    this.stderr = options.stderr ?? ((text) => process.stderr.write(text));
  }

  initError(message: string, details: readonly string[] = []): false {
    const text = details.length === 0 ? message : `${message}:\n${details.map((d) => `- ${d}`).join('\n')}`;
    this.options.logger.error(text);
    this.stderr(`Error: ${text}\n`);
    return false;
  }

  initWarning(message: string): void {
    this.options.logger.warning(message);
    this.stderr(`Warning: ${message}\n`);
  }

  initMessage(message: string): void {
    this.options.logger.info(`init message: ${message}`);
    for (const listener of this.messageListeners) listener(message);
  }

  /** Adds a listener of init messages (Core connects SetRPCWarmupStatus this way). */
  connectInitMessage(listener: (message: string) => void): void {
    this.messageListeners.push(listener);
  }
}
