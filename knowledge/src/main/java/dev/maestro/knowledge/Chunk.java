package dev.maestro.knowledge;

/**
 * A passage cut from a document, and where in it.
 *
 * @param location {@code lines 12-40}, {@code page 3}, {@code Install > Linux}, {@code class Foo (lines 1-30)}
 */
record Chunk(String text, String location) {}
