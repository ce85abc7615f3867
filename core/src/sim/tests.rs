//! Behaviour tests of the simulator.

use super::*;
use crate::http::Method;
use serde_json::Value;

fn sim() -> Simulator {
    Simulator::new(SimConfig::default())
}

fn get(sim: &Simulator, url: &str) -> SimResponse {
    sim.handle(&Request {
        method: Method::Get,
        url: url.to_string(),
        headers: vec![("Authorization".into(), "Bearer t".into())],
    })
}

fn json(res: &SimResponse) -> Value {
    serde_json::from_slice(&res.body).unwrap_or_else(|e| {
        panic!(
            "status {} body is not JSON ({e}): {}",
            res.status,
            String::from_utf8_lossy(&res.body)
        )
    })
}

#[test]
fn smoke() {
    let s = sim();
    let r = get(&s, "/v1/customers/usagerecords");
    assert_eq!(r.status, 200);
    let v = json(&r);
    assert_eq!(v["items"].as_array().unwrap().len(), 120);
}
