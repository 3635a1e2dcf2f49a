"""What the reports say when the client provided no marketing spend (CONTRACT section 3).

One plain sentence per place a figure would have needed spend: what was not provided and what
it would have shown. Nothing stands in for the missing figures (no 0, no ``-``).
"""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "spend.not_provided": "spend not provided",
        "spend.heading.budget": "Leads the plan needs by channel",
        "spend.heading.ltv_cac": "Customer lifetime value",
        "spend.missing": "No marketing spend was provided: cost per lead, CAC and LTV:CAC need it.",
        "spend.missing.kickoff": "No marketing spend was provided: this section would have shown spend by channel and month, and which channel takes the largest share.",
        "spend.missing.levers": "No marketing spend was provided: spend, CAC and ROI by channel need it, so the table shows only the leads, won deals and won revenue each channel brought.",
        "spend.missing.levers_detail": "No marketing spend was provided: channel ROI needs it; {channel} brought the most won revenue ({revenue}).",
        "spend.missing.ltv_cac_detail": "No marketing spend was provided: CAC, LTV:CAC and payback need it; LTV is {ltv}.",
        "spend.missing.scorecard": "Demand marketing sourced {share} of won revenue over the last {months} months; no marketing spend was provided, so LTV:CAC cannot say whether that return is healthy: decisions should rest on lift, quality and conversion.",
        "spend.missing.executive": "Demand marketing sources {share} of won revenue with deals averaging {avg} and a lifetime value of {ltv}; no marketing spend was provided, so what a customer costs to acquire (CAC, LTV:CAC, payback) is not known.",
        "spend.missing.operations": "Operations should fix the {step} hand-off first and clear the {stuck} stuck leads; no marketing spend was provided, so where to shift budget cannot be said yet.",
        "spend.missing.next": "Ask the client for marketing spend by channel and month: CAC, ROI by channel and LTV:CAC need it before the final strategy can say where budget should go.",
        "spend.missing.budget": "No marketing spend was provided, so the plan is sized in leads, not money: it needs {total} leads entering the {first_stage} stage, {top_channel} bringing the largest share ({top_share}) at today's channel mix; cost per lead and the budget need spend.",
        "spend.missing.budget_total": "No marketing spend was provided, so the plan is sized in leads, not money: it needs {total} leads entering the {first_stage} stage; cost per lead and the budget need spend.",
        "spend.missing.ltv_cac": "No marketing spend was provided: the plan's CAC, LTV:CAC and CAC payback need it; a customer's lifetime value is {ltv}.",
        "spend.missing.scenarios": "Across the base plan and {count} scenarios, the leads needed range from {low} ({low_name}) to {high} ({high_name}) entering {first_stage}; no marketing spend was provided, so their budgets are not known.",
        "spend.missing.naming": "No marketing spend was provided: spend channels cannot be matched to lead sources.",
        "spend.missing.excel": "No marketing spend was provided: spend, CAC and ROI by channel need it, so this sheet shows only leads, won deals and won revenue.",
        "spend.excel_about": "Leads, won deals and won revenue per first-touch channel, {start} to {end} (no spend provided)",
    },
    "fr": {
        "spend.not_provided": "dépenses non fournies",
        "spend.heading.budget": "Leads nécessaires au plan par canal",
        "spend.heading.ltv_cac": "Valeur vie client",
        "spend.missing": "Aucune dépense marketing n'a été fournie\u00a0: le coût par lead, le CAC et le ratio LTV/CAC en ont besoin.",
        "spend.missing.kickoff": "Aucune dépense marketing n'a été fournie\u00a0: cette section aurait montré les dépenses par canal et par mois, et le canal qui en prend la plus grande part.",
        "spend.missing.levers": "Aucune dépense marketing n'a été fournie\u00a0: les dépenses, le CAC et le ROI par canal en ont besoin, le tableau ne montre donc que les leads, les affaires gagnées et le chiffre d'affaires gagné de chaque canal.",
        "spend.missing.levers_detail": "Aucune dépense marketing n'a été fournie\u00a0: le ROI des canaux en a besoin\u00a0; {channel} a apporté le plus de chiffre d'affaires gagné ({revenue}).",
        "spend.missing.ltv_cac_detail": "Aucune dépense marketing n'a été fournie\u00a0: le CAC, le ratio LTV/CAC et l'amortissement en ont besoin\u00a0; la LTV est de {ltv}.",
        "spend.missing.scorecard": "Le marketing de la demande a généré {share} du chiffre d'affaires gagné sur les {months} derniers mois\u00a0; aucune dépense marketing n'a été fournie, le ratio LTV/CAC ne peut donc pas dire si ce rendement est sain\u00a0: les décisions doivent s'appuyer sur la contribution, la qualité et la conversion.",
        "spend.missing.executive": "Le marketing de la demande génère {share} du chiffre d'affaires gagné, avec des affaires de {avg} en moyenne et une valeur vie client de {ltv}\u00a0; aucune dépense marketing n'a été fournie, le coût d'acquisition d'un client (CAC, LTV/CAC, amortissement) n'est donc pas connu.",
        "spend.missing.operations": "Les opérations doivent d'abord corriger le passage {step} et traiter les {stuck} leads bloqués\u00a0; aucune dépense marketing n'a été fournie, on ne peut donc pas encore dire où déplacer le budget.",
        "spend.missing.next": "Demander au client ses dépenses marketing par canal et par mois\u00a0: le CAC, le ROI par canal et le ratio LTV/CAC en ont besoin pour que la stratégie finale dise où placer le budget.",
        "spend.missing.budget": "Aucune dépense marketing n'a été fournie, le plan est donc dimensionné en leads et non en argent\u00a0: il faut {total} leads entrant à l'étape {first_stage}, {top_channel} en apportant la plus grande part ({top_share}) au mix de canaux actuel\u00a0; le coût par lead et le budget ont besoin des dépenses.",
        "spend.missing.budget_total": "Aucune dépense marketing n'a été fournie, le plan est donc dimensionné en leads et non en argent\u00a0: il faut {total} leads entrant à l'étape {first_stage}\u00a0; le coût par lead et le budget ont besoin des dépenses.",
        "spend.missing.ltv_cac": "Aucune dépense marketing n'a été fournie\u00a0: le CAC du plan, son ratio LTV/CAC et l'amortissement du CAC en ont besoin\u00a0; la valeur vie client est de {ltv}.",
        "spend.missing.scenarios": "Entre le plan de base et {count} scénarios, les leads nécessaires vont de {low} ({low_name}) à {high} ({high_name}) entrant en {first_stage}\u00a0; aucune dépense marketing n'a été fournie, leurs budgets ne sont donc pas connus.",
        "spend.missing.naming": "Aucune dépense marketing n'a été fournie\u00a0: les canaux de dépense ne peuvent pas être rapprochés des sources des leads.",
        "spend.missing.excel": "Aucune dépense marketing n'a été fournie\u00a0: les dépenses, le CAC et le ROI par canal en ont besoin, cette feuille ne montre donc que les leads, les affaires gagnées et le chiffre d'affaires gagné.",
        "spend.excel_about": "Leads, affaires gagnées et chiffre d'affaires gagné par canal de premier contact, du {start} au {end} (dépenses non fournies)",
    },
}
