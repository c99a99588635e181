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
    private static final int STATE_MAGIC = 0x42444131; // "BDA1"

    interface Body {
        void writeTo(DataOutputStream out) throws IOException;
    }

    /** Written to a temporary file first, then moved: a crash mid-write never leaves half a checkpoint. */
    static void writeAtomically(Path file, Body body) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            body.writeTo(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeTensors(DataOutputStream out, Map<String, float[]> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (float v : e.getValue()) {
                out.writeFloat(v);
            }
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }

    /**
     * The optimiser's named state (checked against the model when the trainer takes it), written beside a
     * checkpoint's weights so --resume goes on exactly where training stopped.
     */
    static void writeState(Path file, Map<String, float[]> state) throws IOException {
        writeAtomically(file, out -> {
            out.writeInt(STATE_MAGIC);
            writeTensors(out, state);
        });
    }

    static Map<String, float[]> readState(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != STATE_MAGIC) {
                throw new IllegalArgumentException(file + " is not a Backdrop optimiser state file");
            }
            int count = in.readInt();
            Map<String, float[]> state = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                state.put(name, readFloats(in, in.readInt()));
            }
            return state;
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated: start without --resume");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    void write(Path file) throws IOException {
        writeAtomically(file, out -> {
            out.writeInt(MAGIC);
            out.writeInt(spec.width());
            out.writeInt(spec.height());
            out.writeInt(spec.levels());
            for (int w : spec.widths()) {
                out.writeInt(w);
            }
            out.writeInt(spec.convs());
            writeTensors(out, weights);
        });
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
                weights.put(name, readFloats(in, n));
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
