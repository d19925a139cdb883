package dev.maestro.engine.knowledge;

import java.util.List;

/**
 * What an ingestion did.
 *
 * @param added documents new to the collection
 * @param updated documents whose content changed, re-chunked and re-embedded
 * @param unchanged documents with the same content hash as before: left as they were
 * @param removed documents gone from an ingested directory since its last ingestion
 * @param chunks passages written
 * @param embedded passages that needed the embedding model (the rest reused the vector of an identical passage)
 * @param skipped documents not ingested, each with the reason
 * @param capped documents larger than the size limit, of which only the beginning was ingested
 */
public record IngestReport(String collection, int added, int updated, int unchanged, int removed, long chunks, long embedded,
    List<Notice> skipped, List<Notice> capped) {

  public IngestReport {
    skipped = List.copyOf(skipped);
    capped = List.copyOf(capped);
  }

  /** A document and what happened to it. */
  public record Notice(String document, String reason) {}
}
