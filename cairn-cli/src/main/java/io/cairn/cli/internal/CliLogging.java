package io.cairn.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The CLI's own diagnostics: WARN and above, on stderr, one short line each. Set up in code, found
 * by logback through {@code ServiceLoader}, because reading the same from a {@code logback.xml}
 * loads an XML parser and about 250 configuration classes: a third of a second of a read command's
 * start-up on a busy 2-core machine. Public only because {@code ServiceLoader} needs it.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class CliLogging extends ContextAwareBase implements Configurator {
  /** For {@code ServiceLoader}. */
  public CliLogging() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    context.getStatusManager().add(new NopStatusListener());
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(new OneLine());
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    // Names that are not valid job keys: run and status print them themselves, once, at the end,
    // rather than in the middle of the progress display.
    context.getLogger("io.cairn.internal.pipeline.repo.InvalidKeys").setLevel(Level.ERROR);
    // cairn serve reports a port in use as one line of its own; Javalin would log it first.
    context.getLogger("io.javalin.Javalin").setLevel(Level.OFF);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * {@code cairn: LEVEL Logger: message}, as the pattern {@code cairn: %level %logger{0}: %msg%n}
   * would print it, without logback's pattern compiler (another 80 classes).
   */
  static final class OneLine extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
      String logger = event.getLoggerName();
      StringBuilder line = new StringBuilder(128);
      line.append("cairn: ")
          .append(event.getLevel())
          .append(' ')
          .append(logger, logger.lastIndexOf('.') + 1, logger.length())
          .append(": ")
          .append(event.getFormattedMessage())
          .append(System.lineSeparator());
      return line.toString();
    }
  }
}
