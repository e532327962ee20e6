package dev.seldonj.components;

import dev.seldonj.wrapper.Payloads;
import dev.seldonj.wrapper.SeldonComponent;
import io.seldon.protos.PredictionProtos.SeldonMessage;

/**
 * The identity model of seed 003 ({@code MLScore.predict} returns {@code X}): the payload comes back
 * unchanged; like the Python wrapper, 2-D data is renamed {@code t:0, t:1, ...} (the model has no class
 * names) and 1-D data loses its names.
 */
public final class IdentityModel implements SeldonComponent {

    @Override
    public SeldonMessage predict(SeldonMessage request) {
        return Payloads.passThrough(request);
    }
}
