#!/usr/bin/env python3
"""Write testset.jsonl (held-out evaluation questions) for Hirondelle Air.

Hand-written for chatforge (fictional airline). Three kinds of items:

* paraphrase groups: 3-4 wordings of the same question, same answer and doc;
* single answerable questions (public, support, finance and maintenance docs);
* unanswerable questions: plausible airline questions whose answer is not in
  the knowledge base (doc_id null, answerable false).

No question here is also a question of faq.jsonl (checked at write time).

Usage: python scripts/make_testset.py   (writes ../testset.jsonl)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DOMAIN_DIR = Path(__file__).resolve().parent.parent
OUT = DOMAIN_DIR / "testset.jsonl"

CS = (
    "notre service client au 02 40 00 12 34 (du lundi au samedi, de 8 h à 20 h), "
    "par chat (7 j/7, de 7 h à 22 h) ou à contact@hirondelle-air.example"
)
CS_EN = (
    "our customer service on +33 2 40 00 12 34 (Monday to Saturday, 8:00-20:00), "
    "the web chat (every day, 7:00-22:00) or contact@hirondelle-air.example"
)

# ---------------------------------------------------------------- paraphrase groups
# (doc_id, intent, lang, answer, [questions])
GROUPS = [
    (
        "public/bagages-cabine.md",
        "baggage",
        "fr",
        "Le bagage cabine ne doit pas dépasser 55 x 35 x 25 cm et 8 kg ; vous pouvez y ajouter un accessoire personnel de 40 x 30 x 15 cm sous le siège.",
        [
            "Quelle taille fait la valise autorisée en cabine ?",
            "Ma valise cabine peut mesurer combien au maximum ?",
            "C'est quoi les dimensions autorisées pour le bagage à main chez vous ?",
            "Je voudrais connaître la taille et le poids max du bagage qu'on garde avec soi dans l'avion.",
        ],
    ),
    (
        "public/bagages-soute.md",
        "baggage",
        "fr",
        "Un bagage en soute supplémentaire coûte 25 € par vol en ligne et 45 € par vol à l'aéroport.",
        [
            "Quel est le prix d'une valise supplémentaire en soute ?",
            "Combien je paie si je rajoute un bagage en soute ?",
            "Ajouter une deuxième valise, ça revient à combien ?",
        ],
    ),
    (
        "public/enregistrement.md",
        "checkin",
        "fr",
        "L'enregistrement en ligne ouvre 30 heures avant le départ et ferme 1 heure avant.",
        [
            "À partir de quand peut-on faire le check-in sur internet ?",
            "Combien d'heures avant le vol l'enregistrement sur le site est-il possible ?",
            "Je peux m'enregistrer sur l'appli combien de temps à l'avance ?",
            "Quels sont les horaires d'ouverture et de fermeture de l'enregistrement en ligne ?",
        ],
    ),
    (
        "public/animaux.md",
        "pets",
        "fr",
        "Chiens et chats sont acceptés en cabine jusqu'à 8 kg, sac de transport compris, pour 60 € par vol (2 animaux maximum par vol).",
        [
            "Mon chat peut-il m'accompagner en cabine et à quel prix ?",
            "Quelles sont les conditions pour voyager avec un petit chien ?",
            "Est-ce que vous prenez les animaux de compagnie à bord, et combien ça coûte ?",
        ],
    ),
    (
        "public/mineurs-non-accompagnes.md",
        "minors",
        "fr",
        "Le service d'accompagnement est obligatoire pour les enfants de 5 à 11 ans voyageant seuls et coûte 70 € par trajet ; il est facultatif de 12 à 17 ans.",
        [
            "Mon enfant de 7 ans doit-il être accompagné par votre personnel s'il voyage seul ?",
            "Quel est le prix de l'accompagnement d'un enfant qui prend l'avion sans ses parents ?",
            "Jusqu'à quel âge le service enfant voyageant seul est-il obligatoire ?",
            "Ma fille de 9 ans va chez son père à Lyon toute seule, comment ça marche ?",
        ],
    ),
    (
        "public/retards-indemnisation.md",
        "compensation",
        "fr",
        "Pour un vol Porto ou Dublin (1 500 à 3 500 km) arrivé avec 3 heures de retard ou plus, l'indemnisation est de 400 € par passager, sauf circonstances extraordinaires.",
        [
            "Quelle indemnité pour un retard de 5 heures sur le vol de Dublin ?",
            "Mon Nantes-Dublin a atterri avec plus de 3 h de retard, combien puis-je réclamer ?",
            "Retard important sur un vol vers Porto : quel montant d'indemnisation ?",
        ],
    ),
    (
        "public/programme-plume.md",
        "loyalty",
        "fr",
        "Le statut Plume Or s'obtient avec 40 000 points gagnés dans l'année civile (15 000 points pour le statut Argent).",
        [
            "Combien de points Plume pour passer Or ?",
            "Quel seuil faut-il atteindre pour devenir membre Or ?",
            "J'ai 30 000 points cette année, il m'en manque combien pour le statut Or ?",
        ],
    ),
    (
        "public/contact.html",
        "contact",
        "fr",
        "Le service client répond au 02 40 00 12 34 du lundi au samedi de 8 h à 20 h ; le chat est ouvert 7 j/7 de 7 h à 22 h.",
        [
            "Comment vous joindre par téléphone et à quelles heures ?",
            "Le numéro du service clientèle, svp ?",
            "Quels sont les horaires de votre hotline ?",
            "À quelle heure ouvre votre service client téléphonique le samedi ?",
        ],
    ),
    (
        "public/assistance-pmr.html",
        "accessibility",
        "fr",
        "L'assistance aux personnes à mobilité réduite est gratuite ; elle doit être demandée au moins 48 heures avant le départ.",
        [
            "Ma mère se déplace en fauteuil, comment avoir de l'aide à l'aéroport ?",
            "Combien coûte l'accompagnement d'une personne handicapée ?",
            "Il faut prévenir combien de temps avant pour une assistance fauteuil roulant ?",
        ],
    ),
    (
        "public/tarifs.md",
        "refund",
        "fr",
        "Un billet Flex est remboursable avec 30 € de frais par passager et par vol.",
        [
            "Combien vous gardez si j'annule un billet Flex ?",
            "Le tarif Flex est-il remboursable ?",
            "Quels frais en cas d'annulation d'un Flex ?",
        ],
    ),
    (
        "public/remboursement-taxes.md",
        "refund",
        "fr",
        "La demande de remboursement des taxes d'un billet Essentiel non utilisé doit être faite dans les 2 mois suivant le vol ; elle est traitée sous 7 jours ouvrés.",
        [
            "Je n'ai pas pris mon vol Essentiel, comment récupérer les taxes et en combien de temps ?",
            "Quel délai pour réclamer les taxes d'aéroport d'un vol pas effectué ?",
            "Le remboursement des taxes prend combien de jours ?",
        ],
    ),
    (
        "public/bebes-et-enfants.md",
        "infants",
        "fr",
        "Un bébé de moins de 2 ans voyage sur les genoux d'un adulte pour 10 % du tarif adulte, à raison d'un bébé par adulte.",
        [
            "Quel prix pour un nourrisson ?",
            "Mon bébé de 14 mois paie-t-il un billet ?",
            "Combien coûte le billet d'un enfant de moins de deux ans ?",
        ],
    ),
    (
        "public/en-baggage-policy.md",
        "baggage",
        "en",
        "Bags between 23 and 32 kg incur a 50 € surcharge per bag and per flight; bags over 32 kg are refused.",
        [
            "What's the fee for an overweight suitcase?",
            "My bag is 26 kg, do I pay extra?",
            "How much do you charge if my checked bag is over 23 kg?",
            "Is there a penalty for a heavy bag?",
        ],
    ),
    (
        "public/en-check-in.md",
        "checkin",
        "en",
        "The boarding gate closes 20 minutes before departure.",
        [
            "How long before take-off does the gate close?",
            "Until when can I board the plane?",
            "What is the latest time to be at the gate?",
        ],
    ),
    (
        "public/en-baggage-policy.md",
        "sports_equipment",
        "en",
        "A bike costs 50 € per flight and must be packed in a bike bag or box.",
        [
            "What do you charge for a bicycle?",
            "Can I fly with my bike and what's the price?",
            "How much is bike transport per flight?",
        ],
    ),
    (
        "finance/resultats-2025.pdf",
        "finance",
        "fr",
        "Le chiffre d'affaires 2025 est de 182,4 M€ et le résultat net de 6,1 M€.",
        [
            "Combien avons-nous fait de CA en 2025 ?",
            "Quel est le montant des revenus de l'exercice 2025 ?",
            "Peux-tu me rappeler le chiffre d'affaires et le résultat net de l'an dernier ?",
        ],
    ),
    (
        "maintenance/programme-entretien-atr72.pdf",
        "maintenance",
        "fr",
        "Sur ATR 72-600, la visite A est due toutes les 500 heures de vol.",
        [
            "Tous les combien d'heures fait-on l'A-check des ATR ?",
            "Quelle est l'échéance de la visite A pour nos ATR 72 ?",
            "Intervalle A-check ATR 72-600 ?",
        ],
    ),
    (
        "support/geste-commercial.md",
        "internal_procedure",
        "fr",
        "Un agent peut accorder jusqu'à 150 € par passager sans validation ; au-delà, un superviseur doit valider avec le code SUP-VALID.",
        [
            "Quel est mon plafond pour un geste commercial ?",
            "Je peux offrir combien en bon d'achat sans demander à mon superviseur ?",
            "Au-delà de quel montant faut-il une validation pour un geste ?",
        ],
    ),
]

# ---------------------------------------------------------------- single answerable questions
# (doc_id, intent, lang, question, answer)
SINGLES = [
    (
        "public/tarifs.md",
        "booking_change",
        "fr",
        "Le tarif Liberté inclut-il le choix des premiers rangs ?",
        "Oui, avec le tarif Liberté, tous les sièges sont offerts, y compris les premiers rangs.",
    ),
    (
        "public/tarifs.md",
        "booking_change",
        "fr",
        "Est-ce qu'on peut prendre l'aller en Essentiel et le retour en Liberté ?",
        "Oui, l'aller et le retour peuvent être réservés dans des tarifs différents.",
    ),
    (
        "public/bagages-cabine.md",
        "baggage",
        "fr",
        "On m'a fait payer 45 € à la porte pour ma valise cabine, c'est normal ?",
        "Si le bagage cabine dépasse 55 x 35 x 25 cm ou 8 kg, il est placé en soute à la porte au tarif d'un bagage acheté à l'aéroport, soit 45 €.",
    ),
    (
        "public/bagages-soute.md",
        "baggage",
        "fr",
        "Une valise de 33 kg, c'est accepté avec supplément ?",
        "Non, les bagages de plus de 32 kg sont refusés ; entre 23 et 32 kg, un supplément de 50 € s'applique.",
    ),
    (
        "public/bagages-soute.md",
        "baggage",
        "fr",
        "La somme des dimensions d'une valise en soute est limitée à combien ?",
        "La somme longueur + largeur + hauteur ne doit pas dépasser 158 cm.",
    ),
    (
        "public/enregistrement.md",
        "checkin",
        "fr",
        "Le guichet d'enregistrement pour Strasbourg ferme à quelle heure par rapport au départ ?",
        "Strasbourg est un vol intérieur : le comptoir ferme 45 minutes avant le départ.",
    ),
    (
        "public/enregistrement.md",
        "checkin",
        "fr",
        "Les membres Or embarquent-ils en priorité ?",
        "Oui, l'embarquement prioritaire est proposé aux membres Or du programme Plume, ainsi qu'aux familles avec enfants de moins de 2 ans et aux passagers assistés.",
    ),
    (
        "public/modification-annulation.md",
        "booking_change",
        "fr",
        "Je veux décaler mon vol Liberté de deux jours, je paie des frais ?",
        "Non, le tarif Liberté permet des modifications sans frais jusqu'au départ ; seule une éventuelle différence de tarif est à payer.",
    ),
    (
        "public/modification-annulation.md",
        "refund",
        "fr",
        "Sur quel compte arrive le remboursement d'un billet annulé ?",
        "Le remboursement est fait sur le moyen de paiement utilisé lors de l'achat, dans un délai de 7 jours ouvrés.",
    ),
    (
        "public/remboursement-taxes.md",
        "refund",
        "fr",
        "Comment je demande le remboursement des taxes, concrètement ?",
        "Depuis « Mes réservations », choisissez « Demander le remboursement des taxes », ou écrivez à contact@hirondelle-air.example avec votre référence de réservation et le nom des passagers.",
    ),
    (
        "public/retards-indemnisation.md",
        "compensation",
        "fr",
        "Arrivé à Toulouse avec 2 h 30 de retard, ai-je droit à 250 € ?",
        "Non, l'indemnisation n'est due qu'à partir de 3 heures de retard à l'arrivée ; pour un vol de moins de 1 500 km comme Toulouse, elle est alors de 250 €.",
    ),
    (
        "public/retards-indemnisation.md",
        "compensation",
        "fr",
        "Mon vol est reporté au lendemain, qui paie l'hôtel ?",
        "Si le départ est reporté au lendemain, Hirondelle Air prend en charge l'hôtel et le transport entre l'aéroport et l'hôtel.",
    ),
    (
        "public/animaux.md",
        "pets",
        "fr",
        "Mon chien d'assistance doit-il payer 60 € ?",
        "Non, les chiens d'assistance voyagent gratuitement en cabine, en plus des 2 animaux autorisés par vol.",
    ),
    (
        "public/animaux.md",
        "pets",
        "fr",
        "Mon golden retriever de 30 kg peut-il voyager en soute chez vous ?",
        "Non, Hirondelle Air ne transporte pas d'animaux en soute ; seuls les chiens et chats de 8 kg maximum, sac compris, voyagent en cabine.",
    ),
    (
        "public/mineurs-non-accompagnes.md",
        "minors",
        "fr",
        "Peut-on réserver le service mineur non accompagné directement au comptoir le jour J ?",
        "Non, le service doit être réservé au plus tard 48 heures avant le départ auprès du service client ; il ne peut pas être ajouté à l'aéroport.",
    ),
    (
        "public/bebes-et-enfants.md",
        "infants",
        "fr",
        "Un nouveau-né de 5 jours peut-il prendre l'avion ?",
        "Non, les bébés sont acceptés à partir de 7 jours.",
    ),
    (
        "public/programme-plume.md",
        "loyalty",
        "fr",
        "2 000 points Plume, ça fait combien d'euros ?",
        "2 000 points valent 20 € de réduction, utilisables dès 2 000 points sur un billet, un bagage ou un équipement sportif.",
    ),
    (
        "public/programme-plume.md",
        "loyalty",
        "fr",
        "Je n'ai pas volé depuis 2 ans, mes points sont-ils perdus ?",
        "Les points expirent après 24 mois sans activité (vol, achat ou utilisation de points) ; s'il n'y a eu aucune activité depuis 24 mois, ils ont expiré.",
    ),
    (
        "public/equipements-sportifs.md",
        "sports_equipment",
        "fr",
        "Je pars skier, quel est le tarif pour mes skis et mes chaussures ?",
        "Une paire de skis et une paire de chaussures dans une housse voyagent pour 35 € par vol.",
    ),
    (
        "public/equipements-sportifs.md",
        "sports_equipment",
        "fr",
        "Mon VAE peut-il voyager en soute ?",
        "Non, les vélos à assistance électrique ne sont pas acceptés en raison de leur batterie au lithium.",
    ),
    (
        "public/destinations.html",
        "routes",
        "fr",
        "Quel est le temps de vol entre Nantes et Nice ?",
        "Le vol Nantes–Nice dure en moyenne 1 h 35.",
    ),
    (
        "public/destinations.html",
        "routes",
        "fr",
        "Il y a combien de vols pour Strasbourg en semaine ?",
        "La ligne Nantes–Strasbourg propose 2 vols par jour en semaine, en ATR 72-600, pour environ 1 h 25 de vol.",
    ),
    (
        "public/contact.html",
        "contact",
        "fr",
        "Sous combien de temps répondez-vous aux mails ?",
        "Nous répondons en général sous 72 heures aux e-mails envoyés à contact@hirondelle-air.example.",
    ),
    (
        "public/assistance-pmr.html",
        "accessibility",
        "fr",
        "Mon père a besoin d'aide pour manger, peut-il voyager seul ?",
        "Un passager qui ne peut pas être autonome pendant le vol (pour s'alimenter, aller aux toilettes ou prendre ses médicaments) doit voyager avec un accompagnateur.",
    ),
    (
        "public/services-a-bord.html",
        "onboard",
        "fr",
        "Le petit-beurre est-il offert à tout le monde ?",
        "Oui, sur tous nos vols, un verre d'eau et notre petit-beurre nantais sont offerts à tous les passagers, quel que soit le tarif.",
    ),
    (
        "public/services-a-bord.html",
        "onboard",
        "fr",
        "Combien coûte un jus de pomme à bord ?",
        "Le jus de pomme bio du Val de Loire (25 cl) coûte 3,00 €.",
    ),
    (
        "public/politique-confidentialite.html",
        "privacy",
        "fr",
        "Combien de temps sont gardés les enregistrements de mes appels ?",
        "Les enregistrements d'appels sont conservés 6 mois.",
    ),
    (
        "public/flotte.html",
        "routes",
        "fr",
        "Combien d'Embraer E195-E2 avez-vous ?",
        "Nous exploitons 3 Embraer E195-E2 de 132 sièges, immatriculés F-HIRG, F-HIRH et F-HIRJ.",
    ),
    (
        "public/objets-interdits.html",
        "baggage",
        "fr",
        "Combien de batteries externes puis-je prendre en cabine ?",
        "Deux batteries externes ou de rechange de 100 Wh maximum sont autorisées en cabine ; elles sont interdites en soute.",
    ),
    (
        "public/conditions-generales-transport.pdf",
        "baggage",
        "fr",
        "Quel plafond d'indemnisation pour une valise perdue selon vos conditions ?",
        "La responsabilité est limitée à 1 288 droits de tirage spéciaux par passager, conformément à la Convention de Montréal, sauf déclaration spéciale d'intérêt.",
    ),
    (
        "public/guide-ete-corse-2026.pdf",
        "routes",
        "fr",
        "Il y a un vol Nantes-Ajaccio le mardi ?",
        "Non, l'été 2026, les vols Nantes–Ajaccio ont lieu les lundis, mercredis, vendredis et dimanches ; Bastia est desservie le mardi.",
    ),
    (
        "public/formulaire-reclamation.docx",
        "compensation",
        "fr",
        "Dans le formulaire de réclamation, puis-je choisir un bon d'achat plutôt qu'un virement ?",
        "Oui, le formulaire propose deux modes de paiement : virement bancaire ou bon d'achat Hirondelle Air.",
    ),
    (
        "public/en-fares.md",
        "booking_change",
        "en",
        "Until when can I change a Flex ticket for free?",
        "Flex tickets can be changed free of charge up to 24 hours before departure; you only pay any fare difference.",
    ),
    (
        "public/en-special-assistance.md",
        "pets",
        "en",
        "What size can the pet carrier be?",
        "The soft carrier can be up to 45 x 35 x 20 cm; it stays under the seat and replaces your cabin bag.",
    ),
    (
        "public/en-delays-compensation.html",
        "compensation",
        "en",
        "From how many hours of delay do you provide meals?",
        "From a 2-hour delay we provide refreshments and meals in reasonable relation to the waiting time.",
    ),
    (
        "public/en-check-in.md",
        "checkin",
        "en",
        "I only have hand luggage. Do I need to go to the desk?",
        "No, after checking in online you can go straight to security if you only have hand luggage.",
    ),
    (
        "public/en-special-assistance.md",
        "infants",
        "en",
        "Can one adult travel with two babies on the lap?",
        "No, only one infant per adult is allowed on the lap.",
    ),
    # support
    (
        "support/procedure-bagage-perdu.docx",
        "internal_procedure",
        "fr",
        "Après combien de temps de recherches un bagage est-il considéré comme perdu ?",
        "Un bagage non retrouvé 21 jours après l'établissement du PIR est déclaré perdu.",
    ),
    (
        "support/procedure-bagage-perdu.docx",
        "internal_procedure",
        "fr",
        "Un passager attend sa valise depuis 3 jours, jusqu'à combien peut-il se faire rembourser ses achats ?",
        "Jusqu'à 50 € par jour pendant 5 jours au maximum, sur justificatifs et avec le PIR ; au bout de 3 jours, cela représente jusqu'à 150 €.",
    ),
    (
        "support/escalade-reclamations.md",
        "internal_procedure",
        "fr",
        "Un client parle de saisir son avocat, je fais quoi ?",
        "Une menace d'action en justice part directement au responsable relations clientèle ; ne prenez aucun engagement et indiquez qu'un responsable le recontactera.",
    ),
    (
        "support/irregularites-reacheminement.docx",
        "internal_procedure",
        "fr",
        "Plus de place sur nos vols après une annulation, vers quel partenaire réacheminer ?",
        "Vers notre partenaire Air Littoral, en réservant avec le code IRROPS-PARTNER.",
    ),
    (
        "support/remboursements-validation.md",
        "internal_procedure",
        "fr",
        "Une réservation de 4 passagers à rembourser pour 1 200 € au total, je peux valider moi-même ?",
        "Non, au-delà de 1 000 € par réservation (tous passagers confondus), le remboursement est contrôlé par l'équipe finance avant paiement : passez le ticket en « En attente finance ».",
    ),
    (
        "support/outil-nid-tickets.html",
        "internal_procedure",
        "fr",
        "Quels cas justifient une priorité P1 dans Nid ?",
        "La priorité P1 est réservée aux questions de sécurité et aux passagers perturbés présents à l'aéroport.",
    ),
    (
        "support/guide-agent-service-client.pdf",
        "internal_procedure",
        "en",
        "Which tool do agents use for tickets, and which for bookings?",
        "Tickets are handled in Nid and bookings in Cirrus, our reservation system.",
    ),
    # finance
    (
        "finance/indicateurs-exploitation-2025.html",
        "finance",
        "fr",
        "Quel coefficient de remplissage avons-nous réalisé l'an dernier, et quel est le point mort ?",
        "Le remplissage 2025 est de 81,4 % pour un coefficient d'équilibre de 74 %.",
    ),
    (
        "finance/indicateurs-exploitation-2025.html",
        "finance",
        "fr",
        "Quel coût au siège-kilomètre en 2025 ?",
        "Le CASK 2025 est de 9,8 centimes d'euro.",
    ),
    (
        "finance/couverture-carburant-2026.pdf",
        "finance",
        "fr",
        "Quel est notre taux de hedging fuel pour 2026 et à quel prix ?",
        "65 % des besoins 2026 sont couverts, à un prix moyen de 712 USD par tonne.",
    ),
    (
        "finance/fraude-retrofacturations.md",
        "finance",
        "fr",
        "Combien nous a coûté la fraude en 2025 ?",
        "La perte nette liée à la fraude et aux remboursements indus est de 310 000 € en 2025.",
    ),
    (
        "finance/budget-2026.docx",
        "finance",
        "fr",
        "Quel loyer mensuel pour l'E2 qui arrive en avril ?",
        "Le quatrième E195-E2 est loué 265 000 USD par mois à partir d'avril 2026.",
    ),
    (
        "finance/conditions-paiement-fournisseurs.docx",
        "finance",
        "en",
        "What are our supplier payment terms?",
        "Supplier invoices are paid at 45 days end of month.",
    ),
    (
        "finance/fraude-retrofacturations.md",
        "finance",
        "en",
        "How many chargebacks trigger an automatic booking block?",
        "More than 3 chargebacks in 12 rolling months: bookings linked to that customer or card are blocked.",
    ),
    # maintenance
    (
        "maintenance/programme-entretien-e195e2.pdf",
        "maintenance",
        "fr",
        "Les E2 passent en visite A toutes les combien d'heures ?",
        "La visite A de l'E195-E2 est due toutes les 1 000 heures de vol.",
    ),
    (
        "maintenance/programme-entretien-atr72.pdf",
        "maintenance",
        "fr",
        "Quelle limite calendaire pour la C-check des ATR ?",
        "La visite C de l'ATR 72-600 est due toutes les 5 000 heures de vol ou tous les 24 mois, au premier terme atteint.",
    ),
    (
        "maintenance/mel-extraits.docx",
        "maintenance",
        "fr",
        "On a un pack HS, à quel niveau de vol est-on limité ?",
        "Avec un pack inopérant (catégorie C, 10 jours), le niveau de vol est limité au FL250.",
    ),
    (
        "maintenance/mel-extraits.docx",
        "maintenance",
        "fr",
        "APU inop : combien de jours peut-on encore voler ?",
        "L'APU inopérant est en catégorie C : départ autorisé pendant 10 jours consécutifs.",
    ),
    (
        "maintenance/inspections-quotidiennes.md",
        "maintenance",
        "fr",
        "Les brake wear pins, on les vérifie à quelle fréquence ?",
        "Les témoins d'usure des freins sont contrôlés à chaque visite journalière.",
    ),
    (
        "maintenance/aog-desk.html",
        "maintenance",
        "fr",
        "Quel poste appeler pour un avion immobilisé à Nice ?",
        "Appelez le desk AOG au poste 4471, joignable 24 h/24 et 7 j/7 ; Nice est l'une de nos escales techniques de ligne, avec Lyon.",
    ),
    (
        "maintenance/degivrage-procedure.docx",
        "maintenance",
        "en",
        "When does the holdover time start during de-icing?",
        "Holdover time starts at the beginning of the final step with Type IV fluid, so crews must record the start time of that final step.",
    ),
    (
        "maintenance/inspections-quotidiennes.md",
        "maintenance",
        "en",
        "Tyre pressure check interval?",
        "Tyre pressures are checked every 48 hours, cold, at least 3 hours after the last landing.",
    ),
]

# ---------------------------------------------------------------- unanswerable questions
# (intent, lang, question, answer)
UNANSWERABLE = [
    (
        "onboard",
        "fr",
        "Puis-je louer une voiture en même temps que mon billet sur votre site ?",
        f"Je n'ai pas d'information sur la location de voiture dans notre documentation. Pour toute question, je vous invite à contacter {CS}.",
    ),
    (
        "onboard",
        "fr",
        "Les sièges sont-ils équipés de prises USB pour recharger mon téléphone ?",
        f"Je ne dispose pas de cette information sur l'équipement de nos sièges. Notre service client pourra vous renseigner : {CS}.",
    ),
    (
        "loyalty",
        "fr",
        "Y a-t-il un salon d'attente Hirondelle Air à l'aéroport de Nantes ?",
        f"Je n'ai pas d'information sur un salon d'attente à Nantes. Je vous invite à contacter {CS}.",
    ),
    (
        "contact",
        "fr",
        "Combien coûte le parking de l'aéroport de Nantes Atlantique ?",
        f"Je n'ai pas d'information sur les tarifs de stationnement à l'aéroport de Nantes. Je vous invite à contacter {CS}.",
    ),
    (
        "accessibility",
        "fr",
        "Jusqu'à combien de semaines de grossesse puis-je prendre l'avion ?",
        f"Je ne dispose pas d'information sur les conditions de voyage pendant la grossesse. Je vous recommande de contacter {CS} avant de réserver.",
    ),
    (
        "booking_change",
        "fr",
        "Peut-on régler son billet en plusieurs fois sans frais ?",
        f"Je n'ai pas d'information sur un paiement en plusieurs fois. Notre service client pourra vous répondre : {CS}.",
    ),
    (
        "booking_change",
        "fr",
        "Vendez-vous des cartes cadeaux à offrir ?",
        f"Je n'ai pas d'information sur des cartes cadeaux dans notre documentation. Je vous invite à contacter {CS}.",
    ),
    (
        "booking_change",
        "fr",
        "Avez-vous un tarif spécial pour un groupe de 20 personnes ?",
        f"Je ne dispose pas d'information sur les tarifs de groupe. Contactez {CS} pour étudier votre demande.",
    ),
    (
        "booking_change",
        "fr",
        "Existe-t-il une réduction pour les étudiants ?",
        f"Je n'ai pas d'information sur une réduction étudiante. Pour en savoir plus, contactez {CS}.",
    ),
    (
        "baggage",
        "fr",
        "Puis-je acheter un siège supplémentaire pour mon violoncelle ?",
        f"Je ne dispose pas d'information sur le transport d'instruments de musique sur un siège. Je vous invite à contacter {CS} avant de réserver.",
    ),
    (
        "accessibility",
        "fr",
        "Puis-je utiliser mon concentrateur d'oxygène portable pendant le vol ?",
        f"Je n'ai pas d'information sur les concentrateurs d'oxygène dans notre documentation. Merci de contacter {CS} au moins 48 heures avant votre départ.",
    ),
    (
        "baggage",
        "fr",
        "Puis-je voyager avec une urne funéraire contenant des cendres ?",
        f"Je ne dispose pas d'information sur le transport d'une urne funéraire. Je vous invite à contacter {CS} avant votre départ.",
    ),
    (
        "onboard",
        "fr",
        "Proposez-vous de compenser les émissions de CO2 de mon vol ?",
        f"Je n'ai pas d'information sur un programme de compensation carbone. Pour toute question, contactez {CS}.",
    ),
    (
        "routes",
        "fr",
        "Y a-t-il une navette entre l'aéroport de Nantes et le centre-ville ?",
        f"Je ne dispose pas d'information sur les transports entre l'aéroport et le centre-ville. Je vous invite à contacter {CS}.",
    ),
    (
        "onboard",
        "fr",
        "Proposez-vous des repas sans gluten à bord ?",
        f"Je n'ai pas d'information sur des repas sans gluten à bord. Je vous invite à contacter {CS}.",
    ),
    (
        "booking_change",
        "fr",
        "Acceptez-vous PayPal pour payer une réservation ?",
        f"Je ne dispose pas de la liste des moyens de paiement acceptés pour la réservation. Notre service client pourra vous répondre : {CS}.",
    ),
    (
        "contact",
        "fr",
        "J'ai oublié ma tablette dans l'avion hier, comment la récupérer ?",
        f"Je n'ai pas d'information sur la procédure des objets oubliés à bord. Je vous invite à contacter rapidement {CS}.",
    ),
    (
        "finance",
        "fr",
        "Quel est le salaire moyen d'un pilote chez Hirondelle Air ?",
        "Cette information ne figure pas dans les documents dont je dispose. Je vous invite à vous adresser à la direction financière ou aux ressources humaines.",
    ),
    (
        "finance",
        "fr",
        "Quel dividende a été versé aux actionnaires au titre de 2025 ?",
        "Les documents dont je dispose ne mentionnent pas de dividende. Je vous invite à vous adresser à la direction financière.",
    ),
    (
        "maintenance",
        "fr",
        "Tous les combien remplace-t-on les batteries de la balise ELT ?",
        "Cette périodicité ne figure pas dans les documents dont je dispose. Référez-vous au programme d'entretien approuvé ou contactez la CAMO.",
    ),
    (
        "booking_change",
        "en",
        "Do you accept cryptocurrency payments?",
        f"I don't have any information about cryptocurrency payments. Please contact {CS_EN}.",
    ),
    (
        "onboard",
        "en",
        "Can I pre-order a peanut-free meal because of my allergy?",
        f"I don't have information about special meals for allergies. Please contact {CS_EN} before you travel.",
    ),
    (
        "booking_change",
        "en",
        "Is there a discount for seniors?",
        f"I don't have any information about senior discounts. Please contact {CS_EN}.",
    ),
    (
        "onboard",
        "en",
        "Is there Wi-Fi on your planes?",
        f"I don't have information about Wi-Fi on board. Please contact {CS_EN}.",
    ),
]


def main() -> int:
    knowledge = DOMAIN_DIR / "knowledge"
    faq_path = DOMAIN_DIR / "faq.jsonl"
    faq_q = set()
    if faq_path.exists():
        for line in faq_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                faq_q.add(json.loads(line)["messages"][0]["content"].strip().lower())

    rows = []

    def add(question, answer, doc_id, answerable, group, lang, intent):
        if doc_id is not None and not (knowledge / doc_id).is_file():
            raise SystemExit(f"unknown doc_id {doc_id}")
        if question.strip().lower() in faq_q:
            raise SystemExit(f"test question also in faq.jsonl: {question}")
        rows.append(
            {
                "id": f"test-{len(rows) + 1:04d}",
                "question": question,
                "answer": answer,
                "doc_id": doc_id,
                "answerable": answerable,
                "paraphrase_group": group,
                "lang": lang,
                "intent": intent,
            }
        )

    for i, (doc_id, intent, lang, answer, questions) in enumerate(GROUPS, start=1):
        for q in questions:
            add(q, answer, doc_id, True, f"pg-{i:03d}", lang, intent)
    for doc_id, intent, lang, q, a in SINGLES:
        add(q, a, doc_id, True, None, lang, intent)
    for intent, lang, q, a in UNANSWERABLE:
        add(q, a, None, False, None, lang, intent)

    qs = [r["question"].lower() for r in rows]
    dup = {q for q in qs if qs.count(q) > 1}
    if dup:
        raise SystemExit(f"duplicate test questions: {dup}")
    with OUT.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} items to {OUT.relative_to(DOMAIN_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
