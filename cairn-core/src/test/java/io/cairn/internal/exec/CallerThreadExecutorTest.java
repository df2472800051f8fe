package io.cairn.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.spi.BlobStore;
import io.cairn.spi.ResourceExecutor.Attempt;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CallerThreadExecutorTest {
  private final InProcessExecutor here = InProcessExecutor.callerThread();
  private static final WorkSpec.Call CALL = new WorkSpec.Call("c:f", "{}", null);

  private static Attempt attempt(Callable<Object> body) {
    return new Attempt() {
      @Override
      public String name() {
        return "c/k";
      }

      @Override
      public Callable<Object> body() {
        return body;
      }

      @Override
      public void output(boolean stderr, String line) {}

      @Override
      public Path workDir() {
        return null;
      }

      @Override
      public BlobStore blobs() {
        return null;
      }
    };
  }

  @Test
  void theBodyRunsOnTheCallingThreadAndTheOutcomeIsReadyWhenStartReturns() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    Execution e =
        here.start(
            CALL,
            attempt(
                () -> {
                  ranOn.set(Thread.currentThread());
                  return 42;
                }));

    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    assertThat(e.outcome()).isCompletedWithValue(Outcome.succeeded(42, -1));
  }

  @Test
  void aThrowingBodyFailsWithItsMessageAndException() {
    RuntimeException boom = new IllegalArgumentException("no such page\nsecond line");
    Outcome o =
        here.start(
                CALL,
                attempt(
                    () -> {
                      throw boom;
                    }))
            .outcome()
            .join();

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.message()).isEqualTo("no such page");
    assertThat(o.error()).isSameAs(boom);
  }

  @Test
  void anInterruptOfTheCallingThreadWhileTheBodyRunsIsACancel() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<Outcome> outcome = new AtomicReference<>();
    Thread caller =
        new Thread(
            () ->
                outcome.set(
                    here.start(
                            CALL,
                            attempt(
                                () -> {
                                  running.countDown();
                                  Thread.sleep(100_000);
                                  return "late";
                                }))
                        .outcome()
                        .join()));
    caller.start();
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

    caller.interrupt(); // what the engine does to a fetch whose lease is lost
    caller.join(5_000);

    assertThat(caller.isAlive()).isFalse();
    assertThat(outcome.get()).isEqualTo(Outcome.cancelled());
  }

  @Test
  void aScriptIsRefusedSayingWhereToRunIt() {
    Outcome o =
        here.start(
                new WorkSpec.Script(
                    List.of("true"), null, null, null, null, null, null, null, null, null),
                attempt(() -> "x"))
            .outcome()
            .join();

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.message())
        .isEqualTo(
            "the in-process executor runs Java functions, not scripts: run c/k on"
                + " 'local-process' or another executor that runs scripts");
  }
}
