"""The executive summary that opens every report, and the evidence grades of its figures."""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "summary.title": "Executive summary",
        "summary.consequence": "What it means:",
        "summary.decision": "Decision asked:",
        "summary.see": "See the section",
        "summary.none": "Nothing in this phase's data calls for a decision yet.",
        "grade.solid": "solid",
        "grade.indicative": "indicative",
        "grade.too_little_data": "too little data",
        "grade.title": "Evidence:",
        "grade.count": "based on {count}",
        "grade.interval": "{low} to {high}",
    },
    "fr": {
        "summary.title": "Synthèse",
        "summary.consequence": "Conséquence\u00a0:",
        "summary.decision": "Décision demandée\u00a0:",
        "summary.see": "Voir la section",
        "summary.none": "Rien dans les données de cette phase n'appelle encore de décision.",
        "grade.solid": "solide",
        "grade.indicative": "indicatif",
        "grade.too_little_data": "données insuffisantes",
        "grade.title": "Fiabilité\u00a0:",
        "grade.count": "sur {count}",
        "grade.interval": "de {low} à {high}",
    },
}
