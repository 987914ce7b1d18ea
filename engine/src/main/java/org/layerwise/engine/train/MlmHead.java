package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import org.layerwise.engine.model.Activations;
import org.layerwise.engine.model.TokenModel;
import org.layerwise.engine.model.TransformerSpec;

/**
 * The MLM transform head (TencentPretrain's mlm target, Hugging Face BertForMaskedLM's {@code cls.predictions}):
 * hidden → dense (d×d, bias) → activation → LayerNorm(d, eps) → the model's own output layer (tied to the word
 * embedding: {@link TokenModel#logits}) plus this head's output bias [V]. Weights are live parameters of a
 * {@link WithTargetHeads}, laid out as torch's ({@code nn.Linear} weight [out, in]).
 *
 * @param decoder the model whose output layer decodes the transformed states
 */
public record MlmHead(TokenModel decoder, NDArray denseWeight, NDArray denseBias, NDArray normWeight, NDArray normBias,
                      NDArray bias, TransformerSpec.Activation activation, double eps) {
    /** gelu_new(x) = x·sigmoid(x·(A + B·x²)), A = 2√(2/π), B = 0.044715·A (as the engine's feed-forward). */
    /** Parameter names: dense weight, dense bias, norm weight, norm bias, output bias (the order of the record). */
    public static final String[] NAMES = {"target.mlm.dense.weight", "target.mlm.dense.bias", "target.mlm.norm.weight",
            "target.mlm.norm.bias", "target.mlm.bias"};

    /** What the head takes from the config beyond the model's shape: the activation and the LayerNorm's eps. */
    public record Settings(TransformerSpec.Activation activation, double eps) {
        public Settings {
            if (activation == null) throw new IllegalArgumentException("the MLM head needs an activation");
            if (!(eps > 0)) throw new IllegalArgumentException("the MLM head's LayerNorm eps must be positive, not " + eps);
        }

        /** "gelu,1e-12": the activation's Hugging Face name and the eps, as recorded in the heads' file. */
        String recorded() { return activation.hfName() + "," + eps; }

        static Settings parse(String text) {
            String[] p = text.split(",");
            if (p.length != 2) throw new IllegalArgumentException("expected activation,eps, not '" + text + "'");
            return new Settings(TransformerSpec.Activation.fromHuggingFace(p[0].trim()), Double.parseDouble(p[1].trim()));
        }
    }

    public Settings settings() { return new Settings(activation, eps); }

    /** The transformed states [..., d] of hidden states [..., d], float32. */
    public NDArray transform(NDArray hidden) {
        NDArray x = hidden.toType(DataType.FLOAT32, false);
        NDArray h = x.matMul(denseWeight.transpose()).add(denseBias);
        h = Activations.apply(activation, h, false);
        return LayerNorm.layerNorm(h, new Shape(normWeight.getShape().get(0)), normWeight, normBias, (float) eps).singletonOrThrow();
    }

    /** Float32 vocabulary logits [..., V] of hidden states [..., d], attached to {@code scope}. */
    public NDArray logits(NDManager scope, NDArray hidden) {
        return decoder.logits(scope, transform(hidden)).add(bias);
    }

}
