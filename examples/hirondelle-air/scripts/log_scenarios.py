"""Conversation scenarios used by gen_logs.py to build the raw customer logs.

Every scenario is a customer question (several phrasings, ``q``) and an agent
answer (several phrasings, ``a``). Every answer fits every phrasing of its
scenario and only states facts from FACTS.md (public part). Slots between
braces are filled by gen_logs.py:

  {dest} {date} {kind} {kinds} {desk} {comp} {h} {hs} {kg} {kg2} {pkg} {age}
  {tage} {m} {price}                      -> scenario values
  {ref}                                   -> booking reference (not PII)
  {email} {phone} {iban} {card} {order}   -> synthetic PII / order numbers

Straight apostrophes are used on purpose, so that ftfy's repair of the
planted mojibake gives back exactly the original text.
"""

FR = [
    dict(
        key="cabin_bag",
        q=[
            "Quelles sont les dimensions autorisées pour le bagage cabine ?",
            "Je peux prendre quelle taille de valise en cabine ?",
            "c'est combien de kilos max pour le bagage a main ?",
            "Est-ce que je peux prendre une valise cabine et un sac à dos ?",
            "Quelle taille doit faire mon bagage à main sur le vol pour {dest} ?",
        ],
        a=[
            "Vous avez droit à un bagage cabine de 55 x 35 x 25 cm maximum et 8 kg, plus un objet personnel de 40 x 30 x 15 cm qui doit tenir sous le siège devant vous.",
            "En cabine, vous pouvez emporter une valise de 8 kg maximum (55 x 35 x 25 cm) ainsi qu'un accessoire personnel, par exemple un sac à dos ou un ordinateur, de 40 x 30 x 15 cm, rangé sous le siège.",
            "Sur tous nos tarifs, Essentiel compris, le bagage cabine est limité à 55 x 35 x 25 cm et 8 kg. Vous pouvez y ajouter un petit sac personnel de 40 x 30 x 15 cm à placer sous le siège.",
        ],
    ),
    dict(
        key="checked_bag_add",
        q=[
            "Je voudrais ajouter un bagage en soute à ma réservation {ref}, c'est combien ?",
            "Combien coûte une valise en soute en plus ?",
            "J'ai un billet pour {dest} le {date}, comment ajouter une valise en soute ?",
            "Est-ce moins cher d'ajouter le bagage maintenant ou à l'aéroport ? Dossier {ref}",
        ],
        a=[
            "Un bagage supplémentaire en soute coûte 25 € si vous l'ajoutez en ligne, contre 45 € à l'aéroport. Il est donc plus avantageux de l'ajouter dès maintenant sur notre site.",
            "Vous pouvez ajouter un bagage en soute depuis votre réservation sur notre site : 25 € en ligne, et 45 € si vous le réglez au comptoir de l'aéroport. Le poids standard est de 23 kg.",
            "Le bagage en soute supplémentaire est à 25 € en ligne (45 € à l'aéroport). Pensez à respecter les 23 kg : entre 23 et 32 kg, un supplément de 50 € s'applique.",
        ],
    ),
    dict(
        key="overweight",
        q=[
            "Ma valise fait {kg} kg, est-ce que ça pose problème ?",
            "Mon bagage en soute pèse environ {kg} kilos, je vais payer combien ?",
            "j'ai une valise de {kg} kg pour mon vol vers {dest}, c'est accepté ?",
        ],
        a=[
            "Un bagage entre 23 et 32 kg est accepté moyennant un supplément surpoids de 50 €. À {kg} kg, vous êtes dans ce cas.",
            "Oui, il sera accepté : au-delà de 23 kg et jusqu'à 32 kg, nous appliquons un supplément de 50 € pour surpoids.",
            "Votre valise de {kg} kg dépasse la franchise de 23 kg : comptez un supplément de 50 €. Attention, au-delà de 32 kg les bagages sont refusés.",
        ],
    ),
    dict(
        key="too_heavy",
        q=[
            "Est-ce que je peux enregistrer une valise de {kg2} kg ?",
            "Ma malle pèse {kg2} kg, combien ça coûte en soute ?",
            "Je déménage à {dest}, mon gros sac fait {kg2} kilos, ça passe en payant un supplément ?",
        ],
        a=[
            "Malheureusement, les bagages de plus de 32 kg sont refusés, même avec supplément. Nous vous conseillons de répartir vos affaires dans deux bagages (bagage supplémentaire : 25 € en ligne).",
            "Au-delà de 32 kg, nous ne pouvons pas accepter le bagage. Vous pouvez prendre deux valises : le bagage supplémentaire coûte 25 € en ligne, 45 € à l'aéroport.",
        ],
    ),
    dict(
        key="fares",
        q=[
            "Quelle est la différence entre les tarifs Essentiel, Flex et Liberté ?",
            "Je ne comprends pas bien vos tarifs, vous pouvez m'expliquer ?",
            "Pouvez-vous me résumer ce qu'inclut chaque tarif ?",
        ],
        a=[
            "Essentiel : bagage cabine uniquement, ni modification ni remboursement (hors taxes d'aéroport). Flex : 1 bagage en soute de 23 kg, modifications gratuites jusqu'à 24 h avant le départ, remboursement avec 30 € de frais. Liberté : 2 bagages en soute de 23 kg, modifications gratuites et remboursement intégral jusqu'au départ.",
            "Nous proposons trois tarifs. Essentiel comprend seulement le bagage cabine et n'est ni modifiable ni remboursable, sauf les taxes d'aéroport. Flex ajoute un bagage en soute de 23 kg, les changements gratuits jusqu'à 24 h avant le vol et un remboursement moyennant 30 € de frais. Liberté inclut deux bagages de 23 kg, des changements gratuits et un remboursement complet jusqu'au départ.",
        ],
    ),
    dict(
        key="fare_bags",
        q=[
            "Le tarif Flex inclut combien de bagages ?",
            "Avec Liberté, j'ai droit à combien de valises en soute ?",
            "Combien de bagages en soute sont compris selon le tarif ?",
        ],
        a=[
            "Le tarif Flex inclut 1 bagage en soute de 23 kg et le tarif Liberté 2 bagages de 23 kg. Le tarif Essentiel ne comprend que le bagage cabine.",
            "Essentiel : aucun bagage en soute (cabine uniquement). Flex : 1 bagage de 23 kg. Liberté : 2 bagages de 23 kg.",
        ],
    ),
    dict(
        key="essentiel_bag",
        q=[
            "Avec un billet Essentiel, j'ai droit à une valise en soute ?",
            "Mon billet {ref} est en Essentiel, il y a un bagage en soute compris ?",
        ],
        a=[
            "Non, le tarif Essentiel comprend uniquement le bagage cabine. Vous pouvez ajouter un bagage en soute pour 25 € en ligne (45 € à l'aéroport).",
            "Le tarif Essentiel n'inclut que le bagage cabine. Si besoin, un bagage en soute peut être ajouté : 25 € en ligne ou 45 € à l'aéroport.",
        ],
    ),
    dict(
        key="change_flex",
        q=[
            "J'ai un billet Flex pour {dest} le {date}, est-ce que je peux changer de date ?",
            "Dossier {ref} (tarif Flex) : je voudrais décaler mon vol, c'est payant ?",
            "Je voyage en Flex, jusqu'à quand puis-je modifier mon vol ?",
        ],
        a=[
            "Avec le tarif Flex, vous pouvez modifier votre vol gratuitement jusqu'à 24 h avant le départ.",
            "Oui, le tarif Flex permet de changer gratuitement de vol jusqu'à 24 heures avant l'heure de départ prévue.",
            "Bonne nouvelle : en Flex, le changement est gratuit tant que vous le faites au plus tard 24 h avant le départ.",
        ],
    ),
    dict(
        key="change_essentiel",
        q=[
            "J'ai pris un billet Essentiel pour {dest}, est-ce que je peux changer la date ?",
            "Mon billet Essentiel {ref} est-il modifiable ?",
            "Je ne peux plus partir le {date}, j'ai un tarif Essentiel, que puis-je faire ?",
        ],
        a=[
            "Le tarif Essentiel ne permet malheureusement ni modification ni remboursement. Si vous ne voyagez pas, vous pouvez toutefois demander le remboursement des taxes d'aéroport dans un délai de 2 mois.",
            "Je suis désolé, les billets Essentiel ne sont pas modifiables. En revanche, si vous n'effectuez pas le vol, les taxes d'aéroport vous sont remboursées sur demande, à faire dans les 2 mois.",
            "Un billet Essentiel ne peut être ni changé ni remboursé, à l'exception des taxes d'aéroport : faites-en la demande dans les 2 mois, le traitement prend 7 jours ouvrés.",
        ],
    ),
    dict(
        key="refund_flex",
        q=[
            "Je dois annuler mon vol {ref}, j'ai un billet Flex, suis-je remboursé ?",
            "Combien coûte l'annulation d'un billet Flex ?",
            "Annulation tarif Flex pour {dest} le {date} : remboursement possible ?",
        ],
        a=[
            "Oui, le tarif Flex est remboursable, avec des frais de 30 € déduits du montant remboursé.",
            "Le billet Flex vous est remboursé moyennant 30 € de frais d'annulation.",
            "Tout à fait : en Flex, vous êtes remboursé, déduction faite de 30 € de frais.",
        ],
    ),
    dict(
        key="refund_liberte",
        q=[
            "J'ai un billet Liberté, si j'annule la veille je suis remboursé ?",
            "Tarif Liberté, dossier {ref} : je voudrais annuler, comment ça se passe ?",
            "Le tarif Liberté est-il remboursable en totalité ?",
        ],
        a=[
            "Oui, le tarif Liberté est intégralement remboursable jusqu'au départ, sans frais.",
            "Avec Liberté, vous pouvez annuler jusqu'à l'heure du départ et obtenir un remboursement complet.",
            "Le billet Liberté est remboursé à 100 % tant que l'annulation intervient avant le départ du vol.",
        ],
    ),
    dict(
        key="taxes_iban",
        q=[
            "Je n'ai pas pris mon vol Essentiel {ref} pour {dest}. Je souhaite récupérer les taxes, voici mon IBAN : {iban}",
            "Vol non effectué le {date} (billet Essentiel, réservation {ref}). Merci de me rembourser les taxes d'aéroport sur le compte {iban}.",
            "Pouvez-vous rembourser les taxes de mon billet Essentiel {ref} ? Mon IBAN est {iban}",
        ],
        a=[
            "C'est bien noté, votre demande de remboursement des taxes d'aéroport pour le dossier {ref} est enregistrée. Le remboursement est traité sous 7 jours ouvrés.",
            "Merci, nous avons enregistré votre demande pour la réservation {ref}. Pour un billet Essentiel non utilisé, les taxes d'aéroport sont remboursées sur demande dans les 2 mois, et le traitement prend 7 jours ouvrés.",
            "Votre demande est prise en compte. Les taxes d'aéroport de votre billet Essentiel vous seront remboursées, le traitement prend 7 jours ouvrés.",
        ],
    ),
    dict(
        key="taxes_delay",
        q=[
            "J'ai demandé le remboursement des taxes de mon billet {ref} il y a quelques jours, quand vais-je le recevoir ?",
            "Remboursement des taxes d'aéroport : quel est le délai ?",
        ],
        a=[
            "Une fois la demande faite, le remboursement des taxes est traité sous 7 jours ouvrés.",
            "Les demandes de remboursement des taxes d'aéroport sont traitées dans un délai de 7 jours ouvrés. Pour rappel, elles doivent être envoyées dans les 2 mois.",
        ],
    ),
    dict(
        key="checkin_online",
        q=[
            "À partir de quand peut-on s'enregistrer en ligne ?",
            "Je pars à {dest} le {date}, quand puis-je faire mon check-in sur internet ?",
            "Jusqu'à quelle heure puis-je m'enregistrer en ligne pour le vol {ref} ?",
        ],
        a=[
            "L'enregistrement en ligne ouvre 30 h avant le départ et ferme 1 h avant.",
            "Vous pouvez vous enregistrer en ligne entre 30 heures et 1 heure avant le décollage.",
            "Le check-in en ligne est disponible de 30 h jusqu'à 1 h avant le départ du vol.",
        ],
    ),
    dict(
        key="desk",
        q=[
            "À quelle heure ferme le comptoir d'enregistrement pour mon vol vers {dest} ?",
            "Je dois déposer une valise pour le vol de {dest}, jusqu'à quand le comptoir est-il ouvert ?",
            "Je n'ai pas pu m'enregistrer en ligne pour {dest}, jusqu'à quand puis-je me présenter au comptoir ?",
        ],
        a=[
            "Pour un vol {kind} comme {dest}, le comptoir d'enregistrement ferme {desk} minutes avant le départ.",
            "Les comptoirs de l'aéroport ferment {desk} min avant le départ pour les vols {kinds}, ce qui est le cas de {dest}. Prévoyez de la marge !",
            "Le comptoir ferme {desk} minutes avant l'heure de départ pour votre vol vers {dest} (vol {kind}).",
        ],
    ),
    dict(
        key="gate",
        q=[
            "À quelle heure ferme la porte d'embarquement ?",
            "Combien de temps avant le départ dois-je être à la porte pour {dest} ?",
            "Mon vol {ref} part tôt le matin, à quel moment la porte d'embarquement ferme-t-elle ?",
        ],
        a=[
            "La porte d'embarquement ferme 20 minutes avant le départ.",
            "Soyez à la porte avant sa fermeture, 20 minutes avant l'heure de départ.",
            "L'embarquement se termine 20 min avant le départ : la porte ferme à ce moment-là.",
        ],
    ),
    dict(
        key="delay_comp",
        q=[
            "Mon vol {ref} Nantes-{dest} est arrivé avec {h} h de retard. Ai-je droit à une indemnisation ?",
            "Le vol vers {dest} du {date} a eu {h} heures de retard à l'arrivée, je peux être indemnisé ?",
            "{h}h de retard sur Nantes {dest} hier !! je veux être dédommagé",
        ],
        a=[
            "Pour un retard de 3 h ou plus à l'arrivée, le règlement européen 261/2004 prévoit {comp} € pour un vol comme Nantes-{dest}, sauf circonstances extraordinaires (météo, grève du contrôle aérien). Je transmets votre dossier pour vérification.",
            "Je suis désolé pour ce retard. Avec {h} h de retard à l'arrivée, vous pouvez prétendre à {comp} € d'indemnisation au titre du règlement 261/2004, à condition que le retard ne soit pas dû à une circonstance extraordinaire comme la météo ou une grève du contrôle aérien.",
            "Le règlement européen prévoit une indemnisation de {comp} € pour ce trajet dès 3 h de retard à l'arrivée. Elle n'est pas due en cas de circonstances extraordinaires (conditions météo, grève du contrôle aérien). Nous vérifions la cause du retard et revenons vers vous.",
        ],
    ),
    dict(
        key="delay_short",
        q=[
            "Mon vol pour {dest} a eu {hs} de retard, est-ce que j'ai droit à quelque chose ?",
            "Retard de {hs} à l'arrivée à {dest}, indemnisation possible ?",
        ],
        a=[
            "Je comprends votre agacement. L'indemnisation prévue par le règlement 261/2004 s'applique à partir de 3 h de retard à l'arrivée ; avec {hs}, elle n'est malheureusement pas due.",
            "Désolé pour ce désagrément. Une indemnisation n'est due qu'à partir de 3 heures de retard à l'arrivée, ce qui n'est pas le cas ici ({hs}).",
        ],
    ),
    dict(
        key="weather",
        q=[
            "Mon vol pour {dest} a été retardé de {h} h à cause d'un orage, je peux demander une indemnisation ?",
            "Mon vol a eu {h} h de retard à cause de la neige, ai-je droit aux 250 € ?",
            "Grève du contrôle aérien, vol {ref} arrivé avec {h} h de retard : indemnisation ?",
        ],
        a=[
            "Je suis désolé pour ce contretemps. Les retards dus à des circonstances extraordinaires, comme la météo ou une grève du contrôle aérien, n'ouvrent pas droit à l'indemnisation prévue par le règlement 261/2004.",
            "Malheureusement, les conditions météorologiques et les grèves du contrôle aérien sont des circonstances extraordinaires : l'indemnisation européenne n'est pas due dans ce cas.",
        ],
    ),
    dict(
        key="pets",
        q=[
            "Est-ce que je peux voyager avec mon chat en cabine ?",
            "Je voudrais emmener mon petit chien sur le vol {ref}, c'est possible ?",
            "Combien coûte le transport d'un animal en cabine ?",
        ],
        a=[
            "Oui, chiens et chats sont acceptés en cabine jusqu'à 8 kg, sac de transport compris, pour 60 € par vol. Nous acceptons 2 animaux maximum par vol, pensez donc à le réserver rapidement.",
            "Les chiens et chats voyagent en cabine s'ils pèsent 8 kg maximum avec leur sac de transport. Le tarif est de 60 € par vol, dans la limite de 2 animaux par vol.",
            "C'est possible : jusqu'à 8 kg avec la caisse de transport, 60 € par vol. Attention, le nombre d'animaux est limité à 2 par vol.",
        ],
    ),
    dict(
        key="pet_heavy",
        q=[
            "Mon chien pèse {pkg} kg, peut-il voyager en cabine avec moi ?",
            "Berger de {pkg} kg : possible en cabine sur le vol pour {dest} ?",
        ],
        a=[
            "Je suis désolé, en cabine la limite est de 8 kg, sac de transport compris : un chien de {pkg} kg ne peut pas y être accepté.",
            "Malheureusement non : seuls les chiens et chats de 8 kg maximum (caisse comprise) sont admis en cabine.",
        ],
    ),
    dict(
        key="assistance_dog",
        q=[
            "Je suis malvoyante et je voyage avec mon chien guide, dois-je payer ?",
            "Les chiens d'assistance sont-ils acceptés gratuitement ?",
        ],
        a=[
            "Les chiens d'assistance voyagent gratuitement en cabine avec vous.",
            "Oui, les chiens d'assistance sont acceptés gratuitement. Si vous souhaitez une assistance à l'aéroport, demandez-la au moins 48 h avant le départ : elle est gratuite également.",
        ],
    ),
    dict(
        key="umnr",
        q=[
            "Ma fille de {age} ans doit prendre l'avion seule pour {dest}, comment faire ?",
            "Mon fils a {age} ans, peut-il voyager sans adulte ?",
            "Combien coûte le service enfant non accompagné pour un enfant de {age} ans ?",
        ],
        a=[
            "Pour les enfants de 5 à 11 ans voyageant seuls, le service d'accompagnement est obligatoire. Il coûte 70 € par segment de vol.",
            "À {age} ans, votre enfant doit obligatoirement voyager avec notre service mineur non accompagné, facturé 70 € par segment.",
            "Le service enfant non accompagné est obligatoire entre 5 et 11 ans ; il est facturé 70 € par segment de vol.",
        ],
    ),
    dict(
        key="teen",
        q=[
            "Mon fils de {tage} ans peut-il voyager seul ?",
            "Ma fille a {tage} ans, le service mineur non accompagné est-il obligatoire ?",
        ],
        a=[
            "À partir de 12 ans, le service mineur non accompagné est facultatif : votre enfant peut voyager seul, ou avec le service si vous le préférez (70 € par segment).",
            "Entre 12 et 17 ans, le service est optionnel. Il n'est obligatoire que de 5 à 11 ans.",
        ],
    ),
    dict(
        key="plume_earn",
        q=[
            "Combien de points Plume je gagne par vol ?",
            "Comment fonctionne le programme Plume ?",
        ],
        a=[
            "Le programme Plume vous rapporte 1 point par euro dépensé. Le statut Argent s'obtient à 15 000 points par année civile et le statut Or à 40 000 points.",
            "Avec Plume, chaque euro dépensé vous rapporte 1 point. À 15 000 points dans l'année civile vous passez Argent, à 40 000 points Or.",
        ],
    ),
    dict(
        key="plume_calc",
        q=[
            "Mon vol pour {dest} m'a coûté {price} €, combien de points Plume vais-je recevoir ?",
            "J'ai payé {price} € mon aller-retour, ça fait combien de points ?",
        ],
        a=[
            "Vous gagnez 1 point par euro dépensé, soit {price} points Plume pour ce voyage.",
            "Plume crédite 1 point par euro : vous recevrez donc {price} points.",
        ],
    ),
    dict(
        key="plume_status",
        q=[
            "Combien de points faut-il pour être Or ?",
            "Il me faut combien de points pour le statut Argent ?",
        ],
        a=[
            "Le statut Argent est atteint à 15 000 points dans l'année civile, le statut Or à 40 000 points.",
            "Il faut 15 000 points sur une année civile pour le statut Argent et 40 000 points pour le statut Or.",
        ],
    ),
    dict(
        key="plume_expiry",
        q=[
            "Mes points Plume vont-ils expirer ?",
            "Je n'ai pas volé depuis longtemps, est-ce que je perds mes points ?",
        ],
        a=[
            "Les points Plume expirent au bout de 24 mois sans activité sur votre compte.",
            "Vos points restent valables tant qu'il y a de l'activité sur votre compte : ils expirent après 24 mois sans activité.",
        ],
    ),
    dict(
        key="hours",
        q=[
            "Quels sont les horaires du service client ?",
            "Je peux vous appeler le dimanche ?",
            "Le chat est ouvert jusqu'à quelle heure ?",
        ],
        a=[
            "Notre service client téléphonique répond du lundi au samedi de 8 h à 20 h. Le chat est disponible 7 jours sur 7 de 7 h à 22 h.",
            "Par téléphone, nous sommes joignables du lundi au samedi, de 8 h à 20 h (pas le dimanche). Le chat, lui, est ouvert tous les jours de 7 h à 22 h.",
        ],
    ),
    dict(
        key="pmr",
        q=[
            "Mon père se déplace en fauteuil roulant, peut-il être assisté à l'aéroport ?",
            "Comment demander une assistance PMR pour le vol {ref} ?",
            "L'assistance pour personne à mobilité réduite est-elle payante ?",
        ],
        a=[
            "L'assistance PMR est gratuite. Il suffit d'en faire la demande au moins 48 h avant le départ.",
            "Bien sûr : l'assistance aux personnes à mobilité réduite est gratuite, à demander au minimum 48 heures avant le vol.",
        ],
    ),
    dict(
        key="bike",
        q=[
            "Combien coûte le transport d'un vélo ?",
            "Je voudrais emporter mon vélo à {dest}, c'est possible ?",
        ],
        a=[
            "Le vélo est accepté pour 50 € par vol, à condition d'être emballé dans une housse ou un sac de transport.",
            "Oui, le transport d'un vélo coûte 50 € par vol ; il doit voyager dans un sac prévu à cet effet.",
        ],
    ),
    dict(
        key="ski_surf",
        q=[
            "Combien pour des skis en soute ?",
            "Je peux emporter ma planche de surf et mes skis ?",
            "On part faire du sport, quel est le prix pour les skis et la planche de surf ?",
        ],
        a=[
            "Les skis sont facturés 35 € et la planche de surf 50 €.",
            "Pour l'équipement de sport : 35 € pour les skis, 50 € pour une planche de surf (et 50 € par vol pour un vélo, dans un sac).",
        ],
    ),
    dict(
        key="infant",
        q=[
            "Nous voyageons avec notre bébé de {m} mois, faut-il payer un billet ?",
            "Combien coûte un billet pour un bébé ?",
            "Mon mari et moi partons à {dest} avec nos jumeaux de {m} mois, est-ce possible ?",
        ],
        a=[
            "Les enfants de moins de 2 ans voyagent sur les genoux d'un parent pour 10 % du tarif adulte. Un seul bébé par adulte est autorisé.",
            "Un bébé de moins de 2 ans voyage sur vos genoux et paie 10 % du tarif adulte, dans la limite d'un bébé par adulte.",
        ],
    ),
    dict(
        key="routes",
        q=[
            "Quelles destinations desservez-vous depuis Nantes ?",
            "Est-ce que vous allez en Corse ?",
            "Y a-t-il des vols pour Bastia en hiver ?",
        ],
        a=[
            "Depuis Nantes, nous desservons Lyon, Marseille, Nice, Toulouse, Strasbourg, Bruxelles, Genève, Porto et Dublin, ainsi qu'Ajaccio et Bastia en saison estivale uniquement.",
            "Nos lignes au départ de Nantes : Lyon, Marseille, Nice, Toulouse, Strasbourg, Bruxelles, Genève, Porto, Dublin. Ajaccio et Bastia sont desservies seulement l'été.",
        ],
    ),
    dict(
        key="fleet",
        q=[
            "Sur quel type d'avion vais-je voler ?",
            "Combien d'avions avez-vous ?",
        ],
        a=[
            "Notre flotte compte 9 appareils : 6 ATR 72-600 et 3 Embraer E195-E2.",
            "Nous exploitons 6 ATR 72-600 et 3 Embraer E195-E2, tous basés à Nantes.",
        ],
    ),
    dict(
        key="lost_bag",
        q=[
            "Ma valise n'est pas arrivée à {dest} (vol {ref}). Vous pouvez me joindre au {phone}.",
            "Bagage perdu sur le vol {ref} du {date}, je suis joignable au {phone} ou par mail {email}",
            "Je n'ai toujours pas récupéré ma valise depuis mon arrivée à {dest}, mon numéro : {phone}",
        ],
        a=[
            "Je suis vraiment désolé. Si ce n'est pas encore fait, déclarez le bagage au comptoir bagages de l'aéroport d'arrivée : un dossier de recherche sera ouvert. Nous vous contacterons dès que nous aurons des nouvelles.",
            "Toutes nos excuses pour ce désagrément. La déclaration se fait au service bagages de l'aéroport d'arrivée ; conservez bien vos justificatifs. Nous vous tiendrons informé aux coordonnées indiquées.",
        ],
    ),
    dict(
        key="card_declined",
        q=[
            "Mon paiement ne passe pas, j'ai essayé avec la carte {card}, pourquoi ?",
            "La réservation pour {dest} bloque au paiement. Carte {card}, qu'est-ce qui ne va pas ?",
            "Pouvez-vous prendre le paiement par chat ? Ma carte : {card}",
        ],
        a=[
            "Pour votre sécurité, ne communiquez jamais votre numéro de carte par chat ou par e-mail : nous ne pouvons pas prendre de paiement par ce canal. Je vous invite à réessayer sur le site et, si le refus persiste, à contacter votre banque.",
            "Merci, mais par mesure de sécurité nous ne traitons aucun paiement par ce canal. Ne partagez pas votre numéro de carte ici. Vérifiez le plafond de votre carte auprès de votre banque puis réessayez en ligne.",
        ],
    ),
    dict(
        key="double_charge",
        q=[
            "J'ai été débité deux fois pour la commande {order}. Carte utilisée : {card}.",
            "Double prélèvement sur ma carte {card} pour la réservation {ref} (commande n° {order})",
            "Commande {order} : le montant a été prélevé deux fois !",
        ],
        a=[
            "Je suis désolé pour ce désagrément. Je transmets la commande {order} pour vérification ; si le double débit est confirmé, le montant en trop vous sera recrédité. Pour votre sécurité, ne communiquez pas votre numéro de carte par écrit.",
            "Merci pour ces informations. Nous vérifions la commande {order} et revenons vers vous rapidement. Un double débit confirmé est toujours remboursé.",
        ],
    ),
    dict(
        key="invoice",
        q=[
            "Pouvez-vous m'envoyer la facture de la commande {order} à l'adresse {email} ?",
            "J'ai besoin d'une facture pour mon vol {ref} (commande {order}), merci de l'envoyer à {email}",
        ],
        a=[
            "C'est noté, la facture de la commande {order} va vous être envoyée par e-mail.",
            "Bien sûr, je vous transmets la facture de la commande {order} à l'adresse indiquée.",
        ],
    ),
    dict(
        key="update_contact",
        q=[
            "Je voudrais changer le numéro de téléphone de ma réservation {ref} : {phone}",
            "Merci de mettre à jour mon adresse e-mail sur le dossier {ref} : {email}",
            "Nouvelles coordonnées pour la réservation {ref} : {email} / {phone}",
        ],
        a=[
            "C'est fait, les coordonnées du dossier {ref} ont été mises à jour.",
            "Vos coordonnées sont bien modifiées sur la réservation {ref}. Vous recevrez les informations de vol à ces nouvelles coordonnées.",
        ],
    ),
    dict(
        key="boarding_pass",
        q=[
            "Je n'ai pas reçu ma carte d'embarquement sur {email}, vol {ref}",
            "Où puis-je récupérer ma carte d'embarquement pour {dest} ?",
        ],
        a=[
            "La carte d'embarquement est disponible une fois l'enregistrement en ligne effectué, entre 30 h et 1 h avant le départ. Vous pourrez alors la télécharger.",
            "Votre carte d'embarquement est émise lors de l'enregistrement en ligne, ouvert de 30 h à 1 h avant le départ. Si vous préférez, le comptoir de l'aéroport peut aussi vous l'imprimer.",
        ],
    ),
]

