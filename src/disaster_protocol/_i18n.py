"""Every word and sentence a person reads, in Spanish and English, in one catalogue.

Values carry ids and parameters (a finding is a ``kind`` plus ``params``); renderers turn them
into sentences here. An entry's id is stable; its sentence may improve. Parameters that are
themselves bilingual (anything with a ``get(lang)`` method, such as
:class:`~disaster_protocol.model.Text`) are rendered in the requested language.

Problem messages about broken input files stay in English for now: they are read by whoever
fixes the file, next to a stable code documented in docs/errors.md.

Examples
--------
>>> text("score", "en")
'Score'
>>> text("finding.unassessed-action", "es", action="GOV-01")
'GOV-01 no fue evaluada: no suma al puntaje ni limita otras acciones; evalúela.'
>>> check_lang("fr")
Traceback (most recent call last):
...
ValueError: unknown language 'fr'; choose 'es' (Spanish) or 'en' (English)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Protocol, runtime_checkable

__all__ = ["CATALOGUE", "LANGS", "Lang", "Localized", "check_lang", "finding_key", "text"]

Lang = Literal["es", "en"]
"""A language every label and report exists in."""

LANGS: tuple[Lang, ...] = ("es", "en")


@runtime_checkable
class Localized(Protocol):
    """Anything that can say itself in a language (a :class:`~disaster_protocol.Text`)."""

    def get(self, lang: Lang) -> str: ...  # pragma: no cover - a protocol


def check_lang(lang: object) -> Lang:
    """Return ``lang`` if it is ``"es"`` or ``"en"``.

    Raises
    ------
    ValueError
        For any other value, naming the languages there are.
    """
    if lang == "es" or lang == "en":
        return lang
    raise ValueError(f"unknown language {lang!r}; choose 'es' (Spanish) or 'en' (English)")


CATALOGUE: dict[str, tuple[str, str]] = {
    # --- assessment reports: (es, en)
    "report": ("Evaluación de preparación ante desastres", "Disaster readiness assessment"),
    "institution": ("Institución", "Institution"),
    "country": ("País", "Country"),
    "as_of": ("Fecha de evaluación", "Assessed as of"),
    "protocol": ("Protocolo", "Protocol"),
    "score": ("Puntaje", "Score"),
    "grade": ("Calificación", "Grade"),
    "blocking": ("Brechas que bloquean", "Blocking gaps"),
    "blocking.documented": ("Brechas documentadas que bloquean", "Documented blocking gaps"),
    "evidence_needed": ("Falta evidencia (acciones críticas sin evaluar)",
                        "Evidence needed (critical actions not assessed)"),
    "evidence_needed.short": ("falta evidencia", "evidence needed"),
    "provisional": ("provisional", "provisional"),
    "provisional.why": (
        "Calificación provisional: se evaluó el {coverage} del peso aplicable (umbral {min}) y "
        "{needed} acciones críticas siguen sin evaluar.",
        "Provisional grade: {coverage} of the applicable weight was assessed (threshold {min}) "
        "and {needed} critical actions are still not assessed."),
    "not_assessed": ("sin evaluar", "not assessed"),
    "reliability": ("fiabilidad", "reliability"),
    "reliability.high": ("alta", "high"),
    "reliability.medium": ("media", "medium"),
    "reliability.low": ("baja", "low"),
    "reliability.detail": (
        "Fiabilidad {level}: cobertura {coverage}; declaraciones 3-4 con evidencia: "
        "{evidenced}; niveles 4 ejercitados a tiempo: {fresh}.",
        "Reliability {level}: coverage {coverage}; 3-4 claims with evidence: {evidenced}; "
        "level-4 claims exercised in time: {fresh}."),
    "rank_interval": ("puesto posible", "possible rank"),
    "rank.flag": ("no se puede ordenar con esta evidencia",
                  "the evidence cannot support a rank"),
    "rank.note": (
        "El puesto posible va del mejor al peor lugar que permiten los rangos de puntaje "
        "(cada acción sin evaluar entre 0 y 3). Una institución marcada tiene calificación "
        "provisional o podría moverse más de un cuarto de la lista: su lugar no se sostiene.",
        "The possible rank runs from the best to the worst place the score ranges allow (each "
        "unassessed action between 0 and 3). A flagged institution has a provisional grade or "
        "could move more than a quarter of the list: its place cannot be defended."),
    "none": ("ninguna", "none"),
    "provenance": ("Procedencia", "Provenance"),
    "crosswalk.framework": ("Marco", "Framework"),
    "crosswalk.forward": ("Cada fila: nodo del protocolo, relación, código del marco.",
                          "Each row: protocol node, relationship, framework code."),
    "crosswalk.reverse": ("Dirección inversa (derivada): código del marco, relación, nodo del "
                          "protocolo.", "Reverse direction (derived): framework code, "
                          "relationship, protocol node."),
    "crosswalk.legend": (
        "equal: lo mismo; subset: el nodo es una parte del código; superset: el nodo contiene "
        "todo el código y más; intersect: comparten una parte; not-related: sin relación.",
        "equal: the same; subset: the node is part of the code; superset: the node holds the "
        "whole code and more; intersect: they share a part; not-related: no relation."),
    "crosswalk.node": ("Nodo del protocolo", "Protocol node"),
    "crosswalk.code": ("Código", "Code"),
    "crosswalk.relationship": ("Relación", "Relationship"),
    "crosswalk.rationale": ("Fundamento", "Rationale"),
    "crosswalk.source": ("Fuente", "Source"),
    "crosswalk.sources": ("Fuentes", "Sources"),
    "crosswalk.related": ("Puntaje de los nodos", "Nodes' score"),
    "crosswalk.credit": ("Crédito", "Credit"),
    "crosswalk.nodes": ("Nodos relacionados", "Related nodes"),
    "crosswalk.credits": (
        "Crédito parcial (propuesto): cada nodo aporta su puntaje multiplicado por su crédito "
        "(igual {equal}, superconjunto {superset}, subconjunto {subset}, intersección "
        "{intersect}, sin relación {not_related}); el puntaje del código es el promedio de sus "
        "nodos ponderado por crédito, multiplicado por el crédito total hasta 1.",
        "Partial credit (proposed): each node counts with its credit (equal {equal}, superset "
        "{superset}, subset {subset}, intersect {intersect}, not related {not_related}); a "
        "code's score is its nodes' credit-weighted mean times their total credit, up to 1."),
    "migrate.title": ("Perfil reescrito de {old} a {new}: {n} puntos para revisar",
                      "Profile rewritten from {old} to {new}: {n} points to review"),
    "migrate.same": ("El perfil ya está escrito para {new}: no hay nada que cambiar.",
                     "The profile is already written for {new}: nothing to change."),
    "migrate.not_carried": ("No se trasladó", "Not carried over"),
    "migrate.review": ("Para revisar", "To review"),
    "migrate.nothing": ("Todo se trasladó sin cambios.", "Everything carried over unchanged."),
    "by_phase": ("Por etapa", "By phase"),
    "by_priority": ("Por prioridad de Sendai", "By Sendai priority"),
    "by_role": ("Por rol responsable", "By lead role"),
    "by_hazard": ("Por amenaza", "By hazard"),
    "plan": ("Plan de acción", "Action plan"),
    "findings": ("Hallazgos", "Findings"),
    "actions": ("Acciones", "Actions"),
    "action": ("Acción", "Action"),
    "lead": ("Dirige", "Lead"),
    "unit": ("Unidad", "Unit"),
    "critical": ("crítica", "critical"),
    "unlocks": ("Desbloquea", "Unlocks"),
    "uplift": ("Mejora", "Uplift"),
    "kind": ("Tipo", "Kind"),
    "message": ("Detalle", "Detail"),
    "claimed": ("Declarado", "Claimed"),
    "effective": ("Efectivo", "Effective"),
    "method": ("Método", "Method"),
    "strict": ("modo estricto", "strict mode"),
    "group": ("Grupo", "Group"),
    "yes": ("sí", "yes"),
    "no": ("no", "no"),
    "weight": ("peso", "weight"),
    "freshness": ("vigencia de simulacros (meses)", "exercise freshness (months)"),
    "empty_plan": ("Ninguna acción evaluada por debajo del nivel 3 tiene sus requisitos "
                   "cumplidos.",
                   "No assessed action below level 3 has its prerequisites in place."),
    "n/a": ("n/a", "n/a"),
    "unassessed": ("sin evaluar", "unassessed"),
    "unknown": ("desconocido", "unknown"),
    "coverage": ("cobertura", "coverage"),
    "score_range": ("rango del puntaje", "score range"),
    "rank": ("#", "#"),
    "scale": ("0 inexistente, 1 planeada, 2 parcial, 3 implementada, 4 probada",
              "0 none, 1 planned, 2 partial, 3 implemented, 4 tested"),
    # --- portfolios
    "portfolio": ("Cartera de instituciones", "Portfolio of institutions"),
    "institutions": ("instituciones evaluadas", "institutions assessed"),
    "unreadable": ("Archivos que no se pudieron leer", "Files that could not be read"),
    "mean_score": ("puntaje medio", "mean score"),
    "grades": ("calificaciones", "grades"),
    "source": ("Archivo", "File"),
    "breakdown": ("Resumen por {by}", "Summary by {by}"),
    "count": ("instituciones", "institutions"),
    "median_score": ("puntaje mediano", "median score"),
    "common_blocking": ("brechas que bloquean más comunes", "most common blocking gaps"),
    "weakest_priority": ("prioridad de Sendai más débil", "weakest Sendai priority"),
    "total": ("Total", "Total"),
    "suppressed": ("suprimido", "suppressed"),
    "suppression": (
        "Los grupos con menos de {k} instituciones muestran solo su número; otros se suprimen "
        "también cuando los totales permitirían deducirlos.",
        "Groups with fewer than {k} institutions show only their count; others are left out "
        "too where the totals would give them away."),
    # --- comparisons over time
    "comparison": ("Cambios", "Changes"),
    "before": ("Antes", "Before"),
    "after": ("Después", "After"),
    "change": ("Cambio", "Change"),
    "rose": ("Acciones que subieron", "Actions that rose"),
    "fell": ("Acciones que bajaron", "Actions that fell"),
    "stayed": ("acciones sin cambio", "actions unchanged"),
    "rescoped": ("Acciones que dejaron de aplicar o vuelven a aplicar",
                 "Actions that stopped or started to apply"),
    "newly_assessed": ("Acciones evaluadas por primera vez (nivel actual; no es una subida)",
                       "Actions assessed for the first time (level now; not a rise)"),
    "no_longer_assessed": ("Acciones que ya no se evaluaron (nivel anterior; no es una "
                           "bajada)", "Actions no longer assessed (level before; not a fall)"),
    "blocking_closed": ("Brechas que bloqueaban, cerradas", "Blocking gaps closed"),
    "blocking_opened": ("Brechas que bloquean, nuevas", "Blocking gaps opened"),
    "findings_new": ("Hallazgos nuevos", "New findings"),
    "findings_resolved": ("Hallazgos resueltos", "Findings resolved"),
    "plan_done": ("Pasos del plan cumplidos", "Plan steps done"),
    # --- the HTML report's first screen and method
    "next_steps": ("Los próximos pasos más importantes", "The most important next steps"),
    "charts": ("Puntaje por prioridad de Sendai y por etapa",
               "Score by Sendai priority and by phase"),
    "method.explained": (
        "Cada acción vale su nivel efectivo / 4, ponderado por su peso; el nivel efectivo baja "
        "cuando la declaración no se sostiene (sin evidencia en modo estricto: {strict}; un "
        "simulacro de más de {months} meses para el nivel 4; un prerrequisito evaluado más de "
        "un nivel por debajo, salvo que la capacidad se haya demostrado con evidencia en un "
        "ejercicio reciente: entonces no baja de 3). Una acción sin evaluar suma 0 una sola "
        "vez: no limita a otras ni es una brecha; si es crítica, la calificación es "
        "provisional, como con menos del {min} del peso evaluado. Calificación A desde {a:g}, "
        "B desde {b:g}, C por debajo; una brecha crítica documentada impide la A. Detalle: "
        "docs/scoring.md.",
        "Each action counts its effective level / 4, weighted by its weight; the effective "
        "level is lowered where a claim does not hold (no evidence in strict mode: {strict}; "
        "an exercise older than {months} months for level 4; an assessed prerequisite more "
        "than one level behind, except that a capability shown with evidence in a recent "
        "exercise stays at 3 or more). An action nobody assessed counts 0 once: it caps "
        "nothing and is no gap; if it is critical the grade is provisional, as it is with less "
        "than {min} of the weight assessed. Grade A from {a:g}, B from {b:g}, C below; a "
        "documented critical gap rules out an A. Details: docs/scoring.md."),
    "kind.blocking-gap": ("brecha que bloquea", "blocking gap"),
    "kind.evidence-needed": ("falta evidencia", "evidence needed"),
    "kind.unsupported-claim": ("declaración sin sustento", "unsupported claim"),
    "kind.stale-exercise": ("simulacro vencido", "stale exercise"),
    "kind.dependency-inconsistency": ("dependencia incoherente", "dependency inconsistency"),
    "kind.waiver-expired": ("dispensa vencida", "waiver expired"),
    "kind.waived": ("dispensada", "waived"),
    "kind.unassigned-role": ("rol sin asignar", "unassigned role"),
    "kind.overloaded-unit": ("unidad sobrecargada", "overloaded unit"),
    "kind.unassessed-action": ("acción sin evaluar", "unassessed action"),
    "title": ("Título", "Title"),
    # --- cooperation between institutions
    "coop.title": ("Plan de cooperación", "Cooperation plan"),
    "coop.headline": (
        "Ronda 1: {workshops} talleres y {bilateral} intercambios bilaterales entre {members} "
        "instituciones; atienden {met} de las {blocking} demandas que bloquean ({share}).",
        "Round 1: {workshops} workshops and {bilateral} bilateral exchanges among {members} "
        "institutions; they meet {met} of the {blocking} blocking demands ({share})."),
    "coop.roadmap.line": (
        "Hoja de ruta: {rounds} rondas programan {scheduled} de {demands} demandas; "
        "{beyond} quedarían después de la última ronda, {no_capacity} no caben en ninguna "
        "ronda con este presupuesto y {no_offer} no las ofrece ningún miembro.",
        "Roadmap: {rounds} rounds schedule {scheduled} of {demands} demands; {beyond} would "
        "come after the last round, {no_capacity} fit no round under this budget and "
        "{no_offer} are offered by no member."),
    "coop.budget": (
        "Presupuesto de cada ronda: hasta {workshops} talleres de {participants} "
        "participantes, {bilateral} intercambios bilaterales y {capacity} intercambios por "
        "anfitrión (salvo que su perfil indique otra cosa); hasta {rounds} rondas.",
        "Budget of each round: up to {workshops} workshops of {participants} participants, "
        "{bilateral} bilateral exchanges and {capacity} exchanges per host (unless its "
        "profile says otherwise); up to {rounds} rounds."),
    "coop.settings": (
        "Oferta desde el nivel {level}; taller desde {group} demandas; preferencia: {prefer}, "
        "luego la mayor diferencia de nivel.",
        "Offers from level {level}; a workshop from {group} demands; preference: {prefer}, "
        "then the larger level gap."),
    "coop.workshops": ("Talleres", "Workshops"),
    "coop.round1.workshops": ("Talleres de la ronda 1", "Workshops of round 1"),
    "coop.round1.matches": ("Intercambios bilaterales de la ronda 1",
                            "Bilateral exchanges of round 1"),
    "coop.round1.members": ("Qué da y qué recibe cada institución en la ronda 1",
                            "What each institution gives and receives in round 1"),
    "coop.matrix": ("Oferta y demanda por fase (ofertas / demandas)",
                    "Supply and demand by phase (offers / demands)"),
    "coop.roadmap": ("Hoja de ruta: cada ronda", "Roadmap: each round"),
    "coop.round": ("Ronda", "Round"),
    "coop.bilateral": ("Bilaterales", "Bilateral"),
    "coop.scheduled": ("Demandas programadas", "Demands scheduled"),
    "coop.scheduled_by_round": (
        "Demandas que bloquean programadas al cierre de cada ronda (%)",
        "Blocking demands scheduled by the end of each round (%)"),
    "coop.scheduled_by_round.all": (
        "Demandas programadas al cierre de cada ronda (%)",
        "Demands scheduled by the end of each round (%)"),
    "coop.later": ("en rondas siguientes", "in later rounds"),
    "coop.language": ("Idioma", "Language"),
    "coop.interpretation": ("Interpretación", "Interpretation"),
    "coop.interpretation.for": ("para {who}", "for {who}"),
    "coop.interpretation.needed": ("sin idioma común: interpretación",
                                   "no shared language: interpretation"),
    "coop.after_roadmap": ("Después de la hoja de ruta: demandas que ninguna ronda programa",
                           "After the roadmap: demands no round schedules"),
    "coop.provider": ("Proveedor", "Provider"),
    "coop.recipient": ("Receptor", "Recipient"),
    "coop.host": ("Anfitrión", "Host"),
    "coop.participants": ("Participantes", "Participants"),
    "coop.levels": ("Niveles", "Levels"),
    "coop.level": ("Nivel", "Level"),
    "coop.why": ("Por qué", "Why"),
    "coop.uplift": ("Mejora esperada", "Expected uplift"),
    "coop.gives": ("da", "gives"),
    "coop.receives": ("recibe", "receives"),
    "coop.capacity": ("capacidad", "capacity"),
    "coop.offers": ("ofertas", "offers"),
    "coop.demands": ("demandas", "demands"),
    "coop.role": ("papel", "role"),
    "coop.role.both": ("da y recibe", "gives and receives"),
    "coop.role.only-gives": ("solo da", "only gives"),
    "coop.role.only-receives": ("solo recibe", "only receives"),
    "coop.role.neither": ("ni da ni recibe", "neither gives nor receives"),
    "coop.reason": ("motivo", "reason"),
    "coop.beyond": ("Ningún miembro lo ofrece: candidatas a cooperación fuera de la región",
                    "No member offers it: candidates for cooperation beyond the region"),
    "coop.members_needing": ("Miembros que lo necesitan", "Members who need it"),
    "coop.blocking_for": ("Bloquea a", "Blocking for"),
    "coop.who": ("Quiénes", "Who"),
    "coop.partners": ("Socios que podrían apoyar", "Partners who could support it"),
    "coop.partners.title": (
        "Socios fuera de la región (cooperación triangular; confirme con cada uno)",
        "Partners beyond the region (triangular cooperation; confirm with each)"),
    "coop.partner": ("Socio", "Partner"),
    "coop.languages": ("Idiomas", "Languages"),
    "coop.and_more": ("y {n} más", "and {n} more"),
    "coop.withdrawn": ("Ofertas declaradas retiradas", "Stated offers withdrawn"),
    "coop.withdrawn.unsupported": (
        "la evidencia o la vigencia de la declaración no llega al nivel 3",
        "the claim's own evidence or freshness does not reach level 3"),
    "coop.withdrawn.not-assessed": ("la acción no fue evaluada", "the action was not assessed"),
    "coop.withdrawn.not-applicable": ("la acción no aplica (n/a)",
                                      "the action does not apply (n/a)"),
    "coop.reason.no-offer": ("ninguna institución lo ofrece", "no institution offers it"),
    "coop.reason.no-capacity": ("no cabe en ninguna ronda con este presupuesto",
                                "fits no round under this budget"),
    "coop.reason.beyond-roadmap": ("vendría después de la última ronda",
                                   "would come after the last round"),
    "coop.shared.language": ("idioma común", "shared language"),
    "coop.shared.subregion": ("misma subregión", "same subregion"),
    "coop.shared.type": ("mismo tipo", "same type"),
    "coop.gap": ("{gap} niveles por delante", "{gap} levels ahead"),
    "coop.stated": ("pedida", "asked for"),
    "coop.blocking": ("bloquea", "blocking"),
    "coop.evaluation": ("Evaluación de la cooperación", "Evaluation of the cooperation"),
    "coop.association": (
        "Cambio medio de nivel en las brechas atendidas frente a las no atendidas de las mismas "
        "instituciones en el mismo periodo: una asociación, no una prueba de causa.",
        "Mean level change on the gaps that were matched against the unmatched gaps of the "
        "same institutions over the same period: an association, not proof of cause."),
    "coop.matched_change": ("Cambio en brechas atendidas", "Change on matched gaps"),
    "coop.unmatched_change": ("Cambio en brechas no atendidas", "Change on unmatched gaps"),
    "coop.difference": ("Diferencia", "Difference"),
    "coop.not_reassessed": ("Sin nueva evaluación", "Not reassessed"),
    "coop.eval.headline": (
        "La diferencia principal usa el nivel efectivo, el que puntúa; el nivel declarado se "
        "muestra al lado: ahí se ve el trabajo hecho bajo un tope (un requisito débil, falta "
        "de evidencia).",
        "The headline difference uses the effective level, the one that scores; the claimed "
        "level is shown beside it, where work done under a cap (a weak prerequisite, missing "
        "evidence) shows."),
    "coop.eval.counts": (
        "Brechas medidas en ambas rondas: {matched} atendidas y {unmatched} no atendidas; "
        "{not_measured} sin medir (no evaluadas en una ronda, o no aplicables: una primera "
        "medición no es un cambio).",
        "Gaps measured in both rounds: {matched} matched and {unmatched} unmatched; "
        "{not_measured} not measured (not assessed in a round, or not applicable: a first "
        "measurement is not a change)."),
    "coop.eval.means": ("Cambio medio de nivel", "Mean level change"),
    "coop.eval.effective": ("efectivo", "effective"),
    "coop.eval.effective_level": ("Nivel efectivo", "Effective level"),
    "coop.eval.claimed_level": ("Nivel declarado", "Claimed level"),
    "coop.eval.gaps": ("Brechas medidas", "Gaps measured"),
    "coop.eval.matched": ("Atendidas", "Matched"),
    "coop.eval.unmatched": ("No atendidas", "Unmatched"),
    "coop.eval.change_matched": ("Cambio, atendidas", "Change, matched"),
    "coop.eval.change_unmatched": ("Cambio, no atendidas", "Change, unmatched"),
    "coop.eval.no_provider": ("no atendida", "unmatched"),
    "coop.eval.not_measured": ("Sin medir", "Not measured"),
    "coop.eval.recipients": (
        "Por institución receptora: brechas medidas y sin medir; cambio medio como nivel "
        "efectivo / nivel declarado",
        "By recipient: gaps measured and not measured; mean change as effective level / "
        "claimed level"),
    "coop.eval.outcomes": ("Por acción", "By action"),
    "coop.eval.outcome_summary": (
        "{demands} demandas, {matched} atendidas, {not_measured} sin medir",
        "{demands} demands, {matched} matched, {not_measured} not measured"),
    "coop.eval.status": ("Medición", "Measurement"),
    "coop.eval.status.measured": ("medida", "measured"),
    "coop.eval.status.unassessed-before": ("sin medir: no evaluada en la ronda anterior",
                                           "not measured: not assessed in the earlier round"),
    "coop.eval.status.unassessed-after": ("sin medir: no evaluada en la ronda posterior",
                                          "not measured: not assessed in the later round"),
    "coop.eval.status.unassessed-both": ("sin medir: no evaluada en ninguna ronda",
                                         "not measured: assessed in neither round"),
    "coop.eval.status.not-applicable": ("sin medir: no aplica en una ronda",
                                        "not measured: not applicable in a round"),
    # --- the protocol, as shown by `show` and in playbooks
    "playbook": ("Guía de actuación", "Playbook"),
    "hazard": ("amenaza", "hazard"),
    "steps": ("pasos", "steps"),
    "show.phase": ("fase", "phase"),
    "plot.suppressed_note": (
        "{n} de {total} grupos tienen menos de {k} instituciones: suprimidos, sin valores.",
        "{n} of {total} groups have fewer than {k} institutions: suppressed, no values shown."),
    "plot.dependency.critical": (
        "Solo las {shown} acciones críticas de {total} (flecha: requisito → dependiente; "
        "scope=\"all\" las muestra todas).",
        "Only the {shown} critical actions of {total} (arrow: prerequisite → dependant; "
        "scope=\"all\" shows every action)."),
    "plot.dependency.all": (
        "Todas las acciones; críticas en rojo (flecha: requisito → dependiente).",
        "Every action; critical ones in red (arrow: prerequisite → dependant)."),
    "plot.coop.title": ("Ronda {round}: {workshops} talleres, {bilateral} intercambios "
                        "bilaterales",
                        "Round {round}: {workshops} workshops, {bilateral} bilateral exchanges"),
    "plot.coop.givers": ("Taller (acción · anfitrión) o proveedor",
                         "Workshop (action · host) or provider"),
    "plot.coop.recipients": ("Receptor", "Recipient"),
    "display.phase": ("Etapa", "Phase"),
    "display.level": ("Nivel", "Level"),
    "display.evidence": ("Evidencia", "Evidence"),
    "display.last_exercised": ("Último simulacro", "Last exercised"),
    "display.profile": ("Perfil de preparación", "Readiness profile"),
    "display.summary": ("{phases} etapas, {actions} acciones ({critical} críticas), {roles} roles",
                        "{phases} phases, {actions} actions ({critical} critical), {roles} roles"),
    "show.lead": ("dirige", "lead"),
    "show.support": ("apoyan", "support"),
    "show.requires": ("requiere", "requires"),
    "show.waits": ("espera a", "waits for"),
    "show.provenance": ("procedencia", "provenance"),
    # --- blank profiles
    "template.title": ("Perfil de preparación", "Readiness profile"),
    "template.levels": (
        "Niveles: 0 inexistente, 1 planeado, 2 parcial, 3 implementado, 4 probado; n/a con "
        "justificación; unknown mientras no se evalúe (no suma ni resta).",
        "Levels: 0 none, 1 planned, 2 partial, 3 implemented, 4 tested; n/a with a "
        "justification; unknown until assessed (it neither adds nor caps)."),
    "template.full_form": (
        "Forma completa: ACCION: {level: 3, evidence: [doc.pdf], last_exercised: 2026-05-01, "
        "note: ...}",
        "Full form: ACTION: {level: 3, evidence: [doc.pdf], last_exercised: 2026-05-01, "
        "note: ...}"),
    "template.id": ("cambiar", "change-me"),
    "template.name": ("Nombre de la institución", "Institution name"),
    "template.roles": ("rol: unidad que lo cumple", "role: the unit that fills it"),
    # --- the XLSForm (disaster-protocol form) and collection rounds
    "to_review": ("Por revisar (traídas de la ronda anterior)",
                  "To review (carried from the last round)"),
    "confirmed": ("Confirmadas", "Confirmed"),
    "form.language": ("Español", "English"),
    "form.institution": ("Institución", "Institution"),
    "form.institution_id": ("Identificador de la institución", "Institution identifier"),
    "form.institution_id.hint": (
        "Una palabra corta sin espacios, la misma cada año (p. ej. caja-norte).",
        "A short word without spaces, the same every year (e.g. caja-norte)."),
    "form.institution_name": ("Nombre de la institución", "Name of the institution"),
    "form.country.hint": ("Código ISO de dos letras (p. ej. MX).",
                          "Two-letter ISO code (e.g. MX)."),
    "form.subregion": ("Subregión", "Subregion"),
    "form.type": ("Tipo de institución", "Type of institution"),
    "form.language_field": ("Idioma de trabajo", "Working language"),
    "form.roles": ("Roles", "Roles"),
    "form.roles.hint": ("La unidad que cumple cada rol; deje en blanco los que no tenga.",
                        "The unit that fills each role; leave blank those you do not have."),
    "form.critical": ("Acción crítica.", "Critical action."),
    "form.level.na": ("n/a — No aplica a esta institución (justifíquelo)",
                      "n/a — Does not apply to this institution (justify it)"),
    "form.level.unknown": ("Sin evaluar — aún no se sabe",
                           "Not assessed — not known yet"),
    "form.justification": ("¿Por qué no aplica?", "Why does it not apply?"),
    "form.justification.hint": (
        "Obligatorio para n/a: quien valide debe poder aceptarlo.",
        "Required for n/a: whoever validates must be able to accept it."),
    "form.evidence": ("Evidencia", "Evidence"),
    "form.evidence.hint": (
        "Documentos que lo muestran, separados por punto y coma",
        "Documents that show it, separated by semicolons"),
    "form.last_exercised": ("Última vez que se ejercitó", "Date last exercised"),
    "form.last_exercised.hint": (
        "El último simulacro, ejercicio o uso real.",
        "The last drill, exercise or real use."),
    "form.written": (
        "{path}: formulario XLSForm de {protocol} {version}, {actions} acciones, idiomas "
        "{languages}.",
        "{path}: XLSForm of {protocol} {version}, {actions} actions, languages {languages}."),
    "renew.migrated": (
        "El perfil respondía a la versión {old} del protocolo: se migró primero a {new}.",
        "The profile answered protocol version {old}: it was migrated to {new} first."),
    "renew.carried": (
        "{n} respuestas traídas del {before} a la ronda del {after}, cada una marcada "
        "needs_review hasta que se confirme.",
        "{n} answers carried from {before} to the round of {after}, each marked needs_review "
        "until it is confirmed."),
    "form.schema_version": ("Versión del formato", "Format version"),
    "form.waivers": ("Dispensas", "Waivers"),
    "form.cooperation": ("Cooperación", "Cooperation"),
    "form.state": ("Estado del perfil", "Profile state"),
    "form.status": ("Estado", "Status"),
    "form.by": ("Por", "By"),
    "form.on": ("Fecha", "Date"),
    "form.level": ("Nivel", "Level"),
    "form.note": ("Nota", "Note"),
    "form.needs_review": ("Por revisar", "To review"),
    "form.alternate": ("Suplente", "Alternate"),
    "form.reason": ("Motivo", "Reason"),
    "form.approved_by": ("Aprobada por", "Approved by"),
    "form.expires": ("Vence", "Expires"),
    "form.version": ("Versión", "Version"),
    "form.type.health": ("Salud", "Health"),
    "form.type.pensions": ("Pensiones", "Pensions"),
    "form.type.work-injury": ("Riesgos del trabajo", "Work injury"),
    "form.type.mixed": ("Mixta", "Mixed"),
    "form.language.es": ("Español", "Spanish"),
    "form.language.en": ("Inglés", "English"),
    "form.language.pt": ("Portugués", "Portuguese"),
    "form.language.fr": ("Francés", "French"),
    # --- findings: finding.<kind>[.<variant>]; parameters in braces
    "finding.blocking-gap": (
        "{action} «{title}» es crítica y está en nivel {level}; llevarla a nivel 3 "
        "(implementada) es condición para la calificación A. Responsable: {lead}.",
        "{action} '{title}' is critical and at level {level}; bringing it to level 3 "
        "(implemented) is required for grade A. Lead: {lead}."),
    "finding.evidence-needed": (
        "{action} «{title}» es crítica y no fue evaluada: no se sabe si está en marcha. Reúna "
        "la evidencia y evalúela; hasta entonces no suma al puntaje y la calificación es "
        "provisional. Responsable: {lead}.",
        "{action} '{title}' is critical and was not assessed: nobody knows whether it is in "
        "place. Gather the evidence and assess it; until then it adds nothing to the score and "
        "the grade is provisional. Lead: {lead}."),
    "finding.unsupported-claim": (
        "{action} declara nivel {claimed} sin evidencia y cuenta como 2; adjunte, por ejemplo: "
        "{evidence}.",
        "{action} claims level {claimed} without evidence and counts as 2; attach, for "
        "example: {evidence}."),
    "finding.unsupported-claim.generic": (
        "{action} declara nivel {claimed} sin evidencia y cuenta como 2; adjunte, por ejemplo: "
        "documentos que lo muestren.",
        "{action} claims level {claimed} without evidence and counts as 2; attach, for "
        "example: documents that show it."),
    "finding.stale-exercise": (
        "{action} se ejercitó por última vez el {last_exercised}, antes de la ventana de "
        "{months} meses (desde {cutoff}); cuenta como 3 hasta un nuevo simulacro.",
        "{action} was last exercised on {last_exercised}, outside the {months}-month window "
        "(since {cutoff}); it counts as 3 until it is exercised again."),
    "finding.stale-exercise.undated": (
        "{action} declara nivel 4 (probada) sin fecha del último ejercicio y cuenta como 3; "
        "registre last_exercised o realice un simulacro.",
        "{action} claims level 4 (tested) with no date of last exercise and counts as 3; "
        "record last_exercised or run a drill."),
    "finding.dependency-inconsistency": (
        "{action} declara nivel {claimed}, pero su requisito {prerequisite} está en nivel "
        "{prerequisite_level}; cuenta como {level} hasta que {prerequisite} avance.",
        "{action} claims level {claimed}, but its prerequisite {prerequisite} is at level "
        "{prerequisite_level}; it counts as {level} until {prerequisite} improves."),
    "finding.dependency-inconsistency.shown": (
        "{action} declara nivel {claimed} y se ejercitó con evidencia el {last_exercised}, pero "
        "su requisito {prerequisite} está en nivel {prerequisite_level}; la capacidad "
        "demostrada cuenta como {level}: lo que hay que fortalecer es {prerequisite}.",
        "{action} claims level {claimed} and was exercised with evidence on "
        "{last_exercised}, but its prerequisite {prerequisite} is at level "
        "{prerequisite_level}; the capability shown counts as {level}: what needs "
        "strengthening is {prerequisite}."),
    "finding.waiver-expired": (
        "La dispensa de {action} venció el {expires} y ya no cuenta; renuévela o cierre la "
        "brecha.",
        "The waiver for {action} expired on {expires} and no longer counts; renew it or close "
        "the gap."),
    "finding.waived": (
        "Brecha de {action} aceptada por {approved_by} hasta el {expires}: {reason}",
        "Gap in {action} accepted by {approved_by} until {expires}: {reason}"),
    "finding.unassigned-role": (
        "Ninguna unidad tiene asignado el rol {role} ({title}); indique en roles qué unidad lo "
        "cumple.",
        "No unit is assigned to role {role} ({title}); say under roles which unit fills it."),
    "finding.overloaded-unit": (
        "La unidad «{unit}» cumple {count} roles ({roles}), más de {max}; en una emergencia no "
        "podrá atenderlos todos. Reparta roles o designe suplentes.",
        "The unit '{unit}' fills {count} roles ({roles}), more than {max}; in an emergency it "
        "cannot cover them all. Spread the roles or name alternates."),
    "finding.unassessed-action.unknown": (
        "{action} está marcada como desconocida (no evaluada): no suma al puntaje ni limita "
        "otras acciones; evalúela.",
        "{action} is marked unknown (not assessed): it adds nothing to the score and caps no "
        "other action; assess it."),
    "finding.unassessed-action": (
        "{action} no fue evaluada: no suma al puntaje ni limita otras acciones; evalúela.",
        "{action} was not assessed: it adds nothing to the score and caps no other action; "
        "assess it."),
    # --- JUnit XML (report/junit.py) and the CLI's summary lines
    "junit.blocking": (
        "{action} es crítica y está por debajo del nivel 3 (brecha documentada que bloquea).",
        "{action} is critical and below level 3 (a documented blocking gap)."),
    "junit.evidence_needed": (
        "Falta evidencia: {action} es crítica y nadie la evaluó; no bloquea, pero la "
        "calificación queda provisional.",
        "Evidence needed: {action} is critical and was not assessed; it does not block, but "
        "the grade is provisional."),
    "junit.case.score": ("puntaje de al menos {limit}", "score of at least {limit}"),
    "junit.case.blocking": ("ninguna brecha que bloquea", "no blocking gap"),
    "junit.case.coverage": ("cobertura de al menos {limit} %", "coverage of at least {limit}%"),
    "junit.fail_under": ("El puntaje {score} está por debajo de {limit}.",
                         "The score {score} is below {limit}."),
    "junit.fail_on_blocking": ("{count} brecha(s) que bloquean: {ids}.",
                               "{count} blocking gap(s): {ids}."),
    "junit.fail_under_coverage": ("La cobertura {coverage} está por debajo de {limit} %.",
                                  "The coverage {coverage} is below {limit}%."),
    "cli.wrote": ("{count} filas escritas en {path}", "wrote {count} rows to {path}"),
    "cli.wrote_cases": ("{count} casos de prueba escritos en {path}",
                        "wrote {count} test cases to {path}"),
    "cli.wrote_file": ("escrito {path}", "wrote {path}"),
    # --- pages (issue 25): attribute names, subregions, Sendai priorities' short names
    "by.country": ("país", "country"),
    "by.subregion": ("subregión", "subregion"),
    "by.type": ("tipo de institución", "institution type"),
    "by.language": ("idioma", "language"),
    "subregion.andean": ("Andina", "Andean"),
    "subregion.caribbean": ("Caribe", "Caribbean"),
    "subregion.central": ("Centroamérica", "Central America"),
    "subregion.southern": ("Cono Sur", "Southern Cone"),
    "priority.short.P1": ("Comprender el riesgo", "Understanding risk"),
    "priority.short.P2": ("Gobernanza del riesgo", "Risk governance"),
    "priority.short.P3": ("Invertir en resiliencia", "Investing in resilience"),
    "priority.short.P4": ("Preparación y reconstrucción", "Preparedness and recovery"),
    "coverage_by_institution": ("Cobertura por institución", "Coverage by institution"),
    "score_change": ("Cambio de puntaje", "Score change"),
    "scale.radar": ("Escala 0-100; anillos cada 25", "Scale 0-100; rings every 25"),
}
"""Message id -> (Spanish, English). Templates use ``str.format`` fields named by parameter."""


def finding_key(kind: str, params: Mapping[str, object]) -> str:
    """The catalogue id of a finding's message: ``finding.<kind>``, or the variant its
    ``variant`` parameter names."""
    variant = params.get("variant")
    return f"finding.{kind}.{variant}" if variant else f"finding.{kind}"


def text(key: str, lang: Lang, /, **params: object) -> str:
    """The catalogue entry ``key`` in ``lang``, with ``params`` filled in.

    Raises
    ------
    KeyError
        If the catalogue has no entry ``key`` (a programming error: ids are stable).
    ValueError
        If ``lang`` is not ``"es"`` or ``"en"``.
    """
    es, en = CATALOGUE[key]
    template = es if check_lang(lang) == "es" else en
    if not params:
        return template
    shown = {name: value.get(lang) if isinstance(value, Localized) else value
             for name, value in params.items()}
    return template.format_map(shown)
