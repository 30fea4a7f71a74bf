from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    URBAN_DISTRICT = "district", _("Urban district")
    TOWNSHIP = "township", _("Township / street")
    DEPARTMENT = "department", _("Department")
    PARK = "park", _("Park")
    SOE = "soe", _("State-owned enterprise")
    UNIVERSITY = "university", _("University")
    VILLAGE = "village", _("Village / community")


class AuthorityKind(models.TextChoices):
    ORGANIZATION = "organization", _("Organization department")
    DISCIPLINE = "discipline", _("Discipline inspection and supervision")


class ManagementLevel(models.TextChoices):
    """干部管理权限: which level of Party committee manages the cadre."""

    PROVINCE = "province", _("Province-managed")
    CITY = "city", _("City-managed")
    COUNTY = "county", _("County-managed")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master")
    BACHELOR = "bachelor", _("University")
    COLLEGE = "college", _("College")
    SECONDARY = "secondary", _("Secondary school or below")


class PostType(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership post")
    NON_LEADERSHIP = "non_leadership", _("Non-leadership rank")


class Rank(models.IntegerChoices):
    """职务层次 / 职级, ordered by seniority: a larger value is a higher rank.

    Leadership levels and civil-service grades interleave by their equivalence
    (e.g. 一级调研员 sits beside 县处级正职).
    """

    CLERK_2 = 10, _("Grade-2 clerk")
    CLERK_1 = 20, _("Grade-1 clerk")
    PRINCIPAL_STAFF_4 = 30, _("Grade-4 principal staff member")
    PRINCIPAL_STAFF_3 = 40, _("Grade-3 principal staff member")
    SECTION_DEPUTY = 45, _("Deputy section level")
    PRINCIPAL_STAFF_2 = 50, _("Grade-2 principal staff member")
    PRINCIPAL_STAFF_1 = 60, _("Grade-1 principal staff member")
    SECTION_CHIEF = 65, _("Section level")
    RESEARCHER_4 = 70, _("Grade-4 researcher")
    RESEARCHER_3 = 80, _("Grade-3 researcher")
    COUNTY_DEPUTY = 85, _("Deputy county level")
    RESEARCHER_2 = 90, _("Grade-2 researcher")
    RESEARCHER_1 = 100, _("Grade-1 researcher")
    COUNTY_CHIEF = 105, _("County level")
    INSPECTOR_2 = 110, _("Grade-2 inspector")
    BUREAU_DEPUTY = 115, _("Deputy bureau level")
    INSPECTOR_1 = 120, _("Grade-1 inspector")
    BUREAU_CHIEF = 125, _("Bureau level")
    MINISTER_DEPUTY = 135, _("Deputy ministerial level")
    MINISTER = 145, _("Ministerial level")


class CadreStatus(models.TextChoices):
    SERVING = "serving", _("Serving")
    SUSPENDED = "suspended", _("Suspended from duty")
    RETIRED = "retired", _("Retired")
    LEFT = "left", _("Left the service")
    DECEASED = "deceased", _("Deceased")


class MoveType(models.TextChoices):
    """How a cadre arrived at a position (任职经历)."""

    APPOINTED = "appointed", _("First appointment")
    PROMOTED = "promoted", _("Promotion")
    EXCEPTIONAL_PROMOTION = "exceptional", _("Exceptional promotion")
    RANK_ADVANCED = "rank_advanced", _("Rank advancement")
    LATERAL = "lateral", _("Lateral transfer")
    DEMOTED = "demoted", _("Demotion")
    TO_NON_LEADERSHIP = "to_non_leadership", _("Changed to a non-leadership post")
    TRANSFERRED_FROM_POST = "transferred", _("Transferred from post")
    RESIGNED_TAKING_BLAME = "resigned_blame", _("Resigned taking the blame")
    ORDERED_TO_RESIGN = "ordered_resign", _("Ordered to resign")
    REMOVED = "removed", _("Removed from office")
    RETIRED = "retired", _("Retirement")


class TalentListKind(models.TextChoices):
    POOL = "pool", _("Cadre pool (four types)")
    LIST = "list", _("List")


ETHNICITIES = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]
"""The 56 ethnic groups, in the order of GB/T 3304. Names are data, shown as written."""