EN = [
    dict(
        key="cabin_bag",
        q=[
            "What is the cabin baggage allowance?",
            "How big can my carry-on be on the flight to {dest}?",
            "Can I bring a backpack in addition to my cabin suitcase?",
        ],
        a=[
            "You may bring one cabin bag of up to 55 x 35 x 25 cm and 8 kg, plus one personal item of up to 40 x 30 x 15 cm that fits under the seat in front of you.",
            "Your cabin allowance is one bag (max 55 x 35 x 25 cm, 8 kg) and one personal item such as a backpack or laptop bag (max 40 x 30 x 15 cm), stored under the seat.",
        ],
    ),
    dict(
        key="checked_bag",
        q=[
            "How much is an extra checked bag?",
            "I need to add a suitcase to booking {ref}, what does it cost?",
        ],
        a=[
            "An extra checked bag costs €25 when added online and €45 at the airport, so it is cheaper to add it now on our website.",
            "Adding a checked bag is €25 online or €45 at the airport desk. The standard weight limit is 23 kg.",
        ],
    ),
    dict(
        key="delay_comp",
        q=[
            "My flight {ref} from Nantes to {dest} landed {h} hours late. Am I entitled to compensation?",
            "We arrived in {dest} with a {h} hour delay on {date}. Can I claim compensation?",
        ],
        a=[
            "I am sorry about the delay. Under EU Regulation 261/2004, a delay of 3 hours or more at arrival on this route entitles you to €{comp}, unless it was caused by extraordinary circumstances such as weather or an air traffic control strike. We will check the cause and get back to you.",
            "For a delay of 3 hours or more at arrival, EU Regulation 261/2004 provides €{comp} for a flight like Nantes-{dest}. Compensation is not due in extraordinary circumstances (weather, air traffic control strikes).",
        ],
    ),
    dict(
        key="pets",
        q=[
            "Can I travel with my cat in the cabin?",
            "How much does it cost to take a small dog on board?",
        ],
        a=[
            "Yes, cats and dogs are accepted in the cabin up to 8 kg including the carrier, for €60 per flight. There is a maximum of 2 animals per flight, so please book early.",
            "Small dogs and cats travel in the cabin if they weigh 8 kg or less with their carrier. The fee is €60 per flight, limited to 2 animals per flight.",
        ],
    ),
    dict(
        key="checkin_online",
        q=[
            "When does online check-in open?",
            "I fly to {dest} on {date}, until when can I check in online?",
        ],
        a=[
            "Online check-in opens 30 hours before departure and closes 1 hour before.",
            "You can check in online from 30 hours up to 1 hour before your flight departs.",
        ],
    ),
    dict(
        key="umnr",
        q=[
            "My son is {age} and will fly alone to {dest}. What do I need to do?",
            "How much is the unaccompanied minor service for a {age}-year-old?",
        ],
        a=[
            "For children aged 5 to 11 travelling alone, our unaccompanied minor service is mandatory. It costs €70 per flight segment.",
            "At {age}, the unaccompanied minor service is compulsory; the fee is €70 per flight segment.",
        ],
    ),
    dict(
        key="plume",
        q=[
            "How does the Plume loyalty programme work?",
            "How many points do I need for Gold status?",
        ],
        a=[
            "Plume gives you 1 point per euro spent. Silver (Argent) status requires 15,000 points in a calendar year and Gold (Or) 40,000 points. Points expire after 24 months without activity.",
            "You earn 1 point per euro. Argent status is reached at 15,000 points per calendar year, Or status at 40,000 points.",
        ],
    ),
    dict(
        key="lost_bag",
        q=[
            "My suitcase did not arrive in {dest} (flight {ref}). Please call me on {phone}.",
            "Lost luggage on flight {ref}, you can reach me at {email} or {phone}",
        ],
        a=[
            "I am very sorry. Please report the bag at the baggage desk of the arrival airport if you have not done so yet; a tracing file will be opened and we will contact you as soon as we have news.",
            "Apologies for the inconvenience. The missing bag must be reported at the arrival airport's baggage service; keep your receipts. We will keep you informed using the contact details you gave.",
        ],
    ),
    dict(
        key="card",
        q=[
            "My card {card} keeps getting declined on your website, why?",
            "Can I give you my card number here to pay? It's {card}",
        ],
        a=[
            "For your security, please never share your card number in the chat or by e-mail; we cannot take payments through this channel. Please try again on the website and contact your bank if the payment is still refused.",
            "Thank you, but for security reasons we do not process payments here, so please do not post your card details. Check your card limit with your bank and try again online.",
        ],
    ),
    dict(
        key="refund",
        q=[
            "I have a Flex ticket ({ref}). If I cancel, do I get my money back?",
            "What is the refund policy for Flex and Liberté fares?",
        ],
        a=[
            "Flex tickets are refundable with a €30 fee; Liberté tickets are fully refundable until departure. Essentiel tickets are not refundable, except airport taxes.",
            "With Flex you are refunded minus a €30 fee. Liberté gives a full refund until departure.",
        ],
    ),
    dict(
        key="taxes_iban",
        q=[
            "I did not take my Essentiel flight {ref}. Please refund the airport taxes to IBAN {iban}",
        ],
        a=[
            "Thank you, your request for the refund of airport taxes on booking {ref} is registered. Such requests must be made within 2 months and are processed within 7 working days.",
            "Your tax refund request is noted. For an unused Essentiel ticket the airport taxes are refunded on request; processing takes 7 working days.",
        ],
    ),
]

