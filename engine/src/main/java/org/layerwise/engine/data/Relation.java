package org.layerwise.engine.data;

import java.util.List;

/**
 * A relation of the fact world: where its facts come from (a table, a subject and an object column)
 * and how they are said. {@code templates} are the prompts a model trains on; {@code paraphrases}
 * are held out (never in the training text) to test that a fact is known beyond its wording. Each
 * template has one {@code {}} for the subject and ends where the object follows after a space.
 *
 * @param id          short name, e.g. {@code capital}
 * @param wikidataId  the Wikidata property it mirrors (CounterFact's {@code relation_id}), e.g. {@code P36}
 * @param table       source table file name, e.g. {@code countries.tsv}
 */
public record Relation(String id, String wikidataId, String table, String subjectColumn, String objectColumn,
                       List<String> templates, List<String> paraphrases) {

    public Relation {
        templates = List.copyOf(templates);
        paraphrases = List.copyOf(paraphrases);
        for (String t : templates) {
            checkTemplate(id, t);
        }
        for (String t : paraphrases) {
            checkTemplate(id, t);
            if (templates.contains(t)) {
                throw new IllegalArgumentException("relation " + id + ": held-out paraphrase \"" + t
                        + "\" is also a training template; held-out prompts must never be trained on");
            }
        }
    }

    /** The template with the subject filled in: the prompt whose next word is the object. */
    public static String prompt(String template, String subject) {
        return template.replace("{}", subject);
    }

    private static void checkTemplate(String relation, String template) {
        int at = template.indexOf("{}");
        if (at < 0 || template.indexOf("{}", at + 1) >= 0 || template.endsWith(" ")) {
            throw new IllegalArgumentException("relation " + relation + ": template \"" + template
                    + "\" needs exactly one {} for the subject and no trailing space");
        }
    }
}
