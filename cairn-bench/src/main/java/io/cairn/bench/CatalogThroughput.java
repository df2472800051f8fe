package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.catalog.Catalog;
import io.cairn.catalog.PutOptions;
import io.cairn.s3.S3BlobStore;
import io.cairn.s3.S3Options;
import io.cairn.testkit.S3Server;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The catalog on a local home (SQLite + file-system blobs), against plain loops in the same run.
 *
 * <p>Small objects: N puts of distinct 1 KiB byte arrays, then N verified gets, against a loop that
 * for each array computes its SHA-256, writes it atomically to {@code <hash[0..2]>/<hash>} (temp
 * file, fsync, rename; as the blob store does) and then reads every file back and checks its hash.
 *
 * <p>Large object: a put of one file of M MiB (hash, copy into the store, register) and a verified
 * get to a file, against {@code cp FILE COPY && sha256sum COPY}.
 *
 * <p>With {@code s3} as the fifth argument the homes keep their blobs in S3Proxy on 127.0.0.1
 * (objects as files, as {@code BlobStoreThroughput} runs it), a new bucket per home; the plain
 * loops stay local, as the yardstick.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.CatalogThroughput
 * [small=10000] [largeMiB=256] [runs=3] [dir=target/catalog-bench] [blobs=local|s3]}; pass 1024 for
 * 1 GiB.
 */
public final class CatalogThroughput {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path root = Path.of(args.length > 3 ? args[3] : "target/catalog-bench").toAbsolutePath();
    String blobs = args.length > 4 ? args[4] : "local";
    if (!blobs.equals("local") && !blobs.equals("s3")) {
      throw new IllegalArgumentException("blobs must be local or s3, was '" + blobs + "'");
    }
    try (Homes homes = new Homes(blobs.equals("s3"))) {
      run(n, mib, runs, root, homes);
    }
  }

  /** Opens the benchmark's homes: on the defaults, or with blobs in a new S3Proxy bucket each. */
  private static final class Homes implements AutoCloseable {
    private final S3Server server;

    Homes(boolean s3) {
      this.server = s3 ? S3Server.start(false) : null;
    }

    Cairn open(Path home) {
      if (server == null) {
        return Cairn.open(home);
      }
      S3Options options =
          S3Options.defaults()
              .withEndpoint(server.endpoint())
              .withRegion(S3Server.REGION)
              .withCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
      return Cairn.builder()
          .home(home)
          .blobStore(S3BlobStore.open("s3://" + server.newBucket() + "/bench", options))
          .open();
    }

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }

  private static void run(int n, int mib, int runs, Path root, Homes homes) throws Exception {
    Bench.deleteTree(root);
    Files.createDirectories(root);
    List<byte[]> small = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[1024];
      random.nextBytes(b);
      small.add(b);
    }
    Path big = root.resolve("big.bin");
    writeRandom(big, mib);

    double[] smallCairn = new double[runs];
    double[] smallPlain = new double[runs];
    double[] bigPut = new double[runs];
    double[] bigGet = new double[runs];
    double[] bigPlain = new double[runs];
    for (int r = 0; r < runs; r++) {
      smallPlain[r] = plainSmall(root.resolve("plain-" + r), small);
      smallCairn[r] = cairnSmall(homes.open(root.resolve("home-" + r)), small);
      bigPlain[r] = cpAndSha256sum(big, root.resolve("copy-" + r));
      double[] putGet = cairnBig(homes.open(root.resolve("big-home-" + r)), root, big);
      bigPut[r] = putGet[0];
      bigGet[r] = putGet[1];
      System.out.printf(
          "run %d: small %d x 1 KiB: catalog put+get %.2f s, plain %.2f s (%.2fx);"
              + " %d MiB: put %.2f s, get %.2f s, cp+sha256sum %.2f s (put %.2fx, get %.2fx)%n",
          r,
          n,
          smallCairn[r],
          smallPlain[r],
          smallCairn[r] / smallPlain[r],
          mib,
          bigPut[r],
          bigGet[r],
          bigPlain[r],
          bigPut[r] / bigPlain[r],
          bigGet[r] / bigPlain[r]);
      Bench.deleteTree(root.resolve("plain-" + r));
      Bench.deleteTree(root.resolve("home-" + r));
      Bench.deleteTree(root.resolve("big-home-" + r));
      Files.deleteIfExists(root.resolve("copy-" + r));
      Files.deleteIfExists(root.resolve("out.bin"));
    }
    System.out.printf(
        "median: small put+get %.2f s vs plain %.2f s = %.2fx (%,.0f put+get/s);"
            + " big put %.2f s, get %.2f s vs cp+sha256sum %.2f s = put %.2fx, get %.2fx%n",
        Bench.median(smallCairn),
        Bench.median(smallPlain),
        Bench.median(smallCairn) / Bench.median(smallPlain),
        n / Bench.median(smallCairn),
        Bench.median(bigPut),
        Bench.median(bigGet),
        Bench.median(bigPlain),
        Bench.median(bigPut) / Bench.median(bigPlain),
        Bench.median(bigGet) / Bench.median(bigPlain));
    Bench.deleteTree(root);
  }

  private static void writeRandom(Path file, int mib) throws Exception {
    Random random = new Random(7);
    byte[] chunk = new byte[1 << 20];
    try (var out = Files.newOutputStream(file)) {
      for (int i = 0; i < mib; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
  }

  private static double plainSmall(Path dir, List<byte[]> items) throws Exception {
    long start = System.nanoTime();
    List<Path> written = new ArrayList<>(items.size());
    for (byte[] b : items) {
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
      Path sub = dir.resolve(hash.substring(0, 2));
      Files.createDirectories(sub);
      Path tmp = sub.resolve("." + hash + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(b));
        ch.force(true);
      }
      Path target = sub.resolve(hash);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      written.add(target);
    }
    for (Path p : written) {
      byte[] back = Files.readAllBytes(p);
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(back));
      if (!hash.equals(p.getFileName().toString())) {
        throw new IllegalStateException("bad read of " + p);
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static double cairnSmall(Cairn opened, List<byte[]> items) throws Exception {
    try (Cairn cairn = opened) {
      Catalog catalog = cairn.catalog();
      long start = System.nanoTime();
      List<String> ids = new ArrayList<>(items.size());
      for (byte[] b : items) {
        ids.add(catalog.put(b, PutOptions.defaults()).id());
      }
      for (String id : ids) {
        if (catalog.get(id).length != 1024) {
          throw new IllegalStateException("bad get of " + id);
        }
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static double cpAndSha256sum(Path file, Path copy) throws Exception {
    long start = System.nanoTime();
    run("cp", file.toString(), copy.toString());
    run("sha256sum", copy.toString());
    return (System.nanoTime() - start) / 1e9;
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }

  private static double[] cairnBig(Cairn opened, Path root, Path file) throws Exception {
    try (Cairn cairn = opened) {
      Catalog catalog = cairn.catalog();
      long start = System.nanoTime();
      String id = catalog.put(file, PutOptions.defaults()).id();
      double put = (System.nanoTime() - start) / 1e9;
      Path out = root.resolve("out.bin");
      start = System.nanoTime();
      catalog.get(id, out);
      double get = (System.nanoTime() - start) / 1e9;
      return new double[] {put, get};
    }
  }
}
