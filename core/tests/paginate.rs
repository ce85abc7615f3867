//! The paginator driven over scripted responses.

use partner_usage_core::endpoint::{CustomerId, Endpoint, SubscriptionId, UtilizationQuery};
use partner_usage_core::error::{Error, PaginationError};
use partner_usage_core::http::{Request, Response};
use partner_usage_core::link::BaseUrl;
use partner_usage_core::model::CustomerMonthlyUsageRecord;
use partner_usage_core::paginate::{decode_page, Action, Paginator, PaginatorConfig};
use partner_usage_core::retry::RetryConfig;
use partner_usage_core::time::Timestamp;

const TOKEN: &str = "cT0xJnM9Mg==/a?b&c%2F%3D=x/y?z&%";

struct Scripted {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn ok(body: impl Into<String>) -> Scripted {
    Scripted {
        status: 200,
        headers: vec![],
        body: body.into(),
    }
}

fn status(status: u16, headers: &[(&str, &str)], body: &str) -> Scripted {
    Scripted {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.to_string(),
    }
}

fn page(ids: &[&str], next: Option<&str>) -> String {
    let items: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"id":"{id}","totalCost":1.10,"currencyCode":"EUR","unknownField":{{"x":[1,2]}}}}"#))
        .collect();
    let next = next
        .map(|uri| {
            format!(
                r#","next":{{"uri":"{uri}","method":"GET","headers":[{{"key":"MS-ContinuationToken","value":"{TOKEN}"}}]}}"#
            )
        })
        .unwrap_or_default();
    format!(
        r#"{{"totalCount":{},"items":[{}],"links":{{"self":{{"uri":"/customers/usagerecords","method":"GET","headers":[]}}{next}}},"attributes":{{"objectType":"Collection"}}}}"#,
        ids.len(),
        items.join(",")
    )
}

#[derive(Debug, Default)]
struct Run {
    requests: Vec<Request>,
    ids: Vec<String>,
    waits: Vec<i64>,
    refreshes: u32,
    result: Option<Result<(), Error>>,
}

/// Drives a paginator over scripted responses, with a fake clock.
fn drive(mut p: Paginator, script: Vec<Scripted>) -> (Paginator, Run) {
    let mut run = Run::default();
    let mut script = script.into_iter();
    let mut now: i64 = 1_700_000_000_000;
    for _ in 0..1_000 {
        match p.poll(now) {
            Action::Send(req) => {
                run.requests.push(req);
                let Some(s) = script.next() else {
                    panic!("the paginator asked for more than the script has")
                };
                let resp = Response {
                    status: s.status,
                    headers: &s.headers,
                    body: s.body.as_bytes(),
                };
                match p.handle_response(now, resp, decode_page::<CustomerMonthlyUsageRecord>) {
                    Ok(Some(page)) => run.ids.extend(page.items.into_iter().map(|r| r.id)),
                    Ok(None) => {}
                    Err(e) => {
                        assert_eq!(p.error(), Some(&e), "the failure is kept");
                        assert_eq!(p.poll(now), Action::Failed(e.clone()));
                        run.result = Some(Err(e));
                        return (p, run);
                    }
                }
            }
            Action::Wait { until_ms } => {
                run.waits.push(until_ms - now);
                now = until_ms;
            }
            Action::RefreshToken => {
                run.refreshes += 1;
                p.token_refreshed();
            }
            Action::Complete => {
                assert!(script.next().is_none(), "script not used up");
                assert!(p.is_complete() && p.error().is_none());
                run.result = Some(Ok(()));
                return (p, run);
            }
            Action::Failed(e) => {
                // A page's next link failed after the page was handed over.
                assert!(script.next().is_none(), "script not used up");
                assert!(!p.is_complete());
                assert_eq!(p.error(), Some(&e));
                run.result = Some(Err(e));
                return (p, run);
            }
        }
    }
    panic!("the paginator did not finish");
}

fn base() -> BaseUrl {
    BaseUrl::parse("https://portal.example/pc").unwrap()
}

fn paginator(config: PaginatorConfig) -> Paginator {
    Paginator::new(&base(), &Endpoint::CustomerUsageRecords, config, 9)
}

fn fast_retries() -> PaginatorConfig {
    PaginatorConfig::default().retry(RetryConfig::default().delays(100, 2_000))
}

