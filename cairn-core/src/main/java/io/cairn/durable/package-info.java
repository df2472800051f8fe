/**
 * Durable maps and progress trackers, for long loops over large key sets that must pick up where
 * they left off: {@link io.cairn.durable.DurableMap} (a {@code java.util.Map} kept in the state
 * store) and {@link io.cairn.durable.ProgressTracker} (keys with done / tries / aborted, and {@code
 * tryKeys()} that hands each key to one worker at a time across processes).
 */
package io.cairn.durable;
