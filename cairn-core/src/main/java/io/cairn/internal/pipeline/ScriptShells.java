package io.cairn.internal.pipeline;

import io.cairn.internal.exec.LocalProcessExecutor;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.ScriptSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shell a script task names: its command line, and whether it exists here. A missing shell is
 * found when the pipeline is built, not as one failed attempt per job, but only for tasks that run
 * on this machine: a remote executor's node may have a shell this one lacks.
 */
final class ScriptShells {
  private ScriptShells() {}

  /**
   * The argv that runs {@code command}: {@code /bin/sh -c} by default, as before shells existed.
   */
  static List<String> argv(ScriptSpec spec, String command) {
    String shell = spec.shell();
    return List.of(ScriptSpec.DEFAULT_SHELL.equals(shell) ? "/bin/sh" : shell, "-c", command);
  }

  /**
   * Checks that the task's shell can be started here when the task runs on the local process
   * executor.
   *
   * @throws ScriptValidationException naming the task, the shell and what to do
   */
  static void check(PipelineTask task, ScriptSpec spec) {
    String executor = task.executor().orElse(LocalProcessExecutor.NAME);
    String shell = spec.shell();
    if (!executor.equals(LocalProcessExecutor.NAME) || ScriptSpec.DEFAULT_SHELL.equals(shell)) {
      return;
    }
    if (shell.startsWith("/")) {
      if (!Files.isRegularFile(Path.of(shell)) || !Files.isExecutable(Path.of(shell))) {
        throw new ScriptValidationException(
            task.name(),
            "shell",
            "no executable file " + shell + "; install that shell or name another, e.g. bash");
      }
      return;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          Path candidate = Path.of(dir).resolve(shell);
          if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
            return;
          }
        }
      }
    }
    throw new ScriptValidationException(
        task.name(),
        "shell",
        "no shell '"
            + shell
            + "' on the PATH ("
            + (path == null ? "PATH is not set" : path)
            + "); install it, give its absolute path, or use sh");
  }
}
