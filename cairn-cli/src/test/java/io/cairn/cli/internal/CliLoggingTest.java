package io.cairn.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** The CLI's logging, set up in code, says what logback.xml used to say. */
class CliLoggingTest {
  @Test
  void warningsAndAboveGoOutAsOneShortLine() {
    LoggerContext context = new LoggerContext();
    new CliLogging().configure(context);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    assertThat(root.getAppender("STDERR")).isNotNull();
    assertThat(context.getLogger("io.cairn.internal.pipeline.repo.InvalidKeys").getLevel())
        .isEqualTo(Level.ERROR);

    Logger logger = context.getLogger("io.cairn.internal.engine.Committer");
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            Level.WARN,
            "stale write {} refused",
            null,
            new Object[] {"a/b"});
    assertThat(new CliLogging.OneLine().doLayout(event))
        .isEqualTo("cairn: WARN Committer: stale write a/b refused" + System.lineSeparator());
  }
}
