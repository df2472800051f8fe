package io.cairn.spi;

/**
 * What a {@link MapChange} did.
 *
 * @param previous the value before, as JSON text, or {@code null} when the key was absent
 * @param current the value after, as JSON text, or {@code null} when the key is absent now
 */
public record MapResult(String previous, String current) {}
