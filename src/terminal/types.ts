// Plain data shared by the terminal engine's modules.

/** How the program ended. `signal` is a name such as "SIGTERM" when a signal killed it. */
export interface ExitInfo {
  exitCode: number;
  signal?: string | undefined;
}

/** A rectangle of cells, 0-based, inclusive on all sides. */
export interface Region {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Something that can be undone; mirrors xterm's IDisposable. */
export interface Disposable {
  dispose(): void;
}
