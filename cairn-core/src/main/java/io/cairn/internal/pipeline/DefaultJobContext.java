package io.cairn.internal.pipeline;

import io.cairn.internal.pipeline.repo.Staging;
import io.cairn.pipeline.Job;
import io.cairn.pipeline.JobContext;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repository;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;

final class DefaultJobContext implements JobContext {
  private final PipelineTask task;
  private final Job job;
  private final int attempt;
  private final Logger log;
  private final Path workDir; // created on first use
  private final BlobStore blobs;
  private final BlobKey jobDir;
  private final Staging staging;

  DefaultJobContext(
      PipelineTask task,
      Job job,
      int attempt,
      Logger log,
      Path workDir,
      BlobStore blobs,
      BlobKey jobDir,
      Staging staging) {
    this.task = task;
    this.job = job;
    this.attempt = attempt;
    this.log = log;
    this.workDir = workDir;
    this.blobs = blobs;
    this.jobDir = jobDir;
    this.staging = staging;
  }

  @Override
  public Job job() {
    return job;
  }

  @Override
  public Map<String, Object> params() {
    return job.params();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Logger log() {
    return log;
  }

  @Override
  public Repository link(String name) {
    return task.link(name)
        .map(Link::repository)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "task '"
                        + task.name()
                        + "' has no link '"
                        + name
                        + "'; links: "
                        + task.links().stream().map(Link::name).toList()));
  }

  @Override
  public <R extends Repository> R link(String name, Class<R> type) {
    Repository r = link(name);
    if (!type.isInstance(r)) {
      throw new IllegalArgumentException(
          "link '"
              + name
              + "' of task '"
              + task.name()
              + "' is "
              + r.describe()
              + ", not a "
              + type.getSimpleName());
    }
    return type.cast(r);
  }

  @Override
  public Path workDir() throws IOException {
    return Files.createDirectories(workDir);
  }

  @Override
  public void writeOutput(String name, byte[] data) throws IOException {
    BlobKey target = jobDir.resolve(BlobKey.encodeSegment(name));
    byte[] copy = data.clone();
    // Staged: put beside the job's log only when the attempt completes.
    staging.stage("output " + jobDir, name, () -> blobs.putBytes(target, copy));
  }
}
