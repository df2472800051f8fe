package io.cairn.internal.pipeline.repo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.cairn.internal.json.Json;
import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.ValueRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** One JSON or YAML file of metadata per key: {@code <dir>/<key>.json} or {@code .yaml}. */
public final class MetadataRepository implements ValueRepository {
  // Human-friendly YAML: no document marker, quotes only where YAML needs them.
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .build());

  private final Path dir;
  private final boolean yaml;
  private final String extension;
  private final InvalidKeys invalid;

  public MetadataRepository(Path dir, boolean yaml) {
    this.dir = dir.toAbsolutePath().normalize();
    this.yaml = yaml;
    this.extension = yaml ? ".yaml" : ".json";
    this.invalid = new InvalidKeys(describe());
  }

  public Path dir() {
    return dir;
  }

  public Path path(String key) {
    return dir.resolve(JobKeys.check(key) + extension);
  }

  @Override
  public String describe() {
    return "metadata(" + dir + ", *" + extension + ")";
  }

  @Override
  public Stream<String> keys() {
    return invalid.filter(LocalFiles.names(dir, extension, false).stream());
  }

  /**
   * Where the job running on this thread writes a key's value: its staging path during a job (see
   * {@link Staging}), registered to be published if written; the real path otherwise.
   */
  public Path outputPath(String key) throws IOException {
    return Staging.outputPath(describe(), dir, key, path(key));
  }

  private Path readPath(String key) {
    return Staging.readPath(describe(), key, path(key));
  }

  @Override
  public boolean contains(String key) {
    return JobKeys.isValid(key) && Files.isRegularFile(readPath(key));
  }

  @Override
  public Optional<Object> get(String key) {
    if (!contains(key)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(readPath(key));
      return Optional.ofNullable(yaml ? YAML.readValue(text, Object.class) : Json.read(text));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path(key), e);
    }
  }

  @Override
  public void put(String key, Object value) {
    JobKeys.check(key);
    String text;
    try {
      text = yaml ? YAML.writeValueAsString(value) : Json.write(value) + "\n";
    } catch (IOException e) {
      throw new IllegalArgumentException(describe() + ": value for '" + key + "' is not JSON", e);
    }
    Path target = path(key);
    try {
      target = outputPath(key);
      LocalFiles.writeAtomically(
          target.getParent(),
          target,
          new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  @Override
  public boolean delete(String key) {
    try {
      return Files.deleteIfExists(path(key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path(key), e);
    }
  }

  @Override
  public List<String> invalidKeys() {
    return invalid.list();
  }
}
