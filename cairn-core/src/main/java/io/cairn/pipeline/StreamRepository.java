package io.cairn.pipeline;

import java.io.IOException;
import java.io.InputStream;

/** A repository whose values are byte streams: files, blobs. */
public interface StreamRepository extends Repository {
  /**
   * Opens a key's data.
   *
   * @throws java.io.FileNotFoundException if the key is absent
   */
  InputStream open(String key) throws IOException;

  /** Writes a key's data atomically (temp + rename): readers see the old data or the new, whole. */
  void write(String key, InputStream data) throws IOException;

  /** Writes bytes. */
  default void write(String key, byte[] data) throws IOException {
    write(key, new java.io.ByteArrayInputStream(data));
  }

  /** Reads everything. */
  default byte[] read(String key) throws IOException {
    try (InputStream in = open(key)) {
      return in.readAllBytes();
    }
  }
}
