package io.cairn.cli;

import io.cairn.Cairn;
import java.nio.file.Path;

/**
 * A writer process for {@link ReadOnlyHomeTest}: opens the home, commits one map write (so its
 * database connection, {@code -wal} and {@code -shm} are open), prints "open", and holds the home
 * open until its stdin closes.
 */
public final class HoldOpenChild {
  private HoldOpenChild() {}

  public static void main(String[] args) throws Exception {
    try (Cairn cairn = Cairn.open(Path.of(args[0]))) {
      cairn.map("held").put("by", ProcessHandle.current().pid());
      cairn.map("held").sync();
      System.out.println("open");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the home open until the parent closes our stdin or kills us
      }
    }
  }
}
