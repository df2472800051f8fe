package io.cairn.collection;

import io.cairn.ResourcePaths;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What a {@link ComputeFunction} gets besides its ident and arguments. Valid only during the call;
 * safe to use from threads the function starts, until it returns.
 */
public interface ComputeContext {
  /** The collection being computed. */
  String collection();

  /** The resource's identifier. */
  String ident();

  /** The arguments of this fetch. */
  Map<String, Object> args();

  /** Which attempt this is, starting at 1. */
  int attempt();

  /**
   * A logger whose lines go to this resource's log only (timestamp, level, message, source file and
   * line), read back with {@code cairn.log(collection, ident)}. All levels are enabled. The lines
   * are written to a local file while the attempt runs and published to the (shared) blob store
   * when it ends.
   */
  Logger log();

  /**
   * This resource's own files directory, created on first call. It is local to the machine that
   * runs the attempt: what must be read elsewhere belongs in the result or the blob store.
   */
  Path storage();

  /** Where this resource's files live on this machine (local paths). */
  ResourcePaths paths();
}
