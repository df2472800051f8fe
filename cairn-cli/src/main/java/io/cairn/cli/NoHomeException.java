package io.cairn.cli;

import java.nio.file.Path;

/** A read command pointed at a directory that holds no Cairn home; nothing was created. */
final class NoHomeException extends RuntimeException {
  NoHomeException(Path home) {
    super("no Cairn home at " + home + " (run 'cairn demo' or pass --home)");
  }
}
