// Echo: the simplest interface, used to check that an IPC connection works end to end.

export interface Echo {
  /** Frees the object (remotely: synchronously, on the thread that runs this client's calls). */
  destroy(): Promise<void>;
  /** Returns `echo` unchanged. */
  echo(echo: string): Promise<string>;
}
