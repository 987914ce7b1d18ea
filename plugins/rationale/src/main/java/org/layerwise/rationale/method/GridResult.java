package org.layerwise.rationale.method;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.layerwise.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every cell of a rationale run, as written to (and read back from) its {@code rationale-results.json} artifact. */
public record GridResult(String corpus, List<EvalMode> modes, List<GridCell> cells) {
    private static final JsonMapper JSON = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
    public static final String ARTIFACT = "rationale-results.json";

    public void write(Path file) throws IOException {
        AtomicFiles.writeBytes(file, JSON.writeValueAsBytes(this));
    }

    public static GridResult read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), GridResult.class);
        } catch (IOException e) {
            throw new IOException(file + " is not a rationale results file (" + e.getMessage() + ")", e);
        }
    }

    public List<String> models() {
        List<String> out = new ArrayList<>();
        for (GridCell c : cells) if (!out.contains(c.model())) out.add(c.model());
        return out;
    }

    public List<String> methods() {
        List<String> out = new ArrayList<>();
        for (GridCell c : cells) if (!out.contains(c.label())) out.add(c.label());
        return out;
    }

    public Optional<GridCell> cell(String model, String methodLabel) {
        return cells.stream().filter(c -> c.model().equals(model) && c.label().equals(methodLabel)).findFirst();
    }
}
