package io.cairn.spi;

import java.util.Map;

/**
 * Opens blob stores for locations of one URL scheme ({@code s3://bucket/prefix}), so a backend in
 * its own module is chosen by a location string without cairn-core depending on it. Providers are
 * found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.cairn.spi.BlobStoreProvider}) by {@link BlobStores#open(String)}.
 *
 * <p>Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface BlobStoreProvider {

  /** The URL scheme this provider opens, lower-case, such as {@code "s3"}. */
  String scheme();

  /**
   * Opens the store at {@code location}, configured from {@code environment} where the backend
   * reads settings (endpoints, regions); credentials come from where the backend's own tools look.
   *
   * @throws IllegalArgumentException if the location or a setting is invalid; the message says
   *     which and how to fix it, and never shows a secret
   */
  BlobStore open(String location, Map<String, String> environment);
}
