package io.cairn.internal.catalog;

import io.cairn.CairnException;
import io.cairn.CorruptDataException;
import io.cairn.Page;
import io.cairn.catalog.Catalog;
import io.cairn.catalog.CatalogException;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Dataset;
import io.cairn.catalog.GcReport;
import io.cairn.catalog.ImportReport;
import io.cairn.catalog.Lineage;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.Placement;
import io.cairn.catalog.PutOptions;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import io.cairn.spi.CatalogStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The catalog over a {@link CatalogStore} and any {@link BlobStore}.
 *
 * <p>The put protocol, which makes puts safe against a concurrent {@link #gc}: (1) hash the content
 * (a stream is spooled to a temp file while hashed); (2) announce the id in the state store ({@link
 * CatalogStore#announcePut}), waiting while a gc holds a mark on it; (3) write the blob under
 * {@code catalog/<id[0..2]>/<id>} with a create-only put, unless it is there; (4) register the
 * object, its parents and placement, and drop the announcement, in one transaction. From (2) on, no
 * gc may mark the id, and a gc marks an id only when it is neither registered nor announced, so a
 * blob that a put relies on is never deleted. A put that dies after (2) leaves an announcement that
 * a gc drops once it is older than {@link #announcementGrace}.
 */
public final class DefaultCatalog implements Catalog {
  static final String PREFIX = "catalog/";

  private final CatalogStore store;
  private final BlobStore blobs;
  private final InstantSource clock;
  private final Path tempDir;
  private volatile long announcementGrace = 60 * 60_000L;

  public DefaultCatalog(CatalogStore store, BlobStore blobs, InstantSource clock, Path tempDir) {
    this.store = store;
    this.blobs = blobs;
    this.clock = clock;
    this.tempDir = tempDir;
  }

  /** How old an announcement must be before a gc takes its put for dead; for tests. */
  public void announcementGrace(long millis) {
    this.announcementGrace = millis;
  }

  static BlobKey keyOf(String id) {
    return new BlobKey(PREFIX + id.substring(0, 2) + "/" + id);
  }

  // ---------------------------------------------------------------- put

  @Override
  public CatalogObject put(byte[] bytes, PutOptions options) {
    if (bytes == null) {
      throw new IllegalArgumentException("bytes is null: pass the content to put");
    }
    check(options);
    String id = Hashing.of(bytes);
    String name = options.name() == null ? "" : options.name();
    String media = sniff(bytes, name, options);
    Map<String, String> derived =
        media.equals(MediaTypes.ARROW_FILE) ? ArrowFiles.summarize(ArrowFiles.of(bytes)) : Map.of();
    try {
      return store(
          id,
          bytes.length,
          media,
          name,
          options,
          derived,
          null,
          () -> new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new CairnException("cannot write object " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public CatalogObject put(InputStream in, PutOptions options) throws IOException {
    if (in == null) {
      throw new IllegalArgumentException("input stream is null: pass the content to put");
    }
    check(options);
    Files.createDirectories(tempDir);
    Path spool = Files.createTempFile(tempDir, "put-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(spool)) {
        in.transferTo(out);
      }
      return putFile(spool, options, false, "");
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  @Override
  public CatalogObject put(Path file, PutOptions options) throws IOException {
    if (file == null) {
      throw new IllegalArgumentException("file is null: pass the path of the file to put");
    }
    check(options);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no file at " + file + ": pass an existing regular file");
    }
    return putFile(file, options, options.reference(), file.getFileName().toString());
  }

  private CatalogObject putFile(
      Path file, PutOptions options, boolean reference, String defaultName) throws IOException {
    String name = options.name() != null ? options.name() : defaultName;
    MessageDigest md = Hashing.digest();
    byte[] head = new byte[MediaTypes.HEAD];
    int headLength;
    long size;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      headLength = in.readNBytes(head, 0, head.length);
      size = headLength + in.transferTo(OutputStream.nullOutputStream());
    }
    String id = Hashing.hex(md.digest());
    String media =
        options.mediaType() != null
            ? options.mediaType()
            : MediaTypes.sniff(head, headLength, name);
    String location = reference ? file.toAbsolutePath().normalize().toString() : null;
    Map<String, String> derived =
        media.equals(MediaTypes.ARROW_FILE) ? ArrowFiles.summarize(file) : Map.of();
    return store(
        id, size, media, name, options, derived, location, () -> Files.newInputStream(file));
  }

  interface Source {
    InputStream open() throws IOException;
  }

  private CatalogObject store(
      String id,
      long size,
      String mediaType,
      String name,
      PutOptions options,
      Map<String, String> derivedInfo,
      String location,
      Source source)
      throws IOException {
    String token = UUID.randomUUID().toString();
    announce(id, token);
    boolean registered = false;
    try {
      if (location == null && !blobs.exists(keyOf(id))) {
        try (InputStream in = source.open()) {
          Optional<BlobInfo> written = blobs.putIfAbsent(keyOf(id), in);
          if (written.isPresent() && !written.get().sha256().equals(id)) {
            // The file changed between hashing and copying: the blob is not this id's.
            blobs.delete(keyOf(id));
            throw new CairnException(
                "the content changed while it was put (hashed "
                    + id
                    + ", stored "
                    + written.get().sha256()
                    + "): nothing was registered; put it again once it stays the same");
          }
        }
      }
      CatalogObject obj =
          new CatalogObject(
              id,
              size,
              mediaType,
              name,
              merged(derivedInfo, options.info()),
              clock.millis(),
              location,
              options.parents().stream().map(Hashing::checkId).toList());
      CatalogObject stored = store.register(obj, options.placement(), token);
      registered = true;
      return stored;
    } finally {
      if (!registered) {
        store.endPut(id, token);
      }
    }
  }

  /** What the content says about itself, overridden by what the caller said. */
  private static Map<String, String> merged(
      Map<String, String> derived, Map<String, String> given) {
    if (derived.isEmpty()) {
      return given;
    }
    Map<String, String> out = new LinkedHashMap<>(derived);
    out.putAll(given);
    return out;
  }

  /** Announces a put, waiting (up to a minute) while a gc deletes the same id's old blob. */
  private void announce(String id, String token) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    long backoff = 1;
    while (!store.announcePut(id, token, clock.millis())) {
      if (System.nanoTime() - deadline > 0) {
        throw new CairnException(
            "a gc has been deleting the blob of "
                + id
                + " for a minute: retry the put when the gc is done");
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CairnException("interrupted while waiting for a gc to finish with " + id, e);
      }
      backoff = Math.min(backoff * 2, 50);
    }
  }

  private void check(PutOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options is null: pass PutOptions.defaults()");
    }
    options.parents().forEach(Hashing::checkId);
    Placement p = options.placement();
    if (p != null) {
      // Fail before any bytes move; the store checks again in the registering transaction.
      requireDataset(p.dataset());
      if (!store.jobs(p.dataset()).contains(p.job())) {
        throw new CatalogException(
            "job " + p.job() + " of dataset " + p.dataset() + " does not exist");
      }
      if (!store.partitions(p.dataset()).contains(p.partition())) {
        throw new CatalogException(
            "partition " + p.partition() + " of dataset " + p.dataset() + " does not exist");
      }
    }
  }

  private static String sniff(byte[] bytes, String name, PutOptions options) {
    return options.mediaType() != null
        ? options.mediaType()
        : MediaTypes.sniff(bytes, Math.min(bytes.length, MediaTypes.HEAD), name);
  }

  // ---------------------------------------------------------------- get

  CatalogObject require(String id) {
    String checked = Hashing.checkId(id);
    return store
        .object(checked)
        .orElseThrow(() -> new CatalogException("object " + checked + " is not in the catalog"));
  }

  @Override
  public InputStream open(String id) throws IOException {
    CatalogObject o = require(id);
    if (o.referenced()) {
      InputStream in;
      try {
        in = Files.newInputStream(Path.of(o.location()));
      } catch (NoSuchFileException e) {
        throw new CorruptDataException(
            "object " + o.id() + " references " + o.location() + ", which is gone", e);
      }
      return new Hashing.Verifying(
          in, o.id(), "object " + o.id() + " (the file " + o.location() + " changed since)");
    }
    InputStream in =
        blobs
            .get(keyOf(o.id()))
            .orElseThrow(
                () ->
                    new CorruptDataException(
                        "object " + o.id() + " is registered but its blob is missing", null));
    return new Hashing.Verifying(in, o.id(), "object " + o.id());
  }

  @Override
  public byte[] get(String id) throws IOException {
    try (InputStream in = open(id)) {
      byte[] all = in.readAllBytes(); // reading the end checks the hash, before we return
      return all;
    }
  }

  @Override
  public void get(String id, Path target) throws IOException {
    if (target == null) {
      throw new IllegalArgumentException("target is null: pass the file to write");
    }
    Path abs = target.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".part");
    try {
      try (InputStream in = open(id)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public Optional<CatalogObject> info(String id) {
    return store.object(Hashing.checkId(id));
  }

  @Override
  public boolean exists(String id) {
    return store.exists(Hashing.checkId(id));
  }

  @Override
  public List<Placement> placements(String id) {
    return store.placements(Hashing.checkId(id));
  }

  @Override
  public Page<CatalogObject> list(ObjectFilter filter, String cursor, int limit) {
    return store.objects(filter == null ? ObjectFilter.all() : filter, cursor, limit);
  }

  // ---------------------------------------------------------------- datasets

  @Override
  public Dataset createDataset(String menuId, String configId) {
    return store.createDataset(
        UUID.randomUUID().toString(),
        Hashing.checkId(menuId),
        Hashing.checkId(configId),
        clock.millis());
  }

  @Override
  public Optional<Dataset> dataset(String id) {
    return store.dataset(checkName("dataset", id));
  }

  @Override
  public Page<Dataset> datasets(String cursor, int limit) {
    return store.datasets(cursor, limit);
  }

  @Override
  public boolean addPartition(String dataset, String key) {
    return store.addPartition(checkName("dataset", dataset), checkName("partition key", key));
  }

  @Override
  public List<String> partitions(String dataset) {
    return store.partitions(checkName("dataset", dataset));
  }

  @Override
  public long newJob(String dataset) {
    return store.newJob(checkName("dataset", dataset), clock.millis());
  }

  @Override
  public List<Long> jobs(String dataset) {
    return store.jobs(checkName("dataset", dataset));
  }

  @Override
  public void register(String id, Placement placement) {
    if (placement == null) {
      throw new IllegalArgumentException("placement is null: pass new Placement(dataset, job, p)");
    }
    store.place(Hashing.checkId(id), placement);
  }

  private void requireDataset(String dataset) {
    if (store.dataset(dataset).isEmpty()) {
      throw new CatalogException("dataset " + dataset + " does not exist");
    }
  }

  static String checkName(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty: pass a non-empty " + what);
    }
    return value;
  }

  // ---------------------------------------------------------------- lineage, gc, archives

  @Override
  public Lineage lineage(String id, int depth) {
    if (depth < 1 || depth > 100) {
      throw new IllegalArgumentException("lineage depth must be 1 to 100, was " + depth);
    }
    return LineageWalk.walk(store, require(id).id(), depth);
  }

  @Override
  public GcReport gc(boolean dryRun) throws IOException {
    return new CatalogGc(store, blobs, clock, announcementGrace).run(dryRun);
  }

  @Override
  public void exportTo(Path file, String dataset) throws IOException {
    CatalogArchive.export(this, store, file, dataset);
  }

  @Override
  public ImportReport importFrom(Path file) throws IOException {
    return CatalogArchive.importFrom(this, store, file);
  }

  /** Stores an imported object's bytes (already checked against its id) and registers it. */
  CatalogObject storeImported(CatalogObject template, Source source) throws IOException {
    PutOptions options =
        PutOptions.defaults()
            .name(template.name())
            .mediaType(template.mediaType())
            .parents(template.parents().toArray(String[]::new));
    for (var e : template.info().entrySet()) {
      options = options.info(e.getKey(), e.getValue());
    }
    return store(
        template.id(),
        template.size(),
        template.mediaType(),
        template.name(),
        options,
        Map.of(),
        null,
        source);
  }
}