#[test]
fn three_pages_with_each_link_form_and_the_token_byte_for_byte() {
    let (p, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![
            ok(page(
                &["a", "b"],
                Some("customers/usagerecords?seekOperation=Next"),
            )),
            ok(page(
                &["c"],
                Some("/customers/usagerecords?seekOperation=Next&p=3"),
            )),
            ok(page(
                &["d"],
                Some("/v1/customers/usagerecords?seekOperation=Next&p=4"),
            )),
            ok(page(&["e"], None)),
        ],
    );
    run.result.unwrap().unwrap();
    assert!(p.is_complete());
    assert_eq!(run.ids, ["a", "b", "c", "d", "e"]);
    let urls: Vec<&str> = run.requests.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://portal.example/pc/v1/customers/usagerecords",
            "https://portal.example/pc/v1/customers/usagerecords?seekOperation=Next",
            "https://portal.example/pc/v1/customers/usagerecords?seekOperation=Next&p=3",
            "https://portal.example/pc/v1/customers/usagerecords?seekOperation=Next&p=4",
        ]
    );
    assert_eq!(run.requests[0].header("MS-ContinuationToken"), None);
    for r in &run.requests[1..] {
        assert_eq!(r.header("MS-ContinuationToken"), Some(TOKEN));
    }
    // One correlation id for the listing; a new request id per page.
    let corr: Vec<_> = run
        .requests
        .iter()
        .map(|r| r.header("MS-CorrelationId").unwrap())
        .collect();
    assert!(corr.iter().all(|c| *c == p.correlation_id()));
    let ids: std::collections::HashSet<_> = run
        .requests
        .iter()
        .map(|r| r.header("MS-RequestId").unwrap())
        .collect();
    assert_eq!(ids.len(), 4);
    assert!(run
        .requests
        .iter()
        .all(|r| r.header("Accept") == Some("application/json")));
    assert!(run
        .requests
        .iter()
        .all(|r| r.header("Authorization").is_none()));
    let progress = p.progress();
    assert_eq!(
        (progress.pages, progress.records, progress.retries),
        (4, 5, 0)
    );
}

#[test]
fn utilization_first_request_carries_the_defaults() {
    let q = UtilizationQuery::new(
        Timestamp::parse("2024-01-01T00:00:00Z").unwrap(),
        Timestamp::parse("2024-01-31T00:00:00Z").unwrap(),
    )
    .unwrap();
    let e = Endpoint::AzureUtilization {
        customer: CustomerId::new("c").unwrap(),
        subscription: SubscriptionId::new("s").unwrap(),
        query: q,
    };
    let mut p = Paginator::new(&base(), &e, PaginatorConfig::default(), 1);
    let Action::Send(req) = p.poll(0) else {
        panic!()
    };
    assert_eq!(
        req.url,
        "https://portal.example/pc/v1/customers/c/subscriptions/s/utilizations/azure?start_time=2024-01-01T00:00:00Z&end_time=2024-01-31T00:00:00Z&size=1000&granularity=daily&show_details=true"
    );
}

#[test]
fn an_endpoint_out_of_range_sends_nothing_and_fails() {
    let mut q = UtilizationQuery::new(
        Timestamp::parse("2024-01-01T00:00:00Z").unwrap(),
        Timestamp::parse("2024-01-31T00:00:00Z").unwrap(),
    )
    .unwrap();
    // The public fields skip the constructors' checks.
    q.size = 0;
    let e = Endpoint::AzureUtilization {
        customer: CustomerId::new("c").unwrap(),
        subscription: SubscriptionId::new("s").unwrap(),
        query: q,
    };
    for e in [e, Endpoint::Customers { size: 5000 }] {
        let (p, run) = drive(
            Paginator::new(&base(), &e, PaginatorConfig::default(), 1),
            vec![],
        );
        assert!(run.requests.is_empty(), "{e:?}");
        let err = run.result.unwrap().unwrap_err();
        assert_eq!(err.kind(), "invalid-input", "{err}");
        assert!(err.to_string().contains("page size"), "{err}");
        assert!(!p.is_complete());
    }
}

