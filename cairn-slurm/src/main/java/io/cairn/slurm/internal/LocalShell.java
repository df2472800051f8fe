package io.cairn.slurm.internal;

import io.cairn.spi.ResourceExecutor.Attempt;
import io.cairn.spi.WorkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Slurm's commands on this machine's PATH, and files on a file system the compute nodes share with
 * it: the attempt's own working directory (under the Cairn home) and a spool directory.
 */
final class LocalShell implements ClusterShell {
  private static final long LIMIT_S = 60;
  private final Path spool;

  LocalShell(Path spool) {
    this.spool = spool;
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public String spool() {
    return spool.toString();
  }

  @Override
  public Place place(WorkSpec.Script spec, Attempt attempt) throws IOException {
    Path work = (spec.workDir() != null ? spec.workDir() : attempt.workDir()).toAbsolutePath();
    Files.createDirectories(work);
    // One control directory per attempt: attempts may share a working directory, and a retry
    // must not read the exit code of the attempt before it.
    Path controls = Files.createDirectories(work.resolve(".cairn-slurm"));
    Path control =
        Files.createTempDirectory(
            controls, attempt.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "-");
    return new Place(work.toString(), control.toString(), false);
  }

  @Override
  public String run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(LIMIT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(cmd.get(0) + " did not finish within " + LIMIT_S + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(cmd.get(0) + " interrupted", e);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(
          cmd.get(0) + " exited with " + p.exitValue() + ": " + text.strip().replace('\n', ' '));
    }
    return text;
  }

  @Override
  public void mkdirs(String dir) throws IOException {
    Files.createDirectories(Path.of(dir));
  }

  @Override
  public OutputStream create(String file) throws IOException {
    return Files.newOutputStream(Path.of(file));
  }

  @Override
  public InputStream open(String file) throws IOException {
    return Files.newInputStream(Path.of(file));
  }

  @Override
  public byte[] read(String file, long offset, int max) throws IOException {
    if (!Files.exists(Path.of(file))) {
      return new byte[0];
    }
    try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
      long len = f.length();
      if (len <= offset) {
        return new byte[0];
      }
      byte[] buf = new byte[(int) Math.min(len - offset, max)];
      f.seek(offset);
      f.readFully(buf);
      return buf;
    }
  }

  @Override
  public Map<String, Long> list(String dir) throws IOException {
    Map<String, Long> files = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          if (a.isRegularFile()) {
            files.put(p.getFileName().toString(), a.size());
          }
        } catch (NoSuchFileException gone) {
          // renamed away meanwhile (the exit code's temporary name)
        }
      }
    } catch (NoSuchFileException e) {
      return files;
    }
    return files;
  }

  @Override
  public void remove(List<String> paths) throws IOException {
    for (String p : paths) {
      Path root = Path.of(p);
      if (!Files.exists(root)) {
        continue;
      }
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              Files.deleteIfExists(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    }
  }

  @Override
  public void close() {}
}
