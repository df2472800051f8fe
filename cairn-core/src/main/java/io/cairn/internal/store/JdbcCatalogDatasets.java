package io.cairn.internal.store;

import static io.cairn.internal.store.CatalogSql.checkLimit;
import static io.cairn.internal.store.CatalogSql.objectExists;
import static io.cairn.internal.store.CatalogSql.single;
import static io.cairn.internal.store.CatalogSql.strings;
import static io.cairn.internal.store.CatalogSql.update;

import io.cairn.Page;
import io.cairn.catalog.CatalogException;
import io.cairn.catalog.Dataset;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Datasets, partitions and jobs of the SQL catalog. Job and partition numbers come from counters in
 * the dataset's row, bumped by an {@code UPDATE} first thing in the transaction: that row lock
 * serializes the allocations of one dataset on a database whose writers do not serialize otherwise.
 */
final class JdbcCatalogDatasets {
  private final CatalogSql sql;

  JdbcCatalogDatasets(CatalogSql sql) {
    this.sql = sql;
  }

  private <T> T write(CatalogSql.Body<T> body) {
    return sql.write(body);
  }

  private <T> T read(CatalogSql.Body<T> body) {
    return sql.read(body);
  }

  Dataset createDataset(String id, String menuId, String configId, long now) {
    return write(
        c -> {
          if (!objectExists(c, menuId)) {
            throw new CatalogException("menu " + menuId + " is not a catalog object: put it first");
          }
          if (!objectExists(c, configId)) {
            throw new CatalogException(
                "configuration " + configId + " is not a catalog object: put it first");
          }
          int n =
              update(
                  c,
                  "INSERT INTO catalog_datasets (id, menu_id, config_id, created) VALUES (?, ?, ?,"
                      + " ?) ON CONFLICT (id) DO NOTHING",
                  id,
                  menuId,
                  configId,
                  now);
          if (n == 0) {
            throw new CatalogException("dataset " + id + " exists already");
          }
          return new Dataset(id, menuId, configId, now);
        });
  }

  boolean importDataset(Dataset d) {
    return write(
        c -> {
          Optional<Dataset> old = datasetOn(c, d.id());
          if (old.isPresent()) {
            if (!old.get().menuId().equals(d.menuId())
                || !old.get().configId().equals(d.configId())) {
              throw new CatalogException(CatalogConflicts.dataset(old.get(), d));
            }
            return false;
          }
          update(
              c,
              "INSERT INTO catalog_datasets (id, menu_id, config_id, created) VALUES (?, ?, ?, ?)",
              d.id(),
              d.menuId(),
              d.configId(),
              d.created());
          return true;
        });
  }

  Optional<Dataset> dataset(String id) {
    return read(c -> datasetOn(c, id));
  }

  private static Optional<Dataset> datasetOn(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, menu_id, config_id, created FROM catalog_datasets WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Dataset(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
            : Optional.empty();
      }
    }
  }

  Page<Dataset> datasets(String cursor, int limit) {
    checkLimit(limit);
    return read(
        c -> {
          List<Dataset> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, menu_id, config_id, created FROM catalog_datasets WHERE id > ?"
                      + " ORDER BY id LIMIT ?")) {
            ps.setString(1, cursor == null ? "" : cursor);
            ps.setInt(2, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Dataset(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
              }
            }
          }
          boolean more = out.size() > limit;
          List<Dataset> page = List.copyOf(out.subList(0, Math.min(limit, out.size())));
          return new Page<>(page, more ? page.get(page.size() - 1).id() : null);
        });
  }

  static void requireDataset(Connection c, String dataset) throws SQLException {
    if (single(c, "SELECT created FROM catalog_datasets WHERE id = ?", dataset) == null) {
      throw new CatalogException("dataset " + dataset + " does not exist");
    }
  }

  boolean addPartition(String dataset, String key) {
    return write(
        c -> {
          // The counter's UPDATE first: it locks the dataset's row before the existence check.
          if (update(
                  c,
                  "UPDATE catalog_datasets SET next_partition = next_partition + 1 WHERE id = ?",
                  dataset)
              == 0) {
            throw new CatalogException("dataset " + dataset + " does not exist");
          }
          if (single(
                  c,
                  "SELECT seq FROM catalog_partitions WHERE dataset_id = ? AND pkey = ?",
                  dataset,
                  key)
              != null) {
            return false;
          }
          long seq =
              single(c, "SELECT next_partition FROM catalog_datasets WHERE id = ?", dataset) - 1;
          update(
              c,
              "INSERT INTO catalog_partitions (dataset_id, pkey, seq) VALUES (?, ?, ?)",
              dataset,
              key,
              seq);
          return true;
        });
  }

  List<String> partitions(String dataset) {
    return read(
        c -> {
          requireDataset(c, dataset);
          return strings(
              c, "SELECT pkey FROM catalog_partitions WHERE dataset_id = ? ORDER BY seq", dataset);
        });
  }

  long newJob(String dataset, long now) {
    return write(
        c -> {
          if (update(c, "UPDATE catalog_datasets SET next_job = next_job + 1 WHERE id = ?", dataset)
              == 0) {
            throw new CatalogException("dataset " + dataset + " does not exist");
          }
          long job = single(c, "SELECT next_job FROM catalog_datasets WHERE id = ?", dataset) - 1;
          update(
              c,
              "INSERT INTO catalog_jobs (dataset_id, job, created) VALUES (?, ?, ?)",
              dataset,
              job,
              now);
          return job;
        });
  }

  void importJob(String dataset, long job, long now) {
    write(
        c -> {
          if (update(
                  c,
                  "UPDATE catalog_datasets SET next_job = CASE WHEN next_job > ? THEN next_job"
                      + " ELSE ? END WHERE id = ?",
                  job,
                  job + 1,
                  dataset)
              == 0) {
            throw new CatalogException("dataset " + dataset + " does not exist");
          }
          return update(
              c,
              "INSERT INTO catalog_jobs (dataset_id, job, created) VALUES (?, ?, ?)"
                  + " ON CONFLICT (dataset_id, job) DO NOTHING",
              dataset,
              job,
              now);
        });
  }

  List<Long> jobs(String dataset) {
    return read(
        c -> {
          requireDataset(c, dataset);
          List<Long> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT job FROM catalog_jobs WHERE dataset_id = ? ORDER BY job")) {
            ps.setString(1, dataset);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getLong(1));
              }
            }
          }
          return out;
        });
  }
}
