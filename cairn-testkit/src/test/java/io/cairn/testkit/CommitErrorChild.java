package io.cairn.testkit;

import io.cairn.Cairn;
import io.cairn.Status;
import java.nio.file.Path;
import java.util.Map;

/**
 * Another process on a home whose first process just had an Error inside a write: it opens the
 * home, computes one resource (a claim and a completion, two writes) and prints how long the writes
 * took as "WROTE <ms> <status>".
 */
public final class CommitErrorChild {
  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    try (Cairn cairn = Cairn.open(home)) {
      cairn.collection("child", (ident, a, ctx) -> Map.of("ok", true));
      long t0 = System.nanoTime();
      Status status = cairn.fetch("child", args[1]).status();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("WROTE " + ms + " " + status);
    }
  }
}
