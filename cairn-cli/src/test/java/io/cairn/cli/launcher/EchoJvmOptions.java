package io.cairn.cli.launcher;

import java.lang.management.ManagementFactory;

/**
 * Stands in for Cairn's main class in a jar the launcher test builds: prints the JVM options it was
 * started with, one per line, and exits 3 when an argument is {@code fail}.
 */
public final class EchoJvmOptions {
  private EchoJvmOptions() {}

  public static void main(String[] args) {
    ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(System.out::println);
    for (String a : args) {
      if (a.equals("fail")) {
        System.exit(3);
      }
    }
  }
}
