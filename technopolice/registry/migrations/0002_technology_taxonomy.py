"""The technology taxonomy every database starts with (test databases included).

The texts are frozen here on purpose: after this migration, administrators edit them in the
Django admin. Existing technologies (same slug) are left as they are.
"""

from django.db import migrations

# slug, position, name_fr, name_en, summary_fr, summary_en, stakes_fr, stakes_en, aliases
TECHNOLOGIES = [
    (
        "cctv",
        10,
        "Vidéosurveillance",
        "CCTV",
        "Caméras filmant l'espace public (la loi dit « vidéoprotection »), reliées à un centre de "
        "visionnage ou enregistrées pour être consultées après coup.",
        'Cameras filming public space (French law calls it "video protection"), watched live from a '
        "control room or recorded to be viewed afterwards.",
        "Des dizaines de milliers de caméras ont été installées avec l'argent public sans que leur "
        "efficacité ait été démontrée ; elles sont le socle sur lequel se branchent les logiciels "
        "d'analyse automatisée.",
        "Tens of thousands of cameras were paid for with public money without evidence that they work; "
        "they are the base on which automated analysis software is plugged.",
        "vidéosurveillance\nvidéoprotection\nvidéo-protection\ncaméras\ncaméra\ncameras\ncamera\nCCTV\n"
        "video surveillance\nvideo protection",
    ),
    (
        "urban-supervision-centres",
        20,
        "Centre de supervision urbain (CSU) et hyperviseurs",
        "Urban supervision centres and hypervisors",
        "Salle où des agents regardent les images des caméras d'une ville, et logiciels (VMS, "
        "hyperviseurs) qui centralisent et interconnectent ces flux vidéo et d'autres capteurs.",
        "Control rooms where staff watch a city's camera feeds, and the software (VMS, hypervisors) "
        "that centralises and interconnects those feeds and other sensors.",
        "Le CSU concentre les flux de toute une ville et les partage avec la police : c'est lui qui "
        "rend possible la surveillance en temps réel et l'ajout d'algorithmes.",
        "The centre gathers a whole city's feeds and shares them with the police: it makes real-time "
        "surveillance, and the addition of algorithms, possible.",
        "CSU\ncentre de supervision urbain\ncentre de supervision urbaine\nCSU-I\nhyperviseur\nVMS\n"
        "VMS - hyperviseur\nvideo management software\ninterconnexion vidéo\nurban supervision centre",
    ),
    (
        "algorithmic-video-surveillance",
        30,
        "Vidéosurveillance algorithmique (VSA)",
        "Algorithmic video surveillance",
        "Logiciels qui analysent automatiquement les images des caméras pour repérer des "
        "« comportements anormaux », des objets abandonnés, des mouvements de foule ou des véhicules.",
        'Software that automatically analyses camera images to flag "abnormal behaviour", abandoned '
        "objects, crowd movements or vehicles.",
        "La VSA transforme chaque caméra en dispositif de surveillance biométrique permanente qui "
        "définit la normalité ; autorisée à titre « expérimental » par la loi JO de 2023, elle se "
        "déploie aussi hors de tout cadre légal.",
        "It turns every camera into a permanent biometric surveillance device that defines what is "
        'normal; allowed "as an experiment" by the 2023 Olympics law, it also spreads outside any '
        "legal framework.",
        "VSA\nvidéosurveillance algorithmique\nVSA - traffic\nanalyse vidéo\nanalyse vidéo intelligente\n"
        "vidéo intelligente\nvidéoprotection intelligente\nvidéosurveillance automatisée\nvideo analytics\n"
        "algorithmic video surveillance",
    ),
    (
        "facial-recognition",
        40,
        "Reconnaissance faciale",
        "Facial recognition",
        "Identification ou authentification d'une personne par l'analyse de son visage, en direct sur "
        "des caméras ou après coup sur des photos et vidéos.",
        "Identifying or authenticating a person from their face, live on camera feeds or afterwards "
        "on photos and videos.",
        "Elle met fin à l'anonymat dans l'espace public ; déjà utilisée par la police sur les photos "
        "du fichier TAJ, elle est réclamée en temps réel par les industriels.",
        "It ends anonymity in public space; the police already use it on the photos of the TAJ file, "
        "and vendors lobby for its live use.",
        "reconnaissance faciale\nfacial recognition\nface recognition\nreconnaissance du visage",
    ),
    (
        "licence-plate-readers",
        50,
        "Lecture automatisée de plaques d'immatriculation (LAPI)",
        "Licence-plate readers (ANPR)",
        "Caméras qui lisent les plaques des véhicules qui passent et les comparent à des fichiers "
        "(véhicules volés, recherchés, non assurés, stationnement).",
        "Cameras that read the plates of passing vehicles and check them against files (stolen, "
        "wanted or uninsured vehicles, parking).",
        "Chaque passage est enregistré : les déplacements de tous les automobilistes deviennent "
        "traçables, bien au-delà des véhicules recherchés.",
        "Every passage is recorded: the movements of every driver become traceable, far beyond the "
        "vehicles actually wanted.",
        "LAPI\nlecture automatisée de plaques d'immatriculation\nlecture de plaques\nANPR\nALPR\nLPR\n"
        "licence-plate reader",
    ),
    (
        "drones",
        60,
        "Drones",
        "Drones",
        "Aéronefs sans pilote équipés de caméras (parfois thermiques ou à zoom puissant), utilisés par "
        "la police et la gendarmerie pour surveiller manifestations, quartiers ou frontières.",
        "Unmanned aircraft with cameras (sometimes thermal or with powerful zoom) used by police and "
        "gendarmerie to watch demonstrations, neighbourhoods or borders.",
        "Mobiles, discrets et capables de filmer partout, y compris chez soi, ils ont été utilisés "
        "sans base légale jusqu'à ce que le Conseil d'État et la CNIL y mettent un coup d'arrêt en "
        "2020-2021, avant d'être autorisés par la loi.",
        "Mobile, discreet and able to film anywhere, homes included, they were flown without legal "
        "basis until the Conseil d'État and the CNIL stopped them in 2020-2021, before a law "
        "authorised them.",
        "drone\ndrones\naéronef sans pilote\nUAV",
    ),
    (
        "audio-sensors",
        70,
        "Capteurs sonores",
        "Audio sensors",
        "Micros installés dans la rue pour détecter automatiquement des sons jugés suspects (cris, "
        "coups de feu, vitres brisées) et alerter la police.",
        "Microphones placed in the street to automatically detect sounds deemed suspicious (screams, "
        "gunshots, breaking glass) and alert the police.",
        "Ils écoutent en permanence l'espace public ; à Saint-Étienne en 2019, la CNIL a averti la "
        "ville que le projet était illégal et il a été abandonné.",
        "They listen to public space all the time; in Saint-Étienne in 2019 the CNIL warned the city "
        "that the project was unlawful, and it was dropped.",
        "capteurs sonores\ncapteurs audio\nmicros\nmicrophones\ndétection sonore\naudio sensors",
    ),
    (
        "predictive-policing",
        80,
        "Police prédictive",
        "Predictive policing",
        "Logiciels qui prétendent prévoir où et quand des délits auront lieu, à partir des données "
        "passées de la police, pour orienter les patrouilles.",
        "Software that claims to predict where and when crimes will happen, from past police data, "
        "to direct patrols.",
        "Nourris des biais des contrôles passés, ils renvoient la police là où elle est déjà, "
        "renforcent les discriminations et échappent à tout contrôle démocratique.",
        "Fed by the biases of past policing, they send the police where it already is, reinforce "
        "discrimination and escape democratic oversight.",
        "police prédictive\npredictive policing\nprédiction de la délinquance",
    ),
    (
        "police-files",
        90,
        "Fichiers de police (TAJ, TES...)",
        "Police files (TAJ, TES...)",
        "Bases de données nationales de la police et de l'État : antécédents judiciaires (TAJ), "
        "titres d'identité avec photos et empreintes (TES), personnes recherchées (FPR), empreintes "
        "digitales (FAED) et génétiques (FNAEG).",
        "National police and state databases: criminal records (TAJ), identity documents with photos "
        "and fingerprints (TES), wanted persons (FPR), fingerprints (FAED) and DNA (FNAEG).",
        "Ils fichent des millions de personnes, y compris des victimes et des personnes jamais "
        "condamnées, et servent de base à la reconnaissance faciale.",
        "They hold millions of people, including victims and people never convicted, and feed facial "
        "recognition.",
        "TAJ\nTES\nFPR\nFAED\nFNAEG\nfichiers de police\nfichier de police\npolice files",
    ),
    (
        "biometrics",
        100,
        "Biométrie et analyse des corps",
        "Biometrics and body analysis",
        "Technologies qui mesurent les corps : estimation de l'âge ou du genre, détection d'émotions, "
        "reconnaissance de la démarche, empreintes, iris.",
        "Technologies that measure bodies: age or gender estimation, emotion detection, gait "
        "recognition, fingerprints, iris.",
        "Elles prétendent lire les personnes à partir de leur corps, avec des erreurs qui frappent "
        "d'abord les plus vulnérables, et banalisent la collecte de données sensibles.",
        "They claim to read people from their bodies, with errors that hit the most vulnerable "
        "first, and make the collection of sensitive data ordinary.",
        "biométrie\nbiometrics\nestimation de l'âge\nage estimation\ndétection d'émotions\nreconnaissance "
        "de la démarche",
    ),
    (
        "safe-city",
        110,
        "Plateformes « Safe city »",
        '"Safe city" platforms',
        "Projets qui relient caméras, capteurs et bases de données d'une ville dans une plateforme "
        "unique vendue par un industriel, au nom de la « ville intelligente » et de la sécurité.",
        "Projects that join a city's cameras, sensors and databases in one platform sold by a vendor, "
        'in the name of the "smart city" and security.',
        "Elles fusionnent des données de toute origine pour surveiller la ville entière et rendent la "
        "collectivité dépendante d'un industriel, parfois étranger.",
        "They merge data of every origin to watch the whole city and make the council dependent on "
        "one vendor, sometimes a foreign one.",
        "Safe city\nsafe city\nville sûre\nsmart city sécuritaire\nobservatoire big data de la tranquillité "
        "publique",
    ),
    (
        "automated-fines",
        120,
        "Vidéo-verbalisation et verbalisation électronique",
        "Camera-based and electronic fines",
        "Amendes dressées à distance à partir des images de caméras, ou par des appareils et logiciels "
        "de verbalisation électronique.",
        "Fines issued remotely from camera images, or with electronic ticketing devices and software.",
        "Elle sert souvent de justification financière à l'extension des réseaux de caméras et "
        "automatise la sanction sans contact humain.",
        "It often serves as the financial case for extending camera networks, and automates "
        "punishment without human contact.",
        "vidéo verbalisation\nvidéo-verbalisation\nvidéoverbalisation\nverbalisation électronique\n"
        "verbalisation automatisée",
    ),
    (
        "imsi-catchers",
        130,
        "IMSI-catchers",
        "IMSI catchers",
        "Fausses antennes relais qui forcent les téléphones alentour à s'y connecter, pour les "
        "identifier, les localiser ou intercepter leurs communications.",
        "Fake cell towers that make nearby phones connect to them, to identify, locate or intercept them.",
        "Elles captent indistinctement tous les téléphones d'un lieu, par exemple d'une manifestation.",
        "They capture every phone in a place without distinction, a demonstration for instance.",
        "IMSI Catchers\nIMSI-catcher\nIMSI catcher\nfausse antenne relais",
    ),
    (
        "investigation-software",
        140,
        "Extraction de téléphones et logiciels d'investigation",
        "Phone extraction and investigation software",
        "Outils qui aspirent le contenu des téléphones saisis et logiciels qui croisent des masses de "
        "données (fichiers, réseaux sociaux, téléphonie) pour les enquêtes.",
        "Tools that copy the content of seized phones, and software that cross-references masses of "
        "data (files, social networks, phone records) for investigations.",
        "Ils donnent accès à toute la vie numérique d'une personne et poussent à la collecte massive, "
        "avec peu de contrôle.",
        "They open a person's whole digital life and push towards mass collection, with little oversight.",
        "exploitation téléphone portable\nextraction de téléphone\nlogiciel d'investigation\n"
        "logiciels d'investigation\ninvestigation software\nphone extraction",
    ),
]
FIELDS = [
    "slug",
    "position",
    "name_fr",
    "name_en",
    "summary_fr",
    "summary_en",
    "stakes_fr",
    "stakes_en",
    "aliases",
]


def create_taxonomy(apps, schema_editor):
    Technology = apps.get_model("registry", "Technology")
    for values in TECHNOLOGIES:
        data = dict(zip(FIELDS, values, strict=True))
        Technology.objects.get_or_create(slug=data.pop("slug"), defaults=data)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    # Reversing keeps the rows: administrators may have edited them and dossiers point to them.
    operations = [migrations.RunPython(create_taxonomy, migrations.RunPython.noop)]