# Low-quality exchanges (very short or useless messages). Planted on purpose.
LOW_QUALITY = [
    [("ok", "Très bien. Bonne journée !")],
    [("???", "Bonjour ! Comment puis-je vous aider ?")],
    [("test", "Bonjour, je suis à votre écoute. Quelle est votre question ?")],
    [("allo ?", "Oui, bonjour, que puis-je faire pour vous ?")],
    [("...", "Bonjour, n'hésitez pas à poser votre question.")],
    [("merci", "Avec plaisir !")],
    [("Quel est le poids maximum du bagage cabine ?", "ok")],
    [("non", "D'accord. Puis-je vous aider sur un autre sujet ?")],
    [("?", "Bonjour, pouvez-vous préciser votre demande ?")],
    [("Bonjour, je voudrais savoir si je peux changer mon vol Flex.", "???")],
    [("hello", "Hello! How can I help you today?")],
    [("a", "Bonjour, je n'ai pas compris votre message. Pouvez-vous reformuler ?")],
]

FOLLOW_THANKS_FR = [
    ("Merci beaucoup !", "Avec plaisir, bon voyage avec Hirondelle Air !"),
    ("super merci", "Je vous en prie. Belle journée !"),
    ("Parfait, merci pour votre aide.", "Avec plaisir ! N'hésitez pas à revenir vers nous."),
    ("d'accord merci", "Je vous en prie, bonne fin de journée."),
    ("Top, c'est tout ce que je voulais savoir.", "Parfait ! Bon vol."),
    ("Merci, bonne soirée", "Merci à vous, bonne soirée également."),
    ("Ok c'est noté", "Très bien. Bon voyage !"),
    ("Génial, merci pour la réponse rapide", "Avec plaisir, bonne journée !"),
]
FOLLOW_THANKS_EN = [
    ("Thanks a lot!", "You're welcome, have a nice flight!"),
    ("Great, thank you", "My pleasure. Have a good day!"),
    ("ok thanks", "You're welcome!"),
]
FOLLOW_LINK_FR = [
    "Autre question : ",
    "Et aussi, ",
    "D'accord. ",
    "Merci. Dernière chose : ",
    "Ok. ",
    "Je profite du chat : ",
]
FOLLOW_LINK_EN = ["Also, ", "One more question: ", "OK. ", "Thanks. "]

