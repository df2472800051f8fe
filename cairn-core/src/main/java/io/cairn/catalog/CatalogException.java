package io.cairn.catalog;

import io.cairn.CairnException;

/**
 * A catalog operation named something that is not there (an object, dataset, job or partition), or
 * an import conflicts with what the catalog holds. The message names it.
 */
public class CatalogException extends CairnException {
  public CatalogException(String message) {
    super(message);
  }
}
