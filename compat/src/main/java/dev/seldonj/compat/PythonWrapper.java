package dev.seldonj.compat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which Python wrapper serves a {@link PythonMicroservice}: both install a {@code seldon-core-microservice}
 * console script that takes the same flags and environment, each in its own git-ignored virtualenv.
 */
public enum PythonWrapper {
    /** Seldon's own wrapper, the pinned seldon-core of {@code compat/requirements.txt}, in {@code .venv/} ({@code make venv}). */
    SELDON(".venv", "venv", "it installs compat/requirements.txt, the pinned seldon-core"),
    /** This project's Apache-2.0 wrapper (package {@code seldonj_wrapper}, {@code python/}), in {@code .venv-wrapper/} ({@code make wrapper-venv}). */
    SELDONJ(".venv-wrapper", "wrapper-venv", "it installs this project's Python wrapper from python/");

    private final String venvDir;
    private final String makeTarget;
    private final String what;

    PythonWrapper(String venvDir, String makeTarget, String what) {
        this.venvDir = venvDir;
        this.makeTarget = makeTarget;
        this.what = what;
    }

    /** The virtualenv holding this wrapper, under the repository root of {@code env}. */
    public Path venv(CompatEnvironment env) {
        return env.root().resolve(venvDir);
    }

    /** A console script or interpreter of this wrapper's virtualenv. */
    public Path bin(CompatEnvironment env, String name) {
        return venv(env).resolve("bin").resolve(name);
    }

    /** Its {@code seldon-core-microservice}. */
    public Path microservice(CompatEnvironment env) {
        return bin(env, "seldon-core-microservice");
    }

    /** The make target that creates the virtualenv: {@code venv} or {@code wrapper-venv}. */
    public String makeTarget() {
        return makeTarget;
    }

    /** Fails loudly, with the fix ({@code make venv} or {@code make wrapper-venv}), when the wrapper is not installed. */
    public Path requireMicroservice(CompatEnvironment env) {
        Path microservice = microservice(env);
        if (!Files.isExecutable(microservice)) {
            throw new IllegalStateException(this + " wrapper: " + microservice + " is missing: run `make " + makeTarget
                    + "` in " + env.root() + " (" + what + ")");
        }
        return microservice;
    }
}
