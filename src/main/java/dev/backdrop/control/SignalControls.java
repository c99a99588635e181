package dev.backdrop.control;

import dev.backdrop.config.ConfigException;
import dev.backdrop.config.SettingValues;
import dev.backdrop.pipeline.LiveControls;
import java.io.PrintStream;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * Signals a running {@code live} answers, as Linux-Fake-Background-Webcam's users expect: SIGHUP
 * re-reads the config file and applies what changed (a wrong value is reported and the settings in
 * force stay); SIGUSR1 turns the effect off and on. Handlers run on the JVM's signal thread.
 */
public final class SignalControls {

    private SignalControls() {
    }

    /**
     * reread: the config file's values with the command line's flags laid over them again.
     * Platforms without these signals (Windows) are told so on out, and run on without them.
     */
    public static void install(LiveControls controls, Supplier<SettingValues> reread, PrintStream out) {
        try {
            Signal.handle(new Signal("HUP"), s -> reload(controls, reread, out));
            Signal.handle(new Signal("USR1"), s -> controls.toggleEffect("SIGUSR1"));
        } catch (IllegalArgumentException unsupported) {
            out.println("signals: " + unsupported.getMessage() + "; SIGHUP and SIGUSR1 do nothing here");
        }
    }

    private static void reload(LiveControls controls, Supplier<SettingValues> reread, PrintStream out) {
        try {
            if (controls.reload(reread.get(), "SIGHUP").isEmpty()) {
                out.println("SIGHUP: config re-read, nothing to change");
            }
        } catch (ConfigException e) {
            out.println("SIGHUP: " + e.getMessage() + "; the settings in force stay");
        } catch (RuntimeException e) {
            out.println("SIGHUP: cannot apply the config file: " + e.getMessage() + "; the settings in force stay");
        }
    }
}
