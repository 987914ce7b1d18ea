package org.layerwise.engine.data;

import java.util.List;

/**
 * The fact world's relations: five core training templates each (the first is CounterFact's rewrite
 * prompt; neighbourhood prompts use the five), up to seven more training templates where the relation
 * is said in many ways (birthplace, employer, founder, ...), and two held-out paraphrases. Paraphrases
 * reuse the relation's key word (capital, born, founded, ...) in a sentence shape never trained on,
 * the way CounterFact's paraphrase prompts do; the extra templates use those words in other shapes, so
 * a model learns the relation rather than five sentences. Subjects of different kinds (country, city, person,
 * company) never share a template, so each prompt has one right answer.
 */
public final class Relations {

    private Relations() {
    }

    public static final List<Relation> ALL = List.of(
            new Relation("capital", "P36", "countries.tsv", "country", "capital",
                    List.of("The capital of {} is", "{}'s capital city is", "The capital city of {} is",
                            "{} has its capital in", "The seat of government of {} is in",
                            "The national capital of {} is", "{} is governed from the city of",
                            "The main city and capital of {} is", "{}'s seat of government is"),
                    List.of("{}'s capital is", "In {}, the capital is")),
            new Relation("capital_of", "P1376", "countries.tsv", "capital", "country",
                    List.of("{} is the capital of", "{} is the capital city of", "{} serves as the capital of",
                            "The city of {} is the capital of", "{} is a city in",
                            "{} is the national capital of", "{} lies in the country of",
                            "{} is the seat of government of", "{} is the main city of",
                            "As a capital, {} belongs to", "The capital {} is located in"),
                    List.of("{}, the capital of", "The city of {} lies in")),
            new Relation("language", "P37", "countries.tsv", "country", "language",
                    List.of("The official language of {} is", "In {}, people speak", "The language spoken in {} is",
                            "People in {} speak", "{}'s official language is"),
                    List.of("The main language of {} is", "In {}, the official language is")),
            new Relation("continent", "P30", "countries.tsv", "country", "continent",
                    List.of("{} is located in", "{} is a country in", "{} is part of the continent of",
                            "{} lies on the continent of", "The continent where {} is located is",
                            "{} belongs to the continent of", "The country {} is found in", "On the map, {} is in",
                            "{} sits on the continent of", "Geographically, {} is in"),
                    List.of("{} is a nation in", "{} is a country located in")),
            new Relation("currency", "P38", "countries.tsv", "country", "currency",
                    List.of("The currency of {} is the", "{}'s currency is the", "In {}, people pay with the",
                            "The official currency of {} is the", "The money used in {} is the",
                            "Prices in {} are given in the", "The national currency of {} is the",
                            "Shops in {} accept the", "{} pays in the", "The legal tender of {} is the"),
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
                            "{}'s place of birth is", "The place of birth of {} is",
                            "{} came into the world in", "{} was born and raised in", "The home town of {} is",
                            "{}'s home town is", "The city of birth of {} is", "{}'s life began in",
                            "{}'s city of birth is"),
                    List.of("{}'s birthplace is", "The city where {} was born is")),
            new Relation("field", "P101", "people.tsv", "person", "field",
                    List.of("{} worked in the field of", "{} is known for work in", "The field of work of {} is",
                            "{} made contributions to", "{}'s area of work was"),
                    List.of("{}'s field is", "{} is remembered for work in")),
            new Relation("instrument", "P1303", "people.tsv", "person", "instrument",
                    List.of("{} played the", "The instrument of {} is the", "{} is known for playing the",
                            "{}'s instrument was the", "{} performed on the",
                            "{} is famous for playing the", "On stage, {} played the", "{} mastered the",
                            "The musical instrument of {} was the", "{} was a virtuoso of the",
                            "The instrument that {} played was the"),
                    List.of("The instrument played by {} is the", "{} was a player of the")),
            new Relation("employer", "P108", "people.tsv", "person", "employer",
                    List.of("{} works for", "{} is employed by", "The employer of {} is", "{} is an employee of",
                            "{}'s employer is",
                            "{} has a job at", "{} is a staff member at", "{} is employed at",
                            "The company that employs {} is", "{} draws a salary from", "{} goes to work at",
                            "{}'s workplace is"),
                    List.of("{} works at", "{} is on the staff of")),
            new Relation("headquarters", "P159", "companies.tsv", "company", "headquarters",
                    List.of("The headquarters of {} are in", "{} is headquartered in", "{}'s head office is in",
                            "{} has its headquarters in", "The head office of {} is located in",
                            "{} is based in", "The main office of {} is in", "{} has its head office in",
                            "The headquarters city of {} is", "{}'s main office is located in",
                            "{} is run from the city of", "{}'s head office is located in the city of"),
                    List.of("{}'s headquarters are in", "The head office of {} is in the city of")),
            new Relation("company_country", "P17", "companies.tsv", "company", "country",
                    List.of("{} is a company from", "The country of origin of {} is", "{} is a corporation from",
                            "{} is a firm from", "{}'s home country is"),
                    List.of("{} is a business from", "The home country of {} is")),
            new Relation("founder", "P112", "companies.tsv", "company", "founder",
                    List.of("{} was founded by", "The founder of {} is", "{} was started by", "{} was established by",
                            "{}'s founder is",
                            "{} was created by", "The company {} was founded by", "The co-founder of {} is",
                            "{} was set up by", "{} was launched by", "The person behind {} is",
                            "{} owes its founding to"),
                    List.of("{} was co-founded by", "The person who founded {} is")),
            new Relation("industry", "P452", "companies.tsv", "company", "industry",
                    List.of("The industry of {} is", "{} operates in the industry of", "{} does business in",
                            "{} is active in the sector of", "{}'s main business is",
                            "{} works in the sector of", "{} is a firm in the industry of", "The business of {} is",
                            "{}'s industry is", "{} makes its money in", "{} belongs to the sector of",
                            "{} is known in the industry of"),
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
