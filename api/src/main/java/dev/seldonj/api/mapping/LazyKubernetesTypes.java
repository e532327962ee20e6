package dev.seldonj.api.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.CreatorProperty;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.AccessPattern;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Builds the deserializers of properties of Kubernetes (fabric8) types when a document first holds
 * them, not up front. Jackson resolves a bean's property deserializers eagerly, so binding the first pod spec
 * used to build them for the whole PodSpec type graph (volumes of every kind, affinity, probes...):
 * hundreds of classes and most of the time it takes a process to read its first SeldonDeployment.
 * Documents bind exactly as before; only the moment a property's deserializer is built moves.
 */
public final class LazyKubernetesTypes {

    private static final String KUBERNETES_TYPES = "io.fabric8.";

    private LazyKubernetesTypes() {}

    /** The Jackson module to register on a mapper that binds SeldonDeployments or PredictorSpecs. */
    public static Module module() {
        return new SimpleModule("lazy-kubernetes-types").setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(
                    DeserializationConfig config, BeanDescription bean, BeanDeserializerBuilder builder) {
                List<SettableBeanProperty> lazy = new ArrayList<>();
                for (Iterator<SettableBeanProperty> it = builder.getProperties(); it.hasNext(); ) {
                    SettableBeanProperty property = it.next();
                    // Properties with their own deserializer, polymorphic ones and constructor parameters stay as they
                    // are.
                    if (!property.hasValueDeserializer()
                            && property.getValueTypeDeserializer() == null
                            && !(property instanceof CreatorProperty)
                            && mentionsKubernetesType(property.getType())) {
                        lazy.add(property.withValueDeserializer(new Lazy(property.getType(), null)));
                    }
                }
                lazy.forEach(property -> builder.addOrReplaceProperty(property, true));
                return builder;
            }
        });
    }

    private static boolean mentionsKubernetesType(JavaType type) {
        for (JavaType t = type; t != null; t = t.getContentType()) {
            if (t.getRawClass().getName().startsWith(KUBERNETES_TYPES)) {
                return true;
            }
        }
        return false;
    }

    /** Finds the property's real deserializer the first time a value arrives, then hands every value to it. */
    private static final class Lazy extends StdDeserializer<Object> implements ContextualDeserializer {

        private final BeanProperty property;
        private volatile JsonDeserializer<Object> target;

        Lazy(JavaType type, BeanProperty property) {
            super(type);
            this.property = property;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            return property == this.property ? this : new Lazy(getValueType(), property);
        }

        private JsonDeserializer<Object> target(DeserializationContext ctxt) throws IOException {
            JsonDeserializer<Object> found = target;
            if (found == null) {
                found = ctxt.findContextualValueDeserializer(getValueType(), property);
                target = found;
            }
            return found;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return target(ctxt).deserialize(p, ctxt);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt, Object intoValue) throws IOException {
            return target(ctxt).deserialize(p, ctxt, intoValue);
        }

        @Override
        public Object deserializeWithType(JsonParser p, DeserializationContext ctxt, TypeDeserializer types)
                throws IOException {
            return target(ctxt).deserializeWithType(p, ctxt, types);
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            try {
                return target(ctxt).getNullValue(ctxt);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public AccessPattern getNullAccessPattern() {
            return AccessPattern.DYNAMIC;
        }
    }
}
