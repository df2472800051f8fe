package io.cairn.cli;

import picocli.CommandLine.Parameters;

/** The COLLECTION IDENT pair the per-resource commands take. */
final class ResourceRef {
  @Parameters(index = "0", paramLabel = "COLLECTION", description = "A collection name.")
  String collection;

  @Parameters(index = "1", paramLabel = "IDENT", description = "A resource ident.")
  String ident;

  @Override
  public String toString() {
    return collection + "/" + ident;
  }
}
