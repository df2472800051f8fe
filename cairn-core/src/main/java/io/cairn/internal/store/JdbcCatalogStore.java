package io.cairn.internal.store;

import static io.cairn.internal.store.CatalogSql.bind;
import static io.cairn.internal.store.CatalogSql.checkLimit;
import static io.cairn.internal.store.CatalogSql.objectExists;
import static io.cairn.internal.store.CatalogSql.single;
import static io.cairn.internal.store.CatalogSql.strings;
import static io.cairn.internal.store.CatalogSql.update;

import io.cairn.Page;
import io.cairn.catalog.CatalogException;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Dataset;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.Placement;
import io.cairn.internal.json.Json;
import io.cairn.spi.CatalogStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog over SQL, inside {@link JdbcStateStore}'s write transactions (one writer, busy
 * retries) and reader pool; datasets, partitions and jobs are {@link JdbcCatalogDatasets}.
 */
final class JdbcCatalogStore implements CatalogStore {
  private static final String OBJECT_COLUMNS =
      "o.id, o.size, o.media_type, o.name, o.info, o.created, o.location";

  private final CatalogSql sql;
  private final JdbcCatalogDatasets datasets;

  JdbcCatalogStore(JdbcStateStore store) {
    this.sql = new CatalogSql(store);
    this.datasets = new JdbcCatalogDatasets(sql);
  }

  private <T> T write(CatalogSql.Body<T> body) {
    return sql.write(body);
  }

  private <T> T read(CatalogSql.Body<T> body) {
    return sql.read(body);
  }

  // ---------------------------------------------------------------- puts and gc

  @Override
  public boolean announcePut(String id, String token, long now) {
    return write(
        c -> {
          Long since = single(c, "SELECT since FROM catalog_gc_marks WHERE id = ?", id);
          if (since != null && since >= now - STALE_DOOM_MS) {
            return false;
          }
          update(c, "DELETE FROM catalog_gc_marks WHERE id = ?", id);
          update(
              c,
              "INSERT INTO catalog_pending_puts (id, token, started) VALUES (?, ?, ?)"
                  + " ON CONFLICT (id, token) DO NOTHING",
              id,
              token,
              now);
          return true;
        });
  }

  @Override
  public void endPut(String id, String token) {
    write(c -> update(c, "DELETE FROM catalog_pending_puts WHERE id = ? AND token = ?", id, token));
  }

  @Override
  public CatalogObject register(CatalogObject object, Placement placement, String token) {
    return write(
        c -> {
          for (String parent : object.parents()) {
            if (!parent.equals(object.id()) && !objectExists(c, parent)) {
              throw new CatalogException("parent object " + parent + " is not in the catalog");
            }
          }
          if (placement != null) {
            checkPlacement(c, placement);
          }
          update(
              c,
              "INSERT INTO catalog_objects (id, size, media_type, name, info, created, location)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
              object.id(),
              object.size(),
              object.mediaType(),
              object.name(),
              Json.write(object.info()),
              object.created(),
              object.location());
          for (String parent : object.parents()) {
            update(
                c,
                "INSERT INTO catalog_parents (child_id, parent_id) VALUES (?, ?)"
                    + " ON CONFLICT (child_id, parent_id) DO NOTHING",
                object.id(),
                parent);
          }
          if (placement != null) {
            insertPlacement(c, object.id(), placement);
          }
          if (token != null) {
            update(
                c,
                "DELETE FROM catalog_pending_puts WHERE id = ? AND token = ?",
                object.id(),
                token);
          }
          return objectOn(c, object.id()).orElseThrow();
        });
  }

  @Override
  public boolean place(String id, Placement placement) {
    return write(
        c -> {
          if (!objectExists(c, id)) {
            throw new CatalogException("object " + id + " is not in the catalog");
          }
          checkPlacement(c, placement);
          return insertPlacement(c, id, placement) > 0;
        });
  }

  private static int insertPlacement(Connection c, String id, Placement p) throws SQLException {
    return update(
        c,
        "INSERT INTO catalog_placements (object_id, dataset_id, job, pkey) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (object_id, dataset_id, job, pkey) DO NOTHING",
        id,
        p.dataset(),
        p.job(),
        p.partition());
  }

  private static void checkPlacement(Connection c, Placement p) throws SQLException {
    JdbcCatalogDatasets.requireDataset(c, p.dataset());
    if (single(
            c,
            "SELECT job FROM catalog_jobs WHERE dataset_id = ? AND job = ?",
            p.dataset(),
            p.job())
        == null) {
      throw new CatalogException(
          "job " + p.job() + " of dataset " + p.dataset() + " does not exist");
    }
    if (single(
            c,
            "SELECT seq FROM catalog_partitions WHERE dataset_id = ? AND pkey = ?",
            p.dataset(),
            p.partition())
        == null) {
      throw new CatalogException(
          "partition " + p.partition() + " of dataset " + p.dataset() + " does not exist");
    }
  }

  @Override
  public boolean doom(String id, long announcedAfter, long now) {
    return write(
        c -> {
          if (objectExists(c, id)) {
            return false;
          }
          update(
              c,
              "DELETE FROM catalog_pending_puts WHERE id = ? AND started < ?",
              id,
              announcedAfter);
          if (single(c, "SELECT started FROM catalog_pending_puts WHERE id = ?", id) != null) {
            return false;
          }
          update(c, "DELETE FROM catalog_gc_marks WHERE id = ?", id);
          update(c, "INSERT INTO catalog_gc_marks (id, since) VALUES (?, ?)", id, now);
          return true;
        });
  }

