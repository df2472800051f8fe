package io.cairn.internal.pipeline;

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
  private final Path workRoot;
  private final BlobStore blobs;
  private final BlobKey jobDir;
  private Path workDir; // created on first use, by the job's own thread

  DefaultJobContext(
      PipelineTask task,
      Job job,
      int attempt,
      Logger log,
      Path workRoot,
      BlobStore blobs,
      BlobKey jobDir) {
    this.task = task;
    this.job = job;
    this.attempt = attempt;
    this.log = log;
    this.workRoot = workRoot;
    this.blobs = blobs;
    this.jobDir = jobDir;
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
  public synchronized Path workDir() throws IOException {
    if (workDir == null) {
      Files.createDirectories(workRoot);
      workDir = Files.createTempDirectory(workRoot, job.key() + "-" + attempt + "-");
    }
    return workDir;
  }

  /** The work directory if one was made (to remove it afterwards). */
  synchronized Path createdWorkDir() {
    return workDir;
  }

  @Override
  public void writeOutput(String name, byte[] data) throws IOException {
    blobs.putBytes(jobDir.resolve(BlobKey.encodeSegment(name)), data);
  }
}
