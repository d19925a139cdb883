package dev.maestro.engine.run;

/** How {@link RunStore#top} ranks a window's runs. */
public enum RunRanking {
  /** Finished runs, longest from creation to end first. */
  LONGEST,
  /** Any runs, most input plus output tokens first. */
  MOST_TOKENS
}
