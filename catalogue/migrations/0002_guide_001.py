"""Load guide 001's services (R-CAT-1). The list is copied here, frozen as this migration applies it."""

from django.db import migrations

FAMILIES = [
    ("consulter", "Consulter", [
        ("consulter_compte_fiscal", "Compte fiscal"),
        ("consulter_avis_cfe", "Avis CFE"),
    ]),
    ("declarer", "Déclarer", [
        ("declarer_tva", "TVA"),
        ("declarer_is", "Impôt sur les sociétés"),
        ("declarer_ts", "Taxe sur les salaires"),
        ("declarer_cvae", "CVAE"),
        ("declarer_rcm", "Revenus de capitaux mobiliers"),
        ("declarer_tgap", "Taxe activités polluantes"),
        ("declarer_tic", "Taxe int. consommation"),
        ("declarer_tvvi", "Taxe v. vénale immeubles"),
        ("declarer_taxe_sejour", "Taxe de séjour"),
        ("declarer_tsca", "Taxe conv. d'assurances"),
        ("declarer_resultat", "Résultat"),
        ("declarer_sci", "Revenus SCI non soumises IS"),
        ("declarer_tiers", "Tiers déclarants"),
        ("declarer_dac6", "Dispositif DAC6"),
        ("declarer_cesop", "Paiements transfrontaliers - CESOP"),
    ]),
    ("payer", "Payer", [
        ("payer_tva", "TVA"),
        ("payer_is", "Impôt sur les sociétés"),
        ("payer_ts", "Taxe sur les salaires"),
        ("payer_cvae", "CVAE"),
        ("payer_rcm", "Revenus de capitaux mobiliers"),
        ("payer_tgap", "Taxe activités polluantes"),
        ("payer_tic", "Taxe int. consommation"),
        ("payer_ci", "Contributions indirectes"),
        ("payer_tvvi", "Taxe v. vénale immeubles"),
        ("payer_tsca", "Taxe conv. d'assurances"),
        ("payer_pas", "Prélèvement à la source"),
        ("payer_cfe", "CFE et autres impôts"),
        ("payer_dette", "Dette fiscale"),
    ]),
    ("demarches", "Démarches", [
        ("demarches_remboursement_tva_ue", "Remboursement de TVA UE"),
        ("demarches_guichet_tva_ue", "Guichet de TVA UE"),
        ("demarches_biens_immobiliers", "Gérer mes biens immobiliers"),
        ("demarches_cession_droits", "Cession de droits sociaux"),
        ("demarches_successions_vacantes", "Successions vacantes"),
    ]),
    ("messagerie", "Messagerie", [
        ("messagerie", "Messagerie"),
    ]),
]


def load(apps, schema_editor):
    Family = apps.get_model("catalogue", "Family")
    Service = apps.get_model("catalogue", "Service")
    for family_position, (family_code, family_label, services) in enumerate(FAMILIES, start=1):
        family = Family.objects.create(code=family_code, label=family_label, position=family_position)
        Service.objects.bulk_create(
            Service(code=code, label=label, family=family, position=position, is_payment=family_code == "payer")
            for position, (code, label) in enumerate(services, start=1)
        )


def unload(apps, schema_editor):
    apps.get_model("catalogue", "Service").objects.all().delete()
    apps.get_model("catalogue", "Family").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
