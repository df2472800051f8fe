package io.cairn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cairn.Status;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.Style;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command prints: results on stdout, notes and hints on stderr, colours only when picocli
 * says the terminal takes them (never when piped, never with NO_COLOR), JSON through Jackson.
 */
final class Output {
  /**
   * Built on first use: Jackson's classes are a quarter of a second of start-up on a busy 2-core
   * machine, and most text output never needs them.
   */
  private static final class Writers {
    static final ObjectWriter PRETTY =
        new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .writer(
                new DefaultPrettyPrinter()
                    .withSeparators(
                        Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    static final ObjectWriter COMPACT =
        new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writer();
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final Ansi ansi;

  private Output(PrintWriter out, PrintWriter err, Ansi ansi) {
    this.out = out;
    this.err = err;
    this.ansi = ansi;
  }

  static Output of(CommandSpec spec) {
    CommandLine cmd = spec.commandLine();
    return new Output(cmd.getOut(), cmd.getErr(), cmd.getColorScheme().ansi());
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  boolean colours() {
    return ansi.enabled();
  }

  /** A line on stdout. */
  void println(String line) {
    out.println(line);
  }

  /** A note on stderr (hints, "nothing found"): stdout stays clean for pipes. */
  void note(String line) {
    err.println(line);
  }

  /** A value as pretty JSON on stdout. */
  void json(Object value) {
    out.println(toJson(value));
    out.flush();
  }

  /** A value as one line of compact JSON on stdout (the batch commands' JSON lines). */
  void jsonLine(Object value) {
    try {
      out.println(Writers.COMPACT.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String toJson(Object value) {
    try {
      return Writers.PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Text in picocli styles ("green", "bold,red", "faint"), or plain when colours are off. Built
   * from the styles' codes rather than {@code @|...|@} markup so user data (idents, messages) is
   * never parsed as markup.
   */
  String paint(String styles, String text) {
    if (!ansi.enabled() || styles == null || styles.isEmpty()) {
      return text;
    }
    // Reset rather than Style.off: picocli's "bold off" (SGR 21) is a double underline to many
    // terminals.
    return Style.on(Style.parse(styles)) + text + Style.reset.on();
  }

  /** Fixed text with {@code @|...|@} markup (help-like lines, never user data). */
  String markup(String text) {
    return ansi.string(text);
  }

  /** The colour of a status: completed green, error red, running and queued yellow, ... */
  static String styleOf(Status status) {
    return switch (status) {
      case COMPLETED -> "green";
      case ERROR -> "red";
      case RUNNING, QUEUED -> "yellow";
      case ABORTED -> "magenta";
      case UNAVAILABLE -> "faint";
    };
  }

  String status(Status status) {
    return paint("bold," + styleOf(status), status.label());
  }
}
