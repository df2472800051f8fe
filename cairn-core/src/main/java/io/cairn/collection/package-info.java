/**
 * Collections: compute-and-cache keyed resources. Register a {@link
 * io.cairn.collection.ComputeFunction} with {@code cairn.collection(name, fn)}, then {@code
 * cairn.fetch(name, ident, args)} computes a resource once and returns the stored result ever
 * after, with its status, timings, log, error and files tracked by the engine.
 */
package io.cairn.collection;
