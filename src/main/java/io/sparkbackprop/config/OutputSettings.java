package io.sparkbackprop.config;

/**
 * The {@code output} section. Either one model directory ({@code output.model}), or, for scheduled
 * retraining, a root holding one directory per run ({@code output.root}/{@code output.version})
 * with a {@code LATEST} pointer, the newest {@code keepVersions} kept, and an optional quality
 * gate the new model must pass before {@code LATEST} moves to it.
 *
 * @param model the model directory in single-directory mode, else null
 * @param root the versions' root in versioned mode, else null
 * @param version this run's version name in versioned mode
 * @param gate null when there is no quality gate
 */
public record OutputSettings(String model, String root, String version, int keepVersions,
    boolean overwrite, GateSettings gate) {

  /** A version name: one path component that cannot escape the root ("..", "/", absolute). */
  public static final String VERSION_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

  /** True when {@code name} may name a version directory under the root. */
  public static boolean isVersionName(String name) {
    return name != null && name.matches(VERSION_PATTERN) && !name.equals("LATEST");
  }

  public boolean versioned() {
    return root != null;
  }

  /** The directory this run writes its model to. */
  public String modelDir() {
    return versioned() ? root.replaceAll("/+$", "") + "/" + version : model;
  }
}
