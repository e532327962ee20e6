package dev.seldonj.engine.archfixture.a;

import dev.seldonj.engine.archfixture.b.B;

/** Half of a deliberate package cycle (EnginePackageCyclesTest proves its rules catch one). */
public final class A {

    public B next() {
        return new B();
    }
}
