package dev.seldonj.controller.app;

/**
 * A reason the controller cannot start, worded for the person who runs it: one line that names what
 * is wrong (a file, a variable, a URL) and the setting that changes it. The command line prints the
 * message alone, without a stack trace, and exits non-zero.
 */
public final class StartupFailure extends RuntimeException {

    public StartupFailure(String message) {
        super(message, null, false, false);
    }
}
