package io.cairn.durable;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compute and merge run the user's function outside the store's write transaction. */
class DurableMapComputeTest {
  @TempDir Path home;

  /**
   * How this test opens a Cairn on {@code home}; a subclass in another module runs every test here
   * on another state store by overriding it (each call is another instance on the same state).
   */
  Cairn.Builder builder() {
    return Cairn.builder().home(home);
  }

  @Test
  void aSlowComputeFunctionDoesNotBlockAnotherCairnWritingAnotherKey() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Cairn a = builder().open();
        Cairn b = builder().open()) {
      DurableMap<Integer> slowMap = a.map("m", Integer.class);
      DurableMap<Integer> otherMap = b.map("m", Integer.class, MapOptions.defaults().durable(true));
      CountDownLatch inFunction = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean functionEnded = new AtomicBoolean();
      AtomicInteger calls = new AtomicInteger();
      Future<Integer> slow =
          pool.submit(
              () ->
                  slowMap.compute(
                      "slow",
                      (k, v) -> {
                        calls.incrementAndGet();
                        inFunction.countDown();
                        try {
                          release.await(2, TimeUnit.SECONDS); // "sleeps 2 s" unless released
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        functionEnded.set(true);
                        return v == null ? 1 : v + 1;
                      }));
      assertThat(inFunction.await(10, TimeUnit.SECONDS)).isTrue();
      Future<Boolean> other =
          pool.submit(
              () -> {
                otherMap.put("other", 2); // durable: committed when it returns
                return functionEnded.get();
              });
      assertThat(other.get(10, TimeUnit.SECONDS))
          .as("the function had ended when the other Cairn's write returned")
          .isFalse();
      release.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(calls).hasValue(1); // nobody wrote "slow" meanwhile: no retry
    } finally {
      pool.shutdownNow();
    }
    try (Cairn c = builder().open()) {
      DurableMap<Integer> m = c.map("m", Integer.class);
      assertThat(m.get("slow")).isEqualTo(1);
      assertThat(m.get("other")).isEqualTo(2);
    }
  }

  @Test
  void aComputeWhoseKeyChangedMeanwhileIsRetriedOnTheNewValue() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Cairn a = builder().open();
        Cairn b = builder().open()) {
      DurableMap<Integer> ma = a.map("m", Integer.class);
      DurableMap<Integer> mb = b.map("m", Integer.class, MapOptions.defaults().durable(true));
      mb.put("n", 10);
      CountDownLatch inFunction = new CountDownLatch(1);
      CountDownLatch changed = new CountDownLatch(1);
      AtomicInteger calls = new AtomicInteger();
      Future<Integer> merged =
          pool.submit(
              () ->
                  ma.merge(
                      "n",
                      1,
                      (old, one) -> {
                        if (calls.incrementAndGet() == 1) {
                          inFunction.countDown();
                          try {
                            changed.await(10, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }
                        return old + one;
                      }));
      assertThat(inFunction.await(10, TimeUnit.SECONDS)).isTrue();
      mb.put("n", 100); // while the first call computes 10 + 1
      changed.countDown();
      assertThat(merged.get(10, TimeUnit.SECONDS)).isEqualTo(101);
      assertThat(calls).hasValue(2);
      assertThat(mb.get("n")).isEqualTo(101);
    } finally {
      pool.shutdownNow();
    }
  }
}
