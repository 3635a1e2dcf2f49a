"""What ``validate`` says about rows it quarantines or warns about, in English and French.

Keys are ``problem.<code>``; :class:`workbook.intake.problems.Problem` carries the code and values, so
the command line shows the English sentence and a French report the French one.
"""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "problem.unreadable_date": (
            "cannot read the date ({sample}); write dates as 2026-03-01 or 01/03/2026"
        ),
        "problem.mixed_dates": (
            "the column mixes ISO dates like 2026-03-01 ({iso_count} rows) and day-first dates "
            "like 01/03/2026 ({day_first_count} rows); these rows use the rarer format "
            "({sample}): re-export the column in one format"
        ),
        "problem.unreadable_month": "cannot read the month ({sample}); write 2026-03",
        "problem.not_a_number": "not a number ({sample})",
        "problem.below_minimum": "must be >= {minimum} (found {sample})",
        "problem.date_out_of_range": (
            "date outside {earliest}..{latest} ({sample}): a typo or a placeholder; correct it "
            "in the export, or leave the cell empty if there is no date"
        ),
        "problem.date_placeholder": (
            'date after {latest} ({sample}), a "no date" placeholder: read as empty'
        ),
        "problem.mixed_decimal_marks": (
            "the column writes decimals both with a comma like 1.234,5 ({comma_count} rows) and "
            "with a point like 1,234.5 ({point_count} rows); these rows use the rarer mark "
            "({sample}): re-export the column with one decimal mark"
        ),
        "problem.number_out_of_range": (
            "not a plausible number ({sample}): infinite, or larger than 10^12 "
            "(1,000,000,000,000); correct it in the export"
        ),
        "problem.duplicate_header": (
            "two headers name the column {column}: '{first}' (column {first_position}) and "
            "'{second}' (column {second_position}); which one holds the data cannot be told: "
            "rename or delete one of them"
        ),
        "problem.nul_byte": (
            "NUL bytes (invisible control characters) in the value were removed; check the export"
        ),
        "problem.unknown_value": (
            "unknown value ({sample}); allowed: {allowed} (map export values under values: in "
            "engagement.yaml)"
        ),
        "problem.empty_required": "required value is empty (column {column})",
        "problem.duplicate_id": (
            "duplicate {column}: {examples}, first on row {first_rows}; the first row is kept, "
            "repeats are quarantined"
        ),
        "problem.skipped_stage": (
            "no {stage} date although a later stage is dated: the lead is counted as reaching "
            "{stage} on the date of the next stage it reached"
        ),
        "problem.stage_backwards": (
            "{column} is earlier than the stage before it: treated as reached on the earlier "
            "stage's date (0 days); check the export"
        ),
        "problem.disqualified_before_created": (
            "disqualified before the lead was created: treated as disqualified on created_at"
        ),
        "problem.closed_without_date": (
            "status is won or lost but closed_at is empty: fill in the close date"
        ),
        "problem.closed_without_amount": (
            "status is won or lost but amount is empty: fill in the contract value"
        ),
        "problem.open_with_close_date": "open opportunity with a close date: the date is ignored",
        "problem.closed_before_created": "closed before it was created: check the export",
        "problem.opportunity_unknown_lead": (
            "no lead with this lead_id in leads: the opportunity counts for win rates and lift, "
            "but not in the lead funnel"
        ),
        "problem.duplicate_email": (
            "same e-mail as an earlier lead (case and spaces ignored): review and merge"
        ),
        "problem.spend_channel_without_leads": (
            "no lead has this source_channel: its spend counts in CAC but no lead can be "
            "credited (lead channels: {channels})"
        ),
        "problem.channels_without_spend": (
            "channels with leads but no spend in spend.csv: {channels} (their CAC and ROI "
            "cannot be computed)"
        ),
        "problem.tag_not_in_config": (
            "not one of engagement.yaml's {column}s ({allowed}): treated as untagged"
        ),
        "problem.untagged_asset": (
            "untagged asset (no persona or no buying stage): it cannot fill a cell of the "
            "content matrix"
        ),
        "problem.persona_not_in_config": (
            "persona not in engagement.yaml ({allowed}): shown as given"
        ),
        "problem.touch_unknown_lead": (
            "no usable lead with this lead_id (not in leads, or its row was quarantined): the "
            "touch cannot be used and is quarantined"
        ),
        "problem.touch_unknown_asset": (
            "asset_id not in the content inventory: the touch counts for its channel only"
        ),
        "problem.created_after_as_of": (
            "created after as_of ({as_of}): outside the snapshot, not analysed"
        ),
        "problem.coverage_stops_early": (
            "dates run from {first} to {last}: nothing in the {days} days before as_of "
            "({as_of}), where the file averaged {per_month} per month; run-rates, trends and "
            "cohorts treat the time after {last} as no data (not 0). Export the missing months, "
            "or set as_of in engagement.yaml to the day the export ends"
        ),
        "problem.coverage_starts_late": (
            "dates run from {first} to {last}: they start {days} days after {other_file} "
            "({other_first}), where the file averages {per_month} per month; run-rates, "
            "trends and cohorts treat the time before {first} as no data (not 0). Export the "
            "earlier months if the source has them"
        ),
        "problem.no_usable_rows": "no usable rows: every row was quarantined (see above)",
        "problem.leads_not_used": (
            "not read: the ladder starts at opportunity, so each opportunity is a journey; "
            "add a lead stage to stages in engagement.yaml (e.g. [lead, opportunity, won]) "
            "to use the leads"
        ),
        "problem.workbook_sheets": (
            "the workbook has {sheets} sheets; read sheet '{sheet}' (name a sheet '{stem}' to "
            "choose another)"
        ),
    },
    "fr": {
        "problem.unreadable_date": (
            "date illisible ({sample}) ; écrivez les dates 2026-03-01 ou 01/03/2026"
        ),
        "problem.mixed_dates": (
            "la colonne mélange des dates ISO comme 2026-03-01 ({iso_count} lignes) et des dates "
            "jour/mois comme 01/03/2026 ({day_first_count} lignes) ; ces lignes sont au format "
            "le plus rare ({sample}) : réexportez la colonne dans un seul format"
        ),
        "problem.unreadable_month": "mois illisible ({sample}) ; écrivez 2026-03",
        "problem.not_a_number": "pas un nombre ({sample})",
        "problem.below_minimum": "doit être >= {minimum} (trouvé {sample})",
        "problem.date_out_of_range": (
            "date hors de {earliest}..{latest} ({sample}) : une faute de frappe ou une valeur "
            "de remplissage ; corrigez-la dans l'export, ou laissez la cellule vide s'il n'y a "
            "pas de date"
        ),
        "problem.date_placeholder": (
            "date après {latest} ({sample}), une valeur de remplissage « pas de date » : lue "
            "comme vide"
        ),
        "problem.mixed_decimal_marks": (
            "la colonne écrit les décimales avec une virgule comme 1.234,5 ({comma_count} "
            "lignes) et avec un point comme 1,234.5 ({point_count} lignes) ; ces lignes suivent "
            "la marque la plus rare ({sample}) : réexportez la colonne avec une seule marque "
            "décimale"
        ),
        "problem.number_out_of_range": (
            "nombre invraisemblable ({sample}) : infini, ou plus grand que 10^12 "
            "(1 000 000 000 000) ; corrigez-le dans l'export"
        ),
        "problem.duplicate_header": (
            "deux en-têtes désignent la colonne {column} : « {first} » (colonne "
            "{first_position}) et « {second} » (colonne {second_position}) ; impossible de "
            "savoir laquelle contient les données : renommez ou supprimez l'une d'elles"
        ),
        "problem.nul_byte": (
            "des octets NUL (caractères de contrôle invisibles) ont été retirés de la valeur ; "
            "vérifiez l'export"
        ),
        "problem.unknown_value": (
            "valeur inconnue ({sample}) ; valeurs permises : {allowed} (associez les valeurs de "
            "l'export sous values: dans engagement.yaml)"
        ),
        "problem.empty_required": "valeur obligatoire vide (colonne {column})",
        "problem.duplicate_id": (
            "{column} en double : {examples}, déjà vu ligne {first_rows} ; la première ligne est "
            "gardée, les répétitions sont écartées"
        ),
        "problem.skipped_stage": (
            "pas de date de passage en {stage} alors qu'une étape suivante est datée : le lead "
            "est compté comme passé en {stage} à la date de l'étape suivante atteinte"
        ),
        "problem.stage_backwards": (
            "{column} est antérieure à l'étape précédente : étape comptée comme atteinte à la "
            "date de l'étape précédente (0 jour) ; vérifiez l'export"
        ),
        "problem.disqualified_before_created": (
            "disqualifié avant sa création : compté comme disqualifié à sa date de création"
        ),
        "problem.closed_without_date": (
            "statut gagné ou perdu mais closed_at est vide : renseignez la date de clôture"
        ),
        "problem.closed_without_amount": (
            "statut gagné ou perdu mais amount est vide : renseignez le montant du contrat"
        ),
        "problem.open_with_close_date": (
            "opportunité ouverte avec une date de clôture : la date est ignorée"
        ),
        "problem.closed_before_created": "clôturée avant sa création : vérifiez l'export",
        "problem.opportunity_unknown_lead": (
            "aucun lead avec ce lead_id : l'opportunité compte pour les taux de gain et la "
            "contribution, pas dans l'entonnoir des leads"
        ),
        "problem.duplicate_email": (
            "même e-mail qu'un lead précédent (casse et espaces ignorés) : à revoir et fusionner"
        ),
        "problem.spend_channel_without_leads": (
            "aucun lead n'a ce source_channel : ses dépenses comptent dans le CAC mais aucun "
            "lead ne peut lui être attribué (canaux des leads : {channels})"
        ),
        "problem.channels_without_spend": (
            "canaux avec des leads mais sans dépenses dans spend.csv : {channels} (leur CAC et "
            "leur ROI ne peuvent être calculés)"
        ),
        "problem.tag_not_in_config": (
            "absent des {column}s d'engagement.yaml ({allowed}) : traité comme non classé"
        ),
        "problem.untagged_asset": (
            "contenu non classé (sans persona ou sans étape d'achat) : il ne peut remplir "
            "aucune cellule de la matrice"
        ),
        "problem.persona_not_in_config": (
            "persona absente d'engagement.yaml ({allowed}) : affichée telle quelle"
        ),
        "problem.touch_unknown_lead": (
            "aucun lead utilisable avec ce lead_id (absent des leads, ou sa ligne a été "
            "écartée) : l'interaction est écartée"
        ),
        "problem.touch_unknown_asset": (
            "asset_id absent de l'inventaire des contenus : l'interaction ne compte que pour "
            "son canal"
        ),
        "problem.created_after_as_of": (
            "créé après as_of ({as_of}) : hors de l'instantané, non analysé"
        ),
        "problem.coverage_stops_early": (
            "les dates vont du {first} au {last} : rien dans les {days} jours avant as_of "
            "({as_of}), alors que le fichier en compte en moyenne {per_month} par mois ; "
            "rythmes mensuels, tendances et cohortes traitent la période après le {last} comme "
            "sans données (et non 0). Exportez les mois manquants, ou fixez as_of dans "
            "engagement.yaml au jour où l'export s'arrête"
        ),
        "problem.coverage_starts_late": (
            "les dates vont du {first} au {last} : elles commencent {days} jours après "
            "{other_file} ({other_first}), alors que le fichier en compte en moyenne {per_month} "
            "par mois ; rythmes mensuels, tendances et cohortes traitent la période avant le "
            "{first} comme sans données (et non 0). Exportez les mois antérieurs si la source "
            "les a"
        ),
        "problem.leads_not_used": (
            "non lu : l'entonnoir commence à l'opportunité, chaque opportunité est donc un "
            "parcours ; ajoutez une étape de lead à stages dans engagement.yaml "
            "(par ex. [lead, opportunity, won]) pour utiliser les leads"
        ),
        "problem.no_usable_rows": (
            "aucune ligne utilisable : toutes les lignes ont été écartées (voir ci-dessus)"
        ),
        "problem.workbook_sheets": (
            "le classeur a {sheets} feuilles ; feuille lue : « {sheet} » (nommez une feuille "
            "« {stem} » pour en choisir une autre)"
        ),
    },
}
