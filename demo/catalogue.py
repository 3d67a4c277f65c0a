"""The national picture the demo builds: real systems, synthetic pharmacies."""

from statuspage.models import Nation, Supplier

E, S, W, NI = Nation.ENGLAND, Nation.SCOTLAND, Nation.WALES, Nation.NORTHERN_IRELAND

NATIONAL_SERVICES = [
    (
        "Electronic Prescription Service (NHS Spine)",
        "eps-spine",
        "Receives prescriptions from GP practices and holds them until a pharmacy downloads them.",
    ),
    ("Prescription tracker", "prescription-tracker", "Lets GP practices and pharmacies see where a prescription is."),
    ("Personal Demographics Service", "personal-demographics-service", "Looks up each patient's nominated pharmacy."),
]

# (vendor, system, slug, kind, topology, nations, share of pharmacies or practices)
SUPPLIERS = [
    ("Cegedim", "Pharmacy Manager", "cegedim-pharmacy-manager", Supplier.Kind.PHARMACY, "central", [E, S, W, NI], 30),
    ("EMIS", "ProScript Connect", "emis-proscript-connect", Supplier.Kind.PHARMACY, "central", [E, S, W, NI], 30),
    ("Positive Solutions", "Analyst", "positive-solutions-analyst", Supplier.Kind.PHARMACY, "per_site", [E, W], 12),
    ("Invatech", "Titan", "invatech-titan", Supplier.Kind.PHARMACY, "central", [E, W], 15),
    ("Apotec", "Apotec CRM", "apotec", Supplier.Kind.PHARMACY, "central", [E, NI], 13),
    ("EMIS", "EMIS Web", "emis-web", Supplier.Kind.GP, "central", [E, S, W, NI], 50),
    ("TPP", "SystmOne", "tpp-systmone", Supplier.Kind.GP, "central", [E, W], 35),
    ("Cegedim", "Vision", "cegedim-vision", Supplier.Kind.GP, "central", [E, S, W, NI], 10),
    ("Medicus Health", "Medicus", "medicus", Supplier.Kind.GP, "central", [S], 5),
]

PHARMACY_COUNT = {E: 210, S: 40, W: 30, NI: 20}
PRACTICE_COUNT = {E: 80, S: 20, W: 12, NI: 8}

# Postcode districts and their towns, by nation.
TOWNS = {
    E: [
        ("LS1", "Leeds"),
        ("LS6", "Leeds"),
        ("M1", "Manchester"),
        ("M14", "Manchester"),
        ("B1", "Birmingham"),
        ("B15", "Birmingham"),
        ("NE1", "Newcastle upon Tyne"),
        ("BS1", "Bristol"),
        ("SE1", "London"),
        ("N1", "London"),
        ("E1", "London"),
        ("L1", "Liverpool"),
        ("S1", "Sheffield"),
        ("NG1", "Nottingham"),
        ("LE1", "Leicester"),
        ("CB1", "Cambridge"),
        ("OX1", "Oxford"),
        ("PL1", "Plymouth"),
        ("EX1", "Exeter"),
        ("YO1", "York"),
        ("HU1", "Hull"),
        ("NR1", "Norwich"),
    ],
    S: [
        ("EH1", "Edinburgh"),
        ("EH3", "Edinburgh"),
        ("G1", "Glasgow"),
        ("G12", "Glasgow"),
        ("AB10", "Aberdeen"),
        ("DD1", "Dundee"),
        ("IV1", "Inverness"),
        ("KY1", "Kirkcaldy"),
    ],
    W: [
        ("CF10", "Cardiff"),
        ("CF24", "Cardiff"),
        ("SA1", "Swansea"),
        ("LL57", "Bangor"),
        ("NP20", "Newport"),
        ("SY23", "Aberystwyth"),
    ],
    NI: [("BT1", "Belfast"), ("BT7", "Belfast"), ("BT9", "Belfast"), ("BT48", "Derry"), ("BT60", "Armagh")],
}
STREETS = [
    "High Street",
    "Station Road",
    "Church Street",
    "Market Place",
    "Park Road",
    "London Road",
    "Victoria Road",
    "Queen Street",
    "King Street",
    "Mill Lane",
    "The Parade",
    "Bridge Street",
]
PHARMACY_NAMES = [
    "{street} Pharmacy",
    "{town} Chemist",
    "{street} Chemists",
    "Community Pharmacy {town}",
    "{town} Health Pharmacy",
    "Village Pharmacy",
    "Medicine Chest {town}",
    "{street} Dispensary",
]
PRACTICE_NAMES = [
    "{street} Surgery",
    "{town} Medical Centre",
    "{street} Health Centre",
    "The {town} Practice",
    "{street} Family Practice",
]
# Letters used in real inward codes (not C, I, K, M, O or V).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# GP ODS codes start with a letter for the region; these stand in for each nation.
PRACTICE_PREFIX = {E: "ABCDFGHJKLMNP", S: "S", W: "W", NI: "Z"}
