package org.layerwise.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fact world the sample models learn: real facts about countries, cities, people and companies
 * (hand-written tables in {@code sample-data/facts}), turned into training sentences with several
 * templates per relation, and a held-out split in CounterFact's format for knowledge probes and edits
 * (paraphrase prompts never trained on; neighbourhood prompts about other subjects with the same
 * relation and object). Everything random (sentence order, counterfactual targets, neighbour choice)
 * comes from one seed, so the same tables and seed give byte-identical files.
 */
public final class FactWorld {

    public static final String FACTS_FILE = "facts.jsonl";
    public static final String TRAIN_FILE = "train.txt";
    public static final String HELDOUT_FILE = "heldout_counterfact.json";
    /** At most this many neighbourhood (and attribute) prompts per record, as in CounterFact. */
    public static final int MAX_NEIGHBOURS = 10;
    /** Neighbourhood and attribute prompts use a relation's first this-many templates. */
    public static final int CORE_TEMPLATES = 5;

    private static final JsonMapper JSON = new JsonMapper();

    private final List<Fact> facts;
    private final long seed;

    private FactWorld(List<Fact> facts, long seed) {
        this.facts = List.copyOf(facts);
        this.seed = seed;
    }

    /** Reads the tables in {@code tablesDir} that {@code relations} name; rows with an empty object cell give no fact. */
    public static FactWorld fromTables(Path tablesDir, List<Relation> relations, long seed) throws IOException {
        Map<String, List<Map<String, String>>> tables = new HashMap<>();
        List<Fact> facts = new ArrayList<>();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (Relation r : relations) {
            List<Map<String, String>> rows = tables.get(r.table());
            if (rows == null) {
                rows = readTable(tablesDir.resolve(r.table()));
                tables.put(r.table(), rows);
            }
            for (Map<String, String> row : rows) {
                String subject = column(row, r.subjectColumn(), r, tablesDir);
                String object = column(row, r.objectColumn(), r, tablesDir);
                if (subject.isEmpty() || object.isEmpty()) {
                    continue;
                }
                if (!seen.add(r.id() + "\t" + subject)) {
                    throw new IllegalArgumentException(tablesDir.resolve(r.table()) + ": subject \"" + subject
                            + "\" appears twice for relation " + r.id() + "; each subject needs one answer");
                }
                facts.add(new Fact(facts.size(), r, subject, object));
            }
        }
        return new FactWorld(facts, seed);
    }

    /** The standard world: {@link Relations#ALL} over the tables in {@code tablesDir}. */
    public static FactWorld standard(Path tablesDir, long seed) throws IOException {
        return fromTables(tablesDir, Relations.ALL, seed);
    }

    public List<Fact> facts() {
        return facts;
    }

    public long seed() {
        return seed;
    }

    /** Every fact in every training template, shuffled with the seed. */
    public List<String> trainingSentences() {
        List<String> out = new ArrayList<>();
        for (Fact f : facts) {
            for (String t : f.relation().templates()) {
                out.add(f.sentence(t));
            }
        }
        Collections.shuffle(out, new Random(seed));
        return out;
    }

    public List<FactRecord> factRecords() {
        return facts.stream().map(FactRecord::of).toList();
    }

    /**
     * One CounterFact record per fact: the requested rewrite swaps the true object for another object
     * of the same relation; neighbourhood prompts ask about other subjects whose true object is the
     * same (empty for one-to-one relations such as capitals); attribute prompts about subjects whose
     * true object is the new target.
     */
    public List<ObjectNode> counterfactRecords() {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        Map<String, List<Fact>> byRelationObject = new LinkedHashMap<>();
        Map<Relation, List<String>> objects = new LinkedHashMap<>();
        for (Fact f : facts) {
            byRelationObject.computeIfAbsent(f.relation().id() + "\t" + f.object(), k -> new ArrayList<>()).add(f);
            List<String> os = objects.computeIfAbsent(f.relation(), k -> new ArrayList<>());
            if (!os.contains(f.object())) {
                os.add(f.object());
            }
        }
        List<ObjectNode> records = new ArrayList<>();
        for (Fact f : facts) {
            List<String> candidates = new ArrayList<>(objects.get(f.relation()));
            candidates.remove(f.object());
            if (candidates.isEmpty()) {
                continue;   // a relation with one object has no counterfactual
            }
            String newObject = candidates.get(random.nextInt(candidates.size()));
            ObjectNode rec = JSON.createObjectNode();
            rec.put("case_id", f.caseId());
            ObjectNode rewrite = rec.putObject("requested_rewrite");
            rewrite.put("prompt", f.relation().templates().get(0));
            rewrite.put("relation_id", f.relation().wikidataId());
            rewrite.put("subject", f.subject());
            rewrite.putObject("target_new").put("str", newObject);
            rewrite.putObject("target_true").put("str", f.object());
            ArrayNode paraphrases = rec.putArray("paraphrase_prompts");
            f.relation().paraphrases().forEach(t -> paraphrases.add(Relation.prompt(t, f.subject())));
            ArrayNode neighbours = rec.putArray("neighborhood_prompts");
            othersWithObject(byRelationObject, f.relation(), f.object(), f.subject(), random)
                    .forEach(n -> neighbours.add(Relation.prompt(randomTemplate(f.relation(), random), n.subject())));
            ArrayNode attributes = rec.putArray("attribute_prompts");
            othersWithObject(byRelationObject, f.relation(), newObject, f.subject(), random)
                    .forEach(n -> attributes.add(Relation.prompt(randomTemplate(f.relation(), random), n.subject())));
            ArrayNode generation = rec.putArray("generation_prompts");
            generation.add(Relation.prompt(f.relation().paraphrases().get(0), f.subject()));
            generation.add(f.subject() + " is");
            records.add(rec);
        }
        return records;
    }

