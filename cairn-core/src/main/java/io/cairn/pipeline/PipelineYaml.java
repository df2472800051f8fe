package io.cairn.pipeline;

import io.cairn.Cairn;
import io.cairn.internal.pipeline.yaml.YamlExecutors;
import io.cairn.internal.pipeline.yaml.YamlPipelineLoader;
import io.cairn.internal.pipeline.yaml.YamlTreeReader;
import io.cairn.spi.ResourceExecutor;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pipelines of script tasks written in YAML (a {@code cairn.yaml}): repositories by name, tasks
 * with their links, parameters, command templates and options. The format is described in {@code
 * docs/pipelines-yaml.md}.
 *
 * <p>Loading checks everything a run would trip on (unknown keys, types, names, repository
 * references, template names, the graph) and reports the first problem as a {@link
 * PipelineYamlException} naming the file, the line and the field. Thread-safe (stateless).
 */
public final class PipelineYaml {
  private PipelineYaml() {}

  /**
   * Loads a pipeline file; relative paths in it resolve against the file's directory.
   *
   * @param file the file; its name as given appears in error messages
   * @param cairn the home whose blob store {@code blobs} repositories use and whose collections
   *     {@code collection} repositories read; may be null if the file uses neither
   * @throws PipelineYamlException if the file cannot be read or is not a valid pipeline
   */
  public static Pipeline load(Path file, Cairn cairn) {
    String label = file.toString();
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new PipelineYamlException(label, 0, null, "no such file", e);
    } catch (CharacterCodingException e) {
      throw new PipelineYamlException(label, 0, null, "not UTF-8 text", e);
    } catch (IOException e) {
      throw new PipelineYamlException(label, 0, null, "cannot read: " + e, e);
    }
    Path dir = file.toAbsolutePath().normalize().getParent();
    return parse(yaml, dir, label, cairn);
  }

  /**
   * Builds a pipeline from YAML text.
   *
   * @param yaml the text
   * @param baseDir what relative paths resolve against
   * @param fileLabel the name errors give the text, e.g. {@code cairn.yaml}
   * @param cairn as for {@link #load}; may be null
   * @throws PipelineYamlException at the first problem, with its line and field
   */
  public static Pipeline parse(String yaml, Path baseDir, String fileLabel, Cairn cairn) {
    return YamlPipelineLoader.load(
        YamlTreeReader.read(yaml, fileLabel), baseDir.toAbsolutePath(), cairn);
  }

  /**
   * Makes the executors a pipeline file declares under {@code executors:} (none if it declares
   * none), to register on the Cairn the file is then loaded on ({@link
   * io.cairn.Cairn.Builder#executor}). The caller closes them, after that Cairn.
   *
   * @throws PipelineYamlException if the file cannot be read or a declaration is invalid (an
   *     unknown type names the types on the classpath)
   */
  public static Map<String, ResourceExecutor> executors(Path file) {
    String label = file.toString();
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new PipelineYamlException(label, 0, null, "no such file", e);
    } catch (IOException e) {
      throw new PipelineYamlException(label, 0, null, "cannot read: " + e, e);
    }
    return YamlExecutors.open(
        YamlTreeReader.read(yaml, label), file.toAbsolutePath().normalize().getParent());
  }
}