  @Override
  public void undoom(String id) {
    write(c -> update(c, "DELETE FROM catalog_gc_marks WHERE id = ?", id));
  }

  // ---------------------------------------------------------------- objects

  @Override
  public Optional<CatalogObject> object(String id) {
    return read(c -> objectOn(c, id));
  }

  private static Optional<CatalogObject> objectOn(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + OBJECT_COLUMNS + " FROM catalog_objects o WHERE o.id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(toObject(rs, parents(c, id)));
      }
    }
  }

  private static CatalogObject toObject(ResultSet rs, List<String> parents) throws SQLException {
    Map<String, String> info = new LinkedHashMap<>();
    Json.readMap(rs.getString(5)).forEach((k, v) -> info.put(k, String.valueOf(v)));
    return new CatalogObject(
        rs.getString(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        info,
        rs.getLong(6),
        rs.getString(7),
        parents);
  }

  private static List<String> parents(Connection c, String id) throws SQLException {
    return strings(
        c, "SELECT parent_id FROM catalog_parents WHERE child_id = ? ORDER BY parent_id", id);
  }

  @Override
  public List<String> existing(List<String> ids) {
    return read(
        c -> {
          List<String> out = new ArrayList<>();
          for (String id : ids) {
            if (objectExists(c, id) && !out.contains(id)) {
              out.add(id);
            }
          }
          return out;
        });
  }

  @Override
  public List<String> children(String id) {
    return read(
        c ->
            strings(
                c,
                "SELECT child_id FROM catalog_parents WHERE parent_id = ? ORDER BY child_id",
                id));
  }

  @Override
  public List<Placement> placements(String id) {
    return read(
        c -> {
          List<Placement> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT dataset_id, job, pkey FROM catalog_placements WHERE object_id = ?"
                      + " ORDER BY dataset_id, job, pkey")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new Placement(rs.getString(1), rs.getLong(2), rs.getString(3)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public Page<CatalogObject> objects(ObjectFilter f, String cursor, int limit) {
    checkLimit(limit);
    StringBuilder sql = new StringBuilder("SELECT " + OBJECT_COLUMNS + " FROM catalog_objects o");
    List<Object> args = new ArrayList<>();
    List<String> where = new ArrayList<>();
    if (f.dataset() != null) {
      StringBuilder sub =
          new StringBuilder(
              "EXISTS (SELECT 1 FROM catalog_placements p WHERE p.object_id = o.id"
                  + " AND p.dataset_id = ?");
      args.add(f.dataset());
      if (f.job() != null) {
        sub.append(" AND p.job = ?");
        args.add(f.job());
      }
      if (f.partition() != null) {
        sub.append(" AND p.pkey = ?");
        args.add(f.partition());
      }
      where.add(sub.append(")").toString());
    }
    if (f.mediaType() != null) {
      where.add("o.media_type = ?");
      args.add(f.mediaType());
    }
    if (f.namePrefix() != null && !f.namePrefix().isEmpty()) {
      where.add("substr(o.name, 1, ?) = ?");
      args.add(f.namePrefix().length());
      args.add(f.namePrefix());
    }
    if (cursor != null) {
      where.add("o.id > ?");
      args.add(cursor);
    }
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    sql.append(" ORDER BY o.id LIMIT ?");
    args.add(limit + 1);
    return read(
        c -> {
          List<CatalogObject> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(toObject(rs, List.of()));
              }
            }
          }
          boolean more = out.size() > limit;
          List<CatalogObject> page = new ArrayList<>();
          for (CatalogObject o : out.subList(0, Math.min(limit, out.size()))) {
            page.add(
                new CatalogObject(
                    o.id(),
                    o.size(),
                    o.mediaType(),
                    o.name(),
                    o.info(),
                    o.created(),
                    o.location(),
                    parents(c, o.id())));
          }
          return new Page<>(page, more ? page.get(page.size() - 1).id() : null);
        });
  }

  // ---------------------------------------------------------------- datasets

  @Override
  public Dataset createDataset(String id, String menuId, String configId, long now) {
    return datasets.createDataset(id, menuId, configId, now);
  }

  @Override
  public boolean importDataset(Dataset d) {
    return datasets.importDataset(d);
  }

  @Override
  public Optional<Dataset> dataset(String id) {
    return datasets.dataset(id);
  }

  @Override
  public Page<Dataset> datasets(String cursor, int limit) {
    return datasets.datasets(cursor, limit);
  }

  @Override
  public boolean addPartition(String dataset, String key) {
    return datasets.addPartition(dataset, key);
  }

  @Override
  public List<String> partitions(String dataset) {
    return datasets.partitions(dataset);
  }

  @Override
  public long newJob(String dataset, long now) {
    return datasets.newJob(dataset, now);
  }

  @Override
  public void importJob(String dataset, long job, long now) {
    datasets.importJob(dataset, job, now);
  }

  @Override
  public List<Long> jobs(String dataset) {
    return datasets.jobs(dataset);
  }
}
