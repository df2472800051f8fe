package io.cairn.slurm.internal;

import io.cairn.spi.ResourceExecutor.Attempt;
import io.cairn.spi.WorkSpec;
import io.cairn.ssh.internal.SshLogin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Slurm's commands on a login node, over one reused SSH connection ({@code cairn-ssh}'s {@link
 * SshLogin}: host keys checked, bounded reconnects with backoff); files over SFTP under a remote
 * directory that the compute nodes share with the login node: {@code <remote>/spool} for arrays,
 * {@code <remote>/<attempt>-<random>} per attempt, removed when the attempt ends.
 */
final class SshShell implements ClusterShell {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int REMOVE_PER_CALL = 200;
  private final SshLogin login;
  private final String remoteDir;
  private String root; // absolute, once made; guarded by this

  SshShell(SshLogin login, String remoteDir) {
    this.login = login;
    this.remoteDir = remoteDir;
  }

  @Override
  public boolean local() {
    return false;
  }

  /** Made and resolved once, on first use: opening an executor does not connect. */
  private synchronized String root() throws IOException {
    if (root == null) {
      login.mkdirs(remoteDir);
      String r = login.canonical(remoteDir);
      login.mkdirs(r + "/spool");
      root = r;
    }
    return root;
  }

  @Override
  public String spool() throws IOException {
    return root() + "/spool";
  }

  @Override
  public Place place(WorkSpec.Script spec, Attempt attempt) throws IOException {
    String name =
        attempt.name() == null ? "job" : attempt.name().replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.length() > 60) {
      name = name.substring(0, 60);
    }
    String dir =
        root() + "/" + name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    String control = dir + "/.cairn-slurm";
    login.mkdirs(control);
    return new Place(dir, control, true);
  }

  @Override
  public String run(List<String> argv) throws IOException {
    StringBuilder line = new StringBuilder();
    for (String w : argv) {
      line.append(line.length() == 0 ? "" : " ").append(Wrapper.quote(w));
    }
    SshLogin.Result r = login.exec(line.toString(), LIMIT);
    if (r.exitCode() != 0) {
      throw new IOException(
          argv.get(0)
              + " exited with "
              + r.exitCode()
              + " on "
              + login.host().label()
              + ": "
              + r.output().strip().replace('\n', ' '));
    }
    return r.output();
  }

  @Override
  public void mkdirs(String dir) throws IOException {
    login.mkdirs(dir);
  }

  @Override
  public OutputStream create(String file) throws IOException {
    return login.write(file);
  }

  @Override
  public InputStream open(String file) throws IOException {
    return login.read(file);
  }

  @Override
  public byte[] read(String file, long offset, int max) throws IOException {
    return login.read(file, offset, max);
  }

  @Override
  public Map<String, Long> list(String dir) throws IOException {
    return login.list(dir);
  }

  @Override
  public void remove(List<String> paths) throws IOException {
    for (int i = 0; i < paths.size(); i += REMOVE_PER_CALL) {
      List<String> argv = new ArrayList<>(List.of("rm", "-rf", "--"));
      argv.addAll(paths.subList(i, Math.min(paths.size(), i + REMOVE_PER_CALL)));
      run(argv);
    }
  }

  @Override
  public void close() {
    login.close();
  }
}
