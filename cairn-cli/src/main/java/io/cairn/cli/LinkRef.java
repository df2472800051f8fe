package io.cairn.cli;

import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.Repository;
import picocli.CommandLine.Parameters;

/** The TASK.LINK JOB pair of cat and inject. */
final class LinkRef {
  @Parameters(index = "0", paramLabel = "TASK.LINK", description = "A task's link, e.g. split.doc.")
  String taskLink;

  @Parameters(index = "1", paramLabel = "JOB", description = "A job key.")
  String job;

  /** The task's name: everything before the last dot (task names may contain dots). */
  String task() {
    int dot = taskLink.lastIndexOf('.');
    if (dot <= 0 || dot == taskLink.length() - 1) {
      throw new IllegalArgumentException(
          "expected TASK.LINK, e.g. split.doc, got '" + taskLink + "'");
    }
    return taskLink.substring(0, dot);
  }

  String link() {
    task();
    return taskLink.substring(taskLink.lastIndexOf('.') + 1);
  }

  /**
   * The linked repository.
   *
   * @throws IllegalArgumentException naming the known tasks or links
   */
  Repository repository(Pipeline p) {
    String linkName = link();
    var t = p.requireTask(task());
    return t.link(linkName)
        .map(Link::repository)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "task '"
                        + t.name()
                        + "' has no link '"
                        + linkName
                        + "'; links: "
                        + String.join(", ", t.links().stream().map(Link::name).toList())));
  }

  /** The job key, checked against the rule. */
  String key() {
    return JobKeys.check(job);
  }

  @Override
  public String toString() {
    return taskLink + " " + job;
  }
}
