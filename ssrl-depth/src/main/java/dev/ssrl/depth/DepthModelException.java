package dev.ssrl.depth;

import java.nio.file.Path;

/**
 * A depth model that cannot be used, or an inference that gave no usable depth: the message names
 * the model file and the cause (a missing file, a file that is not an ONNX model, an input of the
 * wrong name, shape or type, a non-finite output).
 */
public final class DepthModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DepthModelException(Path model, String cause) {
    super("depth model " + model + ": " + cause);
  }

  public DepthModelException(Path model, String cause, Throwable e) {
    super("depth model " + model + ": " + cause, e);
  }
}
