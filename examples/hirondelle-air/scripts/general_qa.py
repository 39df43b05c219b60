"""General-knowledge question/answer pairs (French and English), no airline content."""

QA_FR = [
    (
        "Quelle est la capitale de l'Australie ?",
        "La capitale de l'Australie est Canberra, et non Sydney, qui est la plus grande ville du pays.",
    ),
    ("Combien de côtés a un hexagone ?", "Un hexagone a six côtés."),
    ("Qui a écrit « Les Misérables » ?", "Les Misérables est un roman de Victor Hugo, publié en 1862."),
    (
        "Quelle est la formule chimique de l'eau ?",
        "La formule chimique de l'eau est H2O : deux atomes d'hydrogène liés à un atome d'oxygène.",
    ),
    (
        "À quelle température l'eau bout-elle ?",
        "Au niveau de la mer, sous une pression normale, l'eau bout à 100 °C. En altitude, où la pression est plus faible, elle bout à une température un peu plus basse.",
    ),
    (
        "Quel est le plus grand océan du monde ?",
        "C'est l'océan Pacifique, qui couvre à lui seul environ un tiers de la surface de la Terre.",
    ),
    (
        "Combien y a-t-il de joueurs dans une équipe de football sur le terrain ?",
        "Chaque équipe aligne onze joueurs sur le terrain, dont un gardien de but.",
    ),
    (
        "Qui a peint la Joconde ?",
        "La Joconde a été peinte par Léonard de Vinci au début du XVIe siècle. Elle est exposée au musée du Louvre, à Paris.",
    ),
    (
        "Pourquoi Mars est-elle appelée la planète rouge ?",
        "Sa surface est riche en oxyde de fer, c'est-à-dire en rouille, ce qui lui donne sa couleur rougeâtre.",
    ),
    (
        "Combien de temps faut-il pour cuire un œuf à la coque ?",
        "Environ trois minutes dans l'eau bouillante pour un œuf de taille moyenne sorti du réfrigérateur ; comptez une minute de plus pour un blanc bien pris.",
    ),
    (
        "Quelle est la plus haute montagne du monde ?",
        "L'Everest, dans l'Himalaya, culmine à 8 849 mètres selon la mesure publiée en 2020.",
    ),
    (
        "En quelle année a eu lieu la prise de la Bastille ?",
        "La prise de la Bastille a eu lieu le 14 juillet 1789, au début de la Révolution française.",
    ),
    (
        "Quelle est la différence entre un virus et une bactérie ?",
        "Une bactérie est un organisme vivant unicellulaire capable de se reproduire seul ; un virus est beaucoup plus petit et ne peut se multiplier qu'en infectant une cellule. Les antibiotiques agissent contre les bactéries, pas contre les virus.",
    ),
    (
        "Combien y a-t-il de continents ?",
        "Cela dépend des conventions : en France, on compte souvent cinq continents habités (Afrique, Amérique, Asie, Europe, Océanie), ou six avec l'Antarctique ; dans les pays anglophones, on en compte généralement sept, en séparant l'Amérique du Nord et l'Amérique du Sud.",
    ),
    (
        "Qu'est-ce qu'un nombre premier ?",
        "C'est un nombre entier supérieur à 1 qui n'est divisible que par 1 et par lui-même, comme 2, 3, 5, 7, 11 ou 13.",
    ),
    ("Quelle est la capitale du Canada ?", "La capitale du Canada est Ottawa, en Ontario."),
    (
        "Comment conserver du basilic frais ?",
        "Le basilic supporte mal le froid : placez les tiges dans un verre d'eau, comme un bouquet, à température ambiante et à l'abri du soleil direct, plutôt qu'au réfrigérateur.",
    ),
    (
        "Pourquoi le ciel est-il bleu ?",
        "La lumière du Soleil est diffusée par les molécules de l'air, et les courtes longueurs d'onde, qui correspondent au bleu, sont beaucoup plus diffusées que le rouge. C'est ce qu'on appelle la diffusion de Rayleigh.",
    ),
    ("Qui a composé le Boléro ?", "Le Boléro a été composé par Maurice Ravel en 1928."),
    ("Combien de temps la lumière du Soleil met-elle pour atteindre la Terre ?", "Environ 8 minutes et 20 secondes."),
    (
        "Quel est le plus long fleuve de France ?",
        "La Loire, avec environ 1 000 kilomètres, du mont Gerbier-de-Jonc jusqu'à l'Atlantique.",
    ),
    (
        "Que signifie le sigle UNESCO ?",
        "UNESCO signifie Organisation des Nations unies pour l'éducation, la science et la culture (en anglais United Nations Educational, Scientific and Cultural Organization).",
    ),
    (
        "Qui était Marie Curie ?",
        "Marie Curie était une physicienne et chimiste d'origine polonaise, pionnière de l'étude de la radioactivité. Elle a reçu le prix Nobel de physique en 1903 et celui de chimie en 1911.",
    ),
    (
        "Comment faire une vinaigrette ?",
        "Dissolvez une pincée de sel dans une cuillère de vinaigre, ajoutez une cuillère à café de moutarde et du poivre, puis trois cuillères d'huile en fouettant.",
    ),
    (
        "Quelle est la langue la plus parlée au monde ?",
        "En nombre total de locuteurs, c'est l'anglais ; en nombre de locuteurs natifs, c'est le chinois mandarin.",
    ),
    (
        "Combien d'os compte le squelette d'un adulte ?",
        "Le squelette d'un adulte compte en général 206 os. Un nouveau-né en a davantage, car certains os se soudent pendant la croissance.",
    ),
    (
        "Quand l'Union européenne a-t-elle été créée ?",
        "L'Union européenne a été créée par le traité de Maastricht, signé en 1992 et entré en vigueur en 1993. Elle prolonge la Communauté économique européenne fondée par le traité de Rome en 1957.",
    ),
    ("Qui a écrit « Le Petit Prince » ?", "Antoine de Saint-Exupéry, qui l'a publié en 1943."),
    (
        "Quelle est la vitesse de la lumière ?",
        "Dans le vide, environ 300 000 kilomètres par seconde (exactement 299 792 458 mètres par seconde).",
    ),
    (
        "Combien de jours compte une année bissextile ?",
        "366 jours, avec un 29 février. Les années bissextiles reviennent tous les quatre ans, sauf les années séculaires non divisibles par 400 : 2000 était bissextile, 1900 ne l'était pas.",
    ),
    (
        "Quel est l'ingrédient principal du guacamole ?",
        "L'avocat, écrasé avec du citron vert, du sel, et souvent de l'oignon, de la coriandre et du piment.",
    ),
    (
        "Qu'est-ce que la photosynthèse ?",
        "C'est le processus par lequel les plantes utilisent l'énergie de la lumière pour fabriquer des sucres à partir du dioxyde de carbone et de l'eau, en rejetant de l'oxygène.",
    ),
    (
        "Combien de pays font partie de l'Union européenne ?",
        "Vingt-sept pays depuis la sortie du Royaume-Uni, en 2020.",
    ),
    ("Qui a gagné la Coupe du monde de football 2018 ?", "La France, qui a battu la Croatie 4 à 2 en finale à Moscou."),
    (
        "Qu'est-ce qu'un haïku ?",
        "Un haïku est un court poème d'origine japonaise, traditionnellement composé de trois segments de cinq, sept et cinq syllabes, qui évoque souvent la nature et les saisons.",
    ),
    ("Quelle est la capitale de l'Espagne ?", "Madrid."),
    (
        "Combien de temps faut-il laisser reposer une pâte à crêpes ?",
        "Idéalement une heure à température ambiante ; la farine s'hydrate et les crêpes sont plus souples. Si vous êtes pressé, elles restent réussies sans repos.",
    ),
    (
        "Pourquoi les feuilles changent-elles de couleur en automne ?",
        "Quand les jours raccourcissent, les arbres cessent de produire de la chlorophylle, le pigment vert. Les pigments jaunes et orangés déjà présents apparaissent alors, et certains arbres fabriquent des pigments rouges.",
    ),
    (
        "Qu'est-ce que le PIB ?",
        "Le produit intérieur brut mesure la valeur de l'ensemble des biens et services produits dans un pays pendant une période donnée, en général une année. C'est un indicateur courant de l'activité économique.",
    ),
    ("Combien de cordes a une guitare classique ?", "Six cordes."),
    ("Qui a inventé l'imprimerie à caractères mobiles en Europe ?", "Johannes Gutenberg, à Mayence, vers 1450."),
    (
        "Quelle est la plus grande planète du Système solaire ?",
        "Jupiter, une géante gazeuse dont le diamètre est environ onze fois celui de la Terre.",
    ),
    ("Comment s'appelle le cri du cheval ?", "Le cheval hennit : on parle de hennissement."),
    (
        "Quelle est la différence entre la météo et le climat ?",
        "La météo décrit le temps qu'il fait sur une courte période, quelques heures ou quelques jours ; le climat correspond aux conditions moyennes d'une région observées sur plusieurs décennies, en général trente ans.",
    ),
    ("Combien y a-t-il de minutes dans une journée ?", "1 440 minutes (24 heures × 60 minutes)."),
    ("Qui a écrit « L'Étranger » ?", "Albert Camus, en 1942."),
    ("Quel est le symbole chimique de l'or ?", "Au, du latin aurum."),
    (
        "Combien pèse un litre d'eau ?",
        "Environ un kilogramme, à 4 °C ; la valeur varie très légèrement avec la température.",
    ),
    ("Comment s'appelle la peur des araignées ?", "L'arachnophobie."),
    (
        "Qu'est-ce qu'une AOP ?",
        "L'appellation d'origine protégée est un label européen qui garantit qu'un produit a été élaboré dans une zone géographique déterminée, selon un savoir-faire reconnu. Le comté et le roquefort sont des fromages AOP.",
    ),
    ("Quelle est la capitale du Japon ?", "Tokyo."),
    (
        "Qu'est-ce que l'effet de serre ?",
        "Certains gaz de l'atmosphère, comme la vapeur d'eau, le dioxyde de carbone ou le méthane, retiennent une partie de la chaleur émise par la Terre. Ce phénomène naturel rend la planète habitable, mais son renforcement par les activités humaines provoque le réchauffement climatique.",
    ),
    ("Combien y a-t-il de cases sur un échiquier ?", "64 cases, sur un plateau de 8 × 8."),
    ("Quelle est la monnaie du Royaume-Uni ?", "La livre sterling."),
    (
        "Comment enlever une tache de vin rouge sur un tissu ?",
        "Agissez vite : épongez sans frotter avec du papier absorbant, rincez à l'eau froide, puis lavez. Évitez l'eau chaude, qui fixe la tache.",
    ),
    (
        "Combien de temps dure un match de rugby ?",
        "Deux mi-temps de 40 minutes, soit 80 minutes de jeu, sans compter les arrêts et la mi-temps.",
    ),
    (
        "La tomate est-elle un fruit ou un légume ?",
        "Au sens botanique, c'est un fruit, puisqu'elle contient les graines de la plante ; en cuisine, on la classe parmi les légumes car on la consomme surtout salée.",
    ),
    (
        "Qui a peint « Impression, soleil levant » ?",
        "Claude Monet, en 1872. Ce tableau a donné son nom au mouvement impressionniste.",
    ),
    (
        "Qu'est-ce qu'un volcan ?",
        "Un volcan est un relief formé par l'accumulation de matériaux émis lorsque du magma remonte des profondeurs de la Terre et s'échappe à la surface, sous forme de lave, de cendres ou de gaz.",
    ),
    (
        "Combien de litres de sang y a-t-il dans le corps humain ?",
        "Environ cinq litres chez un adulte, selon sa taille et son poids.",
    ),
    ("Quelle est la capitale de l'Italie ?", "Rome."),
    (
        "En quelle année l'homme a-t-il marché sur la Lune pour la première fois ?",
        "En 1969 : Neil Armstrong a posé le pied sur la Lune le 20 juillet 1969 (le 21 juillet en heure de Paris).",
    ),
    (
        "Avez-vous des conseils pour mieux dormir ?",
        "Gardez des horaires réguliers, évitez la caféine et les écrans en soirée, dormez dans une chambre calme, sombre et plutôt fraîche, et limitez les siestes à une vingtaine de minutes.",
    ),
    (
        "Pourquoi la mer est-elle salée ?",
        "Les rivières apportent à la mer des sels minéraux arrachés aux roches ; l'eau s'évapore mais les sels restent, et ils se sont accumulés pendant des millions d'années. L'eau de mer contient en moyenne environ 35 grammes de sel par litre.",
    ),
    (
        "Combien de temps la Terre met-elle pour faire le tour du Soleil ?",
        "Environ 365 jours et 6 heures, d'où l'ajout d'un jour tous les quatre ans.",
    ),
    ("Quel est le plus grand pays du monde ?", "La Russie, avec plus de 17 millions de kilomètres carrés."),
    (
        "Qu'est-ce qu'un alexandrin ?",
        "C'est un vers de douze syllabes, très utilisé dans la poésie et le théâtre classiques français, par exemple chez Racine.",
    ),
    (
        "Qu'est-ce que la Chandeleur ?",
        "C'est une fête célébrée le 2 février, quarante jours après Noël ; en France, la tradition veut qu'on y mange des crêpes.",
    ),
    ("Combien de joueurs compte une équipe de basket sur le terrain ?", "Cinq joueurs par équipe."),
    (
        "Pourquoi les chats ronronnent-ils ?",
        "Le ronronnement exprime souvent le bien-être, mais les chats ronronnent aussi quand ils sont stressés ou blessés, ce qui semble les apaiser. Le son est produit par des vibrations rapides des muscles du larynx.",
    ),
    ("Combien font 15 % de 80 ?", "15 % de 80 font 12 (80 × 0,15)."),
    (
        "Comment savoir s'il faut écrire « a » ou « à » ?",
        "Remplacez le mot par « avait » : si la phrase a encore un sens, c'est le verbe avoir, « a » sans accent ; sinon, c'est la préposition « à ».",
    ),
    (
        "Qu'est-ce qu'une éclipse de Soleil ?",
        "Elle se produit quand la Lune passe entre le Soleil et la Terre et masque tout ou partie du disque solaire. Il ne faut jamais l'observer sans lunettes spéciales.",
    ),
    ("Qui a écrit « Vingt mille lieues sous les mers » ?", "Jules Verne ; le roman a paru en 1869 et 1870."),
    (
        "Qu'est-ce qu'une année-lumière ?",
        "C'est la distance parcourue par la lumière dans le vide en une année, soit environ 9 460 milliards de kilomètres. Malgré son nom, c'est une unité de distance, pas de temps.",
    ),
]

