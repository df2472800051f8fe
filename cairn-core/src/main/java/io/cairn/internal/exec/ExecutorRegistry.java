package io.cairn.internal.exec;

import io.cairn.spi.ResourceExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The executors a Cairn can run work on, by name. The two built in ({@code in-process}, {@code
 * local-process}) are made and closed here; executors the user registers stay the user's to close
 * (they may serve several Cairns).
 */
public final class ExecutorRegistry implements AutoCloseable {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  private final InProcessExecutor inProcess;
  private final LocalProcessExecutor localProcess;
  private final Map<String, ResourceExecutor> byName;

  /**
   * @param extra user executors by name, none named as a built-in one (checked by {@link #check})
   */
  public ExecutorRegistry(Map<String, ResourceExecutor> extra) {
    int cpus = Runtime.getRuntime().availableProcessors();
    this.inProcess = new InProcessExecutor(Math.max(4, 2 * cpus));
    this.localProcess = new LocalProcessExecutor(Math.max(4, 2 * cpus));
    Map<String, ResourceExecutor> m = new LinkedHashMap<>();
    m.put(InProcessExecutor.NAME, inProcess);
    m.put(LocalProcessExecutor.NAME, localProcess);
    m.putAll(extra);
    this.byName = Collections.unmodifiableMap(m);
  }

  /**
   * Checks a name a user gives an executor.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "executor name must be 1-64 letters, digits, '_', '.', ':', '-' starting with a letter"
              + " or digit, got '"
              + name
              + "'");
    }
    return name;
  }

  /** Whether {@code name} is one of the built-in executors. */
  public static boolean builtIn(String name) {
    return InProcessExecutor.NAME.equals(name) || LocalProcessExecutor.NAME.equals(name);
  }

  /**
   * The executor of that name.
   *
   * @throws IllegalArgumentException naming the known executors if there is none
   */
  public ResourceExecutor get(String name) {
    ResourceExecutor e = byName.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown executor '" + name + "'; known executors: " + String.join(", ", names()));
    }
    return e;
  }

  /**
   * Checks what a task or collection names: a known executor, and not a built-in one that cannot
   * run its kind of work.
   *
   * @param script whether the work is a script (else a Java function)
   * @param what "task 'x'" or "collection 'x'", for the message
   * @throws IllegalArgumentException saying what is wrong and what to name instead
   */
  public void check(String name, boolean script, String what) {
    try {
      get(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
    if (script && InProcessExecutor.NAME.equals(name)) {
      throw new IllegalArgumentException(
          what
              + " is a script: it cannot run on 'in-process' (Java functions only); name"
              + " 'local-process' or another executor that runs scripts");
    }
    if (!script && LocalProcessExecutor.NAME.equals(name)) {
      throw new IllegalArgumentException(
          what
              + " is a Java function: it cannot run on 'local-process' (scripts only); name"
              + " 'in-process' or another executor that runs Java functions");
    }
  }

  public List<String> names() {
    return new ArrayList<>(byName.keySet());
  }

  public LocalProcessExecutor localProcess() {
    return localProcess;
  }

  public InProcessExecutor inProcess() {
    return inProcess;
  }

  /** Closes the built-in executors (what still runs on them is cancelled). */
  @Override
  public void close() {
    try {
      localProcess.close();
    } finally {
      inProcess.close();
    }
  }
}