#[test]
fn no_content_on_the_first_request_is_an_empty_listing() {
    let (p, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![status(204, &[("Retry-After", "120")], "")],
    );
    run.result.unwrap().unwrap();
    assert!(p.is_complete());
    assert!(run.ids.is_empty());
    assert_eq!(p.retry_after_hint_ms(), Some(120_000));
}

#[test]
fn no_content_on_a_next_page_means_not_ready_and_is_retried_after_retry_after() {
    let (p, run) = drive(
        paginator(fast_retries()),
        vec![
            ok(page(
                &["a"],
                Some("customers/usagerecords?seekOperation=Next"),
            )),
            status(204, &[("Retry-After", "Tue, 14 Nov 2023 22:13:22 GMT")], ""),
            ok(page(&["b"], None)),
        ],
    );
    run.result.unwrap().unwrap();
    assert!(p.is_complete());
    assert_eq!(run.ids, ["a", "b"]);
    // The clock starts at 2023-11-14T22:13:20Z: the date is 2 s ahead.
    assert_eq!(run.waits.len(), 1);
    assert!((2_000..=2_200).contains(&run.waits[0]), "{:?}", run.waits);
    // The retried page is the same request: same id, same token.
    assert_eq!(run.requests[1], run.requests[2]);
}

#[test]
fn not_ready_forever_is_an_error_not_the_end_of_data() {
    let mut script = vec![ok(page(&["a"], Some("customers/usagerecords?n")))];
    for _ in 0..6 {
        script.push(status(204, &[("Retry-After", "1")], ""));
    }
    let (p, run) = drive(paginator(fast_retries()), script);
    assert!(!p.is_complete());
    assert!(matches!(
        run.result.unwrap(),
        Err(Error::Pagination(PaginationError::NotReady { page: 2, .. }))
    ));
}

#[test]
fn a_repeated_next_link_is_a_cycle() {
    let (p, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![
            ok(page(&["a"], Some("customers/usagerecords?next"))),
            ok(page(&["b"], Some("/v1/customers/usagerecords?next"))),
        ],
    );
    assert!(matches!(
        run.result.unwrap(),
        Err(Error::Pagination(PaginationError::Cycle { page: 2 }))
    ));
    assert!(!p.is_complete());
    // The page whose link repeats is handed over (its body is fine), and
    // counted; the listing fails after it, without sending the link.
    assert_eq!(run.ids, ["a", "b"]);
    assert_eq!(run.requests.len(), 2);
    let progress = p.progress();
    assert_eq!((progress.pages, progress.records), (2, 2));
}

#[test]
fn links_that_differ_only_in_their_fragment_are_a_cycle() {
    // The fragment is never sent, so `#a` and `#b` are the same request: a
    // server can't make the client count one page again and again with them.
    let (_, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![
            ok(page(&["a"], Some("customers/usagerecords?next#a"))),
            ok(page(&["b"], Some("customers/usagerecords?next#b"))),
        ],
    );
    assert!(matches!(
        run.result.unwrap(),
        Err(Error::Pagination(PaginationError::Cycle { page: 2 }))
    ));
    assert_eq!(run.requests.len(), 2);
    assert!(
        run.requests.iter().all(|r| !r.url.contains('#')),
        "{:?}",
        run.requests
    );
}

#[test]
fn a_link_back_to_the_first_page_is_a_cycle() {
    let (_, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![ok(
            r#"{"items":[],"links":{"next":{"uri":"/customers/usagerecords","method":"GET","headers":[]}}}"#,
        )],
    );
    assert!(matches!(
        run.result.unwrap(),
        Err(Error::Pagination(PaginationError::Cycle { page: 1 }))
    ));
}

#[test]
fn a_foreign_next_link_is_refused_and_nothing_is_sent_there() {
    for uri in [
        "https://evil.example/v1/customers/usagerecords",
        "//evil.example/v1/customers",
        "javascript:alert(1)",
        "data:application/json,{}",
    ] {
        let (_, run) = drive(
            paginator(PaginatorConfig::default()),
            vec![ok(page(&["a"], Some(uri)))],
        );
        assert!(
            matches!(
                run.result.unwrap(),
                Err(Error::Pagination(PaginationError::ForeignLink { .. }))
            ),
            "{uri}"
        );
        assert_eq!(run.requests.len(), 1);
        assert!(run
            .requests
            .iter()
            .all(|r| r.url.starts_with("https://portal.example/")));
        // The page itself came from the configured origin: it is handed over.
        assert_eq!(run.ids, ["a"], "{uri}");
    }
}

