package io.sparkbackprop.model;

import java.nio.file.FileAlreadyExistsException;

/**
 * {@link ModelStore#writeDirectory} was asked not to overwrite, and the directory exists. The
 * message is the whole sentence, without the {@code path: } prefix that
 * {@link FileAlreadyExistsException} would put in front of it.
 */
public class OutputExistsException extends FileAlreadyExistsException {

  public OutputExistsException(String dir) {
    super(dir, null, "output directory " + dir + " already exists; set output.overwrite = true to replace it");
  }

  /** The output at {@code path} exists and may not be replaced, for the reason {@code sentence} gives. */
  public OutputExistsException(String path, String sentence) {
    super(path, null, sentence);
  }

  @Override
  public String getMessage() {
    return getReason();
  }
}
