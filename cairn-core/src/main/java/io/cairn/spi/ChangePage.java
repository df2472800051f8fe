package io.cairn.spi;

import java.util.List;
import java.util.Objects;

/**
 * One page of {@link ResourceStore#changesSince}: the resources changed after a cursor, in the
 * order of their latest writes.
 *
 * @param resources each changed resource once, as it is now, ascending by {@link
 *     StoredResource#changeSeq()}
 * @param cursor where the next call starts: the {@code changeSeq} of the last resource returned, or
 *     the cursor given when none was
 */
public record ChangePage(List<StoredResource> resources, long cursor) {
  public ChangePage {
    resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
  }
}
