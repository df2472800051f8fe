package io.cairn.s3;

import io.cairn.spi.BlobStore;
import io.cairn.spi.BlobStoreProvider;
import java.util.Map;

/**
 * Opens {@code s3://bucket/prefix} locations for {@link io.cairn.spi.BlobStores#open(String)}, with
 * {@link S3Options#fromEnvironment(Map) options from the environment}.
 */
public final class S3BlobStoreProvider implements BlobStoreProvider {
  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public BlobStore open(String location, Map<String, String> environment) {
    return S3BlobStore.open(location, S3Options.fromEnvironment(environment));
  }
}
