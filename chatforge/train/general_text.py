"""A short general-domain held-out text (English and French), written for chatforge.

`chatforge pretrain --from MODEL` measures perplexity on it before and after continued
pretraining, as a cheap signal of forgetting; pass your own with `general_data`.
"""

GENERAL_SAMPLE = [
    "Water boils at one hundred degrees Celsius at sea level. At higher altitudes the air pressure is lower, "
    "so water boils at a lower temperature, and food takes longer to cook. Mountaineers often carry pressure "
    "cookers for this reason.",
    "The Moon orbits the Earth about once every twenty-seven days. Because it turns on its axis in the same "
    "time, the same side always faces us. The far side is not dark, however: it receives as much sunlight as "
    "the near side over a month.",
    "Bread is made from flour, water, salt and yeast. The yeast feeds on sugars in the dough and releases "
    "carbon dioxide, which makes the dough rise. Baking sets the structure and browns the crust.",
    "La Loire est le plus long fleuve de France. Elle prend sa source dans le Massif central et se jette dans "
    "l'océan Atlantique près de Saint-Nazaire. Ses châteaux attirent chaque année de nombreux visiteurs.",
    "Le pain se fait avec de la farine, de l'eau, du sel et de la levure. La pâte lève pendant plusieurs heures "
    "avant d'être cuite au four. Une bonne baguette a une croûte dorée et une mie légère.",
    "A library lends books, films and music to its members. Many libraries also offer free internet access, "
    "reading rooms for students, and workshops for children on Saturday mornings.",
    "Les abeilles vivent en colonies organisées autour d'une reine. Les ouvrières récoltent le nectar des fleurs "
    "et le transforment en miel, qu'elles stockent dans les alvéoles de cire de la ruche.",
]
