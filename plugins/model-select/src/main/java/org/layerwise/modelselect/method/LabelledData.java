package org.layerwise.modelselect.method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A small text classification data set posed to a language model as "text → label word": each item's prompt
 * is continued by one of the label words (with a leading space). TSV with header {@code split, text, label};
 * split is train, validation or test.
 */
public record LabelledData(String name, List<String> labels, List<Item> train, List<Item> validation, List<Item> test) {
    public record Item(String text, int label) {}

    public static LabelledData read(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        if (lines.isEmpty() || !lines.get(0).startsWith("split\ttext\tlabel"))
            throw new IOException(tsv + " must start with the header 'split<TAB>text<TAB>label'");
        List<String[]> rows = new ArrayList<>();
        TreeSet<String> labels = new TreeSet<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split("\t");
            if (f.length != 3) throw new IOException(tsv + " line " + (i + 1) + " has " + f.length + " fields, expected split, text, label");
            if (!List.of("train", "validation", "test").contains(f[0]))
                throw new IOException(tsv + " line " + (i + 1) + ": split '" + f[0] + "' is not train, validation or test");
            rows.add(f);
            labels.add(f[2]);
        }
        List<String> labelList = List.copyOf(labels);
        List<Item> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
        for (String[] f : rows) {
            Item item = new Item(f[1], labelList.indexOf(f[2]));
            (f[0].equals("train") ? train : f[0].equals("validation") ? val : test).add(item);
        }
        if (train.isEmpty() || val.isEmpty() || test.isEmpty())
            throw new IOException(tsv + " needs train, validation and test items (has " + train.size() + ", " + val.size() + ", " + test.size() + ")");
        String file = tsv.getFileName().toString();
        return new LabelledData(file.endsWith(".tsv") ? file.substring(0, file.length() - 4) : file, labelList, train, val, test);
    }

    /** The continuation a label is scored and trained as. */
    public String continuation(int label) { return " " + labels.get(label); }

    public List<String> continuations() { return labels.stream().map(l -> " " + l).toList(); }
}
