package io.cairn.internal.exec;

import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import java.util.concurrent.CompletableFuture;

/**
 * One execution's outcome, completed exactly once: whichever of the work's end, a cancel or a
 * timeout comes first decides it, and later ones are ignored. The executors extend it with how they
 * stop their kind of work.
 */
abstract class ExecutionHandle implements Execution {
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

  @Override
  public final CompletableFuture<Outcome> outcome() {
    return outcome;
  }

  /** Whether this call decided the outcome. */
  final boolean finish(Outcome o) {
    return outcome.complete(o);
  }

  /** An execution that ended before it began (refused, or the executor closed). */
  static ExecutionHandle finished(Outcome o) {
    ExecutionHandle h =
        new ExecutionHandle() {
          @Override
          public void cancel() {}
        };
    h.finish(o);
    return h;
  }

  final boolean isDone() {
    return outcome.isDone();
  }
}
