package io.cairn.internal.pipeline;

import io.cairn.internal.engine.Engine;
import io.cairn.pipeline.Job;
import io.cairn.pipeline.Params;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.spi.WorkSpec;
import java.util.Map;

/**
 * A job as the runner handles it: the task, the job, and what the engine stores for it (its
 * collection, arguments and fingerprint).
 */
record JobSpec(PipelineTask task, Job job, String collection, String argsJson, String fingerprint) {
  static JobSpec of(Pipeline pipeline, PipelineTask task, String key, Map<String, Object> params) {
    String args = Params.canonical(params);
    return new JobSpec(
        task,
        new Job(task.name(), key, params),
        pipeline.collectionOf(task.name()),
        args,
        Engine.fingerprint(args, task.version()));
  }

  /** A parameterized job: its key is the hash of its (checked) parameters. */
  static JobSpec ofParams(Pipeline pipeline, PipelineTask task, Map<String, ?> params) {
    Map<String, Object> checked = Params.check(task, params);
    return of(pipeline, task, Params.hash(checked), checked);
  }

  String key() {
    return job.key();
  }

  /** The same job of another key: same task, parameters and fingerprint. */
  JobSpec forKey(String key) {
    return new JobSpec(
        task, new Job(task.name(), key, job.params()), collection, argsJson, fingerprint);
  }

  /**
   * What a worker runs for this job, as a queued resource carries it: the task, called by its
   * pipeline's and its own name with the job's parameters, and the task's CPU and memory needs.
   */
  WorkSpec.Call work(String pipeline) {
    return new WorkSpec.Call(
        "pipeline:" + pipeline + "/" + task.name(),
        argsJson,
        new WorkSpec.Needs((int) Math.ceil(task.cpu()), task.memoryMb() << 20));
  }
}
