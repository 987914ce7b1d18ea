package org.layerwise.promptopt.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A task to optimise a prompt on: disjoint train (feedback), eval (the update gate) and test (the final pick) splits,
 * the answer-format instruction and the initial prompt. Loaded from a BIG-bench JSON file
 * ({@code {"examples":[{"input","target_scores":{option:0|1}}]}}, as the five BBH files in sample-data/bbh) or a
 * JSONL file (one {@code {"input", "target", "options"?, "id"?, "split"?}} per line).
 *
 * <p>Splits are a seeded shuffle cut into disjoint parts. BBH tasks use GRACE's sizes where the file is big enough
 * (epistemic 400/160/400); the others hold fewer items than GRACE's train+eval+test (upstream lets eval overlap
 * train), so the whole file is cut in GRACE's proportions instead, with no overlap.
 */
public record PromptTask(String name, String initialPrompt, String answerFormat, List<TaskItem> train,
                         List<TaskItem> eval, List<TaskItem> test) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** GRACE's train/eval/test sizes per BBH task (arXiv:2509.23387 and its code). */
    public static final Map<String, int[]> GRACE_SIZES = Map.of(
            "snarks", new int[] {82, 45, 95},
            "geometric_shapes", new int[] {150, 70, 200},
            "movie_recommendation", new int[] {110, 60, 140},
            "salient_translation_error_detection", new int[] {110, 60, 140},
            "epistemic", new int[] {400, 160, 400});

    public PromptTask {
        train = List.copyOf(train);
        eval = List.copyOf(eval);
        test = List.copyOf(test);
        if (train.isEmpty() || eval.isEmpty() || test.isEmpty())
            throw new IllegalArgumentException("Task " + name + " needs non-empty train, eval and test splits (have "
                    + train.size() + "/" + eval.size() + "/" + test.size() + ")");
    }

    /** Keeps the first n of each split (for quick runs); 0 keeps all. */
    public PromptTask limited(int trainMax, int evalMax, int testMax) {
        return new PromptTask(name, initialPrompt, answerFormat, cut(train, trainMax), cut(eval, evalMax), cut(test, testMax));
    }

    public PromptTask withInitialPrompt(String prompt) {
        return new PromptTask(name, prompt, answerFormat, train, eval, test);
    }

    private static List<TaskItem> cut(List<TaskItem> items, int max) {
        return max <= 0 || max >= items.size() ? items : items.subList(0, max);
    }

    /** Loads a BIG-bench .json or a .jsonl task; splits with {@code seed}. */
    public static PromptTask load(Path file, long seed) {
        String fileName = file.getFileName().toString();
        try {
            if (fileName.endsWith(".jsonl")) return loadJsonl(file, seed);
            return loadBigBench(file, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the task file " + file + ": " + e.getMessage(), e);
        }
    }

    static PromptTask loadBigBench(Path file, long seed) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        JsonNode examples = root.path("examples");
        if (!examples.isArray() || examples.isEmpty())
            throw new IllegalArgumentException(file + " has no \"examples\" array; expected a BIG-bench task JSON");
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        String prefix = root.path("task_prefix").asText("").strip();
        List<TaskItem> items = new ArrayList<>();
        int i = 0;
        for (JsonNode ex : examples) {
            JsonNode scores = ex.path("target_scores");
            if (!scores.isObject())
                throw new IllegalArgumentException(file + " example " + i + " has no target_scores object");
            List<String> options = new ArrayList<>();
            Set<String> answers = new LinkedHashSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = scores.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().asDouble() > 0) answers.add(TaskItem.letter(options.size()));
                options.add(e.getKey());
            }
            String id = name + "-" + i++;
            if (options.size() < 2 || answers.isEmpty()) continue; // a one-option item tests nothing
            String input = ex.path("input").asText("").strip();
            StringBuilder q = new StringBuilder();
            if (!prefix.isEmpty()) q.append(prefix).append('\n');
            if (!input.isEmpty()) q.append(input).append('\n');
            q.append("Options:");
            for (int k = 0; k < options.size(); k++) q.append("\n(").append(TaskItem.letter(k)).append(") ").append(options.get(k));
            items.add(new TaskItem(id, q.toString(), options, answers));
        }
        int[] sizes = splitSizes(items.size(), GRACE_SIZES.get(name));
        String description = root.path("description").asText("").strip();
        return split(name, items, sizes, seed, AnswerParser.BOXED_FORMAT)
                .withInitialPrompt(description.isEmpty() ? defaultPrompt() : description);
    }

    static PromptTask loadJsonl(Path file, long seed) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        List<TaskItem> all = new ArrayList<>(), train = new ArrayList<>(), eval = new ArrayList<>(), test = new ArrayList<>();
        boolean anyChoice = false;
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank()) continue;
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " line " + lineNo + " is not JSON: " + e.getMessage());
            }
            String input = n.has("input") ? n.path("input").asText() : n.path("question").asText(null);
            JsonNode target = n.has("target") ? n.path("target") : n.path("answer");
            if (input == null || target.isMissingNode())
                throw new IllegalArgumentException(file + " line " + lineNo + " needs \"input\" and \"target\" fields");
            String id = n.path("id").asText(name + "-" + (lineNo - 1));
            List<String> options = new ArrayList<>();
            n.path("options").forEach(o -> options.add(o.asText()));
            List<String> targets = new ArrayList<>();
            if (target.isArray()) target.forEach(t -> targets.add(t.asText()));
            else targets.add(target.asText());
            Set<String> answers = new LinkedHashSet<>();
            String question = input.strip();
            if (!options.isEmpty()) {
                anyChoice = true;
                StringBuilder q = new StringBuilder(question).append("\nOptions:");
                for (int k = 0; k < options.size(); k++) q.append("\n(").append(TaskItem.letter(k)).append(") ").append(options.get(k));
                question = q.toString();
                for (String t : targets) {
                    int at = options.indexOf(t);
                    if (at < 0 && t.length() == 1 && Character.isLetter(t.charAt(0))) at = Character.toUpperCase(t.charAt(0)) - 'A';
                    if (at < 0 || at >= options.size())
                        throw new IllegalArgumentException(file + " line " + lineNo + ": target \"" + t + "\" is neither an option nor an option letter");
                    answers.add(TaskItem.letter(at));
                }
            } else {
                for (String t : targets) answers.add(AnswerParser.normalise(t));
            }
            TaskItem item = new TaskItem(id, question, options, answers);
            switch (n.path("split").asText("")) {
                case "train" -> train.add(item);
                case "eval", "dev", "validation" -> eval.add(item);
                case "test" -> test.add(item);
                case "" -> all.add(item);
                default -> throw new IllegalArgumentException(file + " line " + lineNo + ": split must be train, eval or test, was "
                        + n.path("split").asText());
            }
        }
        String format = anyChoice ? AnswerParser.BOXED_FORMAT : AnswerParser.BOXED_FORMAT_FREE;
        if (all.isEmpty()) return new PromptTask(name, defaultPrompt(), format, train, eval, test);
        if (!train.isEmpty() || !eval.isEmpty() || !test.isEmpty())
            throw new IllegalArgumentException(file + " mixes lines with and without a \"split\" field; give every line one or none");
        return split(name, all, splitSizes(all.size(), null), seed, format);
    }

    /** GRACE's sizes when they fit; otherwise the file cut in their proportions (30/15/55 % without sizes). */
    static int[] splitSizes(int n, int[] grace) {
        int[] want = grace != null ? grace : new int[] {30, 15, 55};
        int sum = want[0] + want[1] + want[2];
        if (grace != null && sum <= n) return want.clone();
        int train = (int) Math.round(n * (double) want[0] / sum);
        int eval = (int) Math.round(n * (double) want[1] / sum);
        return new int[] {train, eval, n - train - eval};
    }

    static PromptTask split(String name, List<TaskItem> items, int[] sizes, long seed, String format) {
        List<TaskItem> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, new Random(seed));
        List<TaskItem> train = shuffled.subList(0, sizes[0]);
        List<TaskItem> eval = shuffled.subList(sizes[0], sizes[0] + sizes[1]);
        List<TaskItem> test = shuffled.subList(sizes[0] + sizes[1], sizes[0] + sizes[1] + sizes[2]);
        return new PromptTask(name, defaultPrompt(), format, train, eval, test);
    }

    /** GRACE's starting point: a plain zero-shot instruction. */
    public static String defaultPrompt() {
        return "Answer the following question.";
    }
}
