"""The gap analysis and the candidate ranking through the API, and a candidate turned into a lead."""


def test_it_lists_a_chains_gaps_most_severe_first(viewer_client):
    gaps = viewer_client.get("/api/v1/chains/nev/gaps").json
    assert {g["link_id"] for g in gaps} == {"nev.cell", "nev.separator", "nev.vehicle"}
    assert [g["severity"] for g in gaps] == sorted((g["severity"] for g in gaps), reverse=True)
    separator = next(g for g in gaps if g["link_id"] == "nev.separator")
    assert separator["action"] == "supplement" and separator["reasons"] and separator["summary_zh"]


def test_it_filters_gaps_by_action(viewer_client):
    gaps = viewer_client.get("/api/v1/chains/nev/gaps?action=supplement").json
    assert gaps and all(g["action"] == "supplement" for g in gaps)


def test_an_unknown_chain_is_a_404(viewer_client):
    assert viewer_client.get("/api/v1/chains/nope/gaps").status_code == 404
    assert viewer_client.get("/api/v1/candidates?chain=nope").status_code == 404


def test_candidates_come_ranked_with_their_factors_and_reason(staff_client):
    r = staff_client.get("/api/v1/candidates?chain=electronics&page_size=5")
    assert r.status_code == 200 and r.json
    first = r.json[0]
    assert set(first["factors"]) == {"gap", "standing", "synergy", "policy_fit", "engagement", "district", "demand"}
    assert first["reason_zh"] and first["rank"] == 1
    assert '"total"' in r.headers["X-Pagination"]


def test_a_local_maker_is_never_a_candidate_for_its_link(staff_client):
    pairs = {(c["company_id"], c["link_id"]) for c in staff_client.get("/api/v1/candidates?page_size=200").json}
    assert ("changan", "nev.vehicle") not in pairs


def test_a_candidate_becomes_a_lead_in_one_step_with_its_snapshot(staff_client):
    body = {"chain_id": "nev", "link_id": "nev.separator", "company_id": "semcorp", "mine": True}
    r = staff_client.post("/api/v1/candidates/lead", json=body)
    assert r.status_code == 201, r.json
    assert r.json["source"] == "ranking" and r.json["owner_id"] == staff_client.user.id
    assert r.json["score_factors"]["action"] == "supplement"


def test_a_company_that_is_not_a_candidate_is_refused(staff_client):
    body = {"chain_id": "nev", "link_id": "nev.vehicle", "company_id": "changan"}
    assert staff_client.post("/api/v1/candidates/lead", json=body).status_code == 422


def test_a_viewer_may_not_open_leads_from_candidates(viewer_client):
    body = {"chain_id": "nev", "link_id": "nev.separator", "company_id": "semcorp"}
    assert viewer_client.post("/api/v1/candidates/lead", json=body).status_code == 403


def test_fdi_candidates_hold_no_mainland_firm_and_domestic_partners_come_apart(staff_client):
    fdi = staff_client.get("/api/v1/candidates?page_size=200").json
    assert fdi and all(c["origin"] != "domestic" for c in fdi)
    assert "semcorp" not in {c["company_id"] for c in fdi}
    partners = staff_client.get("/api/v1/candidates?chain=nev&market=domestic&page_size=200").json
    assert {(c["company_id"], c["origin"]) for c in partners} >= {("semcorp", "domestic")}


def test_an_unknown_market_is_refused_with_the_field(staff_client):
    r = staff_client.get("/api/v1/candidates?market=mainland")
    assert r.status_code == 422 and "market" in str(r.json)


def test_a_district_s_outside_supply_names_the_links_its_firms_buy_from_outside(viewer_client):
    found = viewer_client.get("/api/v1/districts/500157/outside-supply").json
    cell = next(r for r in found if r["link_id"] == "nev.cell")
    assert [b["id"] for b in cell["buyers"]] == ["changan"] and cell["buyers_citywide"] == 1
    gaps = {g["link_id"]: g for g in viewer_client.get("/api/v1/chains/nev/gaps").json}
    assert (gaps["nev.cell"]["local_buyers"], gaps["nev.cell"]["buyer_districts"]) == (1, 1)
    assert viewer_client.get("/api/v1/districts/999999/outside-supply").status_code == 404
    r = viewer_client.get("/api/v1/districts/500157/outside-supply?as_of=2999-01-01")
    assert r.status_code == 422 and "as_of" in str(r.json)
