package io.cairn.internal.engine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger whose lines go to one attempt's log only:
 *
 * <pre>2026-11-21 10:15:35.120 INFO  message (Thumbnails.java:25)</pre>
 *
 * <p>Where the lines go (a local file on the first line, the blob store when the attempt ends) is
 * {@link AttemptLog}'s business. Lines from several threads of one computation do not interleave.
 */
public final class ResourceLogger extends LegacyAbstractLogger implements AttemptRunner.Log {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final StackWalker WALKER = StackWalker.getInstance();

  private final transient AttemptLog sink;
  private final transient InstantSource clock;
  private transient volatile boolean cancelled;

  public ResourceLogger(String name, AttemptLog sink, InstantSource clock) {
    this.name = name;
    this.sink = sink;
    this.clock = clock;
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable throwable) {
    line(level, MessageFormatter.basicArrayFormat(pattern, args), source(), throwable);
  }

  /**
   * Writes the engine's own note (a failure, a result that could not be stored): no source
   * location, since the engine's call site would only mislead.
   */
  public void note(Level level, String message, Throwable throwable) {
    line(level, message, Optional.empty(), throwable);
  }

  /**
   * Notes that the attempt was cancelled because another owner took its lease over; its log is then
   * left for that owner to publish.
   */
  public void noteCancelled() {
    note(Level.WARN, "cancelled: the lease was lost to another owner", null);
    cancelled = true;
  }

  private void line(Level level, String message, Optional<String> source, Throwable throwable) {
    StringBuilder line = new StringBuilder(64 + (message == null ? 4 : message.length()));
    line.append(TIME.format(Instant.ofEpochMilli(clock.millis())))
        .append(' ')
        .append(String.format("%-5s", level))
        .append(' ')
        .append(message);
    source.ifPresent(s -> line.append(" (").append(s).append(')'));
    line.append('\n');
    if (throwable != null) {
      StringWriter sw = new StringWriter();
      throwable.printStackTrace(new PrintWriter(sw));
      line.append(sw);
    }
    write(line.toString());
  }

  private void write(String text) {
    sink.write(text);
  }

  private static Optional<String> source() {
    return WALKER.walk(
        frames ->
            frames
                .filter(
                    f -> {
                      String c = f.getClassName();
                      return !c.startsWith("org.slf4j.")
                          && !c.equals(ResourceLogger.class.getName());
                    })
                .findFirst()
                .map(
                    f ->
                        (f.getFileName() == null ? f.getClassName() : f.getFileName())
                            + ":"
                            + f.getLineNumber()));
  }

  /** Ends the attempt's log: publishes it, unless the attempt was cancelled. */
  public void close() {
    sink.close(cancelled);
  }

  @Override
  public boolean isTraceEnabled() {
    return true;
  }

  @Override
  public boolean isDebugEnabled() {
    return true;
  }

  @Override
  public boolean isInfoEnabled() {
    return true;
  }

  @Override
  public boolean isWarnEnabled() {
    return true;
  }

  @Override
  public boolean isErrorEnabled() {
    return true;
  }
}