#[test]
fn the_page_cap_stops_the_listing() {
    let script: Vec<_> = (0..3)
        .map(|i| ok(page(&["x"], Some(&format!("customers/usagerecords?p={i}")))))
        .collect();
    let (p, run) = drive(paginator(PaginatorConfig::default().max_pages(3)), script);
    assert!(matches!(
        run.result.unwrap(),
        Err(Error::Pagination(PaginationError::PageCap { max_pages: 3 }))
    ));
    // The three pages within the cap are all handed over, the third too
    // (only its link goes past the cap).
    assert_eq!(run.ids, ["x", "x", "x"]);
    assert_eq!(run.requests.len(), 3);
    let progress = p.progress();
    assert_eq!((progress.pages, progress.records), (3, 3));
}

#[test]
fn with_a_cap_of_one_page_the_page_is_handed_over_then_the_cap_is_reported() {
    let (p, run) = drive(
        paginator(PaginatorConfig::default().max_pages(1)),
        vec![ok(page(&["a", "b"], Some("customers/usagerecords?p=2")))],
    );
    assert_eq!(
        run.result.unwrap(),
        Err(Error::Pagination(PaginationError::PageCap { max_pages: 1 }))
    );
    assert_eq!(run.ids, ["a", "b"]);
    let progress = p.progress();
    assert_eq!((progress.pages, progress.records), (1, 2));
    // A last page within the cap completes the listing.
    let (p, run) = drive(
        paginator(PaginatorConfig::default().max_pages(1)),
        vec![ok(page(&["a"], None))],
    );
    run.result.unwrap().unwrap();
    assert!(p.is_complete());
}

/// Answers the requests with `pages` (200s) one by one, checking that each
/// page is handed over.
fn a_page_then_its_link(config: PaginatorConfig, pages: &[String]) -> Paginator {
    let mut p = paginator(config);
    for (i, body) in pages.iter().enumerate() {
        assert!(matches!(p.poll(0), Action::Send(_)), "page {}", i + 1);
        let resp = Response {
            status: 200,
            headers: &[],
            body: body.as_bytes(),
        };
        let page = p
            .handle_response(0, resp, decode_page::<CustomerMonthlyUsageRecord>)
            .expect("a page with a bad link is not an Err")
            .expect("the page is handed over");
        assert_eq!(page.items.len(), 1);
        assert_eq!(p.progress().pages, i as u32 + 1);
    }
    p
}

#[test]
fn a_failing_next_link_is_reported_by_the_next_poll_after_its_page() {
    // The page cap and a cycle, each found in the link of a page that is
    // handed over whole: the failure comes with the next poll.
    let cases = [
        (
            PaginatorConfig::default().max_pages(2),
            vec![
                page(&["a"], Some("customers/usagerecords?p=2")),
                page(&["b"], Some("customers/usagerecords?p=3")),
            ],
            PaginationError::PageCap { max_pages: 2 },
        ),
        (
            PaginatorConfig::default(),
            vec![
                page(&["a"], Some("customers/usagerecords?p=2")),
                page(&["b"], Some("customers/usagerecords?p=2")),
            ],
            PaginationError::Cycle { page: 2 },
        ),
    ];
    for (config, pages, expected) in cases {
        let mut p = a_page_then_its_link(config, &pages);
        let failed = Error::Pagination(expected.clone());
        assert_eq!(p.poll(0), Action::Failed(failed.clone()), "{expected:?}");
        assert!(!p.is_complete());
        assert_eq!(p.error(), Some(&failed));
        assert_eq!(failed.kind(), "pagination");
        let progress = p.progress();
        assert_eq!((progress.pages, progress.records), (2, 2), "{expected:?}");
        // Polling again changes nothing.
        assert_eq!(p.poll(0), Action::Failed(failed));
    }
}

