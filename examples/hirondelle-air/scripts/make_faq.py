#!/usr/bin/env python3
"""Write faq.jsonl for the Hirondelle Air example domain.

Every pair below was written by hand for chatforge (fictional airline). Each
block names the knowledge document that contains the answer, a default intent
and a language; a pair may override the intent with a third element.

Usage: python scripts/make_faq.py   (writes ../faq.jsonl)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DOMAIN_DIR = Path(__file__).resolve().parent.parent
OUT = DOMAIN_DIR / "faq.jsonl"

BLOCKS: list[tuple[str, str, str, list[tuple]]] = []


def block(doc_id: str, intent: str, pairs: list[tuple], lang: str = "fr") -> None:
    BLOCKS.append((doc_id, intent, lang, pairs))


# ============================================================================ PUBLIC
block(
    "public/tarifs.md",
    "booking_change",
    [
        (
            "Quels sont les différents tarifs proposés par Hirondelle Air ?",
            "Nous proposons trois tarifs : Essentiel (bagage cabine uniquement, ni modifiable ni remboursable), Flex (un bagage en soute de 23 kg, modifications gratuites jusqu'à 24 h avant le départ, remboursement avec 30 € de frais) et Liberté (deux bagages de 23 kg, modifications gratuites et remboursement intégral jusqu'au départ).",
        ),
        (
            "Le tarif Essentiel comprend-il un bagage en soute ?",
            "Non, le tarif Essentiel inclut uniquement un bagage cabine de 8 kg et un accessoire personnel. Vous pouvez toutefois ajouter un bagage en soute en option, pour 25 € en ligne.",
            "baggage",
        ),
        (
            "Combien de valises en soute sont incluses avec le tarif Liberté ?",
            "Le tarif Liberté inclut deux bagages en soute de 23 kg chacun, en plus de votre bagage cabine et de votre accessoire personnel.",
            "baggage",
        ),
        (
            "Avec un billet Flex, j'ai droit à quoi comme bagage ?",
            "Le tarif Flex comprend un bagage en soute de 23 kg, ainsi que le bagage cabine (55 x 35 x 25 cm, 8 kg) et l'accessoire personnel glissé sous le siège.",
            "baggage",
        ),
        (
            "Est-ce que je peux changer la date d'un billet Essentiel ?",
            "Malheureusement non : le tarif Essentiel n'est pas modifiable. Si vous souhaitez de la souplesse, le tarif Flex permet des modifications gratuites jusqu'à 24 heures avant le départ.",
        ),
        (
            "Quel tarif choisir si je ne suis pas sûr de mes dates ?",
            "Le tarif Liberté est le plus souple : modifications gratuites jusqu'au départ et remboursement intégral. Le tarif Flex est aussi modifiable gratuitement, mais seulement jusqu'à 24 heures avant le départ.",
        ),
        (
            "Combien coûte l'annulation d'un billet Flex ?",
            "Un billet Flex est remboursable avec 30 € de frais par passager et par vol ; le reste du prix vous est reversé.",
            "refund",
        ),
        (
            "Le tarif Liberté est-il remboursable à 100 % ?",
            "Oui, le tarif Liberté est remboursé intégralement si vous annulez avant le départ du vol.",
            "refund",
        ),
        (
            "Le choix du siège est-il gratuit ?",
            "Cela dépend de votre tarif : il est payant à partir de 8 € en Essentiel, le siège standard est offert en Flex, et tous les sièges, y compris les premiers rangs, sont offerts en Liberté.",
        ),
        (
            "Je peux passer d'Essentiel à Flex après avoir réservé ?",
            "Oui, vous pouvez passer d'un tarif Essentiel à Flex ou Liberté avant l'enregistrement, en payant la différence depuis la rubrique « Mes réservations ».",
        ),
        (
            "Est-ce que mon billet Essentiel peut être remboursé si je ne pars pas ?",
            "Le billet Essentiel n'est pas remboursable, mais les taxes d'aéroport peuvent vous être remboursées sur demande si vous ne voyagez pas.",
            "refund",
        ),
        (
            "On voyage à deux, peut-on avoir un tarif différent chacun ?",
            "Le tarif choisi s'applique à tous les passagers d'une même réservation. Vous pouvez en revanche choisir un tarif différent pour l'aller et pour le retour.",
        ),
        (
            "Est-ce que le tarif Essentiel donne droit à des points Plume ?",
            "Oui, les membres Plume cumulent des points quel que soit le tarif acheté, y compris Essentiel.",
            "loyalty",
        ),
    ],
)

block(
    "public/bagages-cabine.md",
    "baggage",
    [
        (
            "Quelles sont les dimensions maximales du bagage cabine ?",
            "Votre bagage cabine ne doit pas dépasser 55 x 35 x 25 cm, poignées et roulettes comprises, ni peser plus de 8 kg.",
        ),
        (
            "Quel poids pour la valise cabine ?",
            "Le bagage cabine peut peser jusqu'à 8 kg, pour des dimensions maximales de 55 x 35 x 25 cm.",
        ),
        (
            "J'ai le droit à un sac à main en plus de ma valise cabine ?",
            "Oui, en plus de votre bagage cabine, vous pouvez emporter un accessoire personnel (sac à main, sacoche, petit sac à dos) de 40 x 30 x 15 cm maximum, qui doit tenir sous le siège devant vous.",
        ),
        (
            "Quelle taille pour l'accessoire personnel sous le siège ?",
            "L'accessoire personnel doit mesurer au maximum 40 x 30 x 15 cm pour tenir sous le siège devant vous.",
        ),
        (
            "Que se passe-t-il si ma valise cabine est trop lourde à l'embarquement ?",
            "Si votre bagage cabine dépasse 8 kg ou les dimensions autorisées, il sera placé en soute à la porte d'embarquement au tarif d'un bagage acheté à l'aéroport, soit 45 €. Ajouter un bagage en soute en ligne ne coûte que 25 €.",
        ),
        (
            "Pourquoi ma valise cabine a été mise en soute gratuitement sur l'ATR ?",
            "Les coffres des ATR 72-600 sont plus petits : quand ils sont pleins, l'équipage place gratuitement certains bagages cabine en soute au pied de l'avion, et vous les récupérez à la descente.",
        ),
        (
            "Le bagage cabine est-il inclus dans le tarif Essentiel ?",
            "Oui, tous nos tarifs, y compris Essentiel, incluent un bagage cabine de 8 kg et un accessoire personnel.",
        ),
        (
            "Combien de liquide je peux prendre en cabine ?",
            "Les liquides doivent être dans des contenants de 100 ml maximum, rangés dans un sac plastique transparent refermable d'un litre. Les médicaments et aliments pour bébé nécessaires pendant le vol sont acceptés au-delà.",
        ),
        (
            "Si ma valise cabine part en soute au pied de l'avion, qu'est-ce que je dois garder avec moi ?",
            "Gardez avec vous vos médicaments, vos papiers, vos clés et vos appareils électroniques équipés de batteries au lithium.",
        ),
        (
            "Y a-t-il un gabarit pour vérifier la taille de mon bagage ?",
            "Oui, des gabarits sont à votre disposition aux comptoirs d'enregistrement et aux portes d'embarquement pour vérifier que votre bagage respecte les 55 x 35 x 25 cm.",
        ),
        (
            "Mon sac à dos fait 45 cm de haut, est-ce qu'il passe comme accessoire personnel ?",
            "Non, l'accessoire personnel est limité à 40 x 30 x 15 cm. Un sac de 45 cm devra être compté comme bagage cabine, dans la limite de 55 x 35 x 25 cm et 8 kg.",
        ),
    ],
)

block(
    "public/bagages-soute.md",
    "baggage",
    [
        (
            "Combien coûte un bagage en soute supplémentaire ?",
            "Un bagage en soute supplémentaire coûte 25 € par vol s'il est ajouté en ligne, et 45 € par vol s'il est ajouté à l'aéroport.",
        ),
        (
            "C'est combien pour ajouter une valise à l'aéroport ?",
            "À l'aéroport, un bagage en soute supplémentaire est facturé 45 € par bagage et par vol. En l'ajoutant en ligne avant votre départ, vous ne payez que 25 €.",
        ),
        (
            "Ma valise pèse 27 kg, je vais payer combien ?",
            "Entre 23 et 32 kg, un supplément d'excédent de poids de 50 € par bagage et par vol s'applique.",
        ),
        (
            "Quel est le poids maximum accepté pour une valise en soute ?",
            "Un bagage en soute ne peut pas dépasser 32 kg : au-delà, il est refusé. Jusqu'à 23 kg il est dans la franchise, et entre 23 et 32 kg un supplément de 50 € s'applique.",
        ),
        (
            "Est-ce que vous acceptez un bagage de 35 kg si je paye un supplément ?",
            "Non, les bagages de plus de 32 kg sont refusés, même avec un supplément, pour des raisons de sécurité et de santé au travail de nos agents. Nous vous conseillons de répartir le contenu dans deux bagages.",
        ),
        (
            "Quelles sont les dimensions maximales d'une valise en soute ?",
            "La somme des trois dimensions de chaque bagage en soute (longueur + largeur + hauteur) ne doit pas dépasser 158 cm.",
        ),
        (
            "Jusqu'à quelle heure je peux déposer ma valise pour un vol international ?",
            "Pour un vol international, le dépôt des bagages ferme 60 minutes avant le départ ; pour un vol intérieur, 45 minutes avant. Passé ce délai, le bagage ne peut plus être accepté.",
            "checkin",
        ),
        (
            "Mon bagage n'est pas arrivé sur le tapis, que dois-je faire ?",
            "Présentez-vous au comptoir bagages de l'aéroport d'arrivée avant de quitter la salle de livraison, avec votre carte d'embarquement et l'étiquette de votre bagage. Un agent établira un constat et vous remettra un numéro de dossier pour suivre les recherches.",
        ),
        (
            "Peut-on mettre une batterie externe dans la valise en soute ?",
            "Non, les batteries au lithium de rechange et les batteries externes sont interdites en soute : gardez-les dans votre bagage cabine.",
        ),
        (
            "Avec le tarif Flex, combien de bagages en soute ai-je ?",
            "Le tarif Flex inclut un bagage en soute de 23 kg. Le tarif Liberté en inclut deux, et le tarif Essentiel aucun.",
        ),
        (
            "Vaut-il mieux acheter le bagage en ligne ou à l'aéroport ?",
            "En ligne, sans hésiter : un bagage supplémentaire coûte 25 € en ligne contre 45 € à l'aéroport, soit presque deux fois moins cher.",
        ),
        (
            "Je peux mettre mes bijoux dans ma valise en soute ?",
            "Nous vous recommandons de ne pas placer en soute vos objets de valeur, bijoux, espèces, papiers d'identité, médicaments indispensables ou appareils électroniques : gardez-les avec vous en cabine.",
        ),
    ],
)

block(
    "public/enregistrement.md",
    "checkin",
    [
        (
            "Je m'enregistre quand sur internet ? Tu peux me rappeler les horaires ?",
            "Bien sûr : l'enregistrement en ligne ouvre 30 heures avant ton départ et ferme 1 heure avant, sur notre site ou dans l'application.",
        ),
        (
            "L'enregistrement en ligne ferme combien de temps avant le vol ?",
            "L'enregistrement en ligne ferme 1 heure avant le départ. Il ouvre 30 heures avant.",
        ),
        (
            "À quelle heure ferme le comptoir pour un vol Nantes-Lyon ?",
            "Nantes–Lyon est un vol intérieur : le comptoir d'enregistrement ferme 45 minutes avant le départ.",
        ),
        (
            "Pour un vol vers Dublin, le comptoir ferme quand ?",
            "Pour les vols internationaux comme Dublin, le comptoir d'enregistrement ferme 60 minutes avant le départ.",
        ),
        (
            "À quelle heure ferme la porte d'embarquement ?",
            "La porte d'embarquement ferme 20 minutes avant le départ. Après sa fermeture, plus aucun passager ne peut être accepté à bord, même enregistré.",
        ),
        (
            "Je suis enregistré mais j'arrive à la porte 15 minutes avant le départ, je peux monter ?",
            "Malheureusement non : la porte d'embarquement ferme 20 minutes avant le départ et aucun passager ne peut plus embarquer ensuite, même s'il est enregistré.",
        ),
        (
            "L'enregistrement en ligne est-il payant avec le tarif Essentiel ?",
            "Non, l'enregistrement en ligne est gratuit pour tous les tarifs, Essentiel compris.",
        ),
        (
            "Je voyage avec mon chat, je peux m'enregistrer en ligne ?",
            "Les passagers voyageant avec un animal en cabine doivent s'enregistrer au comptoir de l'aéroport, tout comme les mineurs non accompagnés et les personnes ayant demandé une assistance.",
        ),
        (
            "À quelle heure ouvrent vos comptoirs à l'aéroport ?",
            "Nos comptoirs d'enregistrement ouvrent 2 heures avant le départ. Ils ferment 45 minutes avant un vol intérieur et 60 minutes avant un vol international.",
        ),
        (
            "Je dois arriver combien de temps à l'avance à l'aéroport ?",
            "Nous vous conseillons d'arriver au moins 1 h 30 avant un vol intérieur et 2 heures avant un vol international.",
        ),
        (
            "Quelle pièce d'identité faut-il pour un vol vers Genève ?",
            "Pour Genève, comme pour Bruxelles, Porto et Dublin, une carte d'identité ou un passeport en cours de validité est obligatoire, au même nom que la réservation.",
        ),
        (
            "Faut-il imprimer sa carte d'embarquement ?",
            "Ce n'est pas nécessaire : votre carte d'embarquement, envoyée par e-mail en PDF et disponible dans l'application, peut être présentée sur votre smartphone ou imprimée.",
        ),
        (
            "Quand commence l'embarquement ?",
            "L'embarquement commence généralement 40 minutes avant le départ, et la porte ferme 20 minutes avant.",
        ),
        (
            "De quoi ai-je besoin pour m'enregistrer en ligne ?",
            "Il vous suffit de votre référence de réservation à 6 caractères et de votre nom, sur notre site ou dans l'application Hirondelle Air.",
        ),
    ],
)

block(
    "public/modification-annulation.md",
    "booking_change",
    [
        (
            "Comment modifier la date de mon vol ?",
            "Si votre tarif le permet (Flex ou Liberté), vous pouvez modifier votre vol en ligne dans « Mes réservations » ou auprès de notre service client au 02 40 00 12 34. Le billet Essentiel n'est pas modifiable.",
        ),
        (
            "Y a-t-il des frais pour changer un billet Flex ?",
            "Aucuns frais de modification ne sont facturés sur un billet Flex jusqu'à 24 heures avant le départ : vous payez seulement l'éventuelle différence de tarif.",
        ),
        (
            "Mon vol Flex part dans 10 heures, je peux encore le changer ?",
            "À moins de 24 heures du départ, un billet Flex ne peut plus être modifié. Vous pouvez en revanche l'annuler et être remboursé, avec 30 € de frais par passager et par vol.",
            "refund",
        ),
        (
            "Si le nouveau vol est moins cher, est-ce qu'on me rembourse la différence ?",
            "Non, lorsque le nouveau vol est moins cher, la différence n'est pas remboursée. S'il est plus cher, vous payez uniquement la différence de tarif.",
        ),
        (
            "Sous quel délai suis-je remboursé après une annulation ?",
            "Le remboursement est effectué sur le moyen de paiement utilisé lors de l'achat, dans un délai de 7 jours ouvrés après votre demande.",
            "refund",
        ),
        (
            "Hirondelle Air a annulé mon vol, quelles sont mes options ?",
            "Quel que soit votre tarif, vous avez le choix entre un réacheminement sans frais vers votre destination et le remboursement intégral de votre billet. Une indemnisation peut aussi être due selon les circonstances.",
            "refund",
        ),
        (
            "Avec un billet Liberté, jusqu'à quand je peux changer mon vol ?",
            "Avec un billet Liberté, les modifications sont gratuites jusqu'au départ ; seule une éventuelle différence de tarif reste à payer.",
        ),
        (
            "Est-ce que je peux ajouter un bagage après avoir réservé un Essentiel ?",
            "Oui, bagages supplémentaires, équipements sportifs, animaux en cabine et choix de siège peuvent être ajoutés après la réservation, quel que soit le tarif.",
            "baggage",
        ),
        (
            "J'annule mon billet Liberté, on me rembourse tout ?",
            "Oui, un billet Liberté est remboursé intégralement jusqu'au départ du vol, sur le moyen de paiement d'origine.",
            "refund",
        ),
        (
            "Je dois annuler un Flex pour deux personnes, combien vous retenez ?",
            "Nous retenons 30 € de frais par passager et par vol ; pour deux personnes sur un vol, cela fait donc 60 €, le reste vous étant remboursé.",
            "refund",
        ),
    ],
)

block(
    "public/remboursement-taxes.md",
    "refund",
    [
        (
            "Puis-je récupérer les taxes d'un billet Essentiel non utilisé ?",
            "Oui, si vous ne voyagez pas, les taxes d'aéroport d'un billet Essentiel peuvent être remboursées sur demande, dans un délai de 2 mois après la date du vol.",
        ),
        (
            "Quel est le délai pour demander le remboursement des taxes ?",
            "Votre demande doit nous parvenir dans les 2 mois suivant la date du vol non effectué ; au-delà, elle ne peut plus être acceptée.",
        ),
        (
            "Le remboursement des taxes est-il automatique ?",
            "Non, il se fait uniquement sur demande, depuis « Mes réservations » ou par e-mail à contact@hirondelle-air.example.",
        ),
        (
            "Combien de temps pour recevoir le remboursement des taxes ?",
            "Votre demande est traitée sous 7 jours ouvrés à compter de sa réception, et le montant est reversé sur le moyen de paiement utilisé lors de la réservation.",
        ),
        (
            "J'ai fait l'aller mais pas le retour, je peux récupérer quelque chose ?",
            "Oui, sur un billet Essentiel, seules les taxes du vol retour non effectué sont remboursables, sur demande dans les 2 mois suivant la date de ce vol.",
        ),
        (
            "Y a-t-il des frais de dossier pour le remboursement des taxes ?",
            "Non, aucuns frais de dossier ne sont retenus pour une demande de remboursement des taxes faite en ligne.",
        ),
        (
            "Quelles taxes me seront remboursées ?",
            "Nous remboursons les taxes liées à votre présence effective : taxe d'aéroport, redevance passagers, taxe de sûreté et taxe de solidarité sur les billets d'avion.",
        ),
        (
            "Le siège que j'avais payé est-il remboursé avec les taxes ?",
            "Non, les frais de services optionnels comme le choix du siège ou un bagage supplémentaire ne sont pas remboursés, sauf si le vol a été annulé par Hirondelle Air.",
        ),
        (
            "Mon vol non effectué date d'il y a 3 mois, puis-je encore demander les taxes ?",
            "Malheureusement non : la demande de remboursement des taxes doit être faite dans les 2 mois suivant la date du vol non effectué.",
        ),
        (
            "J'ai un billet Flex, dois-je faire une demande séparée pour les taxes ?",
            "Non, pour les billets Flex et Liberté, les taxes sont incluses dans le remboursement prévu par votre tarif : aucune démarche séparée n'est nécessaire.",
        ),
    ],
)

block(
    "public/retards-indemnisation.md",
    "compensation",
    [
        (
            "Mon vol Nantes-Marseille est arrivé avec 4 heures de retard, ai-je droit à une indemnisation ?",
            "Pour un retard de 3 heures ou plus à l'arrivée sur un vol de moins de 1 500 km comme Nantes–Marseille, l'indemnisation prévue par le règlement européen 261/2004 est de 250 € par passager, sauf circonstances extraordinaires.",
        ),
        (
            "Combien touche-t-on pour un retard de plus de 3 heures sur Nantes-Porto ?",
            "Pour Porto, comme pour Dublin (vols de 1 500 à 3 500 km), l'indemnisation est de 400 € par passager en cas d'arrivée avec 3 heures de retard ou plus, sauf circonstances extraordinaires.",
        ),
        (
            "À partir de combien d'heures de retard suis-je indemnisé ?",
            "L'indemnisation est possible à partir de 3 heures de retard à l'arrivée à destination : 250 € jusqu'à 1 500 km, 400 € de 1 500 à 3 500 km.",
        ),
        (
            "Mon vol a été retardé à cause du brouillard, vous allez m'indemniser ?",
            "Les conditions météorologiques sont des circonstances extraordinaires : l'indemnisation n'est pas due dans ce cas. Notre devoir d'assistance (rafraîchissements, repas, hôtel si nécessaire) reste en revanche applicable.",
        ),
        (
            "Une grève des contrôleurs aériens donne-t-elle droit à une indemnisation ?",
            "Non, une grève du contrôle aérien est une circonstance extraordinaire : l'indemnisation n'est pas due, mais nous assurons la prise en charge pendant l'attente.",
        ),
        (
            "Comment est calculé le retard ?",
            "Le retard est calculé à l'heure d'arrivée, au moment où une porte de l'avion s'ouvre à destination.",
        ),
        (
            "Que proposez-vous pendant un long retard ?",
            "Dès 2 heures de retard, nous proposons des rafraîchissements et des repas selon l'attente ; si le départ est reporté au lendemain, nous prenons en charge l'hôtel et le transport vers l'hôtel.",
        ),
        (
            "Mon vol a été annulé 3 semaines avant, ai-je droit à une indemnisation ?",
            "Non, l'indemnisation n'est pas due si vous avez été prévenu au moins 14 jours avant le départ. Vous gardez le choix entre un réacheminement et le remboursement de votre billet.",
        ),
        (
            "Comment faire une demande d'indemnisation ?",
            "Déposez votre demande via le formulaire de réclamation sur notre site ou par e-mail à contact@hirondelle-air.example, avec votre référence de réservation et vos cartes d'embarquement.",
        ),
        (
            "L'indemnisation est-elle versée en argent ou en bon ?",
            "Le montant est versé par virement ou, si vous le préférez, sous forme de bon d'achat.",
        ),
        (
            "Vol pour Bastia avec 3h30 de retard, combien je peux toucher ?",
            "Bastia fait partie des vols jusqu'à 1 500 km : l'indemnisation est de 250 € par passager pour une arrivée avec 3 heures de retard ou plus, sauf circonstances extraordinaires.",
        ),
        (
            "J'ai dû payer mon repas pendant le retard, je peux être remboursé ?",
            "Oui, conservez vos justificatifs : si vous avez dû avancer des frais de repas pendant l'attente, joignez-les à votre demande via le formulaire de réclamation.",
        ),
    ],
)

block(
    "public/animaux.md",
    "pets",
    [
        (
            "Puis-je voyager avec mon chien en cabine ?",
            "Oui, les chiens et les chats sont acceptés en cabine si leur poids, sac de transport compris, ne dépasse pas 8 kg. Le transport coûte 60 € par vol.",
        ),
        (
            "Combien coûte le transport d'un chat ?",
            "Le transport d'un chat ou d'un chien en cabine coûte 60 € par vol.",
        ),
        (
            "Mon chien pèse 7 kg et son sac 2 kg, est-ce qu'il peut venir ?",
            "Malheureusement non : la limite de 8 kg s'applique au poids total de l'animal et de son sac de transport, soit 9 kg dans votre cas.",
        ),
        (
            "Combien d'animaux acceptez-vous par vol ?",
            "Nous acceptons au maximum 2 animaux en cabine par vol, c'est pourquoi nous vous conseillons de réserver le plus tôt possible.",
        ),
        (
            "Mon chien peut-il voyager en soute ?",
            "Non, Hirondelle Air ne transporte pas d'animaux en soute. Seuls les chiens et chats de 8 kg maximum, sac compris, voyagent en cabine.",
        ),
        (
            "Les chiens guides doivent-ils payer ?",
            "Non, les chiens d'assistance et chiens guides voyagent gratuitement en cabine, aux pieds de leur maître, sans limite de poids.",
        ),
        (
            "Comment réserver une place pour mon animal ?",
            "La réservation se fait auprès de notre service client au 02 40 00 12 34, au plus tard 48 heures avant le départ.",
        ),
        (
            "Salut, je peux emmener mon lapin nain avec moi en cabine ?",
            "Désolé, seuls les chiens et les chats sont acceptés en cabine sur nos vols : ton lapin ne pourra pas voyager avec toi.",
        ),
        (
            "Quelle taille pour le sac de transport de mon chat ?",
            "Le sac de transport doit être souple et fermé, de 45 x 35 x 20 cm maximum, et rester sous le siège devant vous pendant tout le vol.",
        ),
        (
            "Si je prends mon chat, je garde mon bagage cabine ?",
            "Le sac de transport de l'animal remplace votre bagage cabine ; vous conservez en revanche votre accessoire personnel.",
        ),
        (
            "Quels papiers faut-il pour emmener mon chien à Dublin ?",
            "Votre chien doit être pucé, vacciné contre la rage et muni d'un passeport européen ; pour l'Irlande, il doit aussi avoir reçu un traitement contre l'échinococcose entre 1 et 5 jours avant l'arrivée.",
        ),
        (
            "À partir de quel âge un chiot peut-il voyager ?",
            "L'animal doit être âgé d'au moins 3 mois et être à jour de ses vaccinations.",
        ),
        (
            "Je voyage avec deux chats, c'est possible ?",
            "Un passager ne peut voyager qu'avec un seul animal en cabine. Pour deux chats, il faudra deux passagers, dans la limite de 2 animaux par vol.",
        ),
    ],
)

block(
    "public/mineurs-non-accompagnes.md",
    "minors",
    [
        (
            "Mon fils de 8 ans peut-il prendre l'avion seul ?",
            "Oui, avec notre service d'accompagnement, obligatoire de 5 à 11 ans. Il coûte 70 € par trajet, en plus du billet.",
        ),
        (
            "Combien coûte le service mineur non accompagné ?",
            "Le service coûte 70 € par enfant et par trajet (segment de vol), soit 140 € pour un aller-retour.",
        ),
        (
            "Ma fille a 14 ans, le service d'accompagnement est-il obligatoire ?",
            "Non, de 12 à 17 ans le service est facultatif. Vous pouvez le demander si vous le souhaitez, au même tarif de 70 € par trajet.",
        ),
        (
            "Un enfant de 4 ans peut-il voyager seul ?",
            "Non, un enfant de moins de 5 ans ne peut pas voyager seul sur nos vols.",
        ),
        (
            "Comment réserver l'accompagnement pour mon enfant ?",
            "Le service se réserve à l'achat du billet ou au plus tard 48 heures avant le départ auprès de notre service client au 02 40 00 12 34 (du lundi au samedi, 8 h–20 h). Il ne peut pas être ajouté à l'aéroport.",
        ),
        (
            "Qui peut récupérer l'enfant à l'arrivée ?",
            "L'enfant est remis uniquement à la personne indiquée sur le formulaire de prise en charge, sur présentation d'une pièce d'identité originale.",
        ),
        (
            "Dois-je rester à l'aéroport après avoir confié mon enfant ?",
            "Oui, l'adulte qui accompagne l'enfant au départ doit rester à l'aéroport jusqu'au décollage de l'avion.",
        ),
        (
            "Mon fils de 10 ans voyage avec sa cousine de 17 ans, faut-il le service ?",
            "Non, le service n'est obligatoire que si l'enfant de 5 à 11 ans voyage sans un passager âgé d'au moins 16 ans ; avec sa cousine de 17 ans, il n'est pas requis.",
        ),
        (
            "Le service enfant seul existe-t-il avec une correspondance ?",
            "Non, le service d'accompagnement est proposé uniquement sur nos vols directs.",
        ),
        (
            "Quels documents pour un enfant qui voyage seul à Bruxelles ?",
            "Pour un vol international, l'enfant doit avoir sa propre carte d'identité ou son passeport, ainsi qu'une autorisation de sortie du territoire avec la copie de la pièce d'identité du parent signataire.",
        ),
        (
            "Combien de temps avant le vol faut-il être au comptoir avec l'enfant ?",
            "Présentez-vous au comptoir d'enregistrement au moins 1 h 30 avant le départ, avec l'enfant, sa pièce d'identité et le formulaire de prise en charge signé.",
        ),
    ],
)

block(
    "public/bebes-et-enfants.md",
    "infants",
    [
        (
            "Combien paie un bébé de 10 mois ?",
            "Un bébé de moins de 2 ans voyage sur les genoux d'un adulte et paie 10 % du tarif adulte, taxes en sus.",
        ),
        (
            "Mon bébé a-t-il droit à un siège ?",
            "Un bébé de moins de 2 ans voyage sur les genoux d'un parent, sans siège attribué ; une ceinture adaptée est remise par l'équipage.",
        ),
        (
            "Je voyage seule avec mes jumeaux de 6 mois, c'est possible ?",
            "Un adulte ne peut voyager qu'avec un seul bébé sur les genoux. Le deuxième bébé doit voyager avec un second adulte, ou occuper son propre siège au tarif enfant dans un siège auto homologué.",
        ),
        (
            "La poussette est-elle gratuite ?",
            "Oui, une poussette pliable voyage gratuitement, en plus de votre franchise bagages. Vous pouvez la garder jusqu'à la porte de l'avion et elle vous est rendue à la descente.",
        ),
        (
            "Puis-je emporter un siège auto pour mon bébé ?",
            "Oui, un siège auto ou un lit parapluie peut être enregistré gratuitement en soute, en plus de votre franchise bagages.",
        ),
        (
            "À partir de quel âge un nouveau-né peut-il prendre l'avion ?",
            "Nous acceptons les bébés à partir de 7 jours.",
        ),
        (
            "Mon fils aura 2 ans pendant les vacances, que se passe-t-il pour le retour ?",
            "S'il atteint 2 ans entre l'aller et le retour, il devra avoir son propre siège au tarif enfant pour le vol retour. Contactez notre service client pour mettre à jour la réservation.",
        ),
        (
            "Tu sais si je peux garder le lait de mon bébé en cabine ?",
            "Oui, le lait, les petits pots et l'eau nécessaires à ton bébé pendant le voyage sont autorisés en cabine, même au-delà de 100 ml.",
        ),
        (
            "Serons-nous assis à côté de notre enfant de 6 ans ?",
            "Oui, nous plaçons toujours les enfants de moins de 12 ans à côté d'au moins un adulte de la même réservation, sans frais de choix de siège.",
        ),
        (
            "Y a-t-il une table à langer dans l'avion ?",
            "Les toilettes de nos Embraer E195-E2 sont équipées de tables à langer. Sur nos ATR 72-600, l'équipage vous indiquera la meilleure solution.",
            "onboard",
        ),
        (
            "Un enfant de 3 ans a-t-il la même franchise bagages qu'un adulte ?",
            "Oui, dès 2 ans, l'enfant a son propre siège et bénéficie de la même franchise bagages que l'adulte selon le tarif choisi.",
        ),
    ],
)

block(
    "public/programme-plume.md",
    "loyalty",
    [
        (
            "Comment gagne-t-on des points Plume ?",
            "Vous gagnez 1 point Plume par euro dépensé sur notre site ou dans l'application : billets (hors taxes), bagages, sièges, équipements sportifs et achats à bord.",
        ),
        (
            "Combien de points faut-il pour être Argent ?",
            "Le statut Plume Argent est atteint avec 15 000 points gagnés dans l'année civile.",
        ),
        (
            "Il faut combien de points pour le statut Or ?",
            "Le statut Plume Or est accordé à partir de 40 000 points gagnés dans l'année civile, du 1er janvier au 31 décembre.",
        ),
        (
            "Mes points Plume expirent-ils ?",
            "Vos points expirent après 24 mois sans activité sur votre compte ; chaque vol, achat ou utilisation de points prolonge leur validité de 24 mois.",
        ),
        (
            "Est-ce que l'adhésion à Plume est payante ?",
            "Non, l'adhésion au programme Plume est gratuite et ouverte dès 12 ans, sur notre site ou dans l'application.",
        ),
        (
            "Quels avantages avec le statut Or ?",
            "Le statut Plume Or offre les avantages Argent plus l'embarquement prioritaire, un bagage en soute supplémentaire de 23 kg et le choix de tous les sièges offerts.",
        ),
        (
            "Que m'apporte le statut Argent ?",
            "Le statut Plume Argent vous donne l'enregistrement prioritaire au comptoir et le choix du siège standard offert.",
        ),
        (
            "Dis-moi, mes points Plume valent combien en euros ?",
            "Dès 2 000 points, tu peux les utiliser pour payer un billet : 2 000 points valent 20 € de réduction. Les taxes d'aéroport restent à régler en euros.",
        ),
        (
            "J'ai oublié de donner mon numéro Plume à la réservation, je perds mes points ?",
            "Non, vous pouvez demander l'ajout des points d'un vol effectué dans les 6 mois, depuis votre espace membre, rubrique « Points manquants ».",
        ),
        (
            "Je peux donner mes points à ma sœur ?",
            "Les points sont personnels et ne peuvent pas être cédés, mais vous pouvez les utiliser pour acheter un billet au nom d'un proche, comme votre sœur.",
        ),
        (
            "Quand les points sont-ils crédités après le vol ?",
            "Les points sont crédités sur votre compte Plume dans les 72 heures suivant le vol.",
        ),
        (
            "Mon statut Argent est valable combien de temps ?",
            "Une fois atteint, votre statut est valable jusqu'à la fin de l'année civile suivante.",
        ),
        (
            "Les taxes d'aéroport rapportent-elles des points ?",
            "Non, les points sont calculés sur le prix des billets hors taxes d'aéroport, à raison de 1 point par euro dépensé.",
        ),
    ],
)

block(
    "public/equipements-sportifs.md",
    "sports_equipment",
    [
        (
            "Combien coûte le transport d'un vélo ?",
            "Le transport d'un vélo coûte 50 € par vol, à condition qu'il soit emballé dans une housse ou un carton de transport.",
        ),
        (
            "Puis-je transporter mon vélo sans housse ?",
            "Non, les vélos ne sont acceptés que s'ils sont emballés dans une housse ou un carton prévu à cet effet, guidon tourné, pédales retirées et pneus partiellement dégonflés.",
        ),
        (
            "Quel est le tarif pour des skis ?",
            "Le transport d'une paire de skis (ou d'un snowboard) avec une paire de chaussures dans une housse coûte 35 € par vol.",
        ),
        (
            "Combien pour une planche de surf ?",
            "Une planche de surf voyage en soute pour 50 € par vol, dans une housse rigide ou rembourrée.",
        ),
        (
            "Le vélo compte-t-il dans ma franchise bagages ?",
            "Non, un équipement sportif n'est pas décompté de vos bagages en soute inclus : le forfait s'ajoute à votre franchise.",
        ),
        (
            "Acceptez-vous les vélos électriques ?",
            "Non, les vélos à assistance électrique ne sont pas acceptés en raison de leur batterie au lithium.",
        ),
        (
            "Quand dois-je réserver le transport de mes skis ?",
            "Réservez votre équipement au plus tard 48 heures avant le départ, en ligne dans « Mes réservations » ou auprès du service client ; un équipement non réservé peut être refusé faute de place.",
        ),
        (
            "Quel poids maximum pour un équipement sportif ?",
            "Chaque équipement sportif peut peser jusqu'à 32 kg ; au-delà, il ne peut pas être transporté.",
        ),
        (
            "Je pars avec mon vélo en aller-retour, tu peux me dire combien je vais payer ?",
            "Le tarif s'applique par vol : tu paieras 50 € à l'aller et 50 € au retour, soit 100 € pour ton aller-retour, vélo emballé dans une housse ou un carton.",
        ),
        (
            "Où dois-je déposer ma planche de surf à l'aéroport ?",
            "Enregistrez-vous au comptoir avant l'heure limite, puis remettez votre équipement au guichet « bagages hors format ».",
        ),
    ],
)

block(
    "public/en-fares.md",
    "booking_change",
    [
        (
            "What fares does Hirondelle Air offer?",
            "We offer three fares: Essentiel (cabin bag only, no changes, non-refundable except airport taxes), Flex (one 23 kg checked bag, free changes up to 24 hours before departure, refundable with a 30 € fee) and Liberté (two 23 kg checked bags, free changes and full refund until departure).",
        ),
        (
            "Can I change an Essentiel ticket?",
            "No, Essentiel tickets cannot be changed. If you need flexibility, the Flex fare allows free changes up to 24 hours before departure.",
        ),
        (
            "How much is the refund fee on a Flex ticket?",
            "A Flex ticket is refundable with a 30 € fee per passenger and per flight.",
            "refund",
        ),
        (
            "Is the Liberté fare fully refundable?",
            "Yes, Liberté tickets are fully refundable until departure.",
            "refund",
        ),
        (
            "How many checked bags come with the Flex fare?",
            "The Flex fare includes one 23 kg checked bag, plus your cabin bag and personal item.",
            "baggage",
        ),
        (
            "I won't fly on my Essentiel ticket. Can I get anything back?",
            "Only the airport taxes can be refunded, on request within 2 months of the flight date; requests are processed within 7 working days.",
            "refund",
        ),
        (
            "Can I upgrade from Essentiel to Flex?",
            'Yes, you can move from Essentiel to Flex or Liberté before check-in by paying the difference in "My bookings".',
        ),
        (
            "Does your customer service speak English?",
            "Yes, our team speaks French and English. Call +33 2 40 00 12 34 (Monday to Saturday, 8:00–20:00), use the web chat every day from 7:00 to 22:00, or e-mail contact@hirondelle-air.example.",
            "contact",
        ),
    ],
    lang="en",
)

block(
    "public/en-baggage-policy.md",
    "baggage",
    [
        (
            "What is the cabin bag size limit?",
            "Your cabin bag can be up to 55 x 35 x 25 cm and 8 kg, plus one personal item of up to 40 x 30 x 15 cm under the seat.",
        ),
        (
            "How much does an extra checked bag cost?",
            "An extra checked bag costs 25 € per flight when added online, or 45 € per flight at the airport.",
        ),
        (
            "My suitcase weighs 30 kg. What will I pay?",
            "Bags between 23 and 32 kg carry an overweight surcharge of 50 € per bag and per flight.",
        ),
        ("Do you accept bags over 32 kg?", "No, bags over 32 kg are refused. Please split the contents into two bags."),
        (
            "What happens if my cabin bag is too big at the gate?",
            "It will be placed in the hold at the gate and charged at the airport rate of 45 €.",
        ),
        (
            "How many checked bags does the Liberté fare include?",
            "The Liberté fare includes two checked bags of 23 kg each.",
        ),
        (
            "How much does it cost to bring my bike?",
            "A bike costs 50 € per flight and must be packed in a bike bag or box; please book it at least 48 hours before departure.",
            "sports_equipment",
        ),
        (
            "Can I put my power bank in my checked luggage?",
            "No, spare lithium batteries and power banks must be carried in the cabin, never in checked baggage.",
        ),
        (
            "My bag didn't arrive in Dublin. What should I do?",
            "Go to the baggage desk at the arrival airport before leaving the reclaim area, with your boarding pass and baggage tag; a report will be made and you will get a file reference.",
        ),
        (
            "What is the maximum size for a checked bag?",
            "The sum of length, width and height of a checked bag must not exceed 158 cm.",
        ),
    ],
    lang="en",
)

block(
    "public/en-check-in.md",
    "checkin",
    [
        (
            "When does online check-in open?",
            "Online check-in opens 30 hours before departure and closes 1 hour before departure.",
        ),
        (
            "When do check-in desks close for a flight to Geneva?",
            "Geneva is an international flight, so check-in desks close 60 minutes before departure.",
        ),
        (
            "What time do the desks close for domestic flights?",
            "For domestic flights (Lyon, Marseille, Nice, Toulouse, Strasbourg, Ajaccio, Bastia), desks close 45 minutes before departure.",
        ),
        (
            "When does the boarding gate close?",
            "The boarding gate closes 20 minutes before departure; after that, passengers can no longer board, even if checked in.",
        ),
        ("Is online check-in free?", "Yes, online check-in is free for all fares."),
        (
            "How early should I get to the airport?",
            "We recommend arriving at least 1 hour 30 minutes before a domestic flight and 2 hours before an international flight.",
        ),
        (
            "Do I need a passport to fly to Porto?",
            "For Porto, as for Brussels, Geneva and Dublin, a valid national ID card or passport is mandatory, and the name must match your booking.",
        ),
        (
            "Who gets priority boarding?",
            "Priority boarding is offered to families with children under 2, passengers receiving assistance and Plume Gold (Or) members.",
        ),
    ],
    lang="en",
)

block(
    "public/en-special-assistance.md",
    "accessibility",
    [
        (
            "Is wheelchair assistance free?",
            "Yes, assistance for passengers with reduced mobility is free of charge; please request it at least 48 hours before departure.",
        ),
        (
            "How far in advance must I request special assistance?",
            "Please request assistance at least 48 hours before departure, when booking or by calling our customer service.",
        ),
        (
            "How much does an infant ticket cost?",
            "An infant under 2 travels on a parent's lap and pays 10 % of the adult fare; only one infant per adult is allowed.",
            "infants",
        ),
        (
            "My daughter is 9 and flying alone. Is the escort service required?",
            "Yes, the unaccompanied minor service is mandatory for children aged 5 to 11 travelling without a passenger aged 16 or over; it costs 70 € per child and per flight segment.",
            "minors",
        ),
        (
            "Can I bring my cat on board?",
            "Yes, dogs and cats up to 8 kg including the carrier travel in the cabin for 60 € per flight, with a maximum of 2 pets per flight.",
            "pets",
        ),
        ("Do assistance dogs pay?", "No, assistance dogs travel free of charge in the cabin.", "pets"),
        (
            "Can my 16-year-old use the unaccompanied minor service?",
            "Yes, for young people aged 12 to 17 the service is optional and costs 70 € per flight segment.",
            "minors",
        ),
        (
            "Can my large dog travel in the hold?",
            "No, we do not carry animals in the hold; only dogs and cats up to 8 kg including the carrier travel, in the cabin.",
            "pets",
        ),
        (
            "How many mobility aids can I bring for free?",
            "Up to two mobility aids, for example a wheelchair and a walking frame, are carried free of charge in addition to your baggage allowance.",
        ),
    ],
    lang="en",
)

block(
    "public/destinations.html",
    "routes",
    [
        (
            "Quelles destinations desservez-vous depuis Nantes ?",
            "Au départ de Nantes, nous desservons toute l'année Lyon, Marseille, Nice, Toulouse, Strasbourg, Bruxelles, Genève, Porto et Dublin, ainsi qu'Ajaccio et Bastia en été.",
        ),
        (
            "Allez-vous en Corse ?",
            "Oui, l'été, du 1er juin au 30 septembre, nous desservons Ajaccio (4 vols par semaine) et Bastia (3 vols par semaine) au départ de Nantes.",
        ),
        ("Combien de temps dure le vol Nantes-Toulouse ?", "Le vol Nantes–Toulouse dure en moyenne 1 h 05."),
        (
            "Combien de vols par jour vers Lyon ?",
            "Nous proposons jusqu'à 3 vols par jour entre Nantes et Lyon, en ATR 72-600.",
        ),
        (
            "Quel avion pour aller à Dublin ?",
            "La ligne Nantes–Dublin, avec 1 vol par jour, est opérée en Embraer E195-E2.",
        ),
        (
            "Vous faites des vols avec escale ?",
            "Non, tous nos vols sont directs et Hirondelle Air ne vend pas de vols avec correspondance. Si vous combinez deux vols réservés séparément via Nantes, prévoyez au moins 2 heures et récupérez vos bagages entre les deux.",
        ),
        (
            "Combien de vols par semaine vers Porto ?",
            "Nous proposons 5 vols par semaine entre Nantes et Porto, en Embraer E195-E2, pour environ 1 h 35 de vol.",
        ),
        (
            "Est-ce que Genève est un vol international ?",
            "Oui, Genève, comme Bruxelles, Porto et Dublin, est un vol international : le comptoir ferme 60 minutes avant le départ et une pièce d'identité valide est obligatoire.",
        ),
        (
            "Quand ouvrent les réservations pour la Corse ?",
            "Les réservations pour nos vols d'été vers Ajaccio et Bastia ouvrent en général au mois de janvier.",
        ),
        (
            "Partez-vous d'un autre aéroport que Nantes ?",
            "Non, l'aéroport de Nantes Atlantique (NTE) est notre unique base : tous nos vols partent de Nantes ou y arrivent.",
        ),
        (
            "Dans quel aéroport arrivez-vous à Bruxelles ?",
            "Nos vols pour Bruxelles arrivent à Bruxelles-Zaventem (BRU), avec 2 vols par jour depuis Nantes.",
        ),
    ],
)

block(
    "public/contact.html",
    "contact",
    [
        (
            "Quel est votre numéro de téléphone ?",
            "Notre service client est joignable au 02 40 00 12 34 (+33 2 40 00 12 34 depuis l'étranger), du lundi au samedi de 8 h à 20 h.",
        ),
        (
            "Le service client est-il ouvert le dimanche ?",
            "Le téléphone est fermé le dimanche et les jours fériés, mais notre chat en ligne est ouvert 7 jours sur 7, de 7 h à 22 h.",
        ),
        (
            "Quels sont les horaires du chat ?",
            "Le chat est ouvert 7 jours sur 7, de 7 h à 22 h, sur notre site et dans l'application.",
        ),
        (
            "Quelle est votre adresse e-mail ?",
            "Vous pouvez nous écrire à contact@hirondelle-air.example, en indiquant votre référence de réservation ; nous répondons en général sous 72 heures.",
        ),
        (
            "L'appel au service client est-il surtaxé ?",
            "Non, l'appel au 02 40 00 12 34 est au prix d'un appel local, sans surcoût.",
        ),
        (
            "Tu peux me donner l'adresse postale de la compagnie ?",
            "Bien sûr : Hirondelle Air – Service clients, Aéroport Nantes Atlantique, 44340 Bouguenais, France.",
        ),
        (
            "Je ne suis pas satisfait de la réponse à ma réclamation, que faire ?",
            "Si notre réponse ne vous satisfait pas, ou sans réponse sous 60 jours, vous pouvez saisir gratuitement le Médiateur Tourisme et Voyage.",
        ),
        (
            "Où est votre comptoir à l'aéroport de Nantes ?",
            "Notre comptoir se trouve dans le hall 2 de l'aéroport de Nantes Atlantique, ouvert dès l'ouverture de l'enregistrement.",
        ),
        (
            "Quel canal utiliser pour réserver le transport de mon animal ?",
            "Le téléphone (02 40 00 12 34, du lundi au samedi de 8 h à 20 h) est le canal à privilégier pour les services spéciaux comme un animal en cabine ou un enfant voyageant seul.",
        ),
        (
            "Can I call you from abroad?",
            "Yes, from abroad please dial +33 2 40 00 12 34, Monday to Saturday from 8:00 to 20:00 (French time).",
            "contact",
            "en",
        ),
    ],
)

block(
    "public/assistance-pmr.html",
    "accessibility",
    [
        (
            "L'assistance pour personne à mobilité réduite est-elle payante ?",
            "Non, l'assistance PMR est entièrement gratuite, de l'aéroport de départ jusqu'à la sortie de l'aéroport d'arrivée.",
        ),
        (
            "Combien de temps à l'avance faut-il demander une assistance PMR ?",
            "Merci de demander l'assistance au moins 48 heures avant le départ, à la réservation ou par téléphone au 02 40 00 12 34.",
        ),
        (
            "J'ai oublié de demander l'assistance, que se passe-t-il ?",
            "Si la demande est faite moins de 48 heures avant le départ, nous ferons tout notre possible pour vous aider, mais l'assistance ne peut pas être garantie.",
        ),
        (
            "Mon fauteuil roulant est-il compté dans mes bagages ?",
            "Non, jusqu'à deux aides à la mobilité, comme un fauteuil roulant et un déambulateur, sont transportées gratuitement en plus de votre franchise bagages.",
        ),
        (
            "Puis-je garder mon fauteuil jusqu'à l'avion ?",
            "Oui, vous pouvez garder votre fauteuil manuel jusqu'à la porte de l'avion.",
        ),
        (
            "Que faut-il indiquer pour un fauteuil électrique ?",
            "Indiquez-nous le type de batterie, le poids et les dimensions du fauteuil au moment de votre demande d'assistance.",
        ),
        (
            "Où dois-je me présenter le jour du départ si j'ai demandé une assistance ?",
            "Présentez-vous au point d'accueil PMR de l'aéroport au moins 2 heures avant le départ ; un agent vous accompagnera jusqu'à votre siège.",
        ),
        ("Que signifie WCHC ?", "WCHC désigne un passager immobilisé qui a besoin d'aide jusqu'à son siège."),
        (
            "Dois-je voyager avec un accompagnateur ?",
            "Un accompagnateur est nécessaire si vous ne pouvez pas être autonome pendant le vol, par exemple pour vous alimenter, vous rendre aux toilettes ou prendre vos médicaments.",
        ),
        (
            "Comment monte-t-on à bord d'un ATR en fauteuil ?",
            "Sur nos ATR 72-600, l'accès à bord se fait par un élévateur ou une passerelle adaptée, et les passagers assistés embarquent en priorité.",
        ),
    ],
)

block(
    "public/services-a-bord.html",
    "onboard",
    [
        (
            "Y a-t-il quelque chose de gratuit à bord ?",
            "Oui, sur tous nos vols, nous offrons un verre d'eau et notre petit-beurre nantais ; les passagers en tarif Liberté reçoivent en plus une boisson chaude ou froide au choix.",
        ),
        (
            "Combien coûte un café dans l'avion ?",
            "Un café, un thé ou un chocolat chaud coûte 2,50 € au Comptoir de l'Hirondelle.",
        ),
        (
            "Peut-on payer en espèces à bord ?",
            "Non, le paiement à bord se fait uniquement par carte bancaire (sans contact accepté) ; les espèces ne sont pas acceptées.",
        ),
        (
            "Proposez-vous un sandwich végétarien ?",
            "Oui, notre carte propose un sandwich jambon-beurre ou végétarien à 6,50 €, ou en formule avec une boisson froide à 8,50 €.",
        ),
        (
            "Je peux apporter mon propre repas ?",
            "Oui, vous pouvez consommer vos propres aliments et boissons non alcoolisées achetés après le contrôle de sûreté ; l'alcool personnel est en revanche interdit à bord.",
        ),
        (
            "Servez-vous de l'alcool ?",
            "Oui, notre carte propose un Muscadet Sèvre-et-Maine (18,7 cl) à 6 €, servi uniquement aux passagers majeurs.",
        ),
        (
            "Puis-je téléphoner pendant le vol ?",
            "Les téléphones peuvent être utilisés en mode avion pendant tout le vol, mais les appels téléphoniques ne sont pas autorisés à bord.",
        ),
        (
            "Les achats à bord rapportent-ils des points Plume ?",
            "Oui, vos achats à bord rapportent des points Plume si vous présentez votre carte de membre.",
            "loyalty",
        ),
        (
            "Avez-vous un magazine à bord ?",
            "Oui, notre magazine de bord Envolées, publié quatre fois par an, est dans la pochette de votre siège et en téléchargement gratuit sur notre application.",
        ),
        (
            "Que comprend la formule sandwich ?",
            "La formule à 8,50 € comprend un sandwich (jambon-beurre ou végétarien) et une boisson froide.",
        ),
    ],
)

block(
    "public/politique-confidentialite.html",
    "privacy",
    [
        (
            "Comment contacter votre délégué à la protection des données ?",
            "Vous pouvez écrire à notre délégué à la protection des données à dpo@hirondelle-air.example, en joignant un justificatif d'identité.",
        ),
        (
            "Combien de temps gardez-vous mes données de réservation ?",
            "Vos réservations et données de voyage sont conservées 5 ans après le vol ; les pièces comptables, elles, sont conservées 10 ans.",
        ),
        (
            "Les conversations avec le chat sont-elles conservées ?",
            "Oui, les conversations de chat et les e-mails du service client sont conservés 2 ans.",
        ),
        (
            "Mes appels au service client sont-ils enregistrés ?",
            "Les appels peuvent être enregistrés ; les enregistrements sont conservés 6 mois.",
        ),
        (
            "Vendez-vous mes données personnelles ?",
            "Non, nous ne vendons jamais vos données. Elles sont transmises uniquement aux destinataires nécessaires, comme les aéroports ou les autorités lorsque la loi l'exige.",
        ),
        (
            "Conservez-vous mon numéro de carte bancaire ?",
            "Non, les paiements sont traités par notre prestataire certifié et nous ne conservons jamais votre numéro de carte complet.",
        ),
        (
            "Sous quel délai répondez-vous à une demande d'accès à mes données ?",
            "Nous répondons aux demandes d'exercice de vos droits dans un délai d'un mois.",
        ),
        (
            "Comment supprimer mes données personnelles ?",
            "Vous pouvez exercer votre droit d'effacement en écrivant à dpo@hirondelle-air.example avec un justificatif d'identité ; vous pouvez aussi saisir la CNIL si nécessaire.",
        ),
        ("Où sont hébergées mes données ?", "Nos sous-traitants informatiques sont hébergés dans l'Union européenne."),
        (
            "Who is the data controller for my personal data?",
            "Hirondelle Air SAS, headquartered at Nantes Atlantique airport (44340 Bouguenais), is the data controller; you can contact our data protection officer at dpo@hirondelle-air.example.",
            "privacy",
            "en",
        ),
    ],
)

block(
    "public/flotte.html",
    "routes",
    [
        (
            "Combien d'avions possède Hirondelle Air ?",
            "Notre flotte compte 9 avions : 6 ATR 72-600 et 3 Embraer E195-E2.",
        ),
        ("Combien de places dans un ATR 72-600 ?", "Nos ATR 72-600 comptent 72 sièges, en configuration 2-2."),
        (
            "Quelle est la capacité de vos Embraer ?",
            "Nos Embraer E195-E2 offrent 132 sièges, en configuration 2-2, donc sans siège du milieu.",
        ),
        (
            "Quelles sont les immatriculations de vos ATR ?",
            "Nos six ATR 72-600 sont immatriculés F-HIRA, F-HIRB, F-HIRC, F-HIRD, F-HIRE et F-HIRF.",
        ),
        (
            "Pourquoi il n'y a pas de F-HIRI dans votre flotte ?",
            "La lettre I est évitée en dernière position pour ne pas être confondue avec le chiffre 1 : nos Embraer sont donc immatriculés F-HIRG, F-HIRH et F-HIRJ.",
        ),
        (
            "Depuis quand existe Hirondelle Air ?",
            "Hirondelle Air a été fondée à Nantes en 2009, avec deux ATR sur les lignes Nantes–Lyon et Nantes–Toulouse.",
        ),
        (
            "L'ATR est-il un avion à hélices ?",
            "Oui, l'ATR 72-600 est un biturbopropulseur régional conçu en France, qui consomme jusqu'à 40 % de carburant de moins qu'un avion à réaction régional sur les lignes courtes.",
        ),
        (
            "Sur quelles lignes vole l'Embraer E195-E2 ?",
            "Nos E195-E2 opèrent principalement Nice, Porto, Dublin et, en été, Ajaccio et Bastia.",
        ),
        (
            "Où se trouve le siège d'Hirondelle Air ?",
            "Notre siège et notre base unique se trouvent à l'aéroport de Nantes Atlantique.",
            "contact",
        ),
    ],
)

block(
    "public/objets-interdits.html",
    "baggage",
    [
        (
            "Puis-je emporter ma batterie externe dans l'avion ?",
            "Oui, en cabine uniquement : les batteries externes jusqu'à 100 Wh sont acceptées, 2 au maximum par passager. Elles sont interdites en soute.",
        ),
        (
            "Une batterie de 140 Wh est-elle autorisée ?",
            "Une batterie de 100 à 160 Wh est acceptée en cabine uniquement avec l'accord préalable d'Hirondelle Air ; au-delà de 160 Wh, elle est interdite.",
        ),
        (
            "Ma cigarette électronique peut-elle aller en soute ?",
            "Non, la cigarette électronique doit voyager en cabine, et son usage est interdit à bord.",
        ),
        (
            "Puis-je garder mon couteau suisse en cabine ?",
            "Les couteaux dont la lame dépasse 6 cm sont interdits en cabine mais acceptés en soute. Dans tous les cas, les agents de sûreté ont le dernier mot.",
        ),
        (
            "Combien de briquets ai-je le droit d'emporter ?",
            "Un seul briquet ou une seule boîte d'allumettes par passager, à garder sur soi ; ils sont interdits en soute.",
        ),
        (
            "Mon réchaud de camping avec cartouche de gaz peut-il voyager ?",
            "Non, les réchauds de camping avec cartouche et les gaz inflammables sont interdits en cabine comme en soute.",
        ),
        (
            "Comment transporter une arme de chasse ?",
            "Les armes à feu et munitions sont interdites, sauf autorisation spécifique demandée au moins 72 heures à l'avance auprès de notre service client.",
        ),
        (
            "Un objet confisqué au contrôle me sera-t-il rendu ?",
            "Non, un objet refusé au contrôle de sûreté ne pourra pas vous être restitué.",
        ),
        (
            "Puis-je prendre mes outils de bricolage en cabine ?",
            "Non, les outils (tournevis, marteaux, clés) sont interdits en cabine ; placez-les dans votre bagage en soute.",
        ),
        (
            "Combien de sacs de liquides par personne ?",
            "Un seul sac plastique transparent refermable d'un litre par passager, avec des contenants de 100 ml maximum chacun.",
        ),
    ],
)

block(
    "public/en-delays-compensation.html",
    "compensation",
    [
        (
            "My flight to Nice arrived 3 hours late. Am I entitled to compensation?",
            "Yes, for a flight up to 1,500 km such as Nice, compensation is 250 € per passenger when you arrive 3 hours or more late, unless the delay was caused by extraordinary circumstances.",
        ),
        (
            "How much compensation for a long delay on the Dublin flight?",
            "For Dublin and Porto (1,500 to 3,500 km), compensation is 400 € per passenger for an arrival delay of 3 hours or more, unless extraordinary circumstances apply.",
        ),
        (
            "Is compensation due if the delay was caused by a storm?",
            "No, weather conditions incompatible with safe operation are extraordinary circumstances, so no compensation is due; we still provide care during the wait.",
        ),
        (
            "Do you provide food during a delay?",
            "Yes, from a 2-hour delay we provide refreshments and meals in reasonable relation to the waiting time.",
        ),
        (
            "My flight was postponed to the next day. Will you pay for a hotel?",
            "Yes, if your flight is postponed to the next day, we provide hotel accommodation and transport between the airport and the hotel.",
        ),
        (
            "How do I claim compensation?",
            "Fill in the claim form on our website or e-mail contact@hirondelle-air.example with your booking reference and boarding passes; compensation is paid by bank transfer or as a voucher.",
        ),
        (
            "My flight was cancelled two weeks in advance. Can I claim compensation?",
            "If you were informed at least 14 days before departure, no compensation is due, but you can still choose between re-routing and a full refund.",
        ),
        (
            "Does an air traffic control strike give right to compensation?",
            "No, air traffic control strikes are extraordinary circumstances, so compensation is not payable; care during the wait still applies.",
        ),
    ],
    lang="en",
)

block(
    "public/conditions-generales-transport.pdf",
    "booking_change",
    [
        (
            "Le billet est-il cessible à une autre personne ?",
            "Non, le billet est nominatif et ne peut pas être cédé à une autre personne.",
        ),
        (
            "Quelle est la limite de responsabilité pour un bagage perdu ?",
            "Conformément à la Convention de Montréal, notre responsabilité pour les bagages est limitée à 1 288 droits de tirage spéciaux par passager, sauf déclaration spéciale d'intérêt.",
            "baggage",
        ),
        (
            "Sous quel délai dois-je signaler un bagage endommagé ?",
            "Les dommages doivent être signalés par écrit dans les 7 jours suivant la réception du bagage.",
            "baggage",
        ),
        (
            "J'ai reçu ma valise en retard, combien de temps ai-je pour réclamer ?",
            "Un retard de livraison de bagage doit être signalé par écrit dans les 21 jours.",
            "baggage",
        ),
        (
            "Pouvez-vous refuser de me faire embarquer si j'ai trop bu ?",
            "Oui, nos conditions de transport prévoient que le transport peut être refusé à un passager en état d'ébriété ou dont le comportement menace la sécurité à bord.",
        ),
        (
            "Que se passe-t-il si j'arrive après l'heure limite d'enregistrement ?",
            "Au-delà des heures limites (45 minutes avant un vol intérieur, 60 minutes avant un vol international au comptoir), l'embarquement peut être refusé sans indemnisation.",
            "checkin",
        ),
        (
            "Quel texte régit votre responsabilité en cas d'accident ou de bagage perdu ?",
            "Notre responsabilité est régie par la Convention de Montréal de 1999.",
            "baggage",
        ),
        (
            "Depuis quand vos conditions générales sont-elles en vigueur ?",
            "La version actuelle de nos conditions générales de transport est en vigueur depuis le 1er janvier 2026.",
        ),
        (
            "À qui m'adresser en dernier recours pour un litige ?",
            "À défaut de réponse satisfaisante sous 60 jours, vous pouvez saisir gratuitement le Médiateur Tourisme et Voyage.",
            "contact",
        ),
    ],
)

block(
    "public/guide-ete-corse-2026.pdf",
    "routes",
    [
        (
            "Quels jours y a-t-il des vols Nantes-Ajaccio ?",
            "À l'été 2026, les vols Nantes–Ajaccio ont lieu les lundis, mercredis, vendredis et dimanches, avec un départ de Nantes à 9 h 40.",
        ),
        (
            "À quelle heure part le vol pour Bastia ?",
            "Le vol Nantes–Bastia part de Nantes à 10 h 15 et arrive à Bastia à 12 h 05, les mardis, jeudis et samedis.",
        ),
        (
            "Volez-vous vers la Corse en octobre ?",
            "Non, nos lignes vers Ajaccio et Bastia sont ouvertes du 1er juin au 30 septembre ; en dehors de cette période, la Corse n'est pas desservie.",
        ),
        ("À quelle heure est le retour depuis Ajaccio ?", "Le vol retour part d'Ajaccio à 12 h 10, à titre indicatif."),
        (
            "Quel tarif conseillez-vous pour une semaine en Corse avec une valise ?",
            "Pour une semaine avec une valise, le tarif Flex, qui inclut un bagage en soute de 23 kg, est souvent le plus avantageux.",
            "booking_change",
        ),
        (
            "Puis-je emporter mon paddle pour la Corse ?",
            "Pour un kayak, un paddle ou du matériel de plongée, contactez notre service client avant de réserver.",
            "sports_equipment",
        ),
        (
            "Quel avion assure les vols vers la Corse ?",
            "Les vols vers Ajaccio et Bastia sont opérés en Embraer E195-E2 de 132 sièges.",
        ),
        (
            "Faut-il un passeport pour aller à Bastia ?",
            "Non, les vols vers la Corse sont des vols intérieurs : une pièce d'identité avec photo suffit.",
            "checkin",
        ),
    ],
)

block(
    "public/formulaire-reclamation.docx",
    "compensation",
    [
        (
            "Quels documents joindre à ma réclamation ?",
            "Joignez les cartes d'embarquement de tous les passagers concernés, les justificatifs de vos dépenses, et pour un bagage le numéro de dossier et l'étiquette ; ajoutez un RIB si vous souhaitez être payé par virement.",
        ),
        (
            "Où envoyer le formulaire de réclamation ?",
            "Envoyez-le avec vos justificatifs à contact@hirondelle-air.example ou par courrier à Hirondelle Air – Service clients, Aéroport Nantes Atlantique, 44340 Bouguenais.",
        ),
        (
            "Sous combien de temps accusez-vous réception d'une réclamation ?",
            "Nous accusons réception de votre demande sous 72 heures.",
        ),
        (
            "Faut-il un RIB pour être indemnisé ?",
            "Oui, si vous choisissez d'être payé par virement bancaire, joignez un RIB à votre formulaire ; vous pouvez aussi opter pour un bon d'achat Hirondelle Air.",
        ),
        (
            "Puis-je utiliser le formulaire pour un bagage endommagé ?",
            "Oui, le formulaire de réclamation couvre aussi les bagages retardés, endommagés ou perdus ; joignez le numéro de dossier remis au comptoir bagages et l'étiquette.",
            "baggage",
        ),
        (
            "Quelles informations sur mon vol dois-je indiquer ?",
            "Indiquez votre référence de réservation à 6 caractères, le numéro et la date du vol, les aéroports de départ et d'arrivée et le nombre de passagers concernés.",
        ),
    ],
)

# ============================================================================ SUPPORT
block(
    "support/geste-commercial.md",
    "internal_procedure",
    [
        (
            "Jusqu'à quel montant puis-je accorder un geste commercial sans validation ?",
            "Un agent peut accorder jusqu'à 150 € par passager sans validation préalable ; au-delà, il faut la validation d'un superviseur.",
        ),
        (
            "Le client demande 200 € de bon, comment je fais ?",
            "Au-delà de 150 € par passager, le geste doit être validé par un superviseur, qui saisit son code SUP-VALID dans le ticket Nid avant l'émission du bon.",
        ),
        (
            "Le plafond de 150 € est-il par réservation ou par passager ?",
            "Il s'entend par passager et par dossier : deux passagers d'une même réservation peuvent chacun recevoir jusqu'à 150 €.",
        ),
        (
            "Combien de temps est valable un bon d'achat accordé en geste ?",
            "Le bon d'achat est valable 12 mois sur tous les vols ; il n'est ni remboursable ni échangeable contre des espèces.",
        ),
        (
            "Quel geste pour un retard de 2 heures non indemnisable ?",
            "Le barème indicatif prévoit un bon de 20 à 40 € pour un retard de 1 à 3 heures non indemnisable.",
        ),
        (
            "Peut-on donner le geste en points Plume ?",
            "Oui, pour les membres Plume uniquement, à raison de 100 points pour 1 € de geste.",
        ),
        (
            "Que faire si j'oublie de tracer un geste dans Nid ?",
            "Tout geste doit être enregistré dans le ticket Nid, catégorie « Geste commercial », avec montant, forme et motif ; un geste non tracé ne sera pas honoré par la comptabilité.",
        ),
        (
            "Peut-on cumuler un geste et l'indemnité 261 pour le même retard ?",
            "Non, sauf accord d'un superviseur : le geste ne doit pas être cumulé avec une indemnisation réglementaire pour le même retard.",
        ),
        (
            "Un client m'a demandé le code superviseur, je peux lui donner ?",
            "Non, le code SUP-VALID ne doit jamais être communiqué à un client ni à un collègue non superviseur.",
        ),
        (
            "Quel geste conseillé pour un bagage livré avec 3 jours de retard ?",
            "Pour un bagage livré avec plus de 48 heures de retard, le barème conseille un bon de 50 €.",
        ),
    ],
)

block(
    "support/escalade-reclamations.md",
    "internal_procedure",
    [
        (
            "Quand dois-je escalader un dossier au niveau 2 ?",
            "Quand le dossier dépasse le périmètre du niveau 1 (cas complexe, circonstance extraordinaire contestée, préjudice bagage important, plusieurs vols perturbés) ou qu'il n'est pas résolu après deux échanges avec le client.",
        ),
        (
            "Quel est le délai de réponse du niveau 2 ?",
            "Le niveau 2 s'engage à répondre au client sous 48 heures après réception de l'escalade.",
        ),
        (
            "Un client menace de porter plainte, à qui je transmets ?",
            "Toute menace d'action en justice est transmise directement au responsable relations clientèle, sans passer par le niveau 2 ; ne prenez aucun engagement et indiquez au client qu'un responsable le recontactera.",
        ),
        (
            "Un journaliste appelle au sujet d'un passager, que dois-je faire ?",
            "Les sollicitations des médias vont directement au responsable relations clientèle ; ne commentez pas le dossier et créez un ticket Nid dans la file « Relations clientèle ».",
        ),
        (
            "Qui traite les saisines du Médiateur Tourisme et Voyage ?",
            "Les saisines du Médiateur Tourisme et Voyage sont transmises directement au responsable relations clientèle.",
        ),
        (
            "Comment escalader un ticket concrètement ?",
            "Complétez le ticket Nid (résumé, actions menées, pièces jointes), changez la file vers « N2 – Cas complexes » ou « Relations clientèle », ajustez la priorité, puis informez le client de la suite et du délai.",
        ),
        (
            "Après escalade, je peux continuer à répondre au client ?",
            "Vous pouvez ajouter des informations au dossier, mais vous ne devez plus répondre au client sur le fond.",
        ),
        (
            "Quelles demandes un agent de niveau 1 peut-il traiter seul ?",
            "Les demandes courantes : modifications de réservation, informations bagages, remboursements de taxes, indemnisations 261/2004 simples et gestes commerciaux jusqu'à 150 € par passager.",
        ),
    ],
)

block(
    "support/remboursements-validation.md",
    "internal_procedure",
    [
        (
            "À partir de quel montant un remboursement doit-il être contrôlé par la finance ?",
            "Tout remboursement supérieur à 1 000 € par réservation est contrôlé par l'équipe finance avant paiement.",
        ),
        (
            "Le seuil de 1 000 € est-il par passager ?",
            "Non, le seuil s'apprécie sur le montant total remboursé pour la réservation, tous passagers et tous vols confondus.",
        ),
        (
            "Quel statut mettre dans Nid pour un remboursement de 1 400 € ?",
            "Préparez le remboursement sans le valider, passez le ticket Nid au statut « En attente finance » et joignez le détail du calcul.",
        ),
        (
            "Je peux promettre une date de remboursement au client pour un gros montant ?",
            "Non, pour les dossiers contrôlés par la finance, ne promettez jamais de date précise : le délai de 7 jours ouvrés court à partir de la validation par la finance.",
        ),
        (
            "Que vérifier avant de valider un remboursement de 300 € ?",
            "Vérifiez que le remboursement se fait sur le moyen de paiement d'origine, que le demandeur est le titulaire ou le payeur, et que le billet n'a pas déjà été utilisé ou remboursé.",
        ),
        (
            "Un client veut être remboursé sur une autre carte, que faire ?",
            "C'est un signal d'alerte : transmettez la demande à la finance quel que soit le montant, sans en discuter avec le client.",
        ),
        (
            "Les indemnités 261 comptent-elles dans le seuil de 1 000 € ?",
            "Oui, les indemnisations 261/2004 sont cumulées avec le remboursement du billet pour apprécier le seuil de 1 000 €.",
        ),
    ],
)

block(
    "support/outil-nid-tickets.html",
    "internal_procedure",
    [
        (
            "C'est quoi Nid ?",
            "Nid est l'outil interne de ticketing d'Hirondelle Air : chaque contact client doit donner lieu à un ticket Nid, rattaché à la référence de réservation.",
        ),
        (
            "Quelle priorité pour un passager bloqué à l'aéroport après une annulation ?",
            "C'est une priorité P1 : elle est réservée à la sécurité et aux passagers perturbés présents à l'aéroport, avec une prise en charge en moins d'1 heure.",
        ),
        (
            "Quel délai de prise en charge pour un ticket P3 ?",
            "Un ticket P3 (réclamation, indemnisation, bagage, remboursement) doit être pris en charge sous 48 heures.",
        ),
        (
            "Quelle priorité pour un mineur non accompagné à confirmer sur un vol qui part ce soir ?",
            "Un départ dans les 24 heures avec un service spécial à confirmer relève de la priorité P2, à traiter sous 4 heures.",
        ),
        (
            "Quelle est la priorité la plus basse dans Nid ?",
            "La priorité P4 concerne les demandes d'information sans urgence et les suggestions, à traiter sous 5 jours ouvrés.",
        ),
        (
            "Que faire si j'hésite entre P2 et P3 ?",
            "En cas de doute entre deux niveaux, choisissez le plus élevé et informez-en votre superviseur.",
        ),
        (
            "Nid est en panne, comment je fais ?",
            "Notez les contacts sur le formulaire de secours partagé, ressaisissez-les au retour du service et signalez l'incident au support informatique, poste 4000.",
        ),
        (
            "Quand un ticket en attente client est-il clôturé ?",
            "Une relance automatique part après 5 jours, et le ticket est clôturé après 15 jours sans réponse du client.",
        ),
        (
            "Puis-je noter le numéro de carte du client dans le ticket ?",
            "Non, ne copiez jamais de numéro de carte bancaire dans un ticket Nid.",
        ),
    ],
)

block(
    "support/guide-agent-service-client.pdf",
    "internal_procedure",
    [
        (
            "Quels sont les objectifs de décroché au téléphone ?",
            "L'objectif est de décrocher 80 % des appels en moins de 3 minutes.",
        ),
        (
            "Combien d'agents compte le service client ?",
            "Le service client compte 46 agents répartis sur deux plateaux à Nantes.",
        ),
        (
            "Quel outil utiliser pour rembourser un billet ?",
            "Les billets se consultent, se modifient et se remboursent dans Cirrus, notre système de réservation ; le suivi du contact se fait dans Nid.",
        ),
        (
            "Quel taux de résolution au premier contact vise-t-on ?",
            "Nous visons au moins 75 % de demandes résolues dès le premier contact, avec une satisfaction client supérieure à 4 sur 5.",
        ),
        (
            "Doit-on tutoyer les clients sur le chat ?",
            "On vouvoie le client, sauf s'il utilise lui-même le tutoiement sur le chat.",
        ),
        (
            "Combien dure la formation d'un nouvel agent ?",
            "Chaque nouvel agent suit 3 semaines de formation, dont une semaine en binôme avec un agent confirmé.",
        ),
        (
            "Comment vérifier l'identité d'un client avant de parler de sa réservation ?",
            "Vérifiez la référence de réservation, le nom et l'e-mail avant de communiquer toute information sur une réservation.",
        ),
        (
            "Quels sont les horaires des plateaux du service client ?",
            "Les plateaux sont ouverts de 7 h à 22 h ; les agents du chat couvrent le dimanche, tandis que le téléphone est fermé le dimanche et les jours fériés.",
        ),
    ],
)

block(
    "support/procedure-bagage-perdu.docx",
    "internal_procedure",
    [
        (
            "Dans quel délai faut-il établir le PIR ?",
            "Le PIR doit être établi dans les 24 heures suivant l'arrivée du vol, de préférence au comptoir bagages avant que le passager ne quitte la salle de livraison.",
        ),
        (
            "Combien rembourse-t-on de frais de première nécessité ?",
            "Jusqu'à 50 € par jour et par passager, pendant 5 jours au maximum (250 € au total), sur présentation des justificatifs et du PIR.",
        ),
        (
            "Au bout de combien de jours un bagage est-il déclaré perdu ?",
            "Un bagage non retrouvé 21 jours après l'établissement du PIR est déclaré perdu.",
        ),
        (
            "Le passager est parti sans PIR, je peux le faire par téléphone ?",
            "Oui, si la demande intervient dans les 24 heures suivant l'arrivée ; au-delà, transmettez le dossier au niveau 2.",
        ),
        ("Quel est le format d'une référence PIR ?", "La référence PIR prend la forme NTEHI suivie de 5 chiffres."),
        (
            "Le client a dépensé 400 € en vêtements, on rembourse tout ?",
            "Le plafond est de 50 € par jour pendant 5 jours, soit 250 € ; les achats au-delà sont examinés au cas par cas par le niveau 2.",
        ),
        (
            "Quelle priorité Nid pour un dossier bagage ?",
            "Un dossier bagage est un ticket de catégorie « Bagages » en priorité P3, sauf passager bloqué à l'aéroport sans aucun effet personnel, qui relève de P1.",
        ),
        (
            "Comment est calculée l'indemnisation d'un bagage perdu ?",
            "Sur la valeur des biens avec un coefficient de vétusté, dans la limite de 1 288 droits de tirage spéciaux, en déduisant les frais de première nécessité déjà remboursés.",
        ),
        (
            "Sous quel délai un bagage retrouvé est-il livré ?",
            "Il est livré gratuitement à l'adresse indiquée, en principe sous 24 heures.",
        ),
    ],
)

block(
    "support/irregularites-reacheminement.docx",
    "internal_procedure",
    [
        (
            "Quelles solutions proposer à un passager dont le vol est annulé ?",
            "D'abord le prochain vol Hirondelle Air disposant de places, sans frais ; sinon un vol du partenaire Air Littoral avec le code IRROPS-PARTNER ; à défaut, un report à une date choisie par le passager.",
        ),
        (
            "Quel code utiliser pour réacheminer sur Air Littoral ?",
            "Réservez la place dans Cirrus avec le code IRROPS-PARTNER, qui permet l'émission sans paiement.",
        ),
        (
            "Puis-je utiliser IRROPS-PARTNER pour un client qui a raté son vol ?",
            "Non, ce code est réservé aux irrégularités d'exploitation et ne doit jamais servir pour un vol manqué par le client ou une convenance personnelle.",
        ),
        (
            "Un passager Essentiel a-t-il droit au réacheminement gratuit ?",
            "Oui, le réacheminement est toujours gratuit pour le passager, quel que soit son tarif, y compris Essentiel.",
        ),
        (
            "Peut-on mettre un mineur non accompagné sur un vol Air Littoral ?",
            "Non, un mineur non accompagné est réacheminé uniquement sur un vol Hirondelle Air, et après accord des parents.",
        ),
        (
            "Combien de réémissions IRROPS-PARTNER par passager ?",
            "Une seule réémission par passager et par trajet perturbé, à tracer dans le ticket Nid avec le vol perturbé, le vol partenaire et le motif.",
        ),
        (
            "Qui réserve les hôtels lors d'une annulation ?",
            "Les nuitées sont réservées par l'escale dans les hôtels sous contrat, lorsque le départ est reporté au lendemain.",
        ),
        (
            "Comment sont prévenus les passagers d'une annulation ?",
            "Par SMS et e-mail dès que la décision est prise, avec un lien vers la page de réacheminement en ligne.",
        ),
    ],
)

block(
    "support/script-accueil-telephonique.docx",
    "internal_procedure",
    [
        (
            "Quelle est la phrase d'accueil au téléphone ?",
            "« Hirondelle Air, bonjour ! [Prénom] à votre écoute. Pour information, cet appel peut être enregistré à des fins de qualité et de formation. Que puis-je faire pour vous ? »",
        ),
        (
            "La mention de l'enregistrement de l'appel est-elle obligatoire ?",
            "Oui, le message d'information sur l'enregistrement est obligatoire ; si le client refuse, l'agent le note et désactive l'enregistrement depuis son poste.",
        ),
        (
            "Combien de temps peut-on mettre un client en attente ?",
            "Deux minutes au maximum, en le prévenant, par exemple pour consulter un collègue.",
        ),
        (
            "Que faire avec un client insultant ?",
            "Rappelez calmement les règles de courtoisie ; après un avertissement, vous pouvez mettre fin à l'appel et le signaler à votre superviseur.",
        ),
        (
            "Quels éléments vérifier avant de donner des infos sur une réservation ?",
            "La référence de réservation à 6 caractères, le nom du passager, et l'adresse e-mail ou le numéro de téléphone enregistrés.",
        ),
        (
            "En combien de temps compléter le ticket après l'appel ?",
            "Le ticket Nid doit être complété en moins de 2 minutes après l'appel : catégorie, résumé et suite donnée.",
        ),
        (
            "Un client appelle un dimanche par transfert, où l'orienter ?",
            "Orientez-le vers le chat, ouvert 7 jours sur 7 de 7 h à 22 h, puisque le téléphone est fermé le dimanche.",
        ),
    ],
)

# ============================================================================ FINANCE
block(
    "finance/resultats-2025.pdf",
    "finance",
    [
        (
            "Quel est le chiffre d'affaires 2025 ?",
            "Le chiffre d'affaires 2025 s'élève à 182,4 M€, en hausse de 8,6 % par rapport à 2024 (167,9 M€).",
        ),
        ("Quel a été le résultat net en 2025 ?", "Le résultat net 2025 est de 6,1 M€, contre 4,3 M€ en 2024."),
        (
            "Combien de passagers avons-nous transportés en 2025 ?",
            "Hirondelle Air a transporté 1,80 million de passagers en 2025, soit une hausse de 7 %.",
        ),
        (
            "Quel est le résultat d'exploitation 2025 ?",
            "Le résultat d'exploitation 2025 atteint 9,4 M€, en progression de 3,4 M€ sur 2024.",
        ),
        (
            "Combien représentent les charges de personnel en 2025 ?",
            "Les charges de personnel s'élèvent à 52,6 M€ en 2025, contre 48,7 M€ en 2024.",
        ),
        (
            "Quelle est la trésorerie disponible fin 2025 ?",
            "La trésorerie disponible au 31 décembre 2025 est de 48,7 M€.",
        ),
        (
            "Combien a coûté le carburant en 2025 ?",
            "La facture carburant 2025 s'élève à 24,3 M€, en léger recul par rapport à 2024 (24,9 M€).",
        ),
        (
            "Quel était l'effectif moyen en 2025 ?",
            "L'effectif moyen 2025 est de 820 salariés en équivalent temps plein.",
        ),
        (
            "What was the 2025 revenue?",
            "Revenue for 2025 was 182.4 M€, up 8.6 % on 2024, with a net result of 6.1 M€.",
            "finance",
            "en",
        ),
        (
            "Quel est le total des charges d'exploitation 2025 ?",
            "Les charges d'exploitation totalisent 173,0 M€ pour 1 765 millions de sièges-kilomètres offerts.",
        ),
    ],
)

block(
    "finance/indicateurs-exploitation-2025.html",
    "finance",
    [
        (
            "Quel est le coefficient de remplissage 2025 ?",
            "Le coefficient de remplissage moyen 2025 est de 81,4 %, contre 79,8 % en 2024.",
        ),
        (
            "Quel est notre point mort en remplissage ?",
            "Le coefficient de remplissage d'équilibre 2025 est de 74 %, soit plus de 7 points sous le remplissage réel de 81,4 %.",
        ),
        (
            "Quel est le CASK 2025 ?",
            "Le coût par siège-kilomètre offert (CASK) 2025 est de 9,8 centimes d'euro, contre 10,1 en 2024.",
        ),
        (
            "Quelle part du chiffre d'affaires font les revenus annexes ?",
            "Les revenus annexes représentent 14 % du chiffre d'affaires 2025, soit environ 25,5 M€ ou 14,2 € par passager.",
        ),
        (
            "Quelle a été notre ponctualité en 2025 ?",
            "84,7 % des vols sont arrivés avec moins de 15 minutes de retard en 2025, contre 82,9 % en 2024.",
        ),
        (
            "Quel trimestre a eu le meilleur remplissage ?",
            "Le troisième trimestre 2025, avec 88,1 % de remplissage grâce au pic estival et aux lignes Corse.",
        ),
        (
            "Quelle ligne est sous le point mort ?",
            "La ligne Nantes–Strasbourg reste sous le point mort, avec 71 % de remplissage, et fait l'objet d'un plan de redressement.",
        ),
        (
            "Quelle est la ligne la plus rentable ?",
            "Nantes–Nice est la ligne la plus rentable, avec 87 % de remplissage, devant Nantes–Lyon et Nantes–Dublin.",
        ),
        (
            "What share of revenue comes from ancillaries?",
            "Ancillary revenue was 14 % of total 2025 revenue, about 25.5 M€; checked bags alone account for 58 % of it.",
            "finance",
            "en",
        ),
        ("Quel est le taux de réalisation des vols 2025 ?", "Le taux de réalisation des vols est de 99,1 % en 2025."),
    ],
)

block(
    "finance/couverture-carburant-2026.pdf",
    "finance",
    [
        (
            "Quel pourcentage du carburant 2026 est couvert ?",
            "65 % des besoins de carburant 2026 sont couverts, soit environ 20 150 tonnes.",
        ),
        (
            "À quel prix moyen sommes-nous couverts sur le carburant en 2026 ?",
            "La couverture 2026 a été prise à un prix moyen de 712 USD par tonne.",
        ),
        (
            "Quels instruments de couverture utilise-t-on ?",
            "Uniquement des swaps et des tunnels (collars), sans vente d'options sèches ; en 2026, 70 % de swaps et 30 % de tunnels.",
        ),
        (
            "Quelle est la fourchette de couverture autorisée par la politique ?",
            "La politique prévoit de couvrir entre 50 % et 80 % des besoins des 12 prochains mois, sur un horizon maximal de 18 mois.",
        ),
        (
            "Quel impact aurait une hausse de 100 USD la tonne ?",
            "Sur la part non couverte (environ 10 850 tonnes), une hausse de 100 USD par tonne augmenterait la facture 2026 d'environ 1,1 M USD.",
        ),
        (
            "Combien de tonnes de carburant en 2026 ?",
            "Les besoins 2026 sont estimés à 31 000 tonnes, en tenant compte de l'arrivée du quatrième E195-E2 en avril.",
        ),
        (
            "Est-on déjà couvert pour 2027 ?",
            "Oui, partiellement : 20 % des besoins estimés 2027 sont couverts à un prix moyen de 698 USD par tonne.",
        ),
        (
            "Couvre-t-on aussi le dollar ?",
            "Oui, 60 % des besoins en dollars de 2026 sont couverts à un cours moyen de 1,09 USD pour 1 €, y compris le loyer du nouvel E195-E2.",
        ),
        (
            "How much of our 2026 fuel is hedged?",
            "65 % of our 2026 fuel needs are hedged, at an average price of 712 USD per tonne.",
            "finance",
            "en",
        ),
    ],
)

block(
    "finance/fraude-retrofacturations.md",
    "finance",
    [
        (
            "Quelle a été la perte liée à la fraude en 2025 ?",
            "La perte nette liée à la fraude et aux remboursements indus s'élève à 310 000 € en 2025, contre 365 000 € en 2024.",
        ),
        (
            "À partir de combien de rétrofacturations une réservation est-elle bloquée ?",
            "Toute réservation liée à un client ou une carte ayant plus de 3 rétrofacturations sur 12 mois glissants est bloquée automatiquement.",
        ),
        (
            "Qui peut débloquer un client bloqué pour rétrofacturations ?",
            "Seul le responsable trésorerie peut décider du déblocage, après analyse du dossier.",
        ),
        (
            "Combien de chargebacks avons-nous reçus en 2025 ?",
            "Nous avons reçu 1 240 rétrofacturations en 2025, soit un taux de 0,09 % des transactions.",
        ),
        (
            "Pourquoi la fraude a-t-elle baissé en 2025 ?",
            "Grâce à l'authentification forte 3-D Secure systématique depuis mars 2025 et à la règle de blocage au-delà de 3 rétrofacturations sur 12 mois.",
        ),
        (
            "Quel est l'objectif de perte fraude pour 2026 ?",
            "L'objectif est de ramener la perte nette sous 250 000 € en 2026, grâce à un nouvel outil de score de risque.",
        ),
        (
            "Quel pourcentage de litiges gagne-t-on ?",
            "En 2025, 47 % des litiges ont été gagnés après contestation, contre 41 % en 2024.",
        ),
        (
            "What happens to a customer with four chargebacks this year?",
            "Any booking linked to a customer or card with more than 3 chargebacks in 12 rolling months is automatically blocked; only the treasury manager can lift the block.",
            "finance",
            "en",
        ),
    ],
)

block(
    "finance/budget-2026.docx",
    "finance",
    [
        (
            "Combien coûte le loyer du nouvel E195-E2 ?",
            "Le quatrième E195-E2 est loué 265 000 USD par mois, à partir d'avril 2026.",
        ),
        (
            "Quel impact du nouveau leasing sur 2026 ?",
            "Avec 9 mois de loyer en 2026, l'impact est de 2 385 000 USD, hors réserves de maintenance.",
        ),
        (
            "Quel chiffre d'affaires est budgété pour 2026 ?",
            "Le budget 2026 prévoit un chiffre d'affaires de 199,0 M€ et un résultat net de 7,2 M€.",
        ),
        (
            "Combien de postes crée-t-on en 2026 ?",
            "Le budget prévoit 38 créations de postes, dont 10 pilotes et 16 PNC pour le nouvel E195-E2, 6 mécaniciens et 6 postes au sol.",
        ),
        ("Quel taux de change retient le budget ?", "Le taux de change budgétaire est de 1,09 USD pour 1 €."),
        (
            "Quel remplissage vise-t-on en 2026 ?",
            "Le budget vise un coefficient de remplissage de 82 %, pour 1,95 million de passagers.",
        ),
        (
            "Quelle sera l'immatriculation du quatrième E2 ?",
            "L'immatriculation prévue du quatrième Embraer E195-E2 est F-HIRK.",
        ),
        (
            "Quelle est la durée du contrat de location du nouvel avion ?",
            "C'est une location opérationnelle de 10 ans, avec un dépôt de garantie de 3 mois de loyer versé à la livraison.",
        ),
        (
            "What is the monthly lease for the new E195-E2?",
            "The new E195-E2 is leased at 265,000 USD per month from April 2026.",
            "finance",
            "en",
        ),
    ],
)

block(
    "finance/conditions-paiement-fournisseurs.docx",
    "finance",
    [
        (
            "Quels sont nos délais de paiement fournisseurs ?",
            "Les factures fournisseurs sont réglées à 45 jours fin de mois.",
        ),
        (
            "Une facture du 10 mars est payée quand ?",
            "À 45 jours fin de mois : 10 mars + 45 jours = 24 avril, reporté à la fin du mois, soit un paiement le 30 avril.",
        ),
        (
            "Quand ont lieu les campagnes de virements ?",
            "Les virements fournisseurs sont émis deux fois par mois, le 10 et le 25.",
        ),
        (
            "Qui valide une facture de 60 000 € ?",
            "Au-delà de 50 000 €, la facture doit être validée par le directeur administratif et financier.",
        ),
        (
            "Une facture sans bon de commande peut-elle être payée ?",
            "Non, une facture sans numéro de bon de commande est bloquée et renvoyée au service demandeur.",
        ),
        (
            "Un fournisseur nous envoie un nouveau RIB, que faire ?",
            "Confirmez la demande par un contre-appel au numéro figurant dans le dossier fournisseur, jamais à celui indiqué dans la demande, pour prévenir la fraude au faux fournisseur.",
        ),
        (
            "Quel a été notre délai moyen de paiement en 2025 ?",
            "Le délai moyen de paiement fournisseurs était de 41 jours en 2025.",
        ),
        (
            "Le carburant est-il payé à 45 jours fin de mois ?",
            "Non, le carburant fait exception : son paiement est hebdomadaire, comme prévu au contrat.",
        ),
    ],
)

# ============================================================================ MAINTENANCE
block(
    "maintenance/programme-entretien-atr72.pdf",
    "maintenance",
    [
        (
            "Quelle est la périodicité de la visite A sur ATR 72-600 ?",
            "Sur ATR 72-600, la visite A est due toutes les 500 heures de vol.",
        ),
        (
            "Tous les combien fait-on une C-check sur l'ATR ?",
            "La visite C de l'ATR 72-600 est due toutes les 5 000 heures de vol ou tous les 24 mois, au premier terme atteint.",
        ),
        (
            "Combien de temps dure une visite C ATR ?",
            "Une visite C d'ATR 72-600 dure en général 3 semaines, au hangar de Nantes.",
        ),
        ("Quand est prévue la prochaine C-check de F-HIRE ?", "La visite C de F-HIRE est planifiée en novembre 2026."),
        (
            "Peut-on appliquer une tolérance sur l'échéance d'une visite A ?",
            "Oui, une tolérance de 10 % est possible, uniquement sur décision écrite de la CAMO et dans la limite du programme approuvé ; elle ne décale pas l'échéance suivante.",
        ),
        (
            "À quelle fréquence fait-on le boroscope des PW127M ?",
            "L'inspection boroscopique des moteurs PW127M est réalisée toutes les 1 000 heures de vol.",
        ),
        (
            "Combien de visites A par an sur un ATR ?",
            "Avec environ 2 300 heures de vol par an et une visite A toutes les 500 heures, cela fait environ une visite A toutes les 11 semaines.",
        ),
        (
            "Pourquoi planifier les visites C en hiver ?",
            "Elles sont planifiées en basse saison hivernale, de novembre à mars, pour limiter l'impact sur le programme des vols.",
        ),
        (
            "How often is an A-check due on the ATR 72-600?",
            "On the ATR 72-600, an A-check is due every 500 flight hours; the C-check every 5,000 flight hours or 24 months, whichever comes first.",
            "maintenance",
            "en",
        ),
    ],
)

block(
    "maintenance/programme-entretien-e195e2.pdf",
    "maintenance",
    [
        (
            "Quel intervalle pour l'A-check de l'E195-E2 ?",
            "Sur Embraer E195-E2, la visite A est due toutes les 1 000 heures de vol.",
        ),
        (
            "Quand doit-on faire la visite C d'un E195-E2 ?",
            "La visite C de l'E195-E2 est due toutes les 7 500 heures de vol ou tous les 24 mois, au premier terme atteint.",
        ),
        ("Combien de jours dure une C-check E2 ?", "Une visite C d'E195-E2 dure environ 10 jours au hangar de Nantes."),
        ("Quand a lieu la première visite C de F-HIRG ?", "La première visite C de F-HIRG est prévue en février 2026."),
        (
            "Comment surveille-t-on les moteurs PW1900G ?",
            "Par téléchargement quotidien des données moteur, complété par l'inspection des entrées d'air et des aubes de soufflante à chaque visite journalière.",
        ),
        (
            "Quel est le délai de livraison des pièces lourdes en AOG ?",
            "Les pièces lourdes sont fournies par le pool du constructeur avec un délai de livraison garanti de 24 heures en situation AOG.",
        ),
        (
            "Que fait-on des lignes E2 pendant une visite C ?",
            "Un ATR 72-600 peut être affecté aux lignes habituellement opérées en E195-E2, avec une capacité réduite.",
        ),
        (
            "What is the C-check interval for the E195-E2?",
            "The E195-E2 C-check is due every 7,500 flight hours or 24 months, whichever comes first; the A-check every 1,000 flight hours.",
            "maintenance",
            "en",
        ),
    ],
)

block(
    "maintenance/mel-extraits.docx",
    "maintenance",
    [
        (
            "L'APU est en panne, peut-on quand même partir ?",
            "Oui, l'APU inopérant est un item de catégorie C : le départ est autorisé pendant 10 jours consécutifs, à condition de disposer au sol d'un groupe de parc et d'une source de démarrage si l'escale l'exige.",
        ),
        (
            "Avec un pack inopérant, quelle limitation ?",
            "Un pack de conditionnement d'air inopérant est en catégorie C (10 jours) avec un niveau de vol limité au FL250.",
        ),
        (
            "Quel est le délai de réparation en catégorie B ?",
            "En catégorie B, le délai de réparation est de 3 jours consécutifs.",
        ),
        (
            "Combien de jours pour un item MEL catégorie D ?",
            "Un item de catégorie D doit être réparé dans les 120 jours consécutifs.",
        ),
        (
            "Le jour de découverte du défaut compte-t-il dans le délai MEL ?",
            "Non, le délai se compte en jours calendaires consécutifs à partir de minuit suivant la découverte ; le jour de la découverte n'est pas compté.",
        ),
        (
            "Peut-on prolonger un item MEL catégorie A ?",
            "Non, aucune prolongation n'est possible en catégorie A ; pour B et C, une prolongation unique peut être accordée par la CAMO et notifiée à l'autorité.",
        ),
        (
            "Un report arrive à échéance sans pièce, qui prévenir ?",
            "Signalez-le au desk AOG (poste 4471) au plus tard 48 heures avant la date limite.",
        ),
        (
            "What is the MEL category for an inoperative APU?",
            "An inoperative APU is category C: dispatch is allowed for 10 consecutive days.",
            "maintenance",
            "en",
        ),
    ],
)

block(
    "maintenance/degivrage-procedure.docx",
    "maintenance",
    [
        (
            "Quel fluide d'antigivrage utilise-t-on ?",
            "Hirondelle Air utilise exclusivement du fluide de type IV pour l'étape finale d'antigivrage.",
        ),
        (
            "Quelle heure l'équipage doit-il noter lors du dégivrage ?",
            "L'équipage doit noter l'heure de début de l'étape finale de dégivrage, car la durée de protection commence à ce moment-là.",
        ),
        (
            "Quand commence le holdover time ?",
            "La durée de protection commence au début de l'application du fluide lors de l'étape finale.",
        ),
        (
            "Quel fluide pour la première étape et à quelle température ?",
            "La première étape utilise un fluide de type I chauffé à 60 °C au minimum.",
        ),
        (
            "Que faire si le holdover time est dépassé avant le décollage ?",
            "L'avion doit être dégivré à nouveau avant le décollage.",
        ),
        (
            "Peut-on pulvériser du fluide sur les hélices de l'ATR ?",
            "Non, sur ATR 72-600, il ne faut pas pulvériser de fluide directement sur les hélices, les sondes et les entrées d'air moteur ; les hélices sont arrêtées pendant l'opération.",
        ),
        (
            "Que note-t-on dans le CRM après un dégivrage ?",
            "Le type de fluide, la concentration, l'heure de début de l'étape finale et le nom de l'opérateur.",
        ),
        (
            "Quel est le délai d'attente moyen au dégivrage à Nantes ?",
            "En période de gel, le délai moyen d'attente à l'aire de dégivrage de Nantes est de 15 minutes.",
        ),
        (
            "Which anti-icing fluid do we use?",
            "We use Type IV fluid only for the final anti-icing step, and crews must record the start time of that final step.",
            "maintenance",
            "en",
        ),
    ],
)

block(
    "maintenance/inspections-quotidiennes.md",
    "maintenance",
    [
        (
            "Tous les combien contrôle-t-on la pression des pneus ?",
            "La pression des pneus est contrôlée toutes les 48 heures, à froid, avec un manomètre étalonné.",
        ),
        (
            "Quand vérifie-t-on les témoins d'usure des freins ?",
            "Les témoins d'usure des freins sont contrôlés à chaque visite journalière.",
        ),
        (
            "Le témoin d'usure de frein n'est plus visible, que faire ?",
            "Le frein doit être remplacé avant le vol suivant.",
        ),
        (
            "Un pneu a 15 % de pression en moins, que fait-on ?",
            "Une pression inférieure de plus de 10 % à la valeur nominale impose une recherche de fuite ; au-delà de 20 %, la roue est déposée.",
        ),
        (
            "Combien de temps après l'atterrissage mesurer la pression ?",
            "La mesure se fait à froid, au moins 3 heures après le dernier atterrissage.",
        ),
        (
            "Où sont faites les visites journalières ?",
            "Par les mécaniciens de ligne à Nantes (hangar principal) et dans nos escales techniques de Lyon et de Nice.",
        ),
        (
            "Une visite non enregistrée, ça compte ?",
            "Non, une visite non enregistrée dans le CRM et le système de suivi est considérée comme non faite.",
        ),
        (
            "How often are tyre pressures checked?",
            "Tyre pressures are checked every 48 hours, and brake wear pins at every daily inspection.",
            "maintenance",
            "en",
        ),
    ],
)

block(
    "maintenance/aog-desk.html",
    "maintenance",
    [
        ("Quel est le numéro du desk AOG ?", "Le desk AOG est joignable au poste interne 4471, 24 h/24 et 7 j/7."),
        ("Le desk AOG est-il ouvert la nuit ?", "Oui, le desk AOG (poste 4471) fonctionne 24 h/24, 7 jours sur 7."),
        (
            "Où sont nos escales techniques ?",
            "Notre hangar principal est à Nantes Atlantique, et nous avons des escales techniques de ligne à Lyon-Saint Exupéry et à Nice Côte d'Azur.",
        ),
        (
            "Peut-on faire une visite C à Lyon ?",
            "Non, les visites A et C sont réalisées au hangar de Nantes ; Lyon et Nice assurent les visites journalières, le dépannage et le remplacement des roues et freins.",
        ),
        (
            "Le desk AOG ne répond pas, que faire ?",
            "Sans réponse sous 10 minutes, appelez l'astreinte du responsable maintenance en ligne.",
        ),
        (
            "Tous les combien le desk met-il à jour l'estimation de remise en service ?",
            "Le desk informe l'OCC d'une estimation de remise en service mise à jour toutes les 2 heures.",
        ),
        (
            "Dans quel ordre cherche-t-on une pièce en AOG ?",
            "D'abord le magasin de Nantes, puis le pool de pièces du constructeur, puis le prêt par un autre exploitant.",
        ),
        (
            "What's the AOG desk extension?",
            "The AOG desk is on internal extension 4471, available 24/7.",
            "maintenance",
            "en",
        ),
    ],
)

# ---------------------------------------------------------------- English questions on French documents
block(
    "public/programme-plume.md",
    "loyalty",
    [
        (
            "How do I earn Plume points?",
            "You earn 1 Plume point per euro spent on our website or app: tickets (excluding airport taxes), extra bags, seats, sports equipment and onboard purchases.",
        ),
        (
            "How many points do I need for Plume Argent (Silver) status?",
            "Plume Argent status requires 15,000 points earned in a calendar year; Plume Or (Gold) requires 40,000 points.",
        ),
        (
            "Do my Plume points expire?",
            "Yes, points expire after 24 months without any activity on your account; each flight, purchase or redemption extends them by 24 months.",
        ),
    ],
    lang="en",
)
block(
    "public/destinations.html",
    "routes",
    [
        (
            "Which cities do you fly to from Nantes?",
            "Year-round we fly from Nantes to Lyon, Marseille, Nice, Toulouse, Strasbourg, Brussels, Geneva, Porto and Dublin, plus Ajaccio and Bastia in summer.",
        ),
        (
            "Do you fly to Corsica in summer?",
            "Yes, from 1 June to 30 September we fly from Nantes to Ajaccio (4 flights a week) and Bastia (3 flights a week).",
        ),
    ],
    lang="en",
)
block(
    "public/services-a-bord.html",
    "onboard",
    [
        (
            "Can I pay cash on board?",
            "No, onboard purchases are card only (contactless accepted); we do not accept cash.",
        ),
        (
            "Is anything free on board?",
            "Every passenger gets a glass of water and our Nantes petit-beurre biscuit; Liberté passengers also get a hot or cold drink of their choice.",
        ),
    ],
    lang="en",
)
block(
    "public/equipements-sportifs.md",
    "sports_equipment",
    [
        (
            "How much does it cost to bring my skis?",
            "Skis (or a snowboard) with one pair of boots in a bag cost 35 € per flight, on top of your baggage allowance.",
        ),
        (
            "Can I take my surfboard?",
            "Yes, a surfboard travels in the hold for 50 € per flight, in a hard or padded bag; please book it at least 48 hours before departure.",
        ),
    ],
    lang="en",
)
block(
    "public/flotte.html",
    "routes",
    [
        (
            "How many aircraft does Hirondelle Air operate?",
            "We operate 9 aircraft: 6 ATR 72-600 turboprops with 72 seats and 3 Embraer E195-E2 jets with 132 seats.",
        ),
    ],
    lang="en",
)
block(
    "public/bebes-et-enfants.md",
    "infants",
    [
        (
            "Can I bring a pushchair for my baby?",
            "Yes, a folding pushchair travels free of charge in addition to your baggage allowance; you can keep it until the aircraft door.",
        ),
    ],
    lang="en",
)
block(
    "public/mineurs-non-accompagnes.md",
    "minors",
    [
        ("Can a 4-year-old fly alone?", "No, children under 5 cannot travel alone on our flights."),
    ],
    lang="en",
)
block(
    "public/politique-confidentialite.html",
    "privacy",
    [
        (
            "How long do you keep my chat conversations?",
            "Chat conversations and customer service e-mails are kept for 2 years; call recordings for 6 months.",
        ),
    ],
    lang="en",
)
block(
    "public/objets-interdits.html",
    "baggage",
    [
        (
            "Can I take a lighter on the plane?",
            "You may carry one lighter or one box of matches on your person; lighters are not allowed in checked baggage.",
        ),
    ],
    lang="en",
)
block(
    "public/animaux.md",
    "pets",
    [
        (
            "How do I book a place for my dog in the cabin?",
            "Call our customer service on +33 2 40 00 12 34 at least 48 hours before departure; a pet costs 60 € per flight and only 2 pets are accepted per flight.",
        ),
    ],
    lang="en",
)
block(
    "support/geste-commercial.md",
    "internal_procedure",
    [
        (
            "What is the goodwill gesture limit I can give without approval?",
            "Agents can grant up to 150 € per passenger without approval; above that, a supervisor must validate with the SUP-VALID code.",
        ),
    ],
    lang="en",
)
block(
    "support/procedure-bagage-perdu.docx",
    "internal_procedure",
    [
        (
            "How much can a passenger claim per day for essentials while the bag is delayed?",
            "Up to 50 € per day for a maximum of 5 days, with receipts and the PIR; a bag not found after 21 days is declared lost.",
        ),
    ],
    lang="en",
)


def main() -> int:
    knowledge = DOMAIN_DIR / "knowledge"
    rows = []
    seen_q: set[str] = set()
    n = 0
    for doc_id, intent, lang, pairs in BLOCKS:
        if not (knowledge / doc_id).is_file():
            raise SystemExit(f"unknown doc_id {doc_id}")
        for pair in pairs:
            q, a = pair[0], pair[1]
            p_intent = pair[2] if len(pair) > 2 else intent
            p_lang = pair[3] if len(pair) > 3 else lang
            key = q.strip().lower()
            if key in seen_q:
                raise SystemExit(f"duplicate question: {q}")
            seen_q.add(key)
            n += 1
            rows.append(
                {
                    "id": f"faq-{n:04d}",
                    "messages": [
                        {"role": "user", "content": q},
                        {"role": "assistant", "content": a},
                    ],
                    "doc_id": doc_id,
                    "lang": p_lang,
                    "intent": p_intent,
                }
            )
    with OUT.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} pairs to {OUT.relative_to(DOMAIN_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
