from django.db import migrations
from django.utils.text import slugify

TOPICS = [
    "Access to services",
    "Acute care",
    "Ageing and frailty",
    "Cancer care",
    "Children and young people",
    "Community care",
    "Dementia",
    "Diabetes",
    "Digital health and data",
    "End of life care",
    "Equality and health inequalities",
    "Health and social care integration",
    "Learning disabilities and autism",
    "Long-term conditions",
    "Maternity care",
    "Medicines safety",
    "Mental health",
    "Patient experience",
    "Patient safety",
    "Population health",
    "Primary care",
    "Public health and prevention",
    "Research and evaluation",
    "Self-management",
    "Sepsis",
    "Social care",
    "Staff wellbeing",
    "Urgent and emergency care",
    "Workforce development",
    "Environmental sustainability",
]
APPROACHES = [
    "Measurement for improvement",
    "Co-production",
    "Lean",
    "Experience-based co-design",
    "Safety-II",
    "Model for Improvement and PDSA cycles",
    "Statistical process control",
    "Human factors",
    "Appreciative inquiry",
    "Design thinking",
    "Six Sigma",
    "Positive deviance",
    "Learning health systems",
    "Implementation science",
    "Systems thinking",
]
OFFERS = [
    "Mentoring",
    "Coaching",
    "Hosting a visit",
    "Data analysis",
    "Facilitation",
    "Evaluation advice",
    "Teaching improvement methods",
    "Peer review of plans",
    "Speaking at events",
    "Co-designing with patients and carers",
]


def add_terms(apps, schema_editor):
    for model_name, names in (("Topic", TOPICS), ("Approach", APPROACHES), ("Offer", OFFERS)):
        model = apps.get_model("members", model_name)
        for name in names:
            model.objects.get_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("members", "0001_directory")]
    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
