package dev.seldonj.local.errors;

/** A problem the user can fix (unknown image, unresolvable Service, a container that never got ready...). */
public class RunnerException extends RuntimeException {

    public RunnerException(String message) {
        super(message);
    }

    public RunnerException(String message, Throwable cause) {
        super(message, cause);
    }
}
