package io.cairn.cli;

import io.cairn.pipeline.Repository;
import io.cairn.pipeline.StreamRepository;
import io.cairn.pipeline.ValueRepository;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "cat",
    description = "Print a job's data in one of a task's links.",
    sortOptions = false,
    footerHeading = "%n",
    footer =
        "Files and blobs are copied to stdout byte for byte; metadata is printed as pretty"
            + " JSON; any other repository prints what it knows of the key (its info) as JSON.")
final class CatCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;
  @Mixin private LinkRef ref;

  @Override
  public Integer call() throws IOException {
    String key = ref.key();
    Output o = Output.of(spec);
    try (PipelineSession s = PipelineSession.openForReading(main, pipelineFile)) {
      Repository repo = ref.repository(s.pipeline());
      if (repo instanceof StreamRepository stream) {
        copy(stream, key, repo, o);
      } else if (repo instanceof ValueRepository values) {
        o.json(values.get(key).orElseThrow(() -> missing(repo, key)));
      } else {
        Optional<Object> info = repo.info(key);
        o.json(info.orElseThrow(() -> missing(repo, key)));
      }
    }
    return ErrorHandler.OK;
  }

  private void copy(StreamRepository stream, String key, Repository repo, Output o)
      throws IOException {
    InputStream in;
    try {
      in = stream.open(key);
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw missing(repo, key);
    }
    o.out().flush();
    PrintStream raw = main.rawOut();
    try (in) {
      in.transferTo(raw);
    }
    raw.flush();
  }

  private IllegalArgumentException missing(Repository repo, String key) {
    return new IllegalArgumentException(
        "no job '" + key + "' in " + ref.taskLink + " (" + repo.describe() + ")");
  }
}