#[test]
fn throttling_is_retried_after_retry_after_with_the_same_request_id() {
    let (p, run) = drive(
        paginator(fast_retries()),
        vec![
            status(
                429,
                &[("Retry-After", "1")],
                r#"{"statusCode":429,"message":"Rate limit is exceeded. Try again in 1 seconds."}"#,
            ),
            status(
                503,
                &[],
                r#"{"code":"ServiceUnavailable","description":"busy"}"#,
            ),
            ok(page(&["a"], None)),
        ],
    );
    run.result.unwrap().unwrap();
    assert_eq!(run.ids, ["a"]);
    assert_eq!(run.requests.len(), 3);
    assert_eq!(run.requests[0], run.requests[1]);
    assert_eq!(run.requests[1], run.requests[2]);
    assert!(run.waits[0] >= 1_000, "{:?}", run.waits);
    assert!(run.waits[1] <= 200, "{:?}", run.waits);
    assert_eq!(p.progress().retries, 2);
}

/// Sends the first request, answers it with `response`, and returns the
/// result, the shared hold and the listing's own wait (ms from the answer).
fn answer_first(
    config: PaginatorConfig,
    response: Scripted,
) -> (Result<(), Error>, Option<i64>, Option<i64>) {
    let now = 1_700_000_000_000;
    let mut p = paginator(config);
    assert!(matches!(p.poll(now), Action::Send(_)));
    let resp = Response {
        status: response.status,
        headers: &response.headers,
        body: response.body.as_bytes(),
    };
    let result = p
        .handle_response(now, resp, decode_page::<CustomerMonthlyUsageRecord>)
        .map(|_| ());
    let wait = match p.poll(now) {
        Action::Wait { until_ms } => Some(until_ms - now),
        _ => None,
    };
    (result, p.throttled_until_ms().map(|t| t - now), wait)
}

#[test]
fn the_shared_hold_is_never_longer_than_the_listings_own_wait() {
    let throttled = || status(429, &[("Retry-After", "30")], "{}");
    // Uncapped: the hold is the server's Retry-After.
    let (result, hold, wait) = answer_first(PaginatorConfig::default(), throttled());
    result.unwrap();
    assert_eq!(hold, Some(30_000));
    assert!(wait.unwrap() >= 30_000, "{wait:?}");
    // Capped by `max_delay_ms`: the hold is capped too.
    let capped = RetryConfig::default()
        .delays(1, 200)
        .max_total_delay_ms(1_000);
    let (result, hold, wait) = answer_first(PaginatorConfig::default().retry(capped), throttled());
    result.unwrap();
    let (hold, wait) = (hold.unwrap(), wait.unwrap());
    assert!((200..=220).contains(&hold) && hold <= wait, "{hold} {wait}");
    // A listing that gives up on the answer leaves no hold behind.
    for retry in [
        RetryConfig::default().max_retries(0),
        RetryConfig::default().max_total_delay_ms(10_000),
    ] {
        let (result, hold, _) = answer_first(PaginatorConfig::default().retry(retry), throttled());
        assert!(result.is_err());
        assert_eq!(hold, None);
    }
}

