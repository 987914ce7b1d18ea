package org.layerwise.builder.method;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.train.TrainingExample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The corpus formats of the sentence-level targets, read into training examples.
 * <ul>
 *   <li>cls: one example per non-blank line, {@code label<TAB>text}. Labels are integers (the class itself) or
 *   names, numbered in sorted order; the mapping is saved with the model as {@value #LABELS_FILE}.</li>
 *   <li>sp: documents separated by blank lines, one sentence per line. Each sentence that has a successor in its
 *   document becomes a pair: sentence A (segment 1), then sentence B (segment 2), B the true next sentence with
 *   probability 0.5 (label 1), else a random sentence of another document (label 0), drawn once from the config's
 *   seed. A separator token ([SEP] or &lt;/s&gt;, when the tokenizer has one) ends each sentence, as in BERT.</li>
 * </ul>
 */
final class TargetExamples {
    /** The class names of a cls model, saved in its folder. */
    static final String LABELS_FILE = "labels.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TargetExamples() {}

    /** One labelled line of a cls corpus. */
    private record Line(int number, String label, String text) {}

    /** The labelled examples of a cls corpus. */
    static List<TrainingExample> classification(Path corpus, HfTokenizer tokenizer, int labelsNum) throws IOException {
        List<Line> lines = labelledLines(corpus);
        Map<String, Integer> index = labelIndex(corpus, lines, labelsNum);
        List<TrainingExample> out = new ArrayList<>();
        for (Line l : lines) {
            int[] ids = tokenizer.encode(l.text(), true).ids();
            if (ids.length == 0) throw new IllegalArgumentException(corpus + " line " + l.number() + ": the text gives no tokens");
            out.add(new TrainingExample(ids, null, index.get(l.label()), null));
        }
        return out;
    }

    /** The class names in class order: the sorted names, or "0" … "labels_num − 1" for integer labels. */
    static List<String> labelNames(Path corpus, int labelsNum) throws IOException {
        List<Line> lines = labelledLines(corpus);
        Map<String, Integer> index = labelIndex(corpus, lines, labelsNum);
        if (integers(lines)) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < labelsNum; i++) names.add(Integer.toString(i));
            return names;
        }
        return new ArrayList<>(index.keySet());
    }

    /** Writes {@value #LABELS_FILE} ({"target": "cls", "labels": [...]}) into {@code dir}. */
    static void saveLabels(Path corpus, int labelsNum, Path dir) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("target", "cls");
        json.putPOJO("labels", labelNames(corpus, labelsNum));
        Files.writeString(dir.resolve(LABELS_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    private static List<Line> labelledLines(Path corpus) throws IOException {
        List<Line> out = new ArrayList<>();
        int number = 0;
        for (String raw : Files.readAllLines(corpus)) {
            number++;
            if (raw.isBlank()) continue;
            int tab = raw.indexOf('\t');
            String shown = raw.length() > 60 ? raw.substring(0, 57) + "..." : raw;
            if (tab < 0)
                throw new IllegalArgumentException(corpus + " line " + number + ": a cls example reads label<TAB>text, but there is no tab in '"
                        + shown + "'");
            String label = raw.substring(0, tab).strip(), text = raw.substring(tab + 1).strip();
            if (label.isEmpty()) throw new IllegalArgumentException(corpus + " line " + number + ": the label before the tab is empty in '" + shown + "'");
            if (text.isEmpty()) throw new IllegalArgumentException(corpus + " line " + number + ": there is no text after the tab in '" + shown + "'");
            out.add(new Line(number, label, text));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("The corpus " + corpus + " has no label<TAB>text line to train cls on");
        return out;
    }

    private static boolean integers(List<Line> lines) {
        for (Line l : lines) if (!l.label().matches("\\d{1,9}")) return false;
        return true;
    }

    /** Label → class: its value when every label is an integer, else its rank among the sorted names. */
    private static Map<String, Integer> labelIndex(Path corpus, List<Line> lines, int labelsNum) {
        Map<String, Integer> index = new LinkedHashMap<>();
        if (integers(lines)) {
            for (Line l : lines) {
                int v = Integer.parseInt(l.label());
                if (v >= labelsNum)
                    throw new IllegalArgumentException(corpus + " line " + l.number() + ": label " + v + " is outside the "
                            + labelsNum + " classes 0 to " + (labelsNum - 1) + "; raise labels_num or fix the line");
                index.put(l.label(), v);
            }
            return index;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Line l : lines) {
            if (seen.add(l.label()) && seen.size() > labelsNum)
                throw new IllegalArgumentException(corpus + " line " + l.number() + ": label '" + l.label() + "' is distinct label number "
                        + seen.size() + ", but labels_num is " + labelsNum + "; raise labels_num or fix the line");
        }
        int i = 0;
        for (String name : new TreeSet<>(seen)) index.put(name, i++);
        return index;
    }

    /** The sentence pairs of an sp corpus, cut to {@code maxLength} tokens a pair. */
    static List<TrainingExample> sentencePairs(Path corpus, HfTokenizer tokenizer, int maxLength, long seed) throws IOException {
        List<List<String>> documents = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : Files.readAllLines(corpus)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) documents.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line.strip());
            }
        }
        if (!current.isEmpty()) documents.add(current);
        if (documents.size() < 2)
            throw new IllegalArgumentException("Target sp needs a corpus of at least 2 documents separated by blank lines (one sentence a line), so "
                    + "that a sentence of another document can stand in for the next one; " + corpus + " has " + documents.size());
        int sep = SpecialTokens.separator(tokenizer);
        SplittableRandom random = new SplittableRandom(seed);
        List<TrainingExample> out = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            List<String> doc = documents.get(d);
            for (int i = 0; i + 1 < doc.size(); i++) {
                boolean next = random.nextBoolean();
                String b;
                if (next) {
                    b = doc.get(i + 1);
                } else {
                    int other = random.nextInt(documents.size() - 1);
                    if (other >= d) other++;
                    List<String> o = documents.get(other);
                    b = o.get(random.nextInt(o.size()));
                }
                out.add(pair(tokenizer, doc.get(i), b, sep, maxLength, next ? 1 : 0));
            }
        }
        if (out.isEmpty())
            throw new IllegalArgumentException("Target sp needs documents of 2 or more sentences (one a line); " + corpus + " has none");
        return out;
    }

    /** [specials] A [SEP] B [SEP], segments 1 then 2, the longer sentence trimmed first until the pair fits. */
    private static TrainingExample pair(HfTokenizer tokenizer, String a, String b, int sep, int maxLength, int label) {
        List<Integer> first = ids(tokenizer.encode(a, true).ids()), second = ids(tokenizer.encode(b, false).ids());
        if (sep >= 0 && (first.isEmpty() || first.get(first.size() - 1) != sep)) first.add(sep);
        if (sep >= 0) second.add(sep);
        int keep = sep >= 0 ? 1 : 0;     // trailing separators stay
        while (first.size() + second.size() > maxLength) {
            List<Integer> longer = first.size() >= second.size() ? first : second;
            if (longer.size() <= keep + 1) break;
            longer.remove(longer.size() - 1 - keep);
        }
        int[] tokens = new int[first.size() + second.size()], segments = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            boolean inA = i < first.size();
            tokens[i] = inA ? first.get(i) : second.get(i - first.size());
            segments[i] = inA ? 1 : 2;
        }
        return new TrainingExample(tokens, segments, label, null);
    }

    private static List<Integer> ids(int[] a) {
        List<Integer> out = new ArrayList<>(a.length);
        for (int x : a) out.add(x);
        return out;
    }
}
