package io.cairn.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Cairn;
import io.cairn.CorruptDataException;
import io.cairn.spi.BlobKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
  @TempDir Path dir;
  Cairn cairn;
  Catalog catalog;

  @BeforeEach
  void open() {
    cairn = openCairn(dir.resolve("home"));
    catalog = cairn.catalog();
  }

  /** The project at {@code home}; a subclass reruns these tests with its blobs elsewhere. */
  Cairn openCairn(Path home) {
    return Cairn.open(home);
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** How many puts race the gc loop; a remote blob store's subclass may run fewer. */
  int racingPuts() {
    return 150;
  }

  /** Where an object's bytes live in the blob store, whichever store that is. */
  static BlobKey blobKey(String id) {
    return BlobKey.of("catalog", id.substring(0, 2), id);
  }

  @Test
  void theIdIsTheSha256OfTheBytesAndTheSameBytesAreStoredOnce() throws Exception {
    byte[] bytes = utf8("a,b\n1,2\n");
    CatalogObject first = catalog.put(bytes, PutOptions.defaults().name("t.csv").info("k", "v"));
    CatalogObject again = catalog.put(new ByteArrayInputStream(bytes), PutOptions.defaults());
    assertThat(first.id()).isEqualTo(sha256(bytes)).isEqualTo(again.id());
    assertThat(again.name()).as("the first registration's metadata stays").isEqualTo("t.csv");
    assertThat(first.mediaType()).isEqualTo("text/csv");
    assertThat(first.size()).isEqualTo(bytes.length);
    assertThat(catalog.get(first.id())).isEqualTo(bytes);
    assertThat(catalog.info(first.id()).orElseThrow().info()).containsEntry("k", "v");
    assertThat(catalog.exists(first.id())).isTrue();
    assertThat(cairn.blobs().listAll("catalog/").filter(b -> !b.key().name().startsWith(".")))
        .hasSize(1);
  }

  @Test
  void aCorruptedBlobIsReportedAsCorruptedAndNeverReturned() throws Exception {
    String id = catalog.put(utf8("precious data"), PutOptions.defaults()).id();
    cairn.blobs().putBytes(blobKey(id), utf8("precious dat4"));
    assertThatThrownBy(() -> catalog.get(id))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("corrupted")
        .hasMessageContaining(id);
    Path target = dir.resolve("out.txt");
    Files.writeString(target, "before");
    assertThatThrownBy(() -> catalog.get(id, target)).isInstanceOf(CorruptDataException.class);
    assertThat(Files.readString(target)).as("left as it was").isEqualTo("before");
    assertThat(cairn.blobs().delete(blobKey(id))).isTrue();
    assertThatThrownBy(() -> catalog.get(id)).hasMessageContaining("missing");
  }

  @Test
  void aFileIsCopiedInOrReferencedInPlaceAndAChangedReferencedFileIsReported() throws Exception {
    Path file = dir.resolve("data.json");
    Files.writeString(file, "{\"a\": 1}");
    CatalogObject copied = catalog.put(file, PutOptions.defaults());
    assertThat(copied.name()).isEqualTo("data.json");
    assertThat(copied.mediaType()).isEqualTo("application/json");
    assertThat(copied.referenced()).isFalse();
    Path other = dir.resolve("ref.bin");
    Files.write(other, utf8("referenced bytes"));
    CatalogObject ref = catalog.put(other, PutOptions.defaults().referenceInPlace());
    assertThat(ref.location()).isEqualTo(other.toAbsolutePath().toString());
    assertThat(cairn.blobs().exists(blobKey(ref.id()))).as("not copied").isFalse();
    assertThat(catalog.get(ref.id())).isEqualTo(utf8("referenced bytes"));
    Files.write(other, utf8("changed bytes!!!"));
    assertThatThrownBy(() -> catalog.get(ref.id()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("changed");
    Files.delete(file);
    assertThat(catalog.get(copied.id())).as("a copy does not depend on the file").hasSize(8);
  }

  @Test
  void mediaTypesAreSniffedFromMagicBytesBeforeNames() {
    assertThat(catalog.put(utf8("PAR1xxxxPAR1"), PutOptions.defaults().name("a.csv")).mediaType())
        .isEqualTo("application/vnd.apache.parquet");
    assertThat(catalog.put(utf8("ARROW1\0\0xxxxARROW1"), PutOptions.defaults()).mediaType())
        .isEqualTo("application/vnd.apache.arrow.file");
    byte[] stream = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 16, 0, 0, 0, 1};
    assertThat(catalog.put(stream, PutOptions.defaults()).mediaType())
        .isEqualTo("application/vnd.apache.arrow.stream");
    assertThat(catalog.put(utf8("[1]"), PutOptions.defaults()).mediaType())
        .isEqualTo("application/json");
    assertThat(catalog.put(utf8("x"), PutOptions.defaults().mediaType("a/b")).mediaType())
        .isEqualTo("a/b");
  }

  @Test
  void anArrowIpcFileRecordsItsSchemaRowsAndBatches() throws Exception {
    // Written by pyarrow as in cronus' README: 10 batches of 4 rows (f0 int64, f1 utf8, f2 bool).
    byte[] arrow;
    try (var in = CatalogTest.class.getResourceAsStream("cronus-example.arrow")) {
      arrow = in.readAllBytes();
    }
    CatalogObject fromBytes = catalog.put(arrow, PutOptions.defaults());
    assertThat(fromBytes.mediaType()).isEqualTo("application/vnd.apache.arrow.file");
    assertThat(fromBytes.info())
        .containsEntry("arrow.schema", "f0: int64, f1: utf8, f2: bool")
        .containsEntry("arrow.rows", "40")
        .containsEntry("arrow.batches", "10");
    Path file = dir.resolve("copy.arrow");
    Files.write(file, arrow);
    byte[] changed = arrow.clone();
    changed[changed.length / 2] ^= 1; // other bytes, same footer: a new object, summarized again
    Files.write(file, changed);
    assertThat(catalog.put(file, PutOptions.defaults()).info()).containsEntry("arrow.rows", "40");
    byte[] truncated = java.util.Arrays.copyOf(arrow, arrow.length - 20);
    CatalogObject broken = catalog.put(truncated, PutOptions.defaults().name("x.arrow"));
    assertThat(broken.mediaType()).isEqualTo("application/vnd.apache.arrow.file");
    assertThat(broken.info()).as("no summary of a damaged file, still stored").isEmpty();
    byte[] stream;
    try (var in = CatalogTest.class.getResourceAsStream("cronus-example.arrows")) {
      stream = in.readAllBytes();
    }
    assertThat(catalog.put(stream, PutOptions.defaults()).mediaType())
        .isEqualTo("application/vnd.apache.arrow.stream");
  }

  @Test
  void datasetsPartitionsAndJobsWorkAsCronusUsersExpect() throws Exception {
    String menu = catalog.put(utf8("menu"), PutOptions.defaults()).id();
    String config = catalog.put(utf8("config"), PutOptions.defaults()).id();
    String unknown = sha256(utf8("nothing"));
    assertThatThrownBy(() -> catalog.createDataset(menu, unknown))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining(unknown);
    Dataset ds = catalog.createDataset(menu, config);
    for (String k : List.of("key1", "key2", "key3", "key1")) {
      catalog.addPartition(ds.id(), k);
    }
    assertThat(catalog.partitions(ds.id())).containsExactly("key1", "key2", "key3");
    byte[] buf = utf8("record batches");
    for (int i = 0; i < 3; i++) {
      long job = catalog.newJob(ds.id());
      assertThat(job).isEqualTo(i);
      for (String key : catalog.partitions(ds.id())) {
        catalog.put(buf, PutOptions.defaults().in(ds.id(), job, key));
      }
    }
    String id = sha256(buf);
    assertThat(catalog.placements(id)).hasSize(9);
    assertThat(catalog.list(ObjectFilter.all().withDataset(ds.id()).withJob(2L), null, 10).items())
        .extracting(CatalogObject::id)
        .containsExactly(id);
    assertThatThrownBy(() -> catalog.put(utf8("x"), PutOptions.defaults().in(ds.id(), 7, "key1")))
        .hasMessageContaining("job 7");
    assertThatThrownBy(() -> catalog.put(utf8("x"), PutOptions.defaults().in(ds.id(), 0, "k9")))
        .hasMessageContaining("partition k9");
    assertThatThrownBy(() -> catalog.put(utf8("x"), PutOptions.defaults().in("nope", 0, "k")))
        .hasMessageContaining("dataset nope");
    assertThat(catalog.exists(sha256(utf8("x")))).isFalse();
    assertThatThrownBy(() -> catalog.get("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a SHA-256");
  }

  @Test
  void badInputIsRefusedSayingWhatWasWrong() {
    assertThatThrownBy(() -> catalog.put((byte[]) null, PutOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes is null");
    assertThatThrownBy(() -> catalog.put(utf8("x"), null))
        .hasMessageContaining("PutOptions.defaults()");
    assertThatThrownBy(() -> PutOptions.defaults().info("", "v")).hasMessageContaining("key");
    assertThatThrownBy(() -> catalog.put(dir.resolve("missing"), PutOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no file at");
    assertThatThrownBy(() -> catalog.put(utf8("x"), PutOptions.defaults().parents("zz")))
        .hasMessageContaining("not a SHA-256");
    assertThatThrownBy(() -> catalog.list(ObjectFilter.all(), null, 0))
        .hasMessageContaining("page size");
    assertThatThrownBy(() -> ObjectFilter.all().withJob(1L))
        .hasMessageContaining("needs a dataset");
    assertThatThrownBy(() -> catalog.addPartition("", "k")).hasMessageContaining("dataset");
  }

  @Test
  void lineageWalksBothWaysBoundedByDepth() {
    String a = catalog.put(utf8("a"), PutOptions.defaults()).id();
    String b = catalog.put(utf8("b"), PutOptions.defaults().parents(a)).id();
    String c = catalog.put(utf8("c"), PutOptions.defaults().parents(b)).id();
    String d = catalog.put(utf8("d"), PutOptions.defaults().parents(c)).id();
    Lineage around = catalog.lineage(b, 1);
    assertThat(around.edges())
        .containsExactlyInAnyOrder(new Lineage.Edge(a, b, -1), new Lineage.Edge(b, c, 1));
    assertThat(catalog.lineage(a, 3).edges())
        .extracting(Lineage.Edge::child)
        .containsExactly(b, c, d);
    assertThatThrownBy(() -> catalog.lineage(a, 0)).hasMessageContaining("depth");
  }

  @Test
  void gcDeletesOnlyUnreferencedBlobsAndKeepsOnesBeingPut() throws Exception {
    String kept = catalog.put(utf8("kept"), PutOptions.defaults()).id();
    byte[] orphanBytes = utf8("orphan");
    String orphan = sha256(orphanBytes);
    cairn.blobs().putBytes(blobKey(orphan), orphanBytes);
    byte[] racingBytes = utf8("being put");
    String racing = sha256(racingBytes);
    cairn.blobs().putBytes(blobKey(racing), racingBytes);
    // A put of `racing` that announced itself and has not registered yet (its process is between
    // writing the blob and registering): the state store holds its announcement.
    try (var other = io.cairn.spi.StateStores.sqlite(dir.resolve("home/cairn.db"))) {
      assertThat(other.catalogStore().announcePut(racing, "t", System.currentTimeMillis()))
          .isTrue();
    }

    GcReport dry = catalog.gc(true);
    assertThat(dry.deleted()).containsExactlyInAnyOrder(orphan, racing);
    assertThat(cairn.blobs().exists(blobKey(orphan))).isTrue();

    GcReport real = catalog.gc(false);
    assertThat(real.deleted()).containsExactly(orphan);
    assertThat(real.kept()).isEqualTo(1);
    assertThat(cairn.blobs().exists(blobKey(orphan))).isFalse();
    assertThat(cairn.blobs().exists(blobKey(racing))).isTrue();
    assertThat(catalog.get(kept)).isEqualTo(utf8("kept"));
    // The put completes; its blob is there.
    assertThat(catalog.get(catalog.put(racingBytes, PutOptions.defaults()).id()))
        .isEqualTo(racingBytes);
  }

  @Test
  void putsRacingAGcLoopAlwaysKeepTheirBlobs() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger gcs = new java.util.concurrent.atomic.AtomicInteger();
    Thread gc =
        new Thread(
            () -> {
              while (!done.get()) {
                try {
                  catalog.gc(false);
                  gcs.incrementAndGet();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            });
    gc.start();
    try {
      for (int i = 0; i < racingPuts(); i++) {
        byte[] b = utf8("racing-" + i);
        // An orphan of the same bytes first, so gc has it in sight while the put runs.
        String id = sha256(b);
        cairn.blobs().putBytes(blobKey(id), b);
        assertThat(catalog.put(b, PutOptions.defaults()).id()).isEqualTo(id);
        assertThat(catalog.get(id)).as("put %d", i).isEqualTo(b);
      }
    } finally {
      done.set(true);
      gc.join();
    }
    assertThat(gcs.get()).as("gc ran beside the puts").isPositive();
    for (int i = 0; i < racingPuts(); i++) {
      assertThat(catalog.get(sha256(utf8("racing-" + i)))).isEqualTo(utf8("racing-" + i));
    }
  }

  @Test
  void exportAndImportMoveADatasetAndImportingTwiceChangesNothing() throws Exception {
    String menu = catalog.put(utf8("menu"), PutOptions.defaults()).id();
    String config = catalog.put(utf8("config"), PutOptions.defaults()).id();
    Dataset ds = catalog.createDataset(menu, config);
    catalog.addPartition(ds.id(), "p2");
    catalog.addPartition(ds.id(), "p1");
    long job = catalog.newJob(ds.id());
    String raw = catalog.put(utf8("raw"), PutOptions.defaults()).id();
    String out =
        catalog.put(utf8("out"), PutOptions.defaults().parents(raw).in(ds.id(), job, "p1")).id();
    catalog.put(utf8("unrelated"), PutOptions.defaults());
    Path file = dir.resolve("ds.zip");
    catalog.exportTo(file, ds.id());

    try (Cairn other = openCairn(dir.resolve("other"))) {
      Catalog there = other.catalog();
      ImportReport first = there.importFrom(file);
      assertThat(first).isEqualTo(new ImportReport(4, 1, 1));
      assertThat(there.importFrom(file)).isEqualTo(new ImportReport(0, 0, 0));
      assertThat(there.partitions(ds.id())).containsExactly("p2", "p1");
      assertThat(there.get(out)).isEqualTo(utf8("out"));
      assertThat(there.info(out).orElseThrow().parents()).containsExactly(raw);
      assertThat(there.placements(out)).containsExactly(new Placement(ds.id(), job, "p1"));
      assertThat(there.exists(sha256(utf8("unrelated")))).isFalse();
      assertThat(there.newJob(ds.id())).as("numbers continue after the imported job").isEqualTo(1);
    }
  }

  @Test
  void aConflictingImportIsRefusedNamingTheConflictAndWritesNothing() throws Exception {
    String menu = catalog.put(utf8("menu"), PutOptions.defaults()).id();
    String config = catalog.put(utf8("config"), PutOptions.defaults()).id();
    Dataset ds = catalog.createDataset(menu, config);
    Path file = dir.resolve("all.zip");
    catalog.exportTo(file, null);
    // Tamper: the same dataset id with menu and configuration swapped.
    Path tampered = dir.resolve("tampered.zip");
    try (var in = new java.util.zip.ZipFile(file.toFile());
        var zout = new java.util.zip.ZipOutputStream(Files.newOutputStream(tampered))) {
      for (var e : java.util.Collections.list(in.entries())) {
        byte[] data = in.getInputStream(e).readAllBytes();
        if (e.getName().equals("manifest.json")) {
          data =
              new String(data, StandardCharsets.UTF_8)
                  .replace(menu, "MENU")
                  .replace(config, menu)
                  .replace("MENU", config)
                  .getBytes(StandardCharsets.UTF_8);
        }
        zout.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
        zout.write(data);
        zout.closeEntry();
      }
    }
    assertThatThrownBy(() -> catalog.importFrom(tampered))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("conflicts with dataset " + ds.id());
    assertThat(catalog.dataset(ds.id()).orElseThrow().menuId()).isEqualTo(menu);
  }
}
