package io.cairn.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the catalog knows about one object, without its content. The first registration of a content
 * decides its name, media type and info; later registrations of the same bytes add placements and
 * parents only.
 *
 * @param id the SHA-256 of the content, 64 lower-case hex digits
 * @param size the content's length in bytes
 * @param mediaType what the content is, e.g. {@code text/csv}, {@code
 *     application/vnd.apache.arrow.file}
 * @param name a display name (the file name it was put from, or the one given); may be empty
 * @param info user metadata, key to value
 * @param created when the object was first registered, ms since the epoch
 * @param location null when the bytes are in the blob store; else the local file referenced in
 *     place (its hash is checked on every read)
 * @param parents the ids of the objects it was made from
 */
public record CatalogObject(
    String id,
    long size,
    String mediaType,
    String name,
    Map<String, String> info,
    long created,
    String location,
    List<String> parents) {
  public CatalogObject {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(mediaType, "mediaType");
    name = name == null ? "" : name;
    info = Map.copyOf(info == null ? Map.of() : info);
    parents = List.copyOf(parents == null ? List.of() : parents);
  }

  /** Whether the bytes are a local file referenced in place rather than a copy in the store. */
  public boolean referenced() {
    return location != null;
  }
}
