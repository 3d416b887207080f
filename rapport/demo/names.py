"""Invented names for the demo business.

First and last names are drawn independently from short hand-written lists, so every person
in the demo is a random pairing rather than someone taken from a dataset. Organisation names
are made up too; contact details use reserved domains (``example.com`` and friends) and the
French numbering plan's ranges set aside for fiction.
"""

import random
import unicodedata

FIRST_NAMES = (
    "Adèle",
    "Agnieszka",
    "Aino",
    "Alba",
    "Aleksander",
    "Alice",
    "Amélie",
    "Anders",
    "Andrea",
    "Aniela",
    "Antoine",
    "Ariane",
    "Arjen",
    "Astrid",
    "Aurélien",
    "Baptiste",
    "Beatriz",
    "Benedikt",
    "Bianca",
    "Björn",
    "Bruno",
    "Carla",
    "Caspar",
    "Cécile",
    "Chiara",
    "Clément",
    "Colette",
    "Damien",
    "Daria",
    "Dávid",
    "Diego",
    "Dora",
    "Eamon",
    "Elif",
    "Elin",
    "Eliska",
    "Elodie",
    "Emil",
    "Enzo",
    "Esther",
    "Eva",
    "Fabian",
    "Fanny",
    "Filip",
    "Flora",
    "Florian",
    "Frida",
    "Gaspard",
    "Gemma",
    "Grégoire",
    "Greta",
    "Hana",
    "Hannes",
    "Helena",
    "Hugo",
    "Ida",
    "Ilona",
    "Inès",
    "Ioana",
    "Isak",
    "Ivana",
    "Jakob",
    "Jana",
    "Joana",
    "Jonas",
    "Josefine",
    "Jules",
    "Julia",
    "Karim",
    "Katarina",
    "Kasper",
    "Laia",
    "Lars",
    "Laure",
    "Léa",
    "Leon",
    "Lina",
    "Lorenzo",
    "Louise",
    "Luca",
    "Lucie",
    "Magnus",
    "Maja",
    "Malo",
    "Manon",
    "Marek",
    "Margot",
    "Marius",
    "Marta",
    "Mathis",
    "Matteo",
    "Maud",
    "Mehmet",
    "Mila",
    "Milan",
    "Mirela",
    "Nadia",
    "Nathan",
    "Nico",
    "Nina",
    "Noah",
    "Nora",
    "Océane",
    "Olaf",
    "Oskar",
    "Paloma",
    "Paul",
    "Pauline",
    "Petra",
    "Pia",
    "Quentin",
    "Rafael",
    "Rania",
    "Rasmus",
    "Rémi",
    "Rosa",
    "Ruben",
    "Sacha",
    "Salomé",
    "Samir",
    "Sander",
    "Selma",
    "Siobhan",
    "Simon",
    "Sven",
    "Tamara",
    "Teodor",
    "Thea",
    "Théo",
    "Tiago",
    "Tilde",
    "Timo",
    "Valentin",
    "Vera",
    "Victor",
    "Viktoria",
    "Wiebke",
    "Yann",
    "Yasmin",
    "Zofia",
    "Zoé",
)

LAST_NAMES = (
    "Aalto",
    "Abadie",
    "Albrecht",
    "Almeida",
    "Andersen",
    "Arnaud",
    "Aubert",
    "Bakker",
    "Balogh",
    "Barbier",
    "Bauer",
    "Benali",
    "Bergström",
    "Bertin",
    "Blanchet",
    "Bogdan",
    "Bonnet",
    "Borowski",
    "Brennan",
    "Brunel",
    "Calvet",
    "Carvalho",
    "Castells",
    "Chevalier",
    "Colombo",
    "Costa",
    "Courtois",
    "Dahl",
    "De Smet",
    "Delacroix",
    "Demir",
    "Dimitrov",
    "Dufour",
    "Duval",
    "Eklund",
    "Esposito",
    "Fabre",
    "Falk",
    "Ferrand",
    "Ferreira",
    "Fischer",
    "Fontaine",
    "Fournier",
    "Galli",
    "Garnier",
    "Gauthier",
    "Gomes",
    "Guerin",
    "Haas",
    "Hansen",
    "Hartmann",
    "Hedlund",
    "Hofer",
    "Horvat",
    "Jansen",
    "Janssens",
    "Jovanović",
    "Kaya",
    "Keller",
    "Kowalczyk",
    "Kovač",
    "Krüger",
    "Lambert",
    "Laurent",
    "Leblanc",
    "Lehmann",
    "Lemaire",
    "Lindqvist",
    "Lombardi",
    "Lopes",
    "Lund",
    "Maes",
    "Mancini",
    "Marchand",
    "Marin",
    "Martens",
    "Meier",
    "Mercier",
    "Meunier",
    "Moreau",
    "Moretti",
    "Mortensen",
    "Müller",
    "Navarro",
    "Nielsen",
    "Novák",
    "Nowak",
    "O'Connell",
    "Olsen",
    "Ortega",
    "Pająk",
    "Papadopoulos",
    "Pascal",
    "Pereira",
    "Perrin",
    "Petit",
    "Peeters",
    "Pires",
    "Popescu",
    "Quintin",
    "Renard",
    "Ricci",
    "Richter",
    "Rinaldi",
    "Rivière",
    "Rocha",
    "Roux",
    "Rusu",
    "Sandberg",
    "Santos",
    "Schmitt",
    "Schneider",
    "Serrano",
    "Silva",
    "Simonsen",
    "Sørensen",
    "Stoica",
    "Svoboda",
    "Szabó",
    "Tanguy",
    "Teixeira",
    "Thibault",
    "Tomić",
    "Vasseur",
    "Van Damme",
    "Van der Berg",
    "Vidal",
    "Vincent",
    "Vogel",
    "Wagner",
    "Weber",
    "Wieczorek",
    "Wouters",
    "Yilmaz",
    "Zając",
    "Zimmermann",
)

