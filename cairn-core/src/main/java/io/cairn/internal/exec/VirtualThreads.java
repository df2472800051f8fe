package io.cairn.internal.exec;

import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads where the running JVM has them. Cairn compiles with {@code --release 17}, so
 * {@code Thread.ofVirtual()} is looked up reflectively, once per executor; on Java 17 (or 19-20
 * without preview features) there are none and callers use platform threads.
 */
final class VirtualThreads {
  private VirtualThreads() {}

  /** A factory of virtual threads named {@code prefix<n>}, or {@code null}. */
  static ThreadFactory factory(String prefix) {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> type = Class.forName("java.lang.Thread$Builder");
      builder = type.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
      return (ThreadFactory) type.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
