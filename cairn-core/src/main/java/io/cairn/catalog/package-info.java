/**
 * The catalog face: content-addressed objects (SHA-256) with metadata, datasets, partitions, jobs
 * and lineage, on any blob store, durable in the state store. Start at {@link
 * io.cairn.catalog.Catalog}.
 */
package io.cairn.catalog;
