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
   * A logger whose lines go to this resource's log file only (timestamp, level, message, source
   * file and line), read back with {@code cairn.log(collection, ident)}. All levels are enabled.
   */
  Logger log();

  /** This resource's own files directory, created on first call. */
  Path storage();

  /** Where this resource's files live. */
  ResourcePaths paths();
}
