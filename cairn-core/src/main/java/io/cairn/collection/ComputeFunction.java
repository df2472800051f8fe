package io.cairn.collection;

import java.util.Map;

/**
 * Computes one resource of a collection.
 *
 * <p>It may throw: the resource becomes ERROR with the stack trace stored, and a later fetch tries
 * again. It returns a JSON-compatible value (maps, lists, strings, numbers, booleans, null, or
 * records), which is stored as the resource's result.
 */
@FunctionalInterface
public interface ComputeFunction {
  /**
   * @param ident the resource's identifier
   * @param args the arguments of this fetch (JSON values; empty when none were given)
   * @param ctx the resource's log, files directory and details
   * @return the result to store
   * @throws Exception to mark the resource ERROR
   */
  Object compute(String ident, Map<String, Object> args, ComputeContext ctx) throws Exception;
}
