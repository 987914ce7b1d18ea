package org.layerwise.builder.method;

import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RecurrentModel;
import org.layerwise.engine.model.RecurrentSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.checkpoint.CheckpointException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a config with encoder lstm or gru (TencentPretrain's rnn family) onto the engine's {@link RecurrentModel}: the
 * word embedding, a learned position table when embedding lists pos, the embedding LayerNorm unless
 * remove_embedding_layernorm, layers_num stacked cells of hidden_size units, and the lm target's head (tied when
 * tie_weights, with a bias when lm_head_bias). The transformer switches (heads, feed-forward, norms in blocks) do not
 * apply and are ignored, as ParameterCounts ignores them.
 */
public final class RecurrentMapping {
    private RecurrentMapping() {}

    /** Why a recurrent config cannot be trained as a {@link RecurrentModel}; empty when it can. */
    public static List<String> problems(ModelConfig c) {
        List<String> r = new ArrayList<>();
        String encoder = c.text("encoder");
        for (String e : c.list("embedding"))
            if (!e.equals("word") && !e.equals("pos"))
                r.add("the '" + e + "' embedding with a " + encoder + " encoder (a recurrent model takes word and pos)");
        if (c.list("target").contains("mlm"))
            r.add("target mlm with the " + encoder + " encoder: masked language modelling needs every position to see both "
                    + "sides, and a " + encoder + " reads left to right only; use target lm");
        return r;
    }

    /** The engine spec for a valid recurrent config; {@code tokenizerVocab} stands in when vocab_size is 0. */
    public static RecurrentSpec toSpec(ModelConfig c, int tokenizerVocab) {
        c.validated();
        List<String> blocked = problems(c);
        if (!blocked.isEmpty()) throw new NotTrainableException(blocked);
        RecurrentSpec.Cell cell = c.text("encoder").equals("lstm") ? RecurrentSpec.Cell.LSTM : RecurrentSpec.Cell.GRU;
        return new RecurrentSpec(cell, c.integer("vocab_size") > 0 ? c.integer("vocab_size") : tokenizerVocab, c.hidden(),
                c.integer("layers_num"), c.integer("max_seq_length"), c.list("embedding").contains("pos"),
                !c.flag("remove_embedding_layernorm"), c.number("layernorm_eps"), c.flag("tie_weights"), c.flag("lm_head_bias"));
    }

    /** A fresh model with seeded weights (torch's uniform ±1/√hidden for the cells, N(0, init_std²) for the embeddings). */
    static RecurrentModel newModel(ModelConfig c, int vocab, Path stage, LoadOptions.DeviceChoice device) throws CheckpointException {
        return RecurrentModel.create(toSpec(c, vocab), c.integer("seed"), c.number("init_std"), HfTokenizer.load(stage),
                new LoadOptions(device, LoadOptions.DtypeChoice.FLOAT32), stage);
    }
}
