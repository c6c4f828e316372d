"""The 13 districts that carry out the programme (R2), with their administrative division codes (GB/T 2260)."""

from django.db import migrations

DISTRICTS = [
    ("110105", "朝阳区", "Chaoyang"),
    ("110108", "海淀区", "Haidian"),
    ("110106", "丰台区", "Fengtai"),
    ("110109", "门头沟区", "Mentougou"),
    ("110111", "房山区", "Fangshan"),
    ("110112", "通州区", "Tongzhou"),
    ("110113", "顺义区", "Shunyi"),
    ("110114", "昌平区", "Changping"),
    ("110115", "大兴区", "Daxing"),
    ("110116", "怀柔区", "Huairou"),
    ("110117", "平谷区", "Pinggu"),
    ("110118", "密云区", "Miyun"),
    ("110119", "延庆区", "Yanqing"),
]


def load(apps, schema_editor):
    District = apps.get_model("accounts", "District")
    for order, (code, name, name_en) in enumerate(DISTRICTS, start=1):
        District.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order, "active": True}
        )


def unload(apps, schema_editor):
    apps.get_model("accounts", "District").objects.filter(code__in=[d[0] for d in DISTRICTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
