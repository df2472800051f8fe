package io.cairn;

import java.nio.file.Path;

/**
 * A directory that holds no Cairn home (no {@code cairn.db}, or one never written) was opened for
 * reading; nothing was created.
 */
public final class HomeNotFoundException extends CairnException {
  private final Path home;

  public HomeNotFoundException(Path home) {
    super("no Cairn home at " + home + ": run a command that writes (cairn run, ...) first");
    this.home = home;
  }

  /** The directory, absolute. */
  public Path home() {
    return home;
  }
}
