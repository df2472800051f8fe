/**
 * Cairn: durable, resumable computation of data resources. {@link io.cairn.Cairn} is the one entry
 * point; {@link io.cairn.Resource}, {@link io.cairn.Status}, {@link io.cairn.Stats} and {@link
 * io.cairn.Why} are the values it returns. Faces live in their own packages ({@code
 * io.cairn.collection}); storage interfaces in {@code io.cairn.spi}.
 */
package io.cairn;
