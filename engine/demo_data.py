"""The departments of SCENARIOS.md §0 and the demo staff seeded by
`onewindow init`."""

DEPARTMENTS = [
    ("CK", "综合窗口", "Comprehensive window"),
    ("SJ", "区市场监管局", "District Market Supervision Bureau"),
    ("SW", "区税务局", "District Tax Bureau"),
    ("GA", "公安分局", "Public Security Sub-bureau"),
    ("XF", "区消防救援大队", "District Fire and Rescue Brigade"),
    ("WJ", "区卫健局", "District Health Commission"),
    ("HB", "生态环境分局", "Ecology and Environment Sub-bureau"),
    ("CG", "区城管执法局", "District Urban Management Bureau"),
    ("SWJ", "区水务和湖泊局", "District Water and Lakes Bureau"),
    ("WL", "区文旅局", "District Culture and Tourism Bureau"),
    ("YC", "烟草专卖局", "Tobacco Monopoly Bureau"),
    ("RS", "区人社局", "District Human Resources and Social Security Bureau"),
    ("YB", "区医保局", "District Healthcare Security Bureau"),
    ("GJJ", "公积金中心", "Housing Provident Fund Centre"),
    ("JY", "区教育局", "District Education Bureau"),
    ("MZ", "区民政局", "District Civil Affairs Bureau"),
    ("JT", "区交通运输局", "District Transport Bureau"),
    ("NY", "区农业农村局", "District Agriculture and Rural Affairs Bureau"),
    ("ZG", "自然资源和规划分局", "Natural Resources and Planning Sub-bureau"),
    ("FG", "区房管局", "District Housing Administration"),
    ("UT", "水电气公用企业", "Water, power and gas utilities"),
    # Construction-project approval (SCENARIOS.md §2): not in §0's table.
    ("ZJ", "区住建局/工改办", "District Housing and Urban-Rural Development Bureau / Reform Office"),
    ("FGW", "区发改局", "District Development and Reform Bureau"),
    ("RF", "区人防办", "District Civil Air Defence Office"),
]

DEMO_PASSWORD = "onewindow-demo"


# Two applicants for the online side: a person, and a catering company that
# acts through its authorised agent. The numbers carry valid check digits.
DEMO_APPLICANTS = [
    {"username": "applicant", "display_name": "张三", "role": "applicant", "department": None,
     "id_number": "420105198001011230", "phone": "13800138000", "email": "zhangsan@example.cn"},
    {"username": "company", "display_name": "李四（江汉味道餐饮有限公司 经办人）", "role": "applicant",
     "department": None, "id_number": "420105199003152349", "uscc": "91420103MA4K0JH0WD",
     "company_name": "武汉江汉味道餐饮有限公司", "industry": "catering", "phone": "13900139000",
     "email": "agent@jhwd.example.cn"},
]


def demo_users() -> list[dict]:
    """admin, designer, supervisor, a window clerk, and a reviewer per
    back-office department (`rev_sj`, `rev_xf`, ...)."""
    users = [
        {"username": "admin", "display_name": "系统管理员", "role": "admin", "department": None},
        {"username": "designer", "display_name": "流程设计员", "role": "designer", "department": None},
        {"username": "supervisor", "display_name": "营商办督查员", "role": "supervisor", "department": None},
        {"username": "clerk", "display_name": "综合窗口 王敏", "role": "clerk", "department": "CK",
         "department_head": True},
        {"username": "clerk2", "display_name": "综合窗口 李静", "role": "clerk", "department": "CK"},
    ]
    users += DEMO_APPLICANTS
    for code, name_zh, _ in DEPARTMENTS:
        if code == "CK":
            continue
        # rev_<code> also heads the department: overdue work is escalated to them.
        users.append({"username": f"rev_{code.lower()}", "display_name": f"{name_zh} 审批员",
                      "role": "reviewer", "department": code, "department_head": True})
        users.append({"username": f"rev_{code.lower()}2", "display_name": f"{name_zh} 审批员二",
                      "role": "reviewer", "department": code})
    return users


# The hall for appointments (预约办): windows by zone, and the opening
# calendar (弹性办) — regular weekday hours, the uninterrupted lunch
# session, evenings and Saturday mornings, the flexible ones for the
# everyday services only (category one_thing).
HALL_WINDOWS = [
    {"code": "A01", "zone_zh": "A区 综合受理", "zone_en": "Zone A, comprehensive intake", "categories": ["one_thing"]},
    {"code": "A02", "zone_zh": "A区 综合受理", "zone_en": "Zone A, comprehensive intake", "categories": ["one_thing"]},
    {"code": "A03", "zone_zh": "A区 综合受理", "zone_en": "Zone A, comprehensive intake", "categories": ["one_thing"]},
    {"code": "B01", "zone_zh": "B区 工程建设项目", "zone_en": "Zone B, construction projects",
     "categories": ["construction"]},
]
WEEKDAYS = range(0, 5)
HALL_SESSIONS = (
    [{"kind": "regular", "weekday": d, "starts": "09:00", "ends": "12:00", "categories": []} for d in WEEKDAYS]
    + [{"kind": "regular", "weekday": d, "starts": "13:30", "ends": "18:00", "categories": []} for d in WEEKDAYS]
    + [{"kind": "lunch", "weekday": d, "starts": "12:00", "ends": "13:30", "categories": ["one_thing"]}
       for d in WEEKDAYS]
    + [{"kind": "evening", "weekday": d, "starts": "18:00", "ends": "20:00", "categories": ["one_thing"]}
       for d in WEEKDAYS]
    + [{"kind": "weekend", "weekday": 5, "starts": "09:00", "ends": "12:00", "categories": ["one_thing"]}]
)
DEMO_HALL_DAYS = 10  # slots are seeded for this many days the hall opens
# 绿色通道: the demo catering company is on the district's key-project list,
# stewarded by a market-supervision reviewer.
DEMO_KEY_PROJECTS = [
    {"name": "江汉路步行街美食街区改造", "level": "district", "applicant_key": "91420103MA4K0JH0WD",
     "steward": "rev_sj2", "note": "区重点招商项目（演示数据）"},
]
