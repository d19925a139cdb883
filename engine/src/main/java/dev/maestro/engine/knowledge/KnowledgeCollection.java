package dev.maestro.engine.knowledge;

import java.time.Instant;

/**
 * A named collection of documents, chunked and embedded in one vector space.
 *
 * @param embeddingModel the model every vector of the collection was computed with
 * @param documents documents ingested and not removed
 * @param chunks passages indexed
 * @param reembedding how far re-embedding the collection with the configured model has come, while it runs; else null
 */
public record KnowledgeCollection(
    String name, String description, String embeddingModel, int dimensions, long documents, long chunks, Instant createdAt, Instant updatedAt,
    Reembedding reembedding) {

  /** A collection not being re-embedded. */
  public KnowledgeCollection(
      String name, String description, String embeddingModel, int dimensions, long documents, long chunks, Instant createdAt, Instant updatedAt) {
    this(name, description, embeddingModel, dimensions, documents, chunks, createdAt, updatedAt, null);
  }

  /**
   * @param to the model the passages are being embedded with
   * @param done passages embedded so far
   * @param passages passages to embed
   */
  public record Reembedding(String to, int done, int passages) {
    @Override
    public String toString() {
      return "re-embedding with " + to + ": " + done + " of " + passages + " passages";
    }
  }
}
