package io.cairn.internal.pipeline.repo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.cairn.internal.json.Json;
import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.ValueRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
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

  public Path path(String key) {
    return dir.resolve(JobKeys.check(key) + extension);
  }

  @Override
  public String describe() {
    return "metadata(" + dir + ", *" + extension + ")";
  }

  @Override
  public Stream<String> keys() {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + extension)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".tmp-")) {
          names.add(n.substring(0, n.length() - extension.length()));
        }
      }
    } catch (NoSuchFileException e) {
      return Stream.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    Collections.sort(names);
    return invalid.filter(names.stream());
  }

  @Override
  public boolean contains(String key) {
    return JobKeys.isValid(key) && Files.isRegularFile(path(key));
  }

  @Override
  public Optional<Object> get(String key) {
    if (!contains(key)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(path(key));
      return Optional.ofNullable(yaml ? YAML.readValue(text, Object.class) : Json.read(text));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path(key), e);
    }
  }

  @Override
  public void put(String key, Object value) {
    Path target = path(key);
    String text;
    try {
      text = yaml ? YAML.writeValueAsString(value) : Json.write(value) + "\n";
    } catch (IOException e) {
      throw new IllegalArgumentException(describe() + ": value for '" + key + "' is not JSON", e);
    }
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(".tmp-" + java.util.UUID.randomUUID());
      try {
        Files.writeString(tmp, text);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
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
