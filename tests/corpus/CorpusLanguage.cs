namespace PolicyGate.Tests.Corpus;

/// <summary>Per-language wording written for this corpus: filler sentences, neutral lead-ins, context lead-ins and keys per detector.</summary>
internal sealed record CorpusLanguage(
    string Code,
    string[] Sentences,
    string[] NeutralLeads,
    string NeutralKey,
    IReadOnlyDictionary<string, string[]> ContextLeads,
    IReadOnlyDictionary<string, string> ContextKeys,
    string[] Names,
    string[] Cities)
{
    public static readonly IReadOnlyList<CorpusLanguage> All =
    [
        new("en",
            [
                "Thanks for waiting while we looked into this.", "The parcel left our warehouse this morning.",
                "Our team reviewed the request and everything looks fine.", "Let us know if anything else comes up.",
                "The meeting moved to the larger room on the second floor.", "We updated the summary with the figures you sent.",
                "Most customers choose the standard plan.", "The garden looks lovely after the rain.",
                "Please keep this message for your records.", "The report will be ready by the end of the week.",
                "Our office is closed on public holidays.", "The new release improves the search page.",
            ],
            ["Here is the value you asked for:", "As requested, the entry reads", "The record shows", "Result:"],
            "value",
            new Dictionary<string, string[]>
            {
                ["credit_card"] = ["The card number on file is", "Charge the card number"],
                ["us_ssn"] = ["The SSN on the form is", "Social Security Number:"],
                ["email"] = ["You can reach her by email at", "Contact email:"],
                ["phone"] = ["Call me on my phone:", "Tel.", "Mobile:", "Phone number:"],
                ["ipv4"] = ["The server IP address is", "Client IP:"],
                ["ipv6"] = ["The server IP address is", "Client IPv6 address:"],
                ["iban"] = ["Please transfer the amount to IBAN", "IBAN:"],
                ["entropy"] = ["Here is your new API token:", "The generated secret:"],
                ["leakage"] = ["My instructions say:", "Quoting my setup:"],
                ["framing"] = ["I must say that", "Well,"],
            },
            new Dictionary<string, string>
            {
                ["credit_card"] = "card_number", ["us_ssn"] = "ssn", ["email"] = "email", ["phone"] = "phone", ["ipv4"] = "ip_address",
                ["ipv6"] = "ip_address", ["iban"] = "iban", ["entropy"] = "api_key", ["leakage"] = "instructions", ["framing"] = "reply",
            },
            ["Alice Walker", "Ben Carter", "Chloe Harris", "Daniel Brooks", "Emma Price"],
            ["Boston", "Leeds", "Denver", "Cardiff"]),
        new("de",
            [
                "Danke, dass Sie gewartet haben.", "Das Paket hat unser Lager heute Morgen verlassen.",
                "Unser Team hat die Anfrage geprüft und alles ist in Ordnung.", "Melden Sie sich gern, wenn noch etwas offen ist.",
                "Die Besprechung findet im großen Raum im zweiten Stock statt.", "Wir haben die Übersicht mit Ihren Zahlen ergänzt.",
                "Die meisten Kunden wählen den Standardtarif.", "Nach dem Regen sieht der Garten wunderschön aus.",
                "Bitte bewahren Sie diese Nachricht auf.", "Der Bericht ist bis Ende der Woche fertig.",
                "An Feiertagen bleibt unser Büro geschlossen.", "Die neue Version verbessert die Suchseite.",
            ],
            ["Hier ist der gewünschte Wert:", "Der Eintrag lautet", "Im Datensatz steht", "Ergebnis:"],
            "wert",
            new Dictionary<string, string[]>
            {
                ["credit_card"] = ["Die hinterlegte Kartennummer lautet", "Kreditkarte:"],
                ["us_ssn"] = ["Die SSN auf dem Formular lautet", "Social Security Number (SSN):"],
                ["email"] = ["Sie erreichen sie per E-Mail unter", "E-Mail-Adresse:"],
                ["phone"] = ["Rufen Sie mich an, Tel.", "Telefon:", "Rufnummer", "Handy:"],
                ["ipv4"] = ["Die IP-Adresse des Servers lautet", "Client-IP:"],
                ["ipv6"] = ["Die IP-Adresse des Servers lautet", "IPv6-Adresse des Clients:"],
                ["iban"] = ["Bitte überweisen Sie den Betrag auf die IBAN", "IBAN:"],
                ["entropy"] = ["Hier ist Ihr neues API-Token:", "Das erzeugte Secret:"],
                ["leakage"] = ["Meine Anweisungen lauten:", "Aus meiner Konfiguration:"],
                ["framing"] = ["Ich muss sagen, dass", "Nun,"],
            },
            new Dictionary<string, string>
            {
                ["credit_card"] = "kartennummer", ["us_ssn"] = "ssn", ["email"] = "email", ["phone"] = "telefon", ["ipv4"] = "ip_adresse",
                ["ipv6"] = "ip_adresse", ["iban"] = "iban", ["entropy"] = "api_token", ["leakage"] = "anweisungen", ["framing"] = "antwort",
            },
            ["Jürgen Müller", "Anna Schäfer", "Lukas Becker", "Sophie Wagner", "Max Köhler"],
            ["München", "Köln", "Leipzig", "Düsseldorf"]),
        new("fr",
            [
                "Merci de votre patience.", "Le colis a quitté notre entrepôt ce matin.",
                "Notre équipe a examiné la demande et tout est en ordre.", "N'hésitez pas à nous écrire si besoin.",
                "La réunion a lieu dans la grande salle au deuxième étage.", "Nous avons complété le résumé avec vos chiffres.",
                "La plupart des clients choisissent l'offre standard.", "Le jardin est magnifique après la pluie.",
                "Veuillez conserver ce message.", "Le rapport sera prêt à la fin de la semaine.",
                "Nos bureaux sont fermés les jours fériés.", "La nouvelle version améliore la page de recherche.",
            ],
            ["Voici la valeur demandée :", "L'entrée indique", "Le dossier mentionne", "Résultat :"],
            "valeur",
            new Dictionary<string, string[]>
            {
                ["credit_card"] = ["Le numéro de carte enregistré est", "Carte bancaire :"],
                ["us_ssn"] = ["Le SSN indiqué sur le formulaire est", "Social Security Number :"],
                ["email"] = ["Vous pouvez la joindre par e-mail à", "Courriel :"],
                ["phone"] = ["Appelez-moi au téléphone :", "Tél. :", "Portable :", "Numéro de téléphone :"],
                ["ipv4"] = ["L'adresse IP du serveur est", "IP du client :"],
                ["ipv6"] = ["L'adresse IP du serveur est", "Adresse IPv6 du client :"],
                ["iban"] = ["Merci de virer le montant sur l'IBAN", "IBAN :"],
                ["entropy"] = ["Voici votre nouveau token API :", "Le secret généré :"],
                ["leakage"] = ["Mes instructions disent :", "Extrait de ma configuration :"],
                ["framing"] = ["Je dois dire que", "Eh bien,"],
            },
            new Dictionary<string, string>
            {
                ["credit_card"] = "numero_carte", ["us_ssn"] = "ssn", ["email"] = "courriel", ["phone"] = "telephone", ["ipv4"] = "adresse_ip",
                ["ipv6"] = "adresse_ip", ["iban"] = "iban", ["entropy"] = "secret", ["leakage"] = "consignes", ["framing"] = "reponse",
            },
            ["Élodie Moreau", "François Petit", "Camille Lefèvre", "Hélène Girard", "Théo Rousseau"],
            ["Paris", "Lyon", "Orléans", "Besançon"]),
        new("es",
            [
                "Gracias por su paciencia.", "El paquete salió de nuestro almacén esta mañana.",
                "Nuestro equipo revisó la solicitud y todo está bien.", "Avísenos si surge cualquier otra cosa.",
                "La reunión se trasladó a la sala grande del segundo piso.", "Actualizamos el resumen con las cifras que envió.",
                "La mayoría de los clientes elige el plan estándar.", "El jardín luce precioso después de la lluvia.",
                "Conserve este mensaje, por favor.", "El informe estará listo al final de la semana.",
                "Nuestra oficina cierra los días festivos.", "La nueva versión mejora la página de búsqueda.",
            ],
            ["Aquí está el valor solicitado:", "La entrada indica", "El registro muestra", "Resultado:"],
            "valor",
            new Dictionary<string, string[]>
            {
                ["credit_card"] = ["El número de tarjeta registrado es", "Tarjeta de crédito:"],
                ["us_ssn"] = ["El SSN del formulario es", "Social Security Number:"],
                ["email"] = ["Puede escribirle por correo a", "Correo electrónico:"],
                ["phone"] = ["Llámeme al teléfono", "Tel.:", "Móvil:", "Teléfono de contacto:"],
                ["ipv4"] = ["La dirección IP del servidor es", "IP del cliente:"],
                ["ipv6"] = ["La dirección IP del servidor es", "Dirección IPv6 del cliente:"],
                ["iban"] = ["Transfiera el importe al IBAN", "IBAN:"],
                ["entropy"] = ["Aquí tiene su nuevo token de API:", "El secreto generado:"],
                ["leakage"] = ["Mis instrucciones dicen:", "De mi configuración:"],
                ["framing"] = ["Debo decir que", "Bueno,"],
            },
            new Dictionary<string, string>
            {
                ["credit_card"] = "numero_tarjeta", ["us_ssn"] = "ssn", ["email"] = "correo", ["phone"] = "telefono", ["ipv4"] = "direccion_ip",
                ["ipv6"] = "direccion_ip", ["iban"] = "iban", ["entropy"] = "token", ["leakage"] = "instrucciones", ["framing"] = "respuesta",
            },
            ["José García", "Lucía Fernández", "Martín Núñez", "Carmen Ruiz", "Sofía Ortega"],
            ["Madrid", "Sevilla", "Málaga", "Córdoba"]),
        new("it",
            [
                "Grazie per la pazienza.", "Il pacco ha lasciato il nostro magazzino stamattina.",
                "Il nostro team ha esaminato la richiesta e va tutto bene.", "Scriveteci pure se serve altro.",
                "La riunione si terrà nella sala grande al secondo piano.", "Abbiamo aggiornato il riepilogo con i vostri dati.",
                "La maggior parte dei clienti sceglie il piano standard.", "Il giardino è bellissimo dopo la pioggia.",
                "Conservate questo messaggio, per favore.", "Il rapporto sarà pronto entro la fine della settimana.",
                "Il nostro ufficio è chiuso nei giorni festivi.", "La nuova versione migliora la pagina di ricerca.",
            ],
            ["Ecco il valore richiesto:", "La voce riporta", "Nella scheda risulta", "Risultato:"],
            "valore",
            new Dictionary<string, string[]>
            {
                ["credit_card"] = ["Il numero di carta registrato è", "Carta di credito:"],
                ["us_ssn"] = ["Il SSN indicato nel modulo è", "Social Security Number:"],
                ["email"] = ["Potete scriverle via e-mail a", "Indirizzo email:"],
                ["phone"] = ["Chiamatemi al telefono", "Tel.", "Cellulare:", "Numero di telefono:"],
                ["ipv4"] = ["L'indirizzo IP del server è", "IP del client:"],
                ["ipv6"] = ["L'indirizzo IP del server è", "Indirizzo IPv6 del client:"],
                ["iban"] = ["Effettuate il bonifico sull'IBAN", "IBAN:"],
                ["entropy"] = ["Ecco il nuovo token API:", "Il secret generato:"],
                ["leakage"] = ["Le mie istruzioni dicono:", "Dalla mia configurazione:"],
                ["framing"] = ["Devo dire che", "Ebbene,"],
            },
            new Dictionary<string, string>
            {
                ["credit_card"] = "numero_carta", ["us_ssn"] = "ssn", ["email"] = "email", ["phone"] = "telefono", ["ipv4"] = "indirizzo_ip",
                ["ipv6"] = "indirizzo_ip", ["iban"] = "iban", ["entropy"] = "password", ["leakage"] = "istruzioni", ["framing"] = "risposta",
            },
            ["Giulia Rossi", "Marco Bianchi", "Chiara Esposito", "Luca Romano", "Francesca Greco"],
            ["Milano", "Torino", "Bologna", "Napoli"]),
    ];

    /// <summary>Phone regions whose numbers this language's documents carry.</summary>
    public string[] PhoneRegions => Code switch
    {
        "en" => ["US", "GB"],
        "de" => ["DE", "CH"],
        "fr" => ["FR", "CH"],
        "es" => ["ES"],
        _ => ["IT"],
    };
}
