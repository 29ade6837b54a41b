"""Gap analysis rules (任务 9): 补链, 固链, 强链, 扩链 or healthy, with severity and reasons."""
from dataclasses import asdict, replace

from scoring.gaps import link_gaps
from tests.scoring_factories import POLICY, covered, link, link_graph, strong

RULES = POLICY.gaps


def gaps_of(G, rules=RULES):
    return {g.link_id: g for g in link_gaps(G, rules)}


def test_it_calls_a_link_with_no_local_maker_supplement():
    gap = gaps_of(link_graph({"separator": link()}))["separator"]
    assert gap.action == "supplement"
    assert [r.code for r in gap.reasons][:2] == ["no_local_maker", "known_makers"]


def test_a_single_source_feeding_three_local_links_is_stabilise_and_severer_than_one_feeding_none():
    G = link_graph({"cell": covered(1), "pack": covered(3), "motor": covered(3), "car": covered(3),
                    "lonely": covered(1)},
                   [("cell", "pack"), ("cell", "motor"), ("cell", "car")])
    gaps = gaps_of(G)
    assert gaps["cell"].action == "stabilise"
    assert gaps["cell"].severity > gaps["lonely"].severity
    assert gaps["lonely"].action != "stabilise"
    assert {"code": "local_dependents", "values": {"links": 3, "makers": 9}}.items() <= \
        {k: v for k, v in asdict(gaps["cell"].reasons[1]).items() if k in ("code", "values")}.items()


def test_two_sources_are_still_stabilise_but_less_severe_than_one():
    G = link_graph({"one": covered(1), "two": covered(2), "down1": covered(3), "down2": covered(3)},
                   [("one", "down1"), ("two", "down2")])
    gaps = gaps_of(G)
    assert gaps["one"].action == gaps["two"].action == "stabilise"
    assert gaps["one"].severity > gaps["two"].severity


def test_it_calls_an_uncovered_out_of_focus_link_next_to_a_covered_one_extend():
    G = link_graph({"car": strong(), "recycling": link(in_focus=False)}, [("car", "recycling")])
    gap = gaps_of(G)["recycling"]
    assert gap.action == "extend"
    assert {"code": "next_to_local", "neighbours": 1} == {"code": gap.reasons[1].code, **gap.reasons[1].values}


def test_a_covered_neighbour_in_another_chain_counts_for_extend():
    G = link_graph({"chip": strong(chain_id="chips"), "controller": link(in_focus=False)}, [("chip", "controller")])
    assert gaps_of(G)["controller"].action == "extend"


def test_an_uncovered_link_in_focus_is_supplement_even_next_to_covered_links():
    G = link_graph({"car": strong(), "cell": link(in_focus=True)}, [("cell", "car")])
    assert gaps_of(G)["cell"].action == "supplement"


def test_an_uncovered_out_of_focus_link_far_from_the_local_chain_is_a_milder_extend():
    G = link_graph({"car": strong(), "near": link(in_focus=False), "far": link(in_focus=False)},
                   [("car", "near"), ("near", "far")])
    gaps = gaps_of(G)
    assert gaps["far"].action == "extend"
    assert "not_next_to_local" in [r.code for r in gaps["far"].reasons]
    assert 0 < gaps["far"].severity < gaps["near"].severity


def test_a_covered_link_without_a_leading_or_global_firm_is_strengthen():
    gap = gaps_of(link_graph({"motor": covered(8)}))["motor"]
    assert gap.action == "strengthen"
    assert [r.code for r in gap.reasons][:2] == ["no_leading_local", "no_fg500_or_multinational_local"]


def test_few_makers_for_a_critical_link_is_strengthen():
    G = link_graph({"hub": covered(3, leading=1, fg500=1), **{f"d{i}": strong() for i in range(6)}},
                   [("hub", f"d{i}") for i in range(6)])
    gap = gaps_of(G)["hub"]
    assert gap.action == "strengthen"
    assert gap.reasons[0].code == "few_local_makers" and gap.reasons[0].values["needed"] > 3


def test_a_link_with_enough_makers_a_leader_and_a_global_firm_is_healthy_with_no_severity():
    gap = gaps_of(link_graph({"vehicle": strong()}))["vehicle"]
    assert (gap.action, gap.severity) == ("healthy", 0.0)


def test_high_tech_and_a_higher_tier_raise_severity():
    G = link_graph({"plain": link(tier="featured"), "hightech": link(tier="featured", high_tech=True),
                    "lead": link(tier="lead")})
    gaps = gaps_of(G)
    assert gaps["hightech"].severity > gaps["plain"].severity
    assert gaps["lead"].severity > gaps["plain"].severity
    assert "high_tech" in [r.code for r in gaps["hightech"].reasons]


def test_severity_stays_within_0_and_100():
    G = link_graph({"top": link(high_tech=True), **{f"d{i}": strong(20) for i in range(30)}},
                   [("top", f"d{i}") for i in range(30)])
    assert all(0.0 <= g.severity <= 100.0 for g in link_gaps(G, RULES))
    assert gaps_of(G)["top"].severity > 80


def test_the_stabilise_threshold_comes_from_policy():
    G = link_graph({"cell": covered(3), "pack": covered(3)}, [("cell", "pack")])
    assert gaps_of(G)["cell"].action != "stabilise"
    looser = replace(RULES, stabilise_max_local_makers=3, stabilise_need={1: 1.0, 2: 0.7, 3: 0.5})
    assert gaps_of(G, looser)["cell"].action == "stabilise"


def test_every_reason_is_a_code_with_numbers_and_a_line_in_both_languages():
    G = link_graph({"cell": covered(1, name_zh="电芯", name_en="Battery cells"), "pack": covered(3)},
                   [("cell", "pack")])
    gap = gaps_of(G)["cell"]
    assert all(r.code and r.zh and r.en for r in gap.reasons)
    assert gap.summary_zh.startswith("固链：本地仅 1 家电芯企业")
    assert gap.summary_en.startswith("Stabilise: only 1 local maker(s) of Battery cells")


def test_it_reports_only_the_links_of_the_projected_chain():
    G = link_graph({"mine": link(), "neighbour": strong(chain_id="other", member=False)}, [("neighbour", "mine")])
    assert [g.link_id for g in link_gaps(G, RULES)] == ["mine"]


def test_it_lists_the_severest_first_and_breaks_ties_by_link_id():
    G = link_graph({"b": link(), "a": link(), "c": strong()})
    assert [g.link_id for g in link_gaps(G, RULES)] == ["a", "b", "c"]
