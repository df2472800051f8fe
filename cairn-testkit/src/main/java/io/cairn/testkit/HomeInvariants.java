package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.internal.store.HomeCheck;
import java.nio.file.Path;

/** What {@code cairn check} verifies, asserted after a crash scenario. */
public final class HomeInvariants {
  private HomeInvariants() {}

  /** Asserts that the home's invariants hold (counts equal the rows, no ownerless RUNNING, ...). */
  public static void assertHealthy(Path home) {
    HomeCheck.Report report = HomeCheck.check(home.resolve("cairn.db"));
    assertThat(report.violations()).as("cairn check of " + home).isEmpty();
  }
}
