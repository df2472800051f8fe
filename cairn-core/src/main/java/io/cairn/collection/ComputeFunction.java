package io.cairn.collection;

import java.util.Map;

/**
 * Computes one resource of a collection.
 *
 * <p>It may throw: the resource becomes ERROR with the stack trace stored, and a later fetch tries
 * again. It returns a JSON value, which is stored as the resource's result:
 *
 * <ul>
 *   <li>{@code null}, booleans, strings (valid Unicode: no lone surrogate) and characters;
 *   <li>finite numbers: {@code Integer}, {@code Long}, {@code Short}, {@code Byte}, {@code Double},
 *       {@code Float}, {@code BigInteger}, {@code BigDecimal}, atomic integers ({@code NaN} and
 *       infinities are refused);
 *   <li>maps with string keys; lists, sets and other collections; arrays (not {@code byte[]});
 *       records, as objects of their properties; at most 1,000 levels deep;
 *   <li>{@code Optional}, {@code OptionalInt}, ... (empty: {@code null});
 *   <li>stored as strings, and read back as strings: enums (their name), {@code java.time} dates,
 *       times, durations and zones (ISO-8601: {@code "PT1M30S"}), {@code java.util.Date}, {@code
 *       UUID}, {@code URI}.
 * </ul>
 *
 * <p>Anything else (a bean such as a {@code Thread}, a {@code Path}, a stream) makes the attempt
 * ERROR with a message naming the offending part ({@code result.worker: java.lang.Thread is not a
 * JSON value ...}), as does a result over the maximum result size (16 MiB of JSON by default, see
 * {@code Cairn.Builder.maxResultSize}): keep big data in files under {@link
 * ComputeContext#storage()} and return their names. A result is read back as plain values: maps,
 * lists, strings, numbers, booleans and null.
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
