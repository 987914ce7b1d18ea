package org.layerwise.app.cli;

import org.layerwise.sdk.cli.CliSupport;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.layerwise.engine.checkpoint.SafetensorsWriter;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code layerwise forward}: one forward pass, written as safetensors — {@code logits} [T, V] float32 and each
 * requested tap [T, W] under its name. The contract other tools and tests rely on.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run one forward pass and write the logits (and chosen taps) to a safetensors file.")
final class ForwardCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions model;

    @ArgGroup(multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "Text, tokenized as the model expects it (with its special tokens, e.g. LLaMA's BOS).")
        String text;

        @Option(names = "--ids", paramLabel = "ID", split = ",", description = "Token ids, comma-separated.")
        int[] ids;
    }

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "Where to write the tensors.")
    Path out;

    @Option(names = "--taps", paramLabel = "PATTERN", split = ",",
            description = "Tap points to record, as names or globs, e.g. 'blocks.*.resid_post,final_norm'.")
    List<String> taps = List.of();

    @Override
    public Integer call() throws Exception {
        return CliSupport.reportingErrors(spec, () -> {
            try (TransformerModel m = model.load(); NDManager nd = NDManager.newBaseManager(m.djlDevice());
                 GradMode off = GradMode.off()) {
                int[] ids = input.ids != null ? input.ids : m.encode(input.text).ids();
                if (ids.length == 0) throw new IllegalArgumentException("nothing to run: the input has no tokens");
                int vocab = m.spec().vocabSize();
                for (int id : ids) {
                    if (id < 0 || id >= vocab) {
                        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + vocab + ")");
                    }
                }
                Taps t = Taps.create();
                List<String> points = selectPoints(m, taps);
                points.forEach(t::record);
                NDArray logits = m.forward(nd, ids, points.isEmpty() ? Taps.none() : t);
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                tensors.put("logits", logits.toType(DataType.FLOAT32, false));
                for (String p : points) tensors.put(p, t.recorded(p).squeeze(0).toType(DataType.FLOAT32, false));
                SafetensorsWriter.write(out, tensors, Map.of("ids", Arrays.toString(ids), "model", m.directory().toString()));
                spec.commandLine().getOut().printf("wrote %s: logits [%d, %d]%s%n", out, ids.length, vocab,
                        points.isEmpty() ? "" : " and " + points.size() + " taps");
            }
            return 0;
        });
    }

    /** Expands names and globs against the model's tap points, in the model's order. */
    static List<String> selectPoints(TransformerModel m, List<String> patterns) {
        List<String> chosen = new java.util.ArrayList<>();
        for (String pattern : patterns) {
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern.trim());
            List<String> hits = m.tapPoints().stream().filter(p -> glob.matches(Path.of(p))).toList();
            if (hits.isEmpty()) {
                throw new IllegalArgumentException("no tap point matches '" + pattern + "'; points look like "
                        + "blocks.0.resid_pre, blocks.0.attn_out, blocks.0.mlp_in, blocks.0.mlp_out, blocks.0.resid_post, "
                        + "final_norm, logits");
            }
            hits.stream().filter(h -> !chosen.contains(h) && !h.equals(Taps.LOGITS)).forEach(chosen::add);
        }
        return chosen;
    }
}