OFFICE_NAMES = (
    "Atelier Kessler Architectes",
    "Cabinet Moreau & Vidal Avocats",
    "Nordlys Software",
    "La Ruche Coworking",
    "Studio Pixelgrain",
    "Mutuelle des Artisans — Agence Centre",
    "Lumen Optique",
    "Fabre Immobilier",
    "Agence Rivière Communication",
    "Clinique Vétérinaire du Canal",
    "Orbital Games",
    "Cabinet Dentaire des Halles",
    "Helvetia Conseil",
    "Bureau d'études Hydrolis",
    "Verdi Traductions",
    "Polaris Assurances",
    "Maison de Santé Saint-Roch",
    "Tramontane Logistique",
    "Éditions du Pont Neuf",
    "Quadrant Expertise Comptable",
    "Blue Heron Analytics",
    "Collectif Fil Rouge",
)

CAFE_NAMES = (
    "Café des Tilleuls",
    "Le Comptoir du Marché",
    "Brasserie La Passerelle",
    "Kafé Nord",
    "Les Petites Tables",
    "Hôtel du Canal",
    "Bistrot Margaux",
    "La Guinguette du Quai",
    "Épicerie Fine Colline",
    "Café Velo",
)

STREETS = (
    "rue des Tanneurs",
    "rue du Four",
    "place du Marché",
    "quai des Bateliers",
    "avenue de la Gare",
    "rue Saint-Roch",
    "impasse des Tilleuls",
    "rue de la Monnaie",
    "boulevard du Canal",
    "rue des Jardins",
    "allée des Peupliers",
    "rue Haute",
)

TOWN = "Valmont"
POSTCODE = "69000"
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


def ascii_slug(text: str, sep: str = ".") -> str:
    """Lower-case ASCII form of a name for email local parts (``Zoé O'Connell`` → ``zoe.oconnell``)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = ["".join(ch for ch in word if ch.isalnum()) for word in plain.lower().split()]
    return sep.join(w for w in words if w)


class NameMaker:
    """Hands out mostly-unique person names, emails and phone numbers from one seeded stream.

    Uniqueness is tracked with sets that are only ever tested for membership, never iterated,
    so the output does not depend on Python's per-process string hashing.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._names: set[str] = set()
        self._emails: set[str] = set()
        self._phones: set[str] = set()

    def person(self) -> tuple[str, str]:
        """A new (first, last) pair; a repeat is tolerated after a few tries, as in real life."""
        for _ in range(4):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            if f"{first} {last}" not in self._names:
                break
        self._names.add(f"{first} {last}")
        return first, last

    def email(self, local: str, domain: str | None = None) -> str:
        domain = domain or self.rng.choice(EMAIL_DOMAINS)
        candidate = f"{local}@{domain}"
        n = 2
        while candidate in self._emails:
            candidate = f"{local}{n}@{domain}"
            n += 1
        self._emails.add(candidate)
        return candidate

    def person_email(self, first: str, last: str) -> str:
        style = self.rng.random()
        if style < 0.6:
            local = f"{ascii_slug(first)}.{ascii_slug(last, '')}"
        elif style < 0.85:
            local = f"{ascii_slug(first)[0]}{ascii_slug(last, '')}"
        else:
            local = f"{ascii_slug(first)}{self.rng.randint(70, 99)}"
        return self.email(local)

    def phone(self, mobile: bool = True) -> str:
        # 06 39 98 and 01 99 00 are reserved by ARCEP for fiction: never a real subscriber.
        prefix = "+33 6 39 98" if mobile else "+33 1 99 00"
        while True:
            number = f"{prefix} {self.rng.randint(0, 99):02d} {self.rng.randint(0, 99):02d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def address(self) -> str:
        return f"{self.rng.randint(1, 120)} {self.rng.choice(STREETS)}, {POSTCODE} {TOWN}"
