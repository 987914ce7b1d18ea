package org.layerwise.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.tokenizer.SampleData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FactWorldTest {

    private static FactWorld world;

    @BeforeAll
    static void build() throws Exception {
        world = FactWorld.standard(SampleData.root().resolve("facts"), 0);
    }

    @Test
    void everyRelationHasFactsFromTheTables() {
        Map<String, Long> perRelation = world.facts().stream()
                .collect(Collectors.groupingBy(f -> f.relation().id(), Collectors.counting()));
        assertThat(perRelation.keySet()).containsExactlyInAnyOrderElementsOf(
                Relations.ALL.stream().map(Relation::id).toList());
        assertThat(perRelation.get("capital")).isEqualTo(69);
        assertThat(world.facts()).hasSizeGreaterThan(700);
        assertThat(world.facts()).anySatisfy(f -> {
            assertThat(f.relation().id()).isEqualTo("capital");
            assertThat(f.subject()).isEqualTo("France");
            assertThat(f.object()).isEqualTo("Paris");
            assertThat(f.prompt()).isEqualTo("The capital of France is");
        });
        // empty cells give no fact: Isaac Newton has no birthplace in people.tsv
        assertThat(world.facts()).noneMatch(f -> f.subject().equals("Isaac Newton") && f.relation().id().equals("birthplace"));
        for (int i = 0; i < world.facts().size(); i++) {
            assertThat(world.facts().get(i).caseId()).isEqualTo(i);
        }
    }

    @Test
    void trainingTextHasEveryTemplateOfEveryFactAndNoHeldOutPrompt() {
        List<String> sentences = world.trainingSentences();
        int templates = world.facts().stream().mapToInt(f -> f.relation().templates().size()).sum();
        assertThat(sentences).hasSize(templates);
        assertThat(sentences).contains("The capital of France is Paris.", "Wolfgang Amadeus Mozart played the piano.");
        for (FactRecord r : world.factRecords()) {
            for (String p : r.paraphrases()) {
                // a held-out prompt never starts a training sentence, so its wording is new to the model
                assertThat(sentences).noneMatch(s -> s.startsWith(p + " "));
            }
        }
        assertThat(world.trainingSentences()).isEqualTo(sentences);
        assertThat(FactWorldTest.shuffledDifferently(sentences)).isTrue();
    }

    private static boolean shuffledDifferently(List<String> sentences) {
        try {
            return !FactWorld.standard(SampleData.root().resolve("facts"), 1).trainingSentences().equals(sentences);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void counterfactRecordsFollowTheFormatAndTheWorld() {
        Map<String, String> truth = new HashMap<>();
        for (Fact f : world.facts()) {
            truth.put(f.relation().wikidataId() + "\t" + f.subject(), f.object());
        }
        List<ObjectNode> records = world.counterfactRecords();
        assertThat(records).hasSize(world.facts().size());
        Set<String> neighbourSubjectsSeen = new HashSet<>();
        for (ObjectNode rec : records) {
            JsonNode rw = rec.get("requested_rewrite");
            String rel = rw.get("relation_id").asText();
            String subject = rw.get("subject").asText();
            String trueObject = rw.path("target_true").path("str").asText();
            String newObject = rw.path("target_new").path("str").asText();
            assertThat(rw.get("prompt").asText()).contains("{}");
            assertThat(truth.get(rel + "\t" + subject)).isEqualTo(trueObject);
            assertThat(newObject).isNotEqualTo(trueObject);
            assertThat(truth).containsValue(newObject);
            assertThat(rec.get("paraphrase_prompts")).hasSize(2);
            Relation r = world.facts().get(rec.get("case_id").asInt()).relation();
            for (JsonNode n : rec.get("neighborhood_prompts")) {
                String neighbour = subjectOf(r, n.asText(), truth);
                assertThat(neighbour).isNotEqualTo(subject);
                assertThat(truth.get(rel + "\t" + neighbour)).as(n.asText()).isEqualTo(trueObject);
                neighbourSubjectsSeen.add(neighbour);
            }
            for (JsonNode n : rec.get("attribute_prompts")) {
                assertThat(truth.get(rel + "\t" + subjectOf(r, n.asText(), truth))).isEqualTo(newObject);
            }
            assertThat(rec.get("neighborhood_prompts").size()).isLessThanOrEqualTo(FactWorld.MAX_NEIGHBOURS);
        }
        // many-to-one relations (language, continent, currency, occupation, ...) have neighbours
        assertThat(records.stream().filter(r -> r.get("neighborhood_prompts").size() > 0).count())
                .isGreaterThan(records.size() / 2);
        assertThat(neighbourSubjectsSeen).contains("Germany", "Mexico");
    }

    /** The subject a training-template prompt of {@code r} was filled with. */
    private static String subjectOf(Relation r, String prompt, Map<String, String> truth) {
        for (String t : r.templates()) {
            int at = t.indexOf("{}");
            String head = t.substring(0, at);
            String tail = t.substring(at + 2);
            if (prompt.startsWith(head) && prompt.endsWith(tail) && prompt.length() > head.length() + tail.length()) {
                String subject = prompt.substring(head.length(), prompt.length() - tail.length());
                if (truth.containsKey(r.wikidataId() + "\t" + subject)) {
                    return subject;   // "The city of X is the capital of" also fits "{} is the capital of"
                }
            }
        }
        throw new AssertionError("\"" + prompt + "\" fits no template of " + r.id());
    }

    @Test
    void writtenFilesReadBackAndRepeatByteForByte(@TempDir Path dir) throws Exception {
        world.write(dir.resolve("a"));
        FactWorld.standard(SampleData.root().resolve("facts"), 0).write(dir.resolve("b"));
        for (String name : List.of(FactWorld.FACTS_FILE, FactWorld.TRAIN_FILE, FactWorld.HELDOUT_FILE)) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(name)))
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(name)));
        }
        List<FactRecord> facts = FactWorld.readFacts(dir.resolve("a"));
        assertThat(facts).isEqualTo(world.factRecords());
        assertThat(facts.get(0).prompts()).hasSize(Relations.byId("capital").templates().size()).contains("The capital of France is");
        assertThat(FactWorld.readCounterfact(dir.resolve("a").resolve(FactWorld.HELDOUT_FILE)))
                .hasSize(world.counterfactRecords().size());
        assertThat(Files.readAllLines(dir.resolve("a").resolve(FactWorld.TRAIN_FILE)))
                .isEqualTo(world.trainingSentences());
    }

    @Test
    void committedWorldIsWhatTheGeneratorWrites(@TempDir Path dir) throws Exception {
        Path committed = SampleData.root().resolve("world");
        FactWorld.standard(SampleData.root().resolve("facts"), SampleBuild.WORLD_SEED).write(dir);
        for (String name : List.of(FactWorld.FACTS_FILE, FactWorld.TRAIN_FILE, FactWorld.HELDOUT_FILE)) {
            assertThat(Files.readString(committed.resolve(name))).as(name + " (rebuild with build-samples)")
                    .isEqualTo(Files.readString(dir.resolve(name)));
        }
    }

    @Test
    void badTablesAndTemplatesNameTheProblem(@TempDir Path dir) throws Exception {
        Relation r = new Relation("capital", "P36", "t.tsv", "country", "capital", List.of("The capital of {} is"),
                List.of("{}'s capital is"));
        Files.writeString(dir.resolve("t.tsv"), "country\tcapital\nFrance\tParis\textra\n");
        assertThatThrownBy(() -> FactWorld.fromTables(dir, List.of(r), 0))
                .hasMessageContaining("t.tsv line 2 has 3 tab-separated cells");
        Files.writeString(dir.resolve("t.tsv"), "country\tcity\nFrance\tParis\n");
        assertThatThrownBy(() -> FactWorld.fromTables(dir, List.of(r), 0))
                .hasMessageContaining("no column \"capital\"");
        Files.writeString(dir.resolve("t.tsv"), "country\tcapital\nFrance\tParis\nFrance\tLyon\n");
        assertThatThrownBy(() -> FactWorld.fromTables(dir, List.of(r), 0))
                .hasMessageContaining("\"France\" appears twice");
        assertThatThrownBy(() -> FactWorld.fromTables(dir.resolve("none"), List.of(r), 0))
                .hasMessageContaining("no fact table");
        assertThatThrownBy(() -> new Relation("x", "P1", "t.tsv", "a", "b", List.of("The capital is"), List.of()))
                .hasMessageContaining("exactly one {}");
        assertThatThrownBy(() -> new Relation("x", "P1", "t.tsv", "a", "b", List.of("{} is"), List.of("{} is")))
                .hasMessageContaining("also a training template");
        assertThatThrownBy(() -> Relations.byId("nope")).hasMessageContaining("capital");
    }
}
