package dev.backdrop.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A U-Net's shape and weights in one small file ("weights.bin"), written beside every exported model and
 * every checkpoint: what {@code --init} fine-tunes from and {@code --resume} continues from.
 */
record WeightsFile(UNetSpec spec, Map<String, float[]> weights) {
    static final String NAME = "weights.bin";
    private static final int MAGIC = 0x42445731; // "BDW1"

    /** Written to a temporary file first, then moved: a crash mid-write never leaves half a checkpoint. */
    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeInt(spec.width());
            out.writeInt(spec.height());
            out.writeInt(spec.levels());
            for (int w : spec.widths()) {
                out.writeInt(w);
            }
            out.writeInt(spec.convs());
            out.writeInt(weights.size());
            for (Map.Entry<String, float[]> e : weights.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float v : e.getValue()) {
                    out.writeFloat(v);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static WeightsFile read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException(file + " is not a Backdrop U-Net weights file");
            }
            int width = in.readInt();
            int height = in.readInt();
            int levels = in.readInt();
            if (levels < 2 || levels > 8) {
                throw new IllegalArgumentException(file + " is damaged: " + levels + " levels");
            }
            int[] widths = new int[levels];
            for (int i = 0; i < levels; i++) {
                widths[i] = in.readInt();
            }
            UNetSpec spec = new UNetSpec(width, height, widths, in.readInt());
            int count = in.readInt();
            java.util.List<UNetSpec.Param> params = spec.params();
            if (count != params.size()) {
                throw new IllegalArgumentException(file + " is damaged: " + count + " tensors where " + spec + " has "
                        + params.size());
            }
            Map<String, float[]> weights = new LinkedHashMap<>();
            for (UNetSpec.Param p : params) {
                String name = in.readUTF();
                int n = in.readInt();
                if (!name.equals(p.name()) || n != p.size()) {
                    throw new IllegalArgumentException(file + " is damaged: " + name + " does not fit " + spec);
                }
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.readFloat();
                }
                weights.put(name, v);
            }
            return new WeightsFile(spec, weights);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist: give a model made by 'backdrop train'"
                    + " (it holds " + NAME + ")");
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated: train again or use another model");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
