package io.cairn.cli;

import io.cairn.collection.FetchProgress;
import io.cairn.collection.FetchProgressListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.text.DecimalFormat;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The demo's progress bar on stderr. On a terminal it redraws in place (coloured unless
 * NO_COLOR, Unicode blocks when the terminal encoding is UTF-8); elsewhere (CI logs, pipes,
 * tests) it prints a plain ASCII line at most every few seconds, so logs stay readable.
 */
final class DemoProgress implements FetchProgressListener, AutoCloseable {
  static final long PLAIN_EVERY_MILLIS = 5_000;

  private final ProgressBar bar;

  DemoProgress(String task, long total, boolean interactive, PrintStream terminal, PrintWriter log) {
    ProgressBarBuilder b =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setUnit(" docs", 1)
            .showSpeed(new DecimalFormat("#,##0"))
            .setUpdateIntervalMillis(100);
    if (interactive) {
      boolean utf8 =
          System.getProperty("native.encoding", Charset.defaultCharset().name())
              .toUpperCase(java.util.Locale.ROOT)
              .contains("UTF");
      boolean colour = System.getenv("NO_COLOR") == null;
      b.setStyle(
              !utf8
                  ? ProgressBarStyle.ASCII
                  : colour ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK)
          .setConsumer(new ClosedOnce(new ConsoleProgressBarConsumer(terminal)));
    } else {
      b.setStyle(ProgressBarStyle.ASCII).setConsumer(throttled(log));
    }
    this.bar = b.build();
  }

  /** One plain line per {@link #PLAIN_EVERY_MILLIS}, never a carriage return. */
  private static ProgressBarConsumer throttled(PrintWriter log) {
    long[] last = {System.currentTimeMillis()};
    return new DelegatingProgressBarConsumer(
        line -> {
          long now = System.currentTimeMillis();
          if (now - last[0] >= PLAIN_EVERY_MILLIS) {
            last[0] = now;
            log.println(line.strip());
            log.flush();
          }
        },
        100);
  }

  @Override
  public void onProgress(FetchProgress p) {
    bar.stepTo(p.done());
    bar.setExtraMessage(p.failed() > 0 ? " " + p.failed() + " failed" : "");
  }

  @Override
  public void close() {
    bar.close();
  }

  /**
   * Ignores whatever comes after the first close: the bar's updater may run its final step twice
   * (a cancelled run racing the closing one), which would print the last line twice.
   */
  private static final class ClosedOnce implements ProgressBarConsumer {
    private final ProgressBarConsumer delegate;
    private boolean closed; // guarded by this

    ClosedOnce(ProgressBarConsumer delegate) {
      this.delegate = delegate;
    }

    @Override
    public int getMaxRenderedLength() {
      return delegate.getMaxRenderedLength();
    }

    @Override
    public synchronized void accept(String line) {
      if (!closed) {
        delegate.accept(line);
      }
    }

    @Override
    public synchronized void clear() {
      if (!closed) {
        delegate.clear();
      }
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        delegate.close();
      }
    }
  }
}
