package io.cairn.catalog;

/**
 * What {@link Catalog#importFrom} added; all zero when the file was imported before.
 *
 * @param objects objects new to this catalog
 * @param datasets datasets new to this catalog
 * @param placements registrations new to this catalog
 */
public record ImportReport(int objects, int datasets, int placements) {}