    private static List<Fact> othersWithObject(Map<String, List<Fact>> byRelationObject, Relation r, String object,
                                               String exceptSubject, Random random) {
        List<Fact> others = new ArrayList<>(byRelationObject.getOrDefault(r.id() + "\t" + object, List.of()));
        others.removeIf(n -> n.subject().equals(exceptSubject));
        Collections.shuffle(others, random);
        return others.subList(0, Math.min(MAX_NEIGHBOURS, others.size()));
    }

    /** One of the relation's five core templates (so adding templates leaves the held-out file as it was). */
    private static String randomTemplate(Relation r, Random random) {
        return r.templates().get(random.nextInt(Math.min(CORE_TEMPLATES, r.templates().size())));
    }

    /** Writes facts.jsonl, train.txt and heldout_counterfact.json into {@code dir} (each atomically). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder jsonl = new StringBuilder();
        for (FactRecord r : factRecords()) {
            jsonl.append(JSON.writeValueAsString(r)).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(FACTS_FILE), jsonl.toString());
        AtomicFiles.writeString(dir.resolve(TRAIN_FILE), String.join("\n", trainingSentences()) + "\n");
        // a JSON array with one record per line: valid CounterFact JSON that still diffs well
        StringBuilder cf = new StringBuilder("[\n");
        List<ObjectNode> records = counterfactRecords();
        for (int i = 0; i < records.size(); i++) {
            cf.append(JSON.writeValueAsString(records.get(i))).append(i + 1 < records.size() ? ",\n" : "\n");
        }
        AtomicFiles.writeString(dir.resolve(HELDOUT_FILE), cf.append("]\n").toString());
    }

    /** Reads a world's {@code facts.jsonl} (the file {@link #write} produced). */
    public static List<FactRecord> readFacts(Path worldDir) throws IOException {
        Path file = Files.isDirectory(worldDir) ? worldDir.resolve(FACTS_FILE) : worldDir;
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + FACTS_FILE + " in " + worldDir + "; pass the fact world folder "
                    + "(sample-data/world) or rebuild it with build-samples");
        }
        List<FactRecord> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readValue(lines.get(i), FactRecord.class));
            } catch (IOException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a fact record (" + e.getMessage() + ")", e);
            }
        }
        return out;
    }

    /** Reads CounterFact records (a JSON array) such as {@link #HELDOUT_FILE}. */
    public static List<JsonNode> readCounterfact(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(file + " is not a JSON array of CounterFact records");
        }
        List<JsonNode> out = new ArrayList<>();
        root.forEach(out::add);
        return out;
    }

    private static List<Map<String, String>> readTable(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no fact table " + file + "; the fact world reads its tables from sample-data/facts");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + " is empty; it needs a header line of tab-separated column names");
        }
        String[] header = lines.get(0).split("\t", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split("\t", -1);
            if (cells.length != header.length) {
                throw new IOException(file + " line " + (i + 1) + " has " + cells.length + " tab-separated cells, "
                        + "the header has " + header.length + "; fix the row (leave unknown cells empty)");
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], cells[c].strip());
            }
            rows.add(row);
        }
        return rows;
    }

    private static String column(Map<String, String> row, String column, Relation r, Path dir) {
        String v = row.get(column);
        if (v == null) {
            throw new IllegalArgumentException(dir.resolve(r.table()) + " has no column \"" + column
                    + "\" that relation " + r.id() + " reads; columns: " + row.keySet());
        }
        return v;
    }
}
