package io.cairn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.pipeline.Repository;
import io.cairn.pipeline.StreamRepository;
import io.cairn.pipeline.ValueRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "inject",
    description = "Write stdin as a job's data in one of a task's links.",
    sortOptions = false,
    footerHeading = "%n",
    footer =
        "Files and blobs take stdin as it is (written atomically); metadata takes one JSON"
            + " value. Other repositories (collections, combinators) are read-only. Injecting"
            + " into an input makes a new job: the next cairn run picks it up.")
final class InjectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;
  @Mixin private LinkRef ref;

  @Override
  public Integer call() throws IOException {
    String key = ref.key();
    Output o = Output.of(spec);
    try (PipelineSession s = PipelineSession.open(main, pipelineFile)) {
      Repository repo = ref.repository(s.pipeline());
      String where = ref.taskLink + " (" + repo.describe() + ")";
      if (repo instanceof StreamRepository stream) {
        byte[] data = main.rawIn().readAllBytes();
        try {
          stream.write(key, data);
        } catch (UnsupportedOperationException e) {
          throw readOnly(where);
        }
        o.note("wrote " + data.length + " bytes for job " + key + " to " + where);
      } else if (repo instanceof ValueRepository values) {
        String text = new String(main.rawIn().readAllBytes(), StandardCharsets.UTF_8);
        Object value = parse(text);
        try {
          values.put(key, value);
        } catch (UnsupportedOperationException e) {
          throw readOnly(where);
        }
        o.note("stored a JSON value for job " + key + " in " + where);
      } else {
        throw readOnly(where);
      }
    }
    return ErrorHandler.OK;
  }

  private static Object parse(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("stdin is empty: metadata takes one JSON value");
    }
    try {
      return JSON.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "stdin is not JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
  }

  private static IllegalArgumentException readOnly(String where) {
    return new IllegalArgumentException(
        where + " is read-only: inject writes to files, blobs and metadata repositories");
  }
}
