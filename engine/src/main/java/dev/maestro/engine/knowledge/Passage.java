package dev.maestro.engine.knowledge;

/**
 * A piece of a document found by a search.
 *
 * @param score the ranking score of the search mode used (fused reciprocal ranks for hybrid search)
 * @param collection the collection it was found in
 */
public record Passage(String collection, String text, Citation citation, double score) {}