#[test]
fn transient_failures_give_up_after_max_retries() {
    let script: Vec<_> = (0..6)
        .map(|_| {
            status(
                500,
                &[("MS-RequestId", "srv-1")],
                r#"{"code":500,"description":"boom"}"#,
            )
        })
        .collect();
    let (p, run) = drive(paginator(fast_retries()), script);
    let err = run.result.unwrap().unwrap_err();
    assert!(!p.is_complete());
    match &err {
        Error::RetriesExhausted {
            attempts,
            page,
            last,
            budget_ms,
        } => {
            assert_eq!((*attempts, *page), (6, 1));
            assert_eq!(last.status(), Some(500));
            assert_eq!(*budget_ms, None, "the attempts ran out, not the budget");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.kind(), "retries-exhausted");
    assert_eq!(err.code(), Some("500"));
    assert_eq!(err.request_id(), Some("srv-1"));
    assert_eq!(
        err.to_string(),
        "gave up on page 1 after 6 attempts; last error: Partner Center answered 500 Internal Server Error for /pc/v1/customers/usagerecords: error 500: boom (request id srv-1)"
    );
}

#[test]
fn with_retries_turned_off_a_failure_is_reported_as_it_is() {
    let config = PaginatorConfig::default().retry(RetryConfig::default().max_retries(0));
    let (p, run) = drive(
        paginator(config),
        vec![status(
            500,
            &[("MS-RequestId", "srv-2")],
            r#"{"code":500,"description":"boom"}"#,
        )],
    );
    let err = run.result.unwrap().unwrap_err();
    assert!(matches!(err, Error::Http(_)), "{err:?}");
    assert_eq!(err.kind(), "http");
    assert_eq!((err.status(), err.code()), (Some(500), Some("500")));
    assert_eq!(err.request_id(), Some("srv-2"));
    assert_eq!(run.requests.len(), 1);
    assert_eq!(p.progress().retries, 0);
}

#[test]
fn an_error_on_a_later_page_names_the_page() {
    let config = PaginatorConfig::default().retry(RetryConfig::default().max_retries(0));
    let (_, run) = drive(
        paginator(config),
        vec![
            ok(page(
                &["a"],
                Some("/customers/usagerecords?seekOperation=Next"),
            )),
            status(403, &[], r#"{"code":900128,"description":"Denied"}"#),
        ],
    );
    let err = run.result.unwrap().unwrap_err();
    // The request id is the one the client sent (none echoed).
    assert!(
        err.to_string().starts_with(
            "Partner Center answered 403 Forbidden for /pc/v1/customers/usagerecords on page 2: error 900128: Denied (request id "
        ),
        "{err}"
    );
}

#[test]
fn a_wait_beyond_the_budget_gives_up_after_one_attempt() {
    // Retries are on, but Retry-After asks for more than the listing may wait.
    let config =
        PaginatorConfig::default().retry(RetryConfig::default().max_total_delay_ms(10_000));
    let (_, run) = drive(
        paginator(config),
        vec![status(429, &[("Retry-After", "60")], "")],
    );
    let err = run.result.unwrap().unwrap_err();
    assert_eq!(err.kind(), "retries-exhausted");
    assert_eq!(err.status(), Some(429));
    assert!(
        err.to_string().starts_with(
            "gave up on page 1 after 1 attempt (the next wait would have taken the listing past its 10000 ms retry budget); last error: "
        ),
        "{err}"
    );
    assert_eq!(run.requests.len(), 1);
}

#[test]
fn unauthorized_refreshes_the_token_once() {
    let (p, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![status(401, &[], ""), ok(page(&["a"], None))],
    );
    run.result.unwrap().unwrap();
    assert!(p.is_complete());
    assert_eq!(run.refreshes, 1);
    let (_, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![
            status(401, &[], ""),
            status(
                401,
                &[],
                r#"{"code":"Unauthorized","description":"token expired"}"#,
            ),
        ],
    );
    let err = run.result.unwrap().unwrap_err();
    assert_eq!(run.refreshes, 1);
    assert_eq!(
        (err.status(), err.code()),
        (Some(401), Some("Unauthorized"))
    );
}

#[test]
fn each_401_after_a_page_gets_its_own_refresh() {
    let (p, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![
            ok(page(&["a"], Some("/customers/usagerecords?seek=2"))),
            status(401, &[], ""),
            ok(page(&["b"], Some("/customers/usagerecords?seek=3"))),
            status(401, &[], ""),
            ok(page(&["c"], None)),
        ],
    );
    run.result.unwrap().unwrap();
    assert!(p.is_complete());
    assert_eq!(run.refreshes, 2);
    assert_eq!(run.ids, ["a", "b", "c"]);
    // Two in a row after a page still fail.
    let (_, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![
            ok(page(&["a"], Some("/customers/usagerecords?seek=2"))),
            status(401, &[], ""),
            status(401, &[], ""),
        ],
    );
    assert_eq!(run.result.unwrap().unwrap_err().status(), Some(401));
    assert_eq!(run.refreshes, 1);
}

#[test]
fn client_errors_fail_at_once_with_the_partner_center_code() {
    for (code, body) in [
        (400, r#"{"code":"InvalidInput","description":"bad"}"#),
        (403, r#"{"code":20002,"description":"forbidden"}"#),
        (
            404,
            r#"{"code":800011,"description":"not a valid Azure subscription"}"#,
        ),
    ] {
        let (_, run) = drive(
            paginator(PaginatorConfig::default()),
            vec![status(code, &[], body)],
        );
        let err = run.result.unwrap().unwrap_err();
        assert_eq!(err.kind(), "http");
        assert_eq!(err.status(), Some(code));
        assert!(err.code().is_some());
        assert_eq!(run.requests.len(), 1);
    }
}

#[test]
fn a_truncated_body_is_retried_but_malformed_json_is_not() {
    let full = page(&["a"], None);
    let cut = full[..full.len() / 2].to_string();
    let (_, run) = drive(paginator(fast_retries()), vec![ok(cut), ok(full)]);
    run.result.unwrap().unwrap();
    assert_eq!(run.ids, ["a"]);

    let (_, run) = drive(paginator(fast_retries()), vec![ok(r#"{"items": [}"#)]);
    let err = run.result.unwrap().unwrap_err();
    assert_eq!(err.kind(), "decode");
    assert!(
        err.to_string().starts_with("could not decode page 1"),
        "{err}"
    );
}

#[test]
fn a_body_cut_right_after_a_closing_brace_is_still_retried() {
    // A cut that happens to end on `}` looks complete from its last byte;
    // the decoder's "ends early" is what tells it apart from bad JSON.
    let full = page(&["a", "b", "c"], None);
    let cuts: Vec<usize> = full
        .char_indices()
        .filter(|&(i, c)| c == '}' && i + 1 < full.len())
        .map(|(i, _)| i + 1)
        .collect();
    assert!(cuts.len() >= 3, "{full}");
    for cut in cuts {
        let (_, run) = drive(
            paginator(fast_retries()),
            vec![ok(full[..cut].to_string()), ok(full.clone())],
        );
        run.result
            .unwrap()
            .unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
        assert_eq!(run.ids, ["a", "b", "c"], "cut at {cut}");
    }
}

#[test]
fn a_consuming_decoder_fails_the_listing_with_its_own_error() {
    let mut p = paginator(fast_retries());
    let Action::Send(_) = p.poll(0) else {
        panic!("expected a request")
    };
    let body = page(&["a"], None);
    let resp = Response {
        status: 200,
        headers: &[],
        body: body.as_bytes(),
    };
    let err = p
        .handle_response(0, resp, |_| -> Result<((), _), Error> {
            Err(Error::invalid_input("the consumer gave up"))
        })
        .unwrap_err();
    assert_eq!(err.kind(), "invalid-input");
    assert_eq!(p.poll(0), Action::Failed(err));
    assert!(!p.is_complete());
}

#[test]
fn a_bad_record_names_its_page_index_and_field() {
    let (_, run) = drive(
        paginator(PaginatorConfig::default()),
        vec![
            ok(page(&["a"], Some("customers/x"))),
            ok(r#"{"items":[{"id":"b"},{"id":"c","usdTotalCost":"NaN"}]}"#),
        ],
    );
    let err = run.result.unwrap().unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (d.page, d.index, d.path.as_str()),
        (Some(2), Some(1), "usdTotalCost")
    );
}

#[test]
fn transport_errors_are_retried_then_reported() {
    let mut p = paginator(fast_retries());
    let mut now = 0;
    let mut sent = 0;
    let err = loop {
        match p.poll(now) {
            Action::Send(_) => {
                sent += 1;
                if let Err(e) = p.handle_transport_error(now, "connection reset") {
                    break e;
                }
            }
            Action::Wait { until_ms } => now = until_ms,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(sent, 6);
    assert_eq!(err.kind(), "retries-exhausted");
    assert!(
        err.to_string()
            .ends_with("network error for /pc/v1/customers/usagerecords: connection reset"),
        "{err}"
    );
    assert_eq!(p.poll(now), Action::Failed(err));
}

#[test]
fn responses_without_a_request_in_flight_are_refused() {
    let mut p = paginator(PaginatorConfig::default());
    let resp = Response {
        status: 200,
        headers: &[],
        body: b"{}",
    };
    assert!(p
        .handle_response(0, resp, decode_page::<CustomerMonthlyUsageRecord>)
        .is_err());
}

/// A scripted listing's error and the `MS-RequestId` of every request sent.
fn failure_and_sent_ids(config: PaginatorConfig, script: Vec<Scripted>) -> (Error, Vec<String>) {
    let (_, run) = drive(paginator(config), script);
    let err = run.result.unwrap().unwrap_err();
    let ids = run
        .requests
        .iter()
        .map(|r| r.header("MS-RequestId").unwrap().to_string())
        .collect();
    (err, ids)
}

#[test]
fn decode_errors_carry_the_request_id() {
    let no_retries = PaginatorConfig::default().retry(RetryConfig::default().max_retries(0));
    // Malformed JSON, a bad record, a body that isn't a page: the response
    // echoed no id, so the one the request sent.
    for body in [
        r#"{"items": [}"#,
        r#"{"items":[{"id":"b","usdTotalCost":"NaN"}]}"#,
        r#"{"totalCount":0}"#,
    ] {
        let (err, sent) = failure_and_sent_ids(fast_retries(), vec![ok(body)]);
        assert_eq!(err.kind(), "decode", "{body}");
        assert_eq!(err.request_id(), Some(sent[0].as_str()), "{body}");
    }
    // The response's own id when it echoed one.
    let (err, _) = failure_and_sent_ids(
        fast_retries(),
        vec![status(
            200,
            &[("ms-requestid", "srv-decode")],
            r#"{"items": [}"#,
        )],
    );
    assert_eq!(err.request_id(), Some("srv-decode"));
    // On a later page: that page's request.
    let (err, sent) = failure_and_sent_ids(
        fast_retries(),
        vec![
            ok(page(&["a"], Some("customers/usagerecords?p=2"))),
            ok(r#"{"items": [}"#),
        ],
    );
    assert_eq!(sent.len(), 2);
    assert_eq!(err.request_id(), Some(sent[1].as_str()));
    // A body cut short, with retries off, is a decode error too.
    let full = page(&["a"], None);
    let (err, sent) = failure_and_sent_ids(no_retries, vec![ok(&full[..full.len() / 2])]);
    assert_eq!(err.kind(), "decode");
    assert_eq!(err.request_id(), Some(sent[0].as_str()));
}

#[test]
fn network_errors_carry_the_request_id_of_the_request_sent() {
    // Retries off: the network error itself.
    let config = PaginatorConfig::default().retry(RetryConfig::default().max_retries(0));
    let mut p = paginator(config);
    let Action::Send(req) = p.poll(0) else {
        panic!("expected a request")
    };
    let err = p.handle_transport_error(0, "connection reset").unwrap_err();
    assert_eq!(err.kind(), "network");
    assert_eq!(err.request_id(), req.header("MS-RequestId"));
    assert!(err.request_id().is_some());
    assert_eq!(p.error(), Some(&err));
}

#[test]
fn retries_exhausted_carries_the_request_id_whatever_the_last_failure() {
    // Network failures: every retry sends the same id, and the error has it.
    let mut p = paginator(fast_retries());
    let mut now = 0;
    let mut sent = vec![];
    let err = loop {
        match p.poll(now) {
            Action::Send(req) => {
                sent.push(req.header("MS-RequestId").unwrap().to_string());
                if let Err(e) = p.handle_transport_error(now, "connection reset") {
                    break e;
                }
            }
            Action::Wait { until_ms } => now = until_ms,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(err.kind(), "retries-exhausted");
    assert!(
        sent.len() > 1 && sent.iter().all(|id| *id == sent[0]),
        "{sent:?}"
    );
    assert_eq!(err.request_id(), Some(sent[0].as_str()));

    // Bodies cut short, again and again: the same.
    let full = page(&["a"], None);
    let cut = full[..full.len() / 2].to_string();
    let (err, sent) = failure_and_sent_ids(fast_retries(), (0..6).map(|_| ok(&cut)).collect());
    assert_eq!(err.kind(), "retries-exhausted");
    assert_eq!(sent.len(), 6);
    assert_eq!(err.request_id(), Some(sent[0].as_str()));
    let Error::RetriesExhausted { last, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(last.kind(), "decode");

    // ...and the response's id when the last answer echoed one.
    let mut script: Vec<_> = (0..5).map(|_| ok(&cut)).collect();
    script.push(status(200, &[("MS-RequestId", "srv-cut")], &cut));
    let (err, _) = failure_and_sent_ids(fast_retries(), script);
    assert_eq!(err.request_id(), Some("srv-cut"));
}

#[test]
fn every_error_type_is_a_std_error() {
    fn is_std_error<E: std::error::Error + Send + Sync + 'static>() {}
    is_std_error::<partner_usage_core::error::Error>();
    is_std_error::<partner_usage_core::error::HttpError>();
    is_std_error::<partner_usage_core::error::DecodeError>();
    is_std_error::<partner_usage_core::error::PaginationError>();
}
