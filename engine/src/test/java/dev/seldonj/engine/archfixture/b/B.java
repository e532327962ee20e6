package dev.seldonj.engine.archfixture.b;

import dev.seldonj.engine.archfixture.a.A;

/** The other half of the deliberate package cycle of EnginePackageCyclesTest. */
public final class B {

    public A back() {
        return new A();
    }
}
