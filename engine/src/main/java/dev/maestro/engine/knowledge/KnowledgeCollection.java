package dev.maestro.engine.knowledge;

import java.time.Instant;

/**
 * A named collection of documents, chunked and embedded in one vector space.
 *
 * @param embeddingModel the model every vector of the collection was computed with
 * @param documents documents ingested and not removed
 * @param chunks passages indexed
 */
public record KnowledgeCollection(
    String name, String description, String embeddingModel, int dimensions, long documents, long chunks, Instant createdAt, Instant updatedAt) {}
