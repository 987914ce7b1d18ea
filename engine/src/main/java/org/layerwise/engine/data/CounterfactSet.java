package org.layerwise.engine.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A CounterFact-format edit set for a fact world ({@code facts.jsonl}), for edit evaluation. Each fact gets
 * one counterfactual target (another object of its relation). Round k of {@code rounds} asks for that same
 * rewrite through the relation's k-th training template, so records of later rounds repeat a fact with a
 * different rewrite prompt and the same target: any prefix of the file can be applied as one batch without
 * contradictory requests. Facts are in a seeded shuffled order so every prefix spans the relations.
 * Paraphrase prompts are the relation's held-out paraphrases. Neighbourhood prompts are up to
 * {@link #NEIGHBOURS} other subjects of the same relation (those sharing the true object first, as in
 * CounterFact; one-to-one relations such as capitals have none, so other subjects are used) whose true
 * answer is not the new target, each in a training template; {@code neighborhood_answers} gives each one's
 * true answer (equal to target_true when the object is shared), so LS asks whether the neighbour keeps its
 * own answer over the new target. Deterministic for a seed.
 *
 * <p>Rebuild the sample file (see sample-data/world/NOTICE.md):
 * {@code java -cp engine/target/classes:$(cat engine/target/classpath.txt) org.layerwise.engine.data.CounterfactSet
 * sample-data/world sample-data/world/counterfact.json}
 */
public final class CounterfactSet {
    public static final int NEIGHBOURS = 5;
    public static final String FILE = "counterfact.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CounterfactSet() {}

    public static List<ObjectNode> build(List<FactRecord> facts, int rounds, long seed) {
        Random random = new Random(seed);
        Map<String, List<FactRecord>> byRelation = new LinkedHashMap<>();
        Map<String, List<String>> objects = new LinkedHashMap<>();
        for (FactRecord f : facts) {
            byRelation.computeIfAbsent(f.relation(), k -> new ArrayList<>()).add(f);
            List<String> os = objects.computeIfAbsent(f.relation(), k -> new ArrayList<>());
            if (!os.contains(f.object())) os.add(f.object());
        }
        List<FactRecord> order = new ArrayList<>(facts);
        order.removeIf(f -> objects.get(f.relation()).size() < 2);      // no counterfactual for a one-object relation
        Collections.shuffle(order, random);
        Map<Integer, String> target = new LinkedHashMap<>();
        Map<Integer, List<FactRecord>> neighbours = new LinkedHashMap<>();
        for (FactRecord f : order) {
            List<String> candidates = new ArrayList<>(objects.get(f.relation()));
            candidates.remove(f.object());
            String t = candidates.get(random.nextInt(candidates.size()));
            target.put(f.caseId(), t);
            List<FactRecord> same = new ArrayList<>(), other = new ArrayList<>();
            for (FactRecord n : byRelation.get(f.relation())) {
                if (n.subject().equals(f.subject()) || n.object().equals(t)) continue;
                (n.object().equals(f.object()) ? same : other).add(n);
            }
            Collections.shuffle(same, random);
            Collections.shuffle(other, random);
            same.addAll(other);
            neighbours.put(f.caseId(), same.subList(0, Math.min(NEIGHBOURS, same.size())));
        }
        List<ObjectNode> out = new ArrayList<>();
        int caseId = 0;
        for (int round = 0; round < rounds; round++) {
            for (FactRecord f : order) {
                Relation relation = Relations.byId(f.relation());
                String t = target.get(f.caseId());
                ObjectNode rec = JSON.createObjectNode();
                rec.put("case_id", caseId++);
                rec.put("fact_id", f.caseId());
                ObjectNode rw = rec.putObject("requested_rewrite");
                rw.put("prompt", relation.templates().get(round % relation.templates().size()));
                rw.put("relation_id", f.relationId());
                rw.put("subject", f.subject());
                rw.putObject("target_new").put("str", t);
                rw.putObject("target_true").put("str", f.object());
                ArrayNode para = rec.putArray("paraphrase_prompts");
                f.paraphrases().forEach(para::add);
                ArrayNode neigh = rec.putArray("neighborhood_prompts");
                ArrayNode answers = rec.putArray("neighborhood_answers");
                for (FactRecord n : neighbours.get(f.caseId())) {
                    neigh.add(n.prompts().get((n.caseId() + round) % n.prompts().size()));
                    answers.add(n.object());
                }
                ArrayNode attr = rec.putArray("attribute_prompts");
                for (FactRecord n : byRelation.get(f.relation())) {
                    if (n.object().equals(t) && attr.size() < NEIGHBOURS) attr.add(n.prompts().get(0));
                }
                ArrayNode gen = rec.putArray("generation_prompts");
                gen.add(f.paraphrases().get(0));
                gen.add(f.subject() + " is");
                out.add(rec);
            }
        }
        return out;
    }

    /** Writes {@code records} as a JSON array with one record per line. */
    public static void write(Path file, List<ObjectNode> records) throws IOException {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < records.size(); i++)
            sb.append(JSON.writeValueAsString(records.get(i))).append(i + 1 < records.size() ? ",\n" : "\n");
        AtomicFiles.writeString(file, sb.append("]\n").toString());
    }

    /** {@code CounterfactSet WORLD_DIR OUT_FILE [ROUNDS=2] [SEED=7]}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: CounterfactSet WORLD_DIR OUT_FILE [ROUNDS] [SEED]");
            System.exit(2);
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 7;
        List<ObjectNode> records = build(FactWorld.readFacts(Path.of(args[0])), rounds, seed);
        write(Path.of(args[1]), records);
        System.out.println("wrote " + records.size() + " CounterFact requests to " + args[1]);
    }
}
