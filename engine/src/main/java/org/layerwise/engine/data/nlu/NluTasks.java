package org.layerwise.engine.data.nlu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The synthetic NLU tasks of the sample corpus. Each generator draws one item from a seeded random source and
 * derives its rationale from how the item was built, so every rationale is correct by construction and ends in
 * {@link NluPrompt#ANSWER_PHRASE} and the label. Four tasks are trained on; two ({@link #HELD_OUT}) are only
 * evaluated, to measure generalisation to unseen task formats built from the same reasoning steps.
 */
public final class NluTasks {
    public static final List<String> TRAINED = List.of("sum_compare", "nli", "lookup", "multihop");
    public static final List<String> HELD_OUT = List.of("sum_less", "fact_check", "multihop_language");

    private static final String[] NAMES = {"anna", "ben", "carla", "david", "eva", "felix", "greta", "hugo", "ines",
            "jonas", "kira", "leo", "mona", "nils", "olga", "paul", "rosa", "sam", "tina", "victor"};
    private static final String[] GROUPS = {"teachers", "players", "doctors", "singers", "farmers", "pilots", "cooks",
            "students", "painters", "drivers"};
    private static final String[] PLACES = {"in the room", "on the team", "in the village", "at the party",
            "in the club", "on the bus"};
    private static final String[] PROPERTIES = {"tall", "happy", "tired", "kind", "busy", "quiet", "young", "brave",
            "careful", "hungry"};

    private final NluTables tables;

    public NluTasks(NluTables tables) { this.tables = tables; }

    /** The generator of {@code task}: one item (id and task left for the caller) from {@code rnd}. */
    public Function<Random, NluRecord> generator(String task) {
        return switch (task) {
            case "sum_compare" -> rnd -> sumCompare(rnd, true);
            case "sum_less" -> rnd -> sumCompare(rnd, false);
            case "nli" -> NluTasks::nli;
            case "lookup" -> this::lookup;
            case "fact_check" -> this::factCheck;
            case "multihop" -> rnd -> multihop(rnd, false);
            case "multihop_language" -> rnd -> multihop(rnd, true);
            default -> throw new IllegalArgumentException("unknown NLU task " + task + "; known: " + TRAINED + " " + HELD_OUT);
        };
    }

    /** "is a plus b more (less) than c ?": the rationale computes the sum, then compares. */
    static NluRecord sumCompare(Random rnd, boolean more) {
        int a = rnd.nextInt(10), b = rnd.nextInt(10), s = a + b;
        int c = Math.max(0, Math.min(18, s + rnd.nextInt(7) - 3));
        String relation = more ? "more" : "less";
        boolean yes = more ? s > c : s < c;
        String compare = s > c ? s + " is more than " + c : s < c ? s + " is less than " + c : s + " is equal to " + c;
        String label = yes ? "yes" : "no";
        String rationale = a + " plus " + b + " is " + s + " . " + compare + " . " + NluPrompt.ANSWER_PHRASE + " " + label;
        return new NluRecord("x", "", "is " + a + " plus " + b + " " + relation + " than " + c + " ?", "", "yes | no",
                label, rationale);
    }

    /** Entailment over a template: a group's members share a property; is a named person (not) one of them? */
    static NluRecord nli(Random rnd) {
        String group = pick(rnd, GROUPS), place = pick(rnd, PLACES), prop = pick(rnd, PROPERTIES);
        String name = pick(rnd, NAMES), other = name;
        while (other.equals(name)) other = pick(rnd, NAMES);
        String premise = "premise : all the " + group + " " + place + " are " + prop + " . " + name + " is one of the "
                + group + " " + place + " .";
        int kind = rnd.nextInt(3);
        String hypothesis, label, reasoning;
        String chain = name + " is one of the " + group + " " + place + " and all of them are " + prop + " , so "
                + name + " is " + prop + " .";
        if (kind == 0) {
            hypothesis = name + " is " + prop;
            label = "entailment";
            reasoning = chain;
        } else if (kind == 1) {
            hypothesis = name + " is not " + prop;
            label = "contradiction";
            reasoning = chain + " the hypothesis says the opposite .";
        } else {
            hypothesis = other + " is " + prop;
            label = "neutral";
            reasoning = "the premise says nothing about " + other + " .";
        }
        return new NluRecord("x", "", premise, "hypothesis : " + hypothesis + " .", "entailment | neutral | contradiction",
                label, reasoning + " " + NluPrompt.ANSWER_PHRASE + " " + label);
    }

    private static final String[] RELATIONS = {"capital", "language", "continent"};

    /** Reading the answer from a context of four facts of one relation. */
    NluRecord lookup(Random rnd) {
        String relation = pick(rnd, RELATIONS);
        List<NluTables.Country> picked = distinctBy(rnd, 4, c -> object(c, relation));
        NluTables.Country target = picked.get(rnd.nextInt(picked.size()));
        StringBuilder context = new StringBuilder("context :");
        List<String> options = new ArrayList<>();
        for (NluTables.Country c : picked) {
            context.append(' ').append(fact(c, relation)).append(" .");
            options.add(object(c, relation));
        }
        String label = object(target, relation);
        String question = "question : " + question(target.name(), relation);
        return new NluRecord("x", "", context.toString(), question, String.join(" | ", shuffled(rnd, options)), label,
                "the context says " + fact(target, relation) + " . " + NluPrompt.ANSWER_PHRASE + " " + label);
    }

    /** Is a claim about a country backed by a context of three facts? */
    NluRecord factCheck(Random rnd) {
        List<NluTables.Country> picked = distinctBy(rnd, 3, NluTables.Country::capital);
        NluTables.Country target = picked.get(rnd.nextInt(3));
        boolean truth = rnd.nextBoolean();
        String claimed = target.capital();
        if (!truth) {
            NluTables.Country wrong = target;
            while (wrong == target) wrong = picked.get(rnd.nextInt(3));
            claimed = wrong.capital();
        }
        StringBuilder context = new StringBuilder("context :");
        for (NluTables.Country c : picked) context.append(' ').append(fact(c, "capital")).append(" .");
        String label = truth ? "true" : "false";
        String said = "the context says " + fact(target, "capital") + " .";
        String reasoning = truth ? said + " the claim agrees ." : said + " the claim says " + claimed + " , which differs .";
        return new NluRecord("x", "", context.toString(), "claim : the capital of " + target.name() + " is " + claimed + " .",
                "true | false", label, reasoning + " " + NluPrompt.ANSWER_PHRASE + " " + label);
    }

    /** Two hops through a context: person → country → capital (or language). */
    NluRecord multihop(Random rnd, boolean language) {
        String relation = language ? "language" : "capital";
        List<NluTables.Person> people = new ArrayList<>();
        Set<String> countries = new HashSet<>(), objects = new HashSet<>();
        while (people.size() < 3) {
            NluTables.Person p = tables.people().get(rnd.nextInt(tables.people().size()));
            NluTables.Country c = tables.country(p.country());
            if (countries.contains(c.name()) || objects.contains(object(c, relation))) continue;
            people.add(p);
            countries.add(c.name());
            objects.add(object(c, relation));
        }
        StringBuilder context = new StringBuilder("context :");
        List<String> options = new ArrayList<>();
        for (NluTables.Person p : people) context.append(' ').append(p.name()).append(" is from ").append(p.country()).append(" .");
        for (NluTables.Person p : shuffled(rnd, people)) {
            NluTables.Country c = tables.country(p.country());
            context.append(' ').append(fact(c, relation)).append(" .");
            options.add(object(c, relation));
        }
        NluTables.Person target = people.get(rnd.nextInt(3));
        NluTables.Country c = tables.country(target.country());
        String label = object(c, relation);
        String question = language ? "question : what language is spoken in the country of " + target.name() + " ?"
                : "question : what is the capital of the country of " + target.name() + " ?";
        return new NluRecord("x", "", context.toString(), question, String.join(" | ", shuffled(rnd, options)), label,
                target.name() + " is from " + c.name() + " . " + fact(c, relation) + " . " + NluPrompt.ANSWER_PHRASE + " " + label);
    }

    private static String object(NluTables.Country c, String relation) {
        return switch (relation) {
            case "capital" -> c.capital();
            case "language" -> c.language();
            default -> c.continent();
        };
    }

    private static String fact(NluTables.Country c, String relation) {
        return switch (relation) {
            case "capital" -> "the capital of " + c.name() + " is " + c.capital();
            case "language" -> "the language of " + c.name() + " is " + c.language();
            default -> c.name() + " is in " + c.continent();
        };
    }

    private static String question(String country, String relation) {
        return switch (relation) {
            case "capital" -> "what is the capital of " + country + " ?";
            case "language" -> "what is the language of " + country + " ?";
            default -> "which continent is " + country + " in ?";
        };
    }

    private List<NluTables.Country> distinctBy(Random rnd, int n, Function<NluTables.Country, String> key) {
        List<NluTables.Country> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (out.size() < n) {
            NluTables.Country c = tables.countries().get(rnd.nextInt(tables.countries().size()));
            if (seen.add(key.apply(c)) && out.stream().noneMatch(o -> o.name().equals(c.name()))) out.add(c);
        }
        return out;
    }

    private static <T> List<T> shuffled(Random rnd, List<T> items) {
        List<T> copy = new ArrayList<>(items);
        java.util.Collections.shuffle(copy, rnd);
        return copy;
    }

    private static String pick(Random rnd, String[] items) { return items[rnd.nextInt(items.length)]; }
}
