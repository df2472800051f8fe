package io.cairn.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real child JVM running a main class from the test class path: the crash harness. Tests start
 * one, wait until it prints a named point ({@link #awaitLine}), and kill it with SIGKILL ({@link
 * #kill}) to check what survives a crash.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>(); // guarded by itself
  private final Thread reader;

  private ChildJvm(Process process) {
    this.process = process;
    this.reader = new Thread(this::readOutput, "child-jvm-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} in a new JVM with this JVM's class path; stderr goes to ours. */
  public static ChildJvm start(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ChildJvm(pb.start());
  }

  private void readOutput() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the child died; what it printed is in lines
    } finally {
      synchronized (lines) {
        lines.notifyAll();
      }
    }
  }

  /**
   * Waits until the child prints a line starting with {@code prefix}.
   *
   * @return that line
   * @throws AssertionError if the child exits or the timeout passes first
   */
  public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (lines.get(seen).startsWith(prefix)) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "child did not print '" + prefix + "' in " + timeout + "; output: " + lines);
        }
        if (!process.isAlive() && !reader.isAlive()) {
          throw new AssertionError(
              "child exited ("
                  + process.exitValue()
                  + ") before printing '"
                  + prefix
                  + "'; output: "
                  + lines);
        }
        lines.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
      }
    }
  }

  /** Everything the child printed so far. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Kills the child with SIGKILL: no shutdown hook, no finally block runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * Asks the child to stop with SIGTERM: its shutdown hooks run, and what it prints while stopping
   * (a report on stdout) is still read. Not {@code Process.destroy()}: that also closes this side
   * of the child's pipes, so everything printed after the signal was lost.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Waits for the child to exit and returns its exit code. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child still running after " + timeout + "; output: " + lines());
    }
    reader.join(5_000);
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
