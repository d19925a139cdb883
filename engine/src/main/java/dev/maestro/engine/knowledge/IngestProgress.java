package dev.maestro.engine.knowledge;

/** Told how an ingestion advances, for a progress bar. Called on the ingesting thread. */
public interface IngestProgress {
  IngestProgress NONE = new IngestProgress() {};

  /** The documents to look at are known. */
  default void started(int documents) {}

  /** One more document was handled (ingested, unchanged or skipped). */
  default void advanced(String document) {}
}
