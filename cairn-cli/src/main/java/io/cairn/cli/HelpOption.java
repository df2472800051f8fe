package io.cairn.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for every subcommand ({@code --version} belongs to {@code cairn} itself). */
final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;
}
