package io.cairn.internal.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.Page;
import io.cairn.catalog.CatalogException;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Dataset;
import io.cairn.catalog.ImportReport;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.Placement;
import io.cairn.internal.json.Json;
import io.cairn.spi.CatalogStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A catalog, or one dataset of it, as one zip: {@code manifest.json} (objects with their parents
 * and placements, datasets with their partitions in order and jobs) and {@code objects/<id>} per
 * object. An import checks everything first (every blob hashes to its id, no dataset differs from
 * one here) and only then writes; everything it writes is idempotent, so a second import of the
 * same file adds nothing.
 */
final class CatalogArchive {
  private static final int FORMAT = 1;
  private static final ObjectMapper JSON = Json.mapper();

  private CatalogArchive() {}

  static void export(DefaultCatalog catalog, CatalogStore store, Path file, String dataset)
      throws IOException {
    Map<String, CatalogObject> objects = new LinkedHashMap<>();
    List<Dataset> datasets = new ArrayList<>();
    if (dataset == null) {
      String cursor = null;
      do {
        Page<Dataset> page = store.datasets(cursor, 1000);
        datasets.addAll(page.items());
        cursor = page.nextCursor();
      } while (cursor != null);
      collect(store, ObjectFilter.all(), objects);
    } else {
      datasets.add(
          store
              .dataset(dataset)
              .orElseThrow(() -> new CatalogException("dataset " + dataset + " does not exist")));
      collect(store, ObjectFilter.all().withDataset(dataset), objects);
    }
    for (Dataset d : datasets) {
      objects.putIfAbsent(d.menuId(), catalog.require(d.menuId()));
      objects.putIfAbsent(d.configId(), catalog.require(d.configId()));
    }
    // Ancestors travel with their descendants, so the lineage stays whole.
    List<String> todo = new ArrayList<>(objects.keySet());
    while (!todo.isEmpty()) {
      String id = todo.remove(todo.size() - 1);
      for (String parent : objects.get(id).parents()) {
        if (!objects.containsKey(parent)) {
          objects.put(parent, catalog.require(parent));
          todo.add(parent);
        }
      }
    }
    Set<String> inFile = new LinkedHashSet<>();
    datasets.forEach(d -> inFile.add(d.id()));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", FORMAT);
    List<Object> ds = new ArrayList<>();
    for (Dataset d : datasets) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", d.id());
      m.put("menu", d.menuId());
      m.put("config", d.configId());
      m.put("created", d.created());
      m.put("partitions", store.partitions(d.id()));
      m.put("jobs", store.jobs(d.id()));
      ds.add(m);
    }
    manifest.put("datasets", ds);
    List<Object> os = new ArrayList<>();
    for (CatalogObject o : objects.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", o.id());
      m.put("size", o.size());
      m.put("mediaType", o.mediaType());
      m.put("name", o.name());
      m.put("info", o.info());
      m.put("created", o.created());
      m.put("parents", o.parents());
      List<Object> ps = new ArrayList<>();
      for (Placement p : store.placements(o.id())) {
        if (inFile.contains(p.dataset())) {
          ps.add(Map.of("dataset", p.dataset(), "job", p.job(), "partition", p.partition()));
        }
      }
      m.put("placements", ps);
      os.add(m);
    }
    manifest.put("objects", os);
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".part");
    try {
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
        zip.putNextEntry(new ZipEntry("manifest.json"));
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        zip.closeEntry();
        for (CatalogObject o : objects.values()) {
          zip.putNextEntry(new ZipEntry("objects/" + o.id()));
          try (InputStream in = catalog.open(o.id())) {
            in.transferTo(zip); // the verifying stream refuses to export corrupted bytes
          }
          zip.closeEntry();
        }
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void collect(CatalogStore store, ObjectFilter f, Map<String, CatalogObject> out) {
    String cursor = null;
    do {
      Page<CatalogObject> page = store.objects(f, cursor, 1000);
      page.items().forEach(o -> out.put(o.id(), o));
      cursor = page.nextCursor();
    } while (cursor != null);
  }

  static ImportReport importFrom(DefaultCatalog catalog, CatalogStore store, Path file)
      throws IOException {
    if (file == null || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no file at " + file + ": pass a catalog export (.zip)");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry me = zip.getEntry("manifest.json");
      if (me == null) {
        throw new IllegalArgumentException(
            file + " is not a catalog export: it has no manifest.json");
      }
      JsonNode manifest;
      try (InputStream in = zip.getInputStream(me)) {
        manifest = JSON.readTree(in);
      }
      if (manifest.path("format").asInt() != FORMAT) {
        throw new IllegalArgumentException(
            file
                + " has export format "
                + manifest.path("format")
                + "; this Cairn reads "
                + FORMAT);
      }
      List<CatalogObject> objects = new ArrayList<>();
      Map<String, List<Placement>> placements = new HashMap<>();
      for (JsonNode o : manifest.path("objects")) {
        Map<String, String> info = new LinkedHashMap<>();
        o.path("info").fields().forEachRemaining(e -> info.put(e.getKey(), e.getValue().asText()));
        List<String> parents = new ArrayList<>();
        o.path("parents").forEach(p -> parents.add(Hashing.checkId(p.asText())));
        CatalogObject obj =
            new CatalogObject(
                Hashing.checkId(o.path("id").asText()),
                o.path("size").asLong(),
                o.path("mediaType").asText(),
                o.path("name").asText(),
                info,
                o.path("created").asLong(),
                null,
                parents);
        objects.add(obj);
        List<Placement> ps = new ArrayList<>();
        for (JsonNode p : o.path("placements")) {
          ps.add(
              new Placement(
                  p.path("dataset").asText(),
                  p.path("job").asLong(),
                  p.path("partition").asText()));
        }
        placements.put(obj.id(), ps);
      }
      List<Dataset> datasets = new ArrayList<>();
      for (JsonNode d : manifest.path("datasets")) {
        Dataset ds =
            new Dataset(
                d.path("id").asText(),
                d.path("menu").asText(),
                d.path("config").asText(),
                d.path("created").asLong());
        datasets.add(ds);
        store
            .dataset(ds.id())
            .ifPresent(
                here -> {
                  if (!here.menuId().equals(ds.menuId())
                      || !here.configId().equals(ds.configId())) {
                    throw new CatalogException(
                        io.cairn.internal.store.CatalogConflicts.dataset(here, ds));
                  }
                });
      }
      // Every blob is checked before anything is written.
      for (CatalogObject o : objects) {
        ZipEntry e = zip.getEntry("objects/" + o.id());
        if (e == null) {
          throw new CatalogException(
              "import refused: " + file + " lists object " + o.id() + " but does not hold it");
        }
        if (!store.exists(o.id())) {
          MessageDigest md = Hashing.digest();
          try (InputStream in = zip.getInputStream(e)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
              md.update(buf, 0, n);
            }
          }
          String actual = Hashing.hex(md.digest());
          if (!actual.equals(o.id())) {
            throw new CatalogException(
                "import refused: object " + o.id() + " in " + file + " hashes to " + actual);
          }
        }
      }
      int newObjects = 0;
      // Parents first: a registration needs its parents present.
      List<CatalogObject> pending = new ArrayList<>(objects);
      while (!pending.isEmpty()) {
        int before = pending.size();
        for (var it = pending.iterator(); it.hasNext(); ) {
          CatalogObject o = it.next();
          if (!store.existing(o.parents()).containsAll(o.parents())
              && !o.parents().stream().allMatch(o.id()::equals)) {
            continue;
          }
          if (!store.exists(o.id())) {
            catalog.storeImported(o, () -> zip.getInputStream(zip.getEntry("objects/" + o.id())));
            newObjects++;
          }
          it.remove();
        }
        if (pending.size() == before) {
          throw new CatalogException(
              "import stopped: object "
                  + pending.get(0).id()
                  + " names parents neither in the file nor here: "
                  + pending.get(0).parents());
        }
      }
      int newDatasets = 0;
      for (int i = 0; i < datasets.size(); i++) {
        Dataset d = datasets.get(i);
        if (store.importDataset(d)) {
          newDatasets++;
        }
        JsonNode node = manifest.path("datasets").get(i);
        for (JsonNode p : node.path("partitions")) {
          store.addPartition(d.id(), p.asText());
        }
        for (JsonNode j : node.path("jobs")) {
          store.importJob(d.id(), j.asLong(), d.created());
        }
      }
      int newPlacements = 0;
      for (CatalogObject o : objects) {
        for (Placement p : placements.get(o.id())) {
          if (store.place(o.id(), p)) {
            newPlacements++;
          }
        }
      }
      return new ImportReport(newObjects, newDatasets, newPlacements);
    }
  }
}
