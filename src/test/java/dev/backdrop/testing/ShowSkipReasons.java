package dev.backdrop.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints why a test was skipped (e.g. no ../shared/testdata) on the console, where Maven's
 * summary alone would only count it. Registered for every test through junit-platform.properties.
 */
public final class ShowSkipReasons implements TestWatcher {
    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        System.out.println("SKIPPED " + context.getRequiredTestClass().getSimpleName() + "."
                + context.getDisplayName() + ": " + cause.getMessage());
    }
}
