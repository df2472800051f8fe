package io.cairn.internal.store;

import io.cairn.catalog.Dataset;

/** The wording of import conflicts, shared by the stores and the importer. */
public final class CatalogConflicts {
  private CatalogConflicts() {}

  public static String dataset(Dataset here, Dataset imported) {
    return "import conflicts with dataset "
        + here.id()
        + ": here it has menu "
        + here.menuId()
        + " and configuration "
        + here.configId()
        + ", the file has menu "
        + imported.menuId()
        + " and configuration "
        + imported.configId()
        + "; nothing was imported";
  }
}
