package org.layerwise.engine.train;

import org.layerwise.engine.model.TokenModel;

/**
 * BERT's next-sentence prediction (TencentPretrain's sp target): each example is a pair, sentence A (segment 1) then
 * sentence B (segment 2); label 1 when B is the sentence that follows A, 0 when B comes from another document. The
 * head is a two-class {@link SentenceHead} over the pooled state (the first position, [CLS], for an encoder).
 */
public final class SentencePredictionObjective extends SentenceClassificationObjective {
    public SentencePredictionObjective(TokenModel model, SentenceHead head, Pooling pooling) {
        super(model, head, pooling);
        if (head.classes() != 2)
            throw new IllegalArgumentException("Sentence prediction is a yes/no question; its head has " + head.classes() + " classes, not 2");
    }
}
