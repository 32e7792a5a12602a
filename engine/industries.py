"""Industries a company applicant declares at registration; policy notices
(江汉政企通) are published to one or more of them."""
INDUSTRIES = {
    "catering": ("餐饮", "Catering"),
    "retail": ("零售", "Retail"),
    "healthcare": ("医疗健康", "Healthcare"),
    "education": ("教育培训", "Education and training"),
    "culture": ("文化娱乐", "Culture and entertainment"),
    "hospitality": ("住宿旅游", "Hospitality and travel"),
    "services": ("生活服务", "Consumer services"),
    "construction": ("建筑工程", "Construction"),
    "manufacturing": ("制造业", "Manufacturing"),
    "other": ("其他", "Other"),
}
