package dev.seldonj.node.errors;

/** An expected failure whose message is for the user as it is: no stack trace goes with it. */
public class NodeException extends RuntimeException {

    public NodeException(String message) {
        super(message);
    }

    public NodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
