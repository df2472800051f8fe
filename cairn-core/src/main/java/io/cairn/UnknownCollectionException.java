package io.cairn;

import java.util.List;

/** A collection name that is neither registered in this process nor known to the store. */
public final class UnknownCollectionException extends CairnException {
  private final String collection;
  private final List<String> known;

  public UnknownCollectionException(String collection, List<String> known) {
    super(
        "unknown collection '"
            + collection
            + "'; "
            + (known.isEmpty()
                ? "no collections exist yet"
                : "known: " + String.join(", ", known)));
    this.collection = collection;
    this.known = List.copyOf(known);
  }

  public String collection() {
    return collection;
  }

  public List<String> known() {
    return known;
  }
}
