package org.layerwise.engine.data.nlu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The sample NLU corpus: every task of {@link NluTasks} with train/dev/test splits (held-out tasks: dev and test
 * only), generated from a fixed seed. Test and dev items are drawn first and never appear in train (items are
 * compared by their prompt text); train may repeat an item when a task has few distinct ones (sum comparisons).
 */
public record NluCorpus(Map<String, Map<String, List<NluRecord>>> tasks) {
    public static final long SEED = 7;
    public static final int TRAIN = 1000, DEV = 60, TEST = 100;

    public static NluCorpus generate(NluTables tables, long seed) {
        NluTasks generators = new NluTasks(tables);
        Map<String, Map<String, List<NluRecord>>> out = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(NluTasks.TRAINED);
        all.addAll(NluTasks.HELD_OUT);
        for (int t = 0; t < all.size(); t++) {
            String task = all.get(t);
            Random rnd = new Random(seed * 1000 + t);
            Function<Random, NluRecord> gen = generators.generator(task);
            Set<String> reserved = new HashSet<>();
            Map<String, List<NluRecord>> splits = new LinkedHashMap<>();
            splits.put("test", draw(task, "test", TEST, gen, rnd, reserved, true));
            splits.put("dev", draw(task, "dev", DEV, gen, rnd, reserved, true));
            if (NluTasks.TRAINED.contains(task)) splits.put("train", draw(task, "train", TRAIN, gen, rnd, reserved, false));
            out.put(task, splits);
        }
        return new NluCorpus(out);
    }

    private static List<NluRecord> draw(String task, String split, int n, Function<Random, NluRecord> gen, Random rnd,
                                        Set<String> reserved, boolean unique) {
        List<NluRecord> out = new ArrayList<>();
        int attempts = 0;
        while (out.size() < n) {
            if (++attempts > n * 200) throw new IllegalStateException("task " + task + " has too few distinct items for " + n + " " + split);
            NluRecord r = gen.apply(rnd).withTask(task);
            String key = NluPrompt.body(r);
            if (reserved.contains(key)) continue;
            if (unique) reserved.add(key);
            out.add(new NluRecord(task + "-" + split + "-" + out.size(), task, r.textA(), r.textB(), r.textC(), r.label(), r.rationale()));
        }
        return out;
    }

    public List<NluRecord> split(String task, String split) {
        return tasks.getOrDefault(task, Map.of()).getOrDefault(split, List.of());
    }

    /** Every record of a split over the trained (or held-out) tasks. */
    public List<NluRecord> all(String split, boolean heldOut) {
        List<NluRecord> out = new ArrayList<>();
        for (String t : heldOut ? NluTasks.HELD_OUT : NluTasks.TRAINED) out.addAll(split(t, split));
        return out;
    }

    /** Writes {@code <dir>/<task>/{train,dev,test}.jsonl} and {@code rationales.jsonl}. */
    public void write(Path dir) throws IOException {
        for (var task : tasks.entrySet()) {
            Path d = dir.resolve(task.getKey());
            Files.createDirectories(d);
            List<NluRecord> every = new ArrayList<>();
            for (var split : task.getValue().entrySet()) {
                NluFiles.writeRecords(d.resolve(split.getKey() + ".jsonl"), split.getValue());
                every.addAll(split.getValue());
            }
            NluFiles.writeRationales(d.resolve(NluFiles.RATIONALES), every);
        }
    }

    /** Reads a corpus written by {@link #write}. */
    public static NluCorpus read(Path dir) throws IOException {
        Map<String, Map<String, List<NluRecord>>> out = new LinkedHashMap<>();
        try (var dirs = Files.list(dir)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                Map<String, List<NluRecord>> splits = new LinkedHashMap<>();
                for (String s : List.of("test", "dev", "train")) {
                    Path f = d.resolve(s + ".jsonl");
                    if (Files.isRegularFile(f)) splits.put(s, NluFiles.read(f));
                }
                if (!splits.isEmpty()) out.put(d.getFileName().toString(), splits);
            }
        }
        if (out.isEmpty()) throw new IOException("no NLU task folders (<task>/test.jsonl) in " + dir);
        return new NluCorpus(out);
    }
}
