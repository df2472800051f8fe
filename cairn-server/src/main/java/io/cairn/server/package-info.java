/**
 * {@code cairn serve}: the HTTP API over a Cairn home, built from what the project defines and what
 * its store knows. Start one with {@link io.cairn.server.CairnServer#builder}.
 */
package io.cairn.server;
