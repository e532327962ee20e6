package dev.seldonj.api.manifest;

import com.fasterxml.jackson.databind.Module;

/**
 * The old address of {@link dev.seldonj.api.mapping.LazyKubernetesTypes}, kept only for the engine's
 * {@code PredictorSource} until the engine imports the new one; then this class goes.
 */
@Deprecated(forRemoval = true)
public final class LazyKubernetesTypes {

  private LazyKubernetesTypes() {}

  public static Module module() {
    return dev.seldonj.api.mapping.LazyKubernetesTypes.module();
  }
}
