package dev.seldonj.compat;

import dev.seldonj.api.model.SeldonDeployment;

/**
 * Every test of {@link EngineCompatibilityContract} (the engine's jar, as the operator runs it, driven
 * by {@code SeldonClient(gateway="seldon")} over REST and gRPC) with the graphs' Python components
 * (the seeds' {@code MyModel}, the joblib scikit-learn classifier, {@code FixedRouter},
 * {@code AverageCombiner}) served by this project's Python wrapper ({@code .venv-wrapper}, {@code make
 * wrapper-venv}) instead of Seldon's: the same classes, unchanged.
 */
class SeldonjWrapperEngineCompatibilityIT extends EngineCompatibilityContract {

    @Override
    protected RunningEngine startEngine(SeldonDeployment deployment) {
        return EngineProcess.start(deployment);
    }

    @Override
    protected PythonWrapper pythonWrapper() {
        return PythonWrapper.SELDONJ;
    }
}
