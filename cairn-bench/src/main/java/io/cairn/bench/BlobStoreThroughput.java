package io.cairn.bench;

import io.cairn.s3.S3BlobStore;
import io.cairn.s3.S3Options;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import io.cairn.spi.BlobStores;
import io.cairn.testkit.S3Server;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Put and get of many small blobs and of one large blob, on the local file-system store and on the
 * S3 store against S3Proxy (objects as files in a temp directory, on 127.0.0.1), in one run.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.BlobStoreThroughput
 * [small=10000] [smallBytes=1024] [largeMiB=256] [rounds=3] [threads=1,8]}
 */
public final class BlobStoreThroughput {
  private BlobStoreThroughput() {}

  public static void main(String[] args) throws Exception {
    int small = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int smallBytes = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    long largeBytes = (args.length > 2 ? Long.parseLong(args[2]) : 256) * 1024 * 1024;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    List<Integer> threads = new ArrayList<>();
    for (String t : (args.length > 4 ? args[4] : "1,8").split(",")) {
      threads.add(Integer.parseInt(t));
    }
    Path dir = Files.createTempDirectory("cairn-bench-blobs");
    try (S3Server server = S3Server.start(false)) {
      S3Options options =
          S3Options.defaults()
              .withEndpoint(server.endpoint())
              .withRegion(S3Server.REGION)
              .withCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
      System.out.printf(
          "small: %,d x %,d B; large: %,d MiB; %d rounds; medians%n",
          small, smallBytes, largeBytes >> 20, rounds);
      for (int n : threads) {
        double[][] local = new double[2][rounds];
        double[][] s3 = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
          try (BlobStore fs = BlobStores.fileSystem(dir.resolve("fs-" + n + "-" + r))) {
            double[] t = smallBlobs(fs, small, smallBytes, n);
            local[0][r] = t[0];
            local[1][r] = t[1];
          }
          try (BlobStore store =
              S3BlobStore.open("s3://" + server.newBucket() + "/bench", options)) {
            double[] t = smallBlobs(store, small, smallBytes, n);
            s3[0][r] = t[0];
            s3[1][r] = t[1];
          }
        }
        System.out.printf(
            "small, %d thread(s): local put %,.0f/s get %,.0f/s | s3proxy put %,.0f/s get %,.0f/s%n",
            n,
            Bench.median(local[0]),
            Bench.median(local[1]),
            Bench.median(s3[0]),
            Bench.median(s3[1]));
      }
      double[][] local = new double[2][rounds];
      double[][] s3 = new double[2][rounds];
      for (int r = 0; r < rounds; r++) {
        try (BlobStore fs = BlobStores.fileSystem(dir.resolve("fs-large-" + r))) {
          double[] t = largeBlob(fs, largeBytes);
          local[0][r] = t[0];
          local[1][r] = t[1];
        }
        Bench.deleteTree(dir.resolve("fs-large-" + r));
        try (BlobStore store = S3BlobStore.open("s3://" + server.newBucket() + "/bench", options)) {
          double[] t = largeBlob(store, largeBytes);
          s3[0][r] = t[0];
          s3[1][r] = t[1];
        }
      }
      System.out.printf(
          "large: local put %,.0f MiB/s get+sha256 %,.0f MiB/s | s3proxy put %,.0f MiB/s"
              + " get+sha256 %,.0f MiB/s%n",
          Bench.median(local[0]), Bench.median(local[1]), Bench.median(s3[0]), Bench.median(s3[1]));
      Bench.deleteTree(server.directory());
    } finally {
      Bench.deleteTree(dir);
    }
  }

  /** Puts then gets {@code count} blobs of {@code size} bytes; returns {puts/s, gets/s}. */
  private static double[] smallBlobs(BlobStore store, int count, int size, int threads)
      throws Exception {
    byte[] data = new byte[size];
    new Random(1).nextBytes(data);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      forEach(pool, threads, count, i -> store.putBytes(key(i), data));
      long put = System.nanoTime();
      forEach(
          pool,
          threads,
          count,
          i -> {
            if (store.getBytes(key(i)).orElseThrow().length != size) {
              throw new IllegalStateException("short read of " + key(i));
            }
          });
      long get = System.nanoTime();
      return new double[] {count / ((put - start) / 1e9), count / ((get - put) / 1e9)};
    } finally {
      pool.shutdownNow();
    }
  }

  private static BlobKey key(int i) {
    return new BlobKey("small/" + (i % 100) + "/" + i);
  }

  interface Work {
    void run(int i) throws Exception;
  }

  private static void forEach(ExecutorService pool, int threads, int count, Work work)
      throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      futures.add(
          pool.submit(
              () -> {
                for (int i = first; i < count; i += threads) {
                  work.run(i);
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }

  /** Streams one generated blob in and back out, hashing it; returns {put MiB/s, get MiB/s}. */
  private static double[] largeBlob(BlobStore store, long size) throws Exception {
    BlobKey key = new BlobKey("large/blob.bin");
    long start = System.nanoTime();
    BlobInfo put = store.put(key, new Generated(size));
    long mid = System.nanoTime();
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long read = 0;
    try (InputStream in = store.get(key).orElseThrow()) {
      byte[] buffer = new byte[256 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; read += n) {
        digest.update(buffer, 0, n);
      }
    }
    long end = System.nanoTime();
    if (read != size || !HexFormat.of().formatHex(digest.digest()).equals(put.sha256())) {
      throw new IllegalStateException("the large blob came back different");
    }
    double mib = size / (1024.0 * 1024.0);
    return new double[] {mib / ((mid - start) / 1e9), mib / ((end - mid) / 1e9)};
  }

  /** Pseudo-random bytes generated as they are read: the source never sits in memory. */
  private static final class Generated extends InputStream {
    private long remaining;
    private long state = 42;

    Generated(long size) {
      this.remaining = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(length, remaining);
      for (int i = 0; i < n; i += 8) {
        state = state * 6364136223846793005L + 1442695040888963407L;
        for (int j = 0; j < 8 && i + j < n; j++) {
          buffer[offset + i + j] = (byte) (state >>> (8 * j));
        }
      }
      remaining -= n;
      return n;
    }
  }
}
