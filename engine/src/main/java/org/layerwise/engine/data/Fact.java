package org.layerwise.engine.data;

/** One (subject, relation, object) triple of the fact world; {@code caseId} numbers it in file order. */
public record Fact(int caseId, Relation relation, String subject, String object) {

    /** A training sentence: the template's prompt, a space, the object and a full stop. */
    public String sentence(String template) {
        return Relation.prompt(template, subject) + " " + object + ".";
    }

    /** The prompt of the relation's first training template (CounterFact's requested-rewrite prompt). */
    public String prompt() {
        return Relation.prompt(relation.templates().get(0), subject);
    }
}
