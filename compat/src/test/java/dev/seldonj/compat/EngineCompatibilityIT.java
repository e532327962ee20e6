package dev.seldonj.compat;

import dev.seldonj.api.model.SeldonDeployment;

/**
 * The engine, as the operator runs it (its runnable jar, the executor's flags, {@code ENGINE_PREDICTOR}),
 * against Seldon's own Python wrapper and clients: every test of {@link EngineCompatibilityContract}.
 */
class EngineCompatibilityIT extends EngineCompatibilityContract {

    @Override
    protected RunningEngine startEngine(SeldonDeployment deployment) {
        return EngineProcess.start(deployment);
    }
}
