package dev.maestro.engine.memory;

/**
 * A memory found by a recall, with the signals it was ranked by (each in [0, 1]).
 *
 * @param relevance similarity to the query, scaled so that the best candidate has 1
 * @param recency decay per hour since last access, raised to the hours
 * @param score the weighted sum that ordered the results
 */
public record Recalled(Memory memory, double score, double relevance, double recency) {}
