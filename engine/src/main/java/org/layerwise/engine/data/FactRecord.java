package org.layerwise.engine.data;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One line of {@code facts.jsonl}: a fact with its training prompts and held-out paraphrase prompts
 * already filled in, so readers need no templates. The object follows each prompt after a space.
 */
public record FactRecord(@JsonProperty("case_id") int caseId,
                         @JsonProperty("relation") String relation,
                         @JsonProperty("relation_id") String relationId,
                         @JsonProperty("subject") String subject,
                         @JsonProperty("object") String object,
                         @JsonProperty("prompts") List<String> prompts,
                         @JsonProperty("paraphrases") List<String> paraphrases) {

    public FactRecord {
        prompts = List.copyOf(prompts);
        paraphrases = List.copyOf(paraphrases);
    }

    static FactRecord of(Fact f) {
        return new FactRecord(f.caseId(), f.relation().id(), f.relation().wikidataId(), f.subject(), f.object(),
                f.relation().templates().stream().map(t -> Relation.prompt(t, f.subject())).toList(),
                f.relation().paraphrases().stream().map(t -> Relation.prompt(t, f.subject())).toList());
    }
}
