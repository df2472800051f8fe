package io.cairn.cli;

import java.util.Locale;

/** Short human durations: "840 ms", "3.2 s", "4 min 05 s". */
final class Durations {
  private Durations() {}

  static String format(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long s = millis / 1000;
    if (s < 3600) {
      return String.format("%d min %02d s", s / 60, s % 60);
    }
    return String.format("%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  /** A number of seconds as given on a command line: "60", "2.5". */
  static String seconds(double s) {
    return s == Math.rint(s) && Math.abs(s) < 1e15
        ? Long.toString((long) s)
        : String.format(Locale.ROOT, "%s", s);
  }
}
