package io.cairn.internal.collection;

import io.cairn.CairnException;
import io.cairn.ResourcePaths;
import io.cairn.collection.ComputeContext;
import io.cairn.internal.engine.ResourceLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;

final class DefaultComputeContext implements ComputeContext {
  private final String collection;
  private final String ident;
  private final Map<String, Object> args;
  private final int attempt;
  private final ResourcePaths paths;
  private final ResourceLogger log;
  private volatile boolean storageUsed;

  DefaultComputeContext(
      String collection,
      String ident,
      Map<String, Object> args,
      int attempt,
      ResourcePaths paths,
      ResourceLogger log) {
    this.collection = collection;
    this.ident = ident;
    this.args = args;
    this.attempt = attempt;
    this.paths = paths;
    this.log = log;
  }

  @Override
  public String collection() {
    return collection;
  }

  @Override
  public String ident() {
    return ident;
  }

  @Override
  public Map<String, Object> args() {
    return args;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Logger log() {
    return log;
  }

  @Override
  public Path storage() {
    storageUsed = true;
    try {
      return Files.createDirectories(paths.storage());
    } catch (IOException e) {
      throw new CairnException("cannot create storage directory " + paths.storage(), e);
    }
  }

  /**
   * Whether the function asked for its storage directory (a function that wrote there through
   * {@link #paths()} alone is found by the directory's existence when this is false).
   */
  boolean storageUsed() {
    return storageUsed || java.nio.file.Files.isDirectory(paths.storage());
  }

  @Override
  public ResourcePaths paths() {
    return paths;
  }
}
