package org.layerwise.promptopt.method;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptTaskTest {
    static Path bbh() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-data/bbh"))) p = p.getParent();
        return p.resolve("sample-data/bbh");
    }

    @Test
    void theFiveBbhTasksSplitDisjointlyWithTheDocumentedSizes() {
        Map<String, int[]> expected = Map.of("snarks", new int[] {65, 36, 75}, "geometric_shapes", new int[] {129, 60, 171},
                "movie_recommendation", new int[] {89, 48, 113}, "salient_translation_error_detection", new int[] {89, 48, 113},
                "epistemic", new int[] {400, 160, 400});
        expected.forEach((name, sizes) -> {
            PromptTask t = PromptTask.load(bbh().resolve(name + ".json"), 42);
            assertThat(new int[] {t.train().size(), t.eval().size(), t.test().size()}).as(name).containsExactly(sizes);
            Set<String> seen = new HashSet<>();
            Stream.of(t.train(), t.eval(), t.test()).flatMap(List::stream).forEach(i -> assertThat(seen.add(i.id())).as(i.id()).isTrue());
            assertThat(t.initialPrompt()).isNotBlank();
        });
        // the same seed gives the same split; another seed another
        assertThat(PromptTask.load(bbh().resolve("snarks.json"), 42).eval()).isEqualTo(PromptTask.load(bbh().resolve("snarks.json"), 42).eval());
        assertThat(PromptTask.load(bbh().resolve("snarks.json"), 7).eval()).isNotEqualTo(PromptTask.load(bbh().resolve("snarks.json"), 42).eval());
    }

    @Test
    void aBigBenchExampleBecomesALetteredQuestion() {
        PromptTask t = PromptTask.load(bbh().resolve("snarks.json"), 42);
        TaskItem item = t.train().get(0);
        assertThat(item.question()).startsWith("Which statement is sarcastic?\nOptions:\n(A) ").contains("\n(B) ");
        assertThat(item.options()).hasSize(2);
        assertThat(item.answers()).hasSize(1).allSatisfy(a -> assertThat(a).isIn("A", "B"));
        TaskItem shapes = PromptTask.load(bbh().resolve("geometric_shapes.json"), 42).test().stream()
                .filter(i -> i.answers().size() == 2).findFirst().orElseThrow();
        assertThat(shapes.label()).contains(" or ");
    }

    @Test
    void jsonlTasksWithAndWithoutSplits(@TempDir Path dir) throws Exception {
        Path free = dir.resolve("capitals.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) sb.append("{\"input\":\"Q").append(i).append("\",\"target\":\"Paris\"}\n");
        Files.writeString(free, sb.toString());
        PromptTask t = PromptTask.load(free, 42);
        assertThat(t.train().size() + t.eval().size() + t.test().size()).isEqualTo(20);
        assertThat(t.answerFormat()).isEqualTo(AnswerParser.BOXED_FORMAT_FREE);
        assertThat(t.train().get(0).answers()).containsExactly("paris");

        Path split = dir.resolve("mc.jsonl");
        Files.writeString(split, """
                {"id":"a","input":"2+2?","options":["3","4"],"target":"4","split":"train"}
                {"id":"b","input":"1+1?","options":["2","5"],"target":"A","split":"eval"}
                {"id":"c","input":"3+3?","options":["6","7"],"target":["6"],"split":"test"}
                """);
        PromptTask mc = PromptTask.load(split, 42);
        assertThat(mc.train().get(0).answers()).containsExactly("B");
        assertThat(mc.eval().get(0).answers()).containsExactly("A");
        assertThat(mc.test().get(0).question()).isEqualTo("3+3?\nOptions:\n(A) 6\n(B) 7");

        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"input\":\"x\",\"options\":[\"a\",\"b\"],\"target\":\"c\"}\n");
        assertThatThrownBy(() -> PromptTask.load(bad, 42)).hasMessageContaining("bad.jsonl line 1").hasMessageContaining("\"c\"");
    }

    @Test
    void answersAreReadFromTheLastBox() {
        TaskItem mc = new TaskItem("x", "q", List.of("entailment", "non-entailment"), Set.of("B"));
        assertThat(AnswerParser.parse("maybe \\boxed{A} ... no: \\boxed{(B)}", mc)).isEqualTo("B");
        assertThat(AnswerParser.parse("\\boxed{\\text{B}}", mc)).isEqualTo("B");
        assertThat(AnswerParser.parse("\\boxed{b) non-entailment}", mc)).isEqualTo("B");
        assertThat(AnswerParser.parse("\\boxed{Non-entailment.}", mc)).isEqualTo("B");
        assertThat(AnswerParser.parse("The answer is (B).", mc)).isNull();
        assertThat(AnswerParser.parse("\\boxed{C}", mc)).isNull();
        assertThat(AnswerParser.parse("\\boxed{A", mc)).isNull();
        TaskItem free = new TaskItem("y", "q", List.of(), Set.of("paris"));
        assertThat(AnswerParser.parse("\\boxed{ Paris }", free)).isEqualTo("paris");
        assertThat(OptimizerPrompts.extract("think <START>old</START> final <START>\n new prompt \n</START>")).isEqualTo("new prompt");
        assertThat(OptimizerPrompts.extract("<START>x<END>")).isEqualTo("x");
        assertThat(OptimizerPrompts.extract("no tags")).isNull();
    }
}
