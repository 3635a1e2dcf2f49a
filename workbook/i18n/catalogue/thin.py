"""What the reports say on thin data (issue 16 review): no channel recorded in the export, a
ladder of one step, a quoted column assumed in engagement.yaml rather than measured, no e-mail
to find duplicates with, no score to call a lead hot.

One plain sentence each; nothing stands in for the figure the data cannot support.
"""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "thin.channel.none": "No channel was recorded in the export, so leads cannot be shown by channel.",
        "thin.channel.none_cell": "No channel recorded in the export",
        "thin.channel.top": "{top_channel} brings the most leads ({top_share} of all).",
        "thin.channel.sourced": "{sourced_share} of leads are marketing-sourced.",
        "thin.assumed.sourced_by": "Every lead and deal was taken as sourced by {value}: the export does not say who sourced them, so this is an assumption, and the marketing-sourced shares and lift are not findings.",
        "thin.assumed.cell": "assumed, not measured",
        "thin.kickoff.no_email": "{used} of {read} rows are usable ({share}). {set_aside}, and {warnings}; the export has no e-mail to find duplicate leads with.",
        "thin.kickoff.funnel_one_step": "Of {entered} leads that entered {from_stage}, {rate} reached {to_stage} as exported, before correcting for leads still in progress (the mid-point report does); the export records this one step only, so where leads are lost along the way cannot be seen.",
        "thin.mid.shape_one_step": "The export records one step, {step}: about {per_hundred} in 100 leads entering at {first} are expected to reach {last}. With no stage in between, the funnel's shape (pint or martini glass) cannot be read.",
        "thin.mid.leakage_one_step": "{leak} of the leads that enter {stage} never reach {last} (about {lost} of {entered}). The export records this one step only, so where along the way they are lost cannot be told: recording the stages in between would show it.",
        "thin.mid.health_one_step": "{step}, the only step recorded; {stuck} leads stuck",
        "thin.mid.operations_one_step": "The export records one step, {step}, so which hand-off loses most leads cannot be told; operations should clear the {stuck} stuck leads and record the stages in between.",
        "thin.mid.next_one_step": "Record the stages between {first} and {last} in the CRM, so the next analysis can show where leads are lost.",
        "thin.strategy.all_pass": "The model ranks leads (AUC {auc} on the most recent matured cohorts), but at the recommended qualification score of {threshold} every lead passes: the score cannot yet hold leads back from sales, so use it to rank them, not to filter.",
        "thin.strategy.no_lead_stage": "The export has no lead stage before {first}, so no lead can be counted as disqualified or recycled.",
        "hypothesis.one_step": "Only the {from_stage} → {to_stage} step is recorded ({rate} move on in the raw data), so where leads are lost before it cannot be seen.",
        "hypothesis.one_step.test": "Ask which earlier stages the CRM records and export their dates with the next data pull.",
        "thin.strategy.opportunities": "The model ranks opportunities (AUC {auc} on the most recent matured cohorts). At a score of {threshold}, {flagged} of them pass; {precision} of those reach {target} ({lift} times the average) and they hold {recall} of all that do. With no lead stage before the opportunity, the score helps sales prioritise open deals; it does not filter leads.",
        "thin.strategy.review_no_email": "The export has no e-mail to find duplicate leads with; {accounts} accounts have several warm leads ({hot} with a hot one) to review together before hand-off. The list shows lead ids and companies.",
        "thin.strategy.review_no_score": "{emails} groups of leads share an e-mail and should be merged; {accounts} accounts have several warm leads to review together before hand-off, and which of those leads are hot needs the lead score, which the data could not support. The list shows lead ids and companies, never e-mail addresses.",
        "thin.strategy.review_neither": "The export has no e-mail to find duplicate leads with; {accounts} accounts have several warm leads to review together before hand-off, and which of those leads are hot needs the lead score, which the data could not support. The list shows lead ids and companies.",
    },
    "fr": {
        "thin.channel.none": "Aucun canal n'est renseigné dans l'export\u00a0: les leads ne peuvent pas être présentés par canal.",
        "thin.channel.none_cell": "Aucun canal renseigné dans l'export",
        "thin.channel.top": "{top_channel} apporte le plus de leads ({top_share} du total).",
        "thin.channel.sourced": "{sourced_share} des leads sont générés par le marketing.",
        "thin.assumed.sourced_by": "Chaque lead et chaque affaire ont été comptés comme d'origine «\u00a0{value}\u00a0»\u00a0: l'export ne dit pas qui les a générés, c'est donc une hypothèse, et les parts issues du marketing et la contribution ne sont pas des constats.",
        "thin.assumed.cell": "supposé, non mesuré",
        "thin.kickoff.no_email": "{used} lignes sur {read} sont exploitables ({share}). {set_aside}, et {warnings}\u00a0; l'export n'a pas d'e-mail pour repérer les leads en double.",
        "thin.kickoff.funnel_one_step": "Sur {entered} leads entrés en {from_stage}, {rate} ont atteint {to_stage} tel qu'exporté, avant correction des leads encore en cours (le rapport de mi-parcours la fait)\u00a0; l'export n'enregistre que cette étape, si bien qu'on ne voit pas où les leads se perdent en chemin.",
        "thin.mid.shape_one_step": "L'export n'enregistre qu'une étape, {step}\u00a0: environ {per_hundred}\u202f% des leads entrés en {first} devraient atteindre {last}. Sans étape intermédiaire, la forme de l'entonnoir (verre à bière ou à martini) ne peut pas être lue.",
        "thin.mid.leakage_one_step": "{leak} des leads entrés en {stage} n'atteignent jamais {last} (environ {lost} sur {entered}). L'export n'enregistre que cette étape\u00a0: on ne peut pas dire où ils se perdent en chemin, ce qu'enregistrer les étapes intermédiaires montrerait.",
        "thin.mid.health_one_step": "{step}, la seule étape enregistrée\u00a0; {stuck} leads bloqués",
        "thin.mid.operations_one_step": "L'export n'enregistre qu'une étape, {step}\u00a0: on ne peut pas dire quel passage perd le plus de leads\u00a0; les opérations doivent traiter les {stuck} leads bloqués et enregistrer les étapes intermédiaires.",
        "thin.mid.next_one_step": "Enregistrer dans le CRM les étapes entre {first} et {last}, pour que la prochaine analyse montre où les leads se perdent.",
        "thin.strategy.all_pass": "Le modèle classe les leads (AUC {auc} sur les cohortes mûres les plus récentes), mais au score de qualification recommandé de {threshold}, tous les leads passent\u00a0: le score ne peut pas encore retenir des leads avant les ventes\u00a0; s'en servir pour les classer, non pour les filtrer.",
        "thin.strategy.no_lead_stage": "L'export n'a pas d'étape de lead avant {first}\u00a0: aucun lead ne peut être compté comme disqualifié ou recyclé.",
        "hypothesis.one_step": "Seule l'étape {from_stage} → {to_stage} est enregistrée ({rate} passent à l'étape suivante dans les données brutes)\u00a0: on ne voit pas où les leads se perdent avant elle.",
        "hypothesis.one_step.test": "Demander quelles étapes antérieures le CRM enregistre et en exporter les dates lors du prochain envoi de données.",
        "thin.strategy.opportunities": "Le modèle classe les opportunités (AUC {auc} sur les cohortes mûres les plus récentes). À un score de {threshold}, {flagged} d'entre elles passent\u00a0; {precision} de celles-ci atteignent l'étape {target} ({lift} fois la moyenne) et elles regroupent {recall} de toutes celles qui l'atteignent. Sans étape de lead avant l'opportunité, le score aide les ventes à prioriser les affaires ouvertes\u00a0; il ne filtre pas de leads.",
        "thin.strategy.review_no_email": "L'export n'a pas d'e-mail pour repérer les leads en double\u00a0; {accounts} comptes ont plusieurs leads tièdes ({hot} avec un lead chaud) à examiner ensemble avant transmission. La liste montre les identifiants de leads et les sociétés.",
        "thin.strategy.review_no_score": "{emails} groupes de leads partagent un e-mail et sont à fusionner\u00a0; {accounts} comptes ont plusieurs leads tièdes à examiner ensemble avant transmission, et dire lesquels de ces leads sont chauds demande le score des leads, que les données n'ont pas permis de construire. La liste montre les identifiants de leads et les sociétés, jamais d'adresse e-mail.",
        "thin.strategy.review_neither": "L'export n'a pas d'e-mail pour repérer les leads en double\u00a0; {accounts} comptes ont plusieurs leads tièdes à examiner ensemble avant transmission, et dire lesquels de ces leads sont chauds demande le score des leads, que les données n'ont pas permis de construire. La liste montre les identifiants de leads et les sociétés.",
    },
}
