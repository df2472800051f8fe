/**
 * Storage and executor interfaces a backend implements; each has a contract suite in cairn-testkit.
 */
package io.cairn.spi;
