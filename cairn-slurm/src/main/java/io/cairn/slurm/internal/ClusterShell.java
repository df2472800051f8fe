package io.cairn.slurm.internal;

import io.cairn.spi.ResourceExecutor.Attempt;
import io.cairn.spi.WorkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Where the executor's Slurm commands run and its files live: this machine ({@link LocalShell}) or
 * a login node reached over SSH ({@link SshShell}). The executor's logic is written once against
 * this seam; paths are strings in the shell's own file system.
 *
 * <p>Implementations are thread-safe: the submitter, the poller and callers of {@code start} use
 * one shell at once.
 */
interface ClusterShell extends AutoCloseable {

  /**
   * Where one attempt's files go.
   *
   * @param work the script's working directory
   * @param control a new directory of this attempt's own for its wrapper and control files
   * @param owned whether the executor made {@code work} and removes it when the attempt ends
   */
  record Place(String work, String control, boolean owned) {}

  /** Whether files live on this machine, so the work spec's local paths are valid there. */
  boolean local();

  /** The directory for array manifests and Slurm's own output, made on first use. */
  String spool() throws IOException;

  /** Makes the directories of a new attempt. */
  Place place(WorkSpec.Script spec, Attempt attempt) throws IOException;

  /**
   * Runs a command (no shell in between on this machine; quoted word by word over SSH).
   *
   * @return what it printed, stdout and stderr together
   * @throws IOException naming the command, its exit code and output if it did not exit 0, or why
   *     it could not run
   */
  String run(List<String> argv) throws IOException;

  /** Makes a directory and its parents. */
  void mkdirs(String dir) throws IOException;

  /** Creates or truncates a file; the caller closes the stream. */
  OutputStream create(String file) throws IOException;

  /** Reads a whole file; the caller closes the stream. */
  InputStream open(String file) throws IOException;

  /** Up to {@code max} bytes from {@code offset}; fewer at the end, none if there is no file. */
  byte[] read(String file, long offset, int max) throws IOException;

  /** The regular files of a directory with their sizes; empty if it does not exist. */
  Map<String, Long> list(String dir) throws IOException;

  /** Removes files and directories with everything in them; missing ones are fine. */
  void remove(List<String> paths) throws IOException;

  /** {@code dir/name}. */
  default String resolve(String dir, String name) {
    return dir + "/" + name;
  }

  @Override
  void close();
}
