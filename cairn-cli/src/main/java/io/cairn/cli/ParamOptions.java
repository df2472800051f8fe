package io.cairn.cli;

import io.cairn.pipeline.Params;
import io.cairn.pipeline.PipelineTask;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --param NAME=VALUE ...} of run and launch, parsed by the task's declared types. */
final class ParamOptions {
  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description = "A parameter of a parameterized task (repeat for several).")
  Map<String, String> values = new LinkedHashMap<>();

  boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * The typed, checked parameters.
   *
   * @throws IllegalArgumentException naming the bad or missing parameter
   */
  Map<String, Object> parse(PipelineTask task) {
    return Params.parse(task, values);
  }
}