USER_GREET_FR = ["Bonjour,", "Bonjour", "bonjour", "Bonsoir,", "", "", "Salut,", "Hello,", "Bonjour madame, monsieur,"]
USER_CTX_FR = [
    "Je pars à {dest} le {date}.",
    "Nous partons en famille à {dest} le {date}.",
    "J'ai réservé un Nantes-{dest} pour le {date}.",
    "Je voyage avec vous pour la première fois.",
    "Petite question avant mon départ.",
    "",
    "",
    "",
    "Je prends l'avion pour {dest} bientôt.",
]
USER_CLOSE_FR = [
    "Merci d'avance.",
    "Merci !",
    "",
    "",
    "Cordialement",
    "Merci pour votre aide.",
    "Bonne journée",
    "merci",
]
AGENT_GREET_FR = [
    "Bonjour,",
    "Bonjour et merci de votre message.",
    "Bonjour {name},",
    "",
    "Bonjour, merci de nous avoir contactés.",
    "Bonjour, je suis {agent} du service client.",
    "Bonsoir,",
]
AGENT_CLOSE_FR = [
    "Bon voyage avec Hirondelle Air !",
    "Belle journée.",
    "N'hésitez pas si vous avez d'autres questions.",
    "",
    "Je reste à votre disposition.",
    "Bonne journée à vous.",
    "",
    "Excellent vol !",
]
USER_GREET_EN = ["Hi,", "Hello,", "Hello", "", "Good morning,", "Hi there"]
USER_CTX_EN = [
    "I'm flying to {dest} on {date}.",
    "",
    "Quick question before my trip.",
    "We are travelling as a family.",
    "",
]
USER_CLOSE_EN = ["Thanks!", "", "Thank you in advance.", "Cheers", ""]
AGENT_GREET_EN = ["Hello,", "Hi {name},", "", "Hello and thank you for your message.", "Good afternoon,"]
AGENT_CLOSE_EN = ["Have a nice flight!", "", "Kind regards.", "Let me know if you have any other questions.", ""]

