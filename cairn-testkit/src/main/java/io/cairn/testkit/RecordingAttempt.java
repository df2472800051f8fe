package io.cairn.testkit;

import io.cairn.spi.BlobStore;
import io.cairn.spi.ResourceExecutor.Attempt;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An attempt for executor tests: a Java body (or none, for a script), a working directory and a
 * blob store, recording the output lines it is given (short ones, as {@code "out: line"} or {@code
 * "err: line"}) and counting their characters.
 */
public final class RecordingAttempt implements Attempt {
  private final String name;
  private final Callable<Object> body;
  private final Path workDir;
  private final BlobStore blobs;
  private final Queue<String> lines = new ConcurrentLinkedQueue<>();
  private final AtomicLong chars = new AtomicLong();
  private volatile Runnable onLine = () -> {};

  public RecordingAttempt(String name, Callable<Object> body, Path workDir, BlobStore blobs) {
    this.name = name;
    this.body = body;
    this.workDir = workDir;
    this.blobs = blobs;
  }

  /** Runs {@code action} after each output line. */
  public void onLine(Runnable action) {
    this.onLine = action;
  }

  /** The output lines shorter than 200 characters, in order. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Characters of output seen, every line counted. */
  public long chars() {
    return chars.get();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Callable<Object> body() {
    return body;
  }

  @Override
  public void output(boolean stderr, String line) {
    chars.addAndGet(line.length());
    if (line.length() < 200) {
      lines.add((stderr ? "err: " : "out: ") + line);
    }
    onLine.run();
  }

  @Override
  public Path workDir() {
    return workDir;
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }
}
