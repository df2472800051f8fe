package io.cairn;

/**
 * Data a store holds cannot be read back: a stored result, argument or map value that is not valid
 * JSON, changed outside Cairn or damaged on disk. Reading it again will not help; {@code cairn
 * check} lists every such value of a home.
 */
public class CorruptDataException extends CairnException {
  public CorruptDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
