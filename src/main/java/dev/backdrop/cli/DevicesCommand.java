package dev.backdrop.cli;

import dev.backdrop.capture.CameraDevices;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code backdrop devices}: the cameras here, with the formats and sizes each offers. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List cameras with their formats and sizes.")
final class DevicesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        List<CameraDevices.Camera> cameras = CameraDevices.list();
        if (cameras.isEmpty()) {
            System.out.println("no cameras found (no /dev/video* devices)."
                    + " On Windows use --device \"NAME\" (DirectShow), on macOS --device INDEX (AVFoundation).");
            return 0;
        }
        for (CameraDevices.Camera camera : cameras) {
            System.out.println(camera.device() + "  " + camera.name());
            for (String format : CameraDevices.formats(camera.device())) {
                System.out.println("    " + format);
            }
        }
        return 0;
    }
}
