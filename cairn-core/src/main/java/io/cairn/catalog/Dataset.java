package io.cairn.catalog;

/**
 * A dataset: the menu and configuration that describe how its data is made.
 *
 * @param id the dataset id
 * @param menuId the catalog object holding the menu
 * @param configId the catalog object holding the configuration
 * @param created ms since the epoch
 */
public record Dataset(String id, String menuId, String configId, long created) {}
