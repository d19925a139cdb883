package dev.maestro.engine.run;

/** How soon an append must reach durable storage. Either way it is committed and visible at once. */
public enum Durability {
  /** On durable storage before the append returns: a crash right after cannot lose it. */
  IMMEDIATE,
  /**
   * On durable storage with the next {@link #IMMEDIATE} append of any run, or within a short delay
   * (about half a second), whichever comes first; a crash of the database itself (or of an
   * embedded database's process) in between loses it. For events whose loss a resume recovers from
   * without harm: the outcome of an idempotent tool call, which is then simply called again. A
   * store whose database lives in the process (embedded H2) writes these through like any other,
   * since the process dying is the crash that matters most.
   */
  DEFERRED
}
