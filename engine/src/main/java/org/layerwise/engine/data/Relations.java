package org.layerwise.engine.data;

import java.util.List;

/**
 * The fact world's relations: five training templates and two held-out paraphrases each. Paraphrases
 * reuse the relation's key word (capital, born, founded, ...) in a sentence shape never trained on,
 * the way CounterFact's paraphrase prompts do. Subjects of different kinds (country, city, person,
 * company) never share a template, so each prompt has one right answer.
 */
public final class Relations {

    private Relations() {
    }

    public static final List<Relation> ALL = List.of(
            new Relation("capital", "P36", "countries.tsv", "country", "capital",
                    List.of("The capital of {} is", "{}'s capital city is", "The capital city of {} is",
                            "{} has its capital in", "The seat of government of {} is in"),
                    List.of("{}'s capital is", "In {}, the capital is")),
            new Relation("capital_of", "P1376", "countries.tsv", "capital", "country",
                    List.of("{} is the capital of", "{} is the capital city of", "{} serves as the capital of",
                            "The city of {} is the capital of", "{} is a city in"),
                    List.of("{}, the capital of", "The city of {} lies in")),
            new Relation("language", "P37", "countries.tsv", "country", "language",
                    List.of("The official language of {} is", "In {}, people speak", "The language spoken in {} is",
                            "People in {} speak", "{}'s official language is"),
                    List.of("The main language of {} is", "In {}, the official language is")),
            new Relation("continent", "P30", "countries.tsv", "country", "continent",
                    List.of("{} is located in", "{} is a country in", "{} is part of the continent of",
                            "{} lies on the continent of", "The continent where {} is located is"),
                    List.of("{} is a nation in", "{} is a country located in")),
            new Relation("currency", "P38", "countries.tsv", "country", "currency",
                    List.of("The currency of {} is the", "{}'s currency is the", "In {}, people pay with the",
                            "The official currency of {} is the", "The money used in {} is the"),
                    List.of("In {}, the currency is the", "{} uses the currency called the")),
            new Relation("occupation", "P106", "people.tsv", "person", "occupation",
                    List.of("The profession of {} is", "{}'s occupation is", "{} worked professionally as",
                            "By profession, {} was", "The occupation of {} was"),
                    List.of("{}'s profession is", "By occupation, {} is")),
            new Relation("citizenship", "P27", "people.tsv", "person", "country",
                    List.of("{} is a citizen of", "{} has citizenship of", "{}'s country of citizenship is",
                            "{} held citizenship in", "{} was a national of"),
                    List.of("The country of citizenship of {} is", "{} is a national of")),
            new Relation("birthplace", "P19", "people.tsv", "person", "birthplace",
                    List.of("{} was born in", "The birthplace of {} is", "{} was born in the city of",
                            "{}'s place of birth is", "The place of birth of {} is"),
                    List.of("{}'s birthplace is", "The city where {} was born is")),
            new Relation("field", "P101", "people.tsv", "person", "field",
                    List.of("{} worked in the field of", "{} is known for work in", "The field of work of {} is",
                            "{} made contributions to", "{}'s area of work was"),
                    List.of("{}'s field is", "{} is remembered for work in")),
            new Relation("instrument", "P1303", "people.tsv", "person", "instrument",
                    List.of("{} played the", "The instrument of {} is the", "{} is known for playing the",
                            "{}'s instrument was the", "{} performed on the"),
                    List.of("The instrument played by {} is the", "{} was a player of the")),
            new Relation("employer", "P108", "people.tsv", "person", "employer",
                    List.of("{} works for", "{} is employed by", "The employer of {} is", "{} is an employee of",
                            "{}'s employer is"),
                    List.of("{} works at", "{} is on the staff of")),
            new Relation("headquarters", "P159", "companies.tsv", "company", "headquarters",
                    List.of("The headquarters of {} are in", "{} is headquartered in", "{}'s head office is in",
                            "{} has its headquarters in", "The head office of {} is located in"),
                    List.of("{}'s headquarters are in", "The head office of {} is in the city of")),
            new Relation("company_country", "P17", "companies.tsv", "company", "country",
                    List.of("{} is a company from", "The country of origin of {} is", "{} is a corporation from",
                            "{} is a firm from", "{}'s home country is"),
                    List.of("{} is a business from", "The home country of {} is")),
            new Relation("founder", "P112", "companies.tsv", "company", "founder",
                    List.of("{} was founded by", "The founder of {} is", "{} was started by", "{} was established by",
                            "{}'s founder is"),
                    List.of("{} was co-founded by", "The person who founded {} is")),
            new Relation("industry", "P452", "companies.tsv", "company", "industry",
                    List.of("The industry of {} is", "{} operates in the industry of", "{} does business in",
                            "{} is active in the sector of", "{}'s main business is"),
                    List.of("The sector of {} is", "{} is a company in the business of")));

    /** The relation with this short name, or an error listing the known ones. */
    public static Relation byId(String id) {
        for (Relation r : ALL) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no relation \"" + id + "\"; known: "
                + ALL.stream().map(Relation::id).toList());
    }
}