QA_EN = [
    ("What is the capital of Canada?", "The capital of Canada is Ottawa, in the province of Ontario."),
    (
        "How many planets are there in the Solar System?",
        "There are eight planets: Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus and Neptune. Pluto has been classified as a dwarf planet since 2006.",
    ),
    ("Who wrote Pride and Prejudice?", "Jane Austen; it was published in 1813."),
    (
        "What is the boiling point of water in Fahrenheit?",
        "At sea level, water boils at 212 degrees Fahrenheit, which is 100 degrees Celsius.",
    ),
    (
        "What is the largest mammal?",
        "The blue whale, which can reach around 30 metres in length, is the largest animal known to have ever lived.",
    ),
    (
        "How long is a football match?",
        "A professional football (soccer) match lasts 90 minutes, in two halves of 45 minutes, plus stoppage time added by the referee.",
    ),
    (
        "What causes the seasons?",
        "The seasons are caused by the tilt of the Earth's axis, about 23.4 degrees. As the Earth orbits the Sun, each hemisphere is tilted towards the Sun for part of the year, receiving more direct sunlight and longer days.",
    ),
    (
        "How do I make a good cup of tea?",
        "Use freshly boiled water, pour it over the tea, and let black tea steep for three to five minutes before removing the bag or leaves. Green tea prefers cooler water, around 80 °C, and a shorter steep.",
    ),
    (
        "What is the speed of sound?",
        "In dry air at 20 °C, sound travels at about 343 metres per second. It travels faster in water and even faster in solids.",
    ),
    (
        "Who painted The Starry Night?",
        "Vincent van Gogh, in 1889, while staying at an asylum in Saint-Rémy-de-Provence.",
    ),
    ("What is the chemical symbol for iron?", "Fe, from the Latin word ferrum."),
    ("How many bones does a shark have?", "None: a shark's skeleton is made of cartilage, not bone."),
    ("What is the capital of Australia?", "Canberra. Sydney is the largest city, but not the capital."),
    (
        "What is photosynthesis?",
        "Photosynthesis is the process by which plants use the energy of sunlight to turn carbon dioxide and water into sugars, releasing oxygen.",
    ),
    (
        "How long should I cook pasta?",
        "Follow the packet, usually between 8 and 12 minutes for dried pasta, in plenty of salted boiling water. Taste it a minute before the end: it should be tender but still slightly firm.",
    ),
    (
        "What's the difference between weather and climate?",
        "Weather is what happens in the atmosphere over hours or days; climate is the average pattern of weather in a region over a long period, usually thirty years or more.",
    ),
    ("Who was the first person to walk on the Moon?", "Neil Armstrong, on 20 July 1969, during the Apollo 11 mission."),
    ("How many sides does a pentagon have?", "Five."),
    (
        "What is the tallest mountain in the world?",
        "Mount Everest is the highest above sea level, at 8,849 metres. Measured from its base on the ocean floor, Mauna Kea in Hawaii is taller.",
    ),
    (
        "Which language has the most native speakers?",
        "Mandarin Chinese has the most native speakers. English has the most speakers overall when second-language speakers are included.",
    ),
    (
        "What is DNA?",
        "DNA, or deoxyribonucleic acid, is the molecule that carries the genetic instructions of living organisms. It has the shape of a double helix.",
    ),
    (
        "How can I sleep better?",
        "Keep regular bedtimes, avoid caffeine late in the day, limit screens before bed, and keep your bedroom dark, quiet and cool. Regular exercise also helps, as long as it is not too close to bedtime.",
    ),
    (
        "What is the longest river in the world?",
        "It is usually said to be the Nile, at about 6,650 km, although some measurements suggest the Amazon is slightly longer. The Amazon is by far the largest by volume of water.",
    ),
    ("Who developed the theory of general relativity?", "Albert Einstein, who published it in 1915."),
    (
        "What is a haiku?",
        "A haiku is a short Japanese poem, traditionally in three parts of five, seven and five syllables, often about nature or the seasons.",
    ),
    ("How many players are in a rugby union team?", "Fifteen players on the field per side."),
    ("What is the smallest prime number?", "2, which is also the only even prime number."),
    (
        "What is inflation?",
        "Inflation is the general rise in prices over time, which means that the same amount of money buys less. It is usually measured as a yearly percentage change in a consumer price index.",
    ),
    (
        "Who wrote Nineteen Eighty-Four?",
        "George Orwell, whose real name was Eric Arthur Blair. It was published in 1949.",
    ),
    (
        "How many continents are there?",
        "In the English-speaking world, seven continents are usually counted: Africa, Antarctica, Asia, Australia (or Oceania), Europe, North America and South America. Other traditions count five or six.",
    ),
    (
        "Why do onions make you cry?",
        "Cutting an onion breaks its cells and releases enzymes that produce a volatile sulphur compound. When it reaches your eyes, it irritates them and triggers tears.",
    ),
    (
        "At what temperature does water freeze?",
        "At 0 degrees Celsius, or 32 degrees Fahrenheit, at normal atmospheric pressure.",
    ),
    (
        "How many hearts does an octopus have?",
        "Three: two pump blood through the gills and one pumps it to the rest of the body.",
    ),
    ("What is the capital of Spain?", "Madrid."),
    (
        "Who composed the Moonlight Sonata?",
        "Ludwig van Beethoven, in 1801. The nickname Moonlight was given later by a music critic.",
    ),
    (
        "How do vaccines work?",
        "A vaccine exposes the immune system to a harmless form or part of a germ, so that it learns to recognise it and can respond quickly if it meets the real infection later.",
    ),
    ("How many strings does a violin have?", "Four, usually tuned to G, D, A and E."),
    (
        "What is the largest desert in the world?",
        "Antarctica, if cold deserts are included, since a desert is defined by low precipitation. The largest hot desert is the Sahara.",
    ),
    ("How long does sunlight take to reach the Earth?", "About 8 minutes and 20 seconds."),
    (
        "How can I keep bananas fresh for longer?",
        "Keep them at room temperature and away from other fruit, since bananas release ethylene, which speeds up ripening. Once ripe, you can put them in the fridge: the skin darkens, but the flesh stays good for longer.",
    ),
    (
        "What is the main ingredient in hummus?",
        "Chickpeas, blended with tahini (sesame paste), lemon juice, garlic and olive oil.",
    ),
    (
        "When did the Second World War end?",
        "In Europe, on 8 May 1945, when Germany surrendered; it ended fully when Japan formally surrendered on 2 September 1945.",
    ),
    (
        "What is the Pythagorean theorem?",
        "In a right-angled triangle, the square of the hypotenuse equals the sum of the squares of the other two sides: a² + b² = c².",
    ),
    ("How many teaspoons are in a tablespoon?", "Three teaspoons make one tablespoon."),
    (
        "Who invented the telephone?",
        "Alexander Graham Bell is usually credited, as he received the first patent in 1876, although other inventors, such as Antonio Meucci and Elisha Gray, worked on similar devices.",
    ),
    ("Which gas do plants absorb from the air?", "Carbon dioxide, which they use in photosynthesis."),
    ("What is the capital of Japan?", "Tokyo."),
    (
        "Why is the sky blue?",
        "Sunlight is scattered by the molecules in the air, and blue light, which has a shorter wavelength, is scattered much more than red light. This is called Rayleigh scattering.",
    ),
    (
        "What is the Great Barrier Reef?",
        "It is the world's largest coral reef system, off the coast of Queensland in Australia, made up of nearly 3,000 individual reefs.",
    ),
    ("How many weeks are there in a year?", "52 weeks, plus one extra day, or two in a leap year."),
    ("Who wrote Romeo and Juliet?", "William Shakespeare, in the 1590s."),
    (
        "What is a black hole?",
        "A black hole is a region of space where gravity is so strong that nothing, not even light, can escape from it. Many form when very massive stars collapse at the end of their lives.",
    ),
    (
        "What's the difference between a virus and bacteria?",
        "Bacteria are living single-celled organisms that can reproduce on their own; viruses are much smaller and can only multiply inside the cells of a host. Antibiotics work against bacteria, not viruses.",
    ),
    (
        "How do I get a coffee stain out of a shirt?",
        "Rinse the stain from the back with cold water as soon as possible, blot rather than rub, then work in a little liquid detergent and wash as usual. Avoid hot water until the stain is gone.",
    ),
    ("How long is a marathon?", "42.195 kilometres, or 26.2 miles."),
    ("What is the currency of Japan?", "The yen."),
    ("What is the hardest natural substance?", "Diamond, a form of pure carbon."),
    ("How many chromosomes do humans have?", "Most people have 46 chromosomes, arranged in 23 pairs."),
    ("What is the capital of Italy?", "Rome."),
    (
        "Who discovered penicillin?",
        "Alexander Fleming, in 1928. Howard Florey and Ernst Chain later developed it into a usable medicine.",
    ),
    ("What is the largest ocean?", "The Pacific Ocean."),
    (
        "How often should I water a cactus?",
        "Sparingly: let the soil dry out completely between waterings, which often means every two to four weeks in spring and summer and very little in winter.",
    ),
    (
        "What does a barometer measure?",
        "Atmospheric pressure. Falling pressure often signals unsettled weather, rising pressure more settled conditions.",
    ),
    ("What is 25 percent of 200?", "50."),
    (
        "What is Magna Carta?",
        "A charter sealed by King John of England in 1215 that limited the king's power and established that the ruler was subject to the law.",
    ),
    ("How many players does a basketball team have on court?", "Five."),
    ("When did the Berlin Wall fall?", "On 9 November 1989."),
    ("What language is spoken in Brazil?", "Portuguese."),
    (
        "What's the difference between affect and effect?",
        "In most cases, affect is a verb meaning to influence, and effect is a noun meaning a result: the weather affects my mood; the weather has an effect on my mood.",
    ),
    ("How many legs does a spider have?", "Eight."),
    (
        "What is the Ring of Fire?",
        "A horseshoe-shaped zone around the Pacific Ocean where many of the world's earthquakes and volcanic eruptions occur, because several tectonic plates meet there.",
    ),
    (
        "Who painted the Mona Lisa?",
        "Leonardo da Vinci, in the early sixteenth century. It hangs in the Louvre in Paris.",
    ),
    (
        "What's a good exercise routine for a beginner?",
        "Start with brisk walking most days, adding simple strength exercises such as squats, wall push-ups and lunges twice a week. Aim for about 150 minutes of moderate activity per week, and increase gradually.",
    ),
    (
        "Why do we have leap years?",
        "The Earth takes about 365.24 days to orbit the Sun, so an extra day is added roughly every four years to keep the calendar in step with the seasons.",
    ),
    ("How do I convert Celsius to Fahrenheit?", "Multiply by 9, divide by 5 and add 32. For example, 20 °C is 68 °F."),
]
