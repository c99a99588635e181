package dev.backdrop.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.backdrop.cli.BackdropCli;
import dev.backdrop.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged media through the whole `process` pipeline: seeded bit flips, truncations and chunk
 * swaps of small valid clips. Every case must end in time with either success or the one-line
 * error naming the input, never another exception and never a hang.
 */
class MediaFuzzTest {

    static final int CASES = 200;
    static final long SEED = 20261125L;

    @TempDir
    Path dir;

    @Test
    void damagedClipsEndCleanly() throws Exception {
        List<byte[]> originals = new ArrayList<>();
        for (String container : new String[] {"mp4", "mkv"}) {
            Path clip = dir.resolve("valid." + container);
            TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x96:rate=15", "-f", "lavfi", "-i",
                    "sine=frequency=500:sample_rate=16000", "-t", "1", "-c:v", "libx264", "-g", "5", "-c:a", "aac",
                    "-shortest", clip.toString());
            originals.add(Files.readAllBytes(clip));
        }
        Random random = new Random(SEED);
        int succeeded = 0;
        int refused = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            StringBuilder how = new StringBuilder();
            byte[] data = mutate(originals.get(i % originals.size()).clone(), random, how);
            Path input = dir.resolve("case-" + i + (i % 2 == 0 ? ".mp4" : ".mkv"));
            Files.write(input, data);
            Path output = dir.resolve("out-" + i + ".mkv");
            BackdropCli.Result r;
            try {
                r = CompletableFuture.supplyAsync(() -> BackdropCli.run("process", input.toString(), output.toString()))
                        .get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("case " + i + " (" + how + ") did not end within 60 s");
                return;
            }
            if (r.exitCode() == 0) {
                succeeded++;
            } else if (r.exitCode() == BackdropCli.INPUT && r.err().startsWith("backdrop: ") && r.err().strip().lines().count() == 1
                    && r.err().contains(input.getFileName().toString())) {
                refused++;
            } else {
                problems.add("case " + i + " (" + how + "): exit " + r.exitCode() + ": " + r.err().strip());
            }
            Files.deleteIfExists(input);
            Files.deleteIfExists(output);
        }
        System.out.printf("media fuzz: %d cases, %d processed, %d refused with a clear line, %d other%n",
                CASES, succeeded, refused, problems.size());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(CASES, succeeded + refused);
    }

    /** One seeded mutation: bit flips, a truncation or a swap of two chunks; {@code how} says which. */
    static byte[] mutate(byte[] data, Random random, StringBuilder how) {
        switch (random.nextInt(3)) {
            case 0 -> {
                int flips = 1 + random.nextInt(32);
                for (int k = 0; k < flips; k++) {
                    int at = random.nextInt(data.length);
                    data[at] ^= (byte) (1 << random.nextInt(8));
                }
                how.append(flips).append(" bit flips");
                return data;
            }
            case 1 -> {
                int keep = random.nextInt(data.length);
                how.append("truncated to ").append(keep).append(" bytes");
                return java.util.Arrays.copyOf(data, keep);
            }
            default -> {
                int size = 64 + random.nextInt(1024);
                int a = random.nextInt(Math.max(1, data.length - size));
                int b = random.nextInt(Math.max(1, data.length - size));
                byte[] tmp = java.util.Arrays.copyOfRange(data, a, a + size);
                System.arraycopy(data, b, data, a, size);
                System.arraycopy(tmp, 0, data, b, size);
                how.append("swapped ").append(size).append(" bytes at ").append(a).append(" and ").append(b);
                return data;
            }
        }
    }
}
