package io.cairn.cli;

import io.cairn.Status;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses status names as the core does ("error", "ERROR", "pending" for running). */
final class StatusConverter implements ITypeConverter<Status> {
  @Override
  public Status convert(String value) {
    try {
      return Status.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
