package dev.seldonj.api.validation;

import dev.seldonj.api.model.Parameter;
import dev.seldonj.api.model.PredictiveUnit;

/** Reading a node's typed parameters. */
public final class Parameters {

    private Parameters() {}

    /** Why a parameter's value does not parse as its type, or null when it does. */
    public static String typeError(Parameter p) {
        if (p.getType() == null || p.getValue() == null) {
            return null; // the schema reports missing fields
        }
        String v = p.getValue().trim();
        try {
            switch (p.getType()) {
                case INT -> Long.parseLong(v);
                case FLOAT, DOUBLE -> Double.parseDouble(v);
                case BOOL -> {
                    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                        return "\"" + p.getValue() + "\" is not a BOOL (true or false)";
                    }
                }
                case STRING -> {
                    // any text
                }
            }
            return null;
        } catch (NumberFormatException e) {
            return "\"" + p.getValue() + "\" is not "
                    + (p.getType().wireName().equals("INT")
                            ? "an INT"
                            : "a " + p.getType().wireName());
        }
    }

    /** A numeric parameter's value, or null when absent or not numeric. */
    public static Double doubleValue(PredictiveUnit unit, String name) {
        if (unit.getParameters() == null) {
            return null;
        }
        for (Parameter p : unit.getParameters()) {
            if (name.equals(p.getName()) && p.getValue() != null) {
                try {
                    return Double.parseDouble(p.getValue().trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
