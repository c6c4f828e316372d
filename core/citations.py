"""The policy's own articles for the specification's rule numbers (R1…R45 are ours, not the policy's): officials
know 京政农发〔2024〕70号 by its articles, so office and finance pages cite those (附件1第四条(五)), never an
R-number; buyer and public pages cite nothing. From the section marks of /shared/spec/RULES.md: "§" is the
implementation plan's main text (实施方案), "A1" its Annex 1 (实施操作要求)."""

import re

PLAN, ANNEX_1 = "实施方案", "附件1"

CITATIONS = {
    "R1": "附件1第四条(八)",
    "R2": "附件1第三条",
    "R3": "实施方案第二条(一)",
    "R4": "实施方案第二条(一)",
    "R5": "实施方案第二条(一)",
    "R6": "实施方案第二条(二)",
    "R7": "实施方案第二条(二)",
    "R8": "实施方案第二条(二)",
    "R9": "实施方案第二条(二)",
    "R10": "附件1第一条(一)",
    "R11": "附件1第一条(一)",
    "R12": "附件1第一条(一)",
    "R13": "附件1第一条(三)",
    "R14": "附件1第二条",
    "R15": "附件1第二条(一)",
    "R16": "附件1第二条(一)",
    "R17": "附件1第二条(二)1",
    "R18": "附件1第二条(二)2",
    "R19": "附件1第二条",
    "R20": "实施方案第一条(五)",
    "R21": "实施方案第三条",
    "R22": "实施方案第三条(一)",
    "R23": "实施方案第三条(一)",
    "R24": "实施方案第三条(二)",
    "R25": "附件1第四条(一)",
    "R26": "附件1第四条(二)",
    "R27": "附件1第四条(三)",
    "R28": "附件1第四条(四)",
    "R29": "附件1第四条(五)",
    "R30": "附件1第四条(五)",
    "R31": "附件1第四条(五)",
    "R32": "附件1第四条(六)",
    "R33": "附件1第四条(六)",
    "R34": "附件1第四条(六)",
    "R35": "附件1第四条(六)",
    "R36": "附件1第四条(七)",
    "R37": "附件1第四条(七)",
    "R38": "附件1第四条(八)",
    "R39": "附件1第四条(八)",
    "R40": "实施方案第四条(二)",
    "R41": "实施方案第二条(二)",
    "R42": "实施方案第四条(三)",
    "R43": "实施方案第四条(四)",
    "R44": "实施方案第四条(四)",
    "R45": "实施方案第四条(二)",
}

RULE_CODE = re.compile(r"\bR(\d{1,2})\b")


def cite(rule: str) -> str:
    """The policy article of a rule id ("R36" → "附件1第四条(七)"); "" for none."""
    return CITATIONS.get(rule, "")


def in_policy_terms(text: str) -> str:
    """``text`` with each rule number replaced by the policy article it comes from."""
    return RULE_CODE.sub(lambda m: cite(f"R{m.group(1)}") or m.group(0), text)
