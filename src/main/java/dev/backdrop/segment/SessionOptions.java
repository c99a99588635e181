package dev.backdrop.segment;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/** The options every TensorFlow session of Backdrop's starts from. */
public final class SessionOptions {

    private SessionOptions() {
    }

    /**
     * Threads 0 = TensorFlow's choice. Grappler's TFG optimizer is off: it runs through MLIR, whose
     * LLVM symbols can bind to Mesa's libLLVM (which llvmpipe loads into the same process), and a
     * test run crashed there (SIGSEGV in llvm::raw_ostream::flush_tied_then_write called from
     * TFGGrapplerOptimizer::GetPipelineString while a session first ran). By default it rewrites
     * nothing in graphs like ours.
     */
    public static ConfigProto.Builder builder(int intraOpThreads, int interOpThreads) {
        ConfigProto.Builder config = ConfigProto.newBuilder();
        config.getGraphOptionsBuilder().getRewriteOptionsBuilder().setDisableTfgOptimizer(true);
        if (intraOpThreads > 0) {
            config.setIntraOpParallelismThreads(intraOpThreads);
        }
        if (interOpThreads > 0) {
            config.setInterOpParallelismThreads(interOpThreads);
        }
        return config;
    }

    /** A session on this graph with TensorFlow's thread choice: use it instead of {@code new Session(graph)}. */
    public static Session session(Graph graph) {
        return new Session(graph, builder(0, 0).build());
    }
}