FIRST_NAMES = [
    "Marie",
    "Julien",
    "Camille",
    "Nicolas",
    "Sophie",
    "Thomas",
    "Léa",
    "Antoine",
    "Chloé",
    "Mathieu",
    "Inès",
    "Hugo",
    "Manon",
    "Lucas",
    "Emma",
    "Yann",
    "Gwenaëlle",
    "Pierre",
    "Sarah",
    "Maël",
    "Élodie",
    "Karim",
    "Nadia",
    "Loïc",
    "Aurélie",
    "Bastien",
    "Claire",
    "Romain",
    "Océane",
    "Erwan",
]
LAST_NAMES = [
    "martin",
    "bernard",
    "dubois",
    "thomas",
    "robert",
    "richard",
    "petit",
    "durand",
    "leroy",
    "moreau",
    "simon",
    "laurent",
    "lefebvre",
    "michel",
    "garcia",
    "david",
    "bertrand",
    "roux",
    "vincent",
    "fournier",
    "morel",
    "girard",
    "andre",
    "guerin",
    "le-goff",
    "le-gall",
    "tanguy",
    "kerouac",
    "bouvier",
    "renaud",
]
EN_NAMES = ["John", "Emily", "Sean", "Aoife", "Michael", "Laura", "David", "Sarah"]
AGENT_NAMES = ["Camille", "Thomas", "Sonia", "Yann", "Léa", "Mathieu", "Nora", "Gaël"]
EMAIL_DOMAINS = [
    "example.com",
    "example.org",
    "example.net",
    "mail.example",
    "orange.example",
    "laposte.example",
    "free.example",
    "sfr.example",
]
