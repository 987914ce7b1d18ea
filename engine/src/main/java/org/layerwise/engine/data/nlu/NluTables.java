package org.layerwise.engine.data.nlu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The fact-world tables the lookup tasks draw from (sample-data/facts/*.tsv), lower-cased. */
public record NluTables(List<Country> countries, List<Person> people) {
    public record Country(String name, String capital, String language, String continent) {}

    public record Person(String name, String country) {}

    public static NluTables load(Path factsDir) throws IOException {
        List<Country> countries = new ArrayList<>();
        for (String[] row : rows(factsDir.resolve("countries.tsv"), 4))
            countries.add(new Country(row[0], row[1], row[2], row[3]));
        List<String> known = countries.stream().map(Country::name).toList();
        List<Person> people = new ArrayList<>();
        for (String[] row : rows(factsDir.resolve("people.tsv"), 3))
            if (known.contains(row[2])) people.add(new Person(row[0], row[2]));
        return new NluTables(countries, people);
    }

    private static List<String[]> rows(Path file, int columns) throws IOException {
        if (!Files.isRegularFile(file))
            throw new IOException("fact table " + file + " is missing; pass the repository's sample-data/facts folder");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String[]> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split("\t", -1);
            if (cells.length < columns) continue;
            boolean complete = true;
            for (int c = 0; c < columns; c++) {
                cells[c] = cells[c].strip().toLowerCase(Locale.ROOT);
                complete &= !cells[c].isEmpty();
            }
            if (complete) out.add(cells);
        }
        return out;
    }

    public Country country(String name) {
        for (Country c : countries) if (c.name().equals(name)) return c;
        throw new IllegalArgumentException("no country " + name + " in the tables");
    }
}
