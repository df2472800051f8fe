package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only the subcommand named is registered; the listing and suggestions still see them all. */
class StartupTest {
  @Test
  void theSubcommandIsTheFirstWordAfterTheGlobalOptions() {
    assertThat(Main.subcommandNamed(new String[] {"--home", "status", "why", "c", "k"}))
        .isEqualTo("why");
    assertThat(Main.subcommandNamed(new String[] {"-v", "--home=x", "status", "--json"}))
        .isEqualTo("status");
    assertThat(Main.subcommandNamed(new String[] {"map", "ls"})).isEqualTo("map");
  }

  @Test
  void helpUnknownWordsAndOptionsFirstRegisterEverySubcommand() {
    assertThat(Main.subcommandNamed(new String[] {})).isNull();
    assertThat(Main.subcommandNamed(new String[] {"help", "status"})).isNull();
    assertThat(Main.subcommandNamed(new String[] {"stauts"})).isNull();
    assertThat(Main.subcommandNamed(new String[] {"--help"})).isNull();
  }

  @Test
  void usageListsEveryCommandAndATypoGetsASuggestion() {
    CliRun help = CliRun.raw("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("status", "show", "why", "worker", "demo", "help");

    CliRun typo = CliRun.raw("stauts");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("did you mean: status");
  }

  @Test
  void settingsReachTheOneRegisteredSubcommand() {
    // Case-insensitive statuses are set on the command line after registration.
    CliRun r = CliRun.raw("--home", "/nonexistent-cairn-home", "ls", "c", "--status", "error");
    assertThat(r.err()).doesNotContain("Invalid value");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("/nonexistent-cairn-home");
  }
}
