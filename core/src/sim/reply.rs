//! Responses before faults and standard headers: success pages and the
//! error bodies Partner Center sends.

use super::json::{escape_into, Json};

/// A response a handler produced.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// The request reached a data handler (faults may be injected).
    pub(crate) faultable: bool,
    /// The request continued a utilization listing with a token (the only
    /// listing whose next pages may answer 204 "not ready").
    pub(crate) next_page: bool,
}

impl Reply {
    pub(crate) fn json(status: u16, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body,
            faultable: false,
            next_page: false,
        }
    }

    pub(crate) fn ok(j: Json) -> Reply {
        let mut r = Reply::json(200, j.into_bytes());
        r.faultable = true;
        r
    }

    /// 204 with no body.
    pub(crate) fn no_content() -> Reply {
        let mut r = Reply::json(204, Vec::new());
        r.faultable = true;
        r
    }

    pub(crate) fn with_header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
}

/// An error `code`: Partner Center sends numbers and strings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Code {
    Num(u32),
    Str(&'static str),
}

/// The documented error shape `{code, description, data, source}`.
pub(crate) fn error(status: u16, code: Code, description: &str) -> Reply {
    let mut j = Json::with_capacity(128 + description.len());
    j.begin_obj();
    match code {
        Code::Num(n) => j.knum("code", u64::from(n)),
        Code::Str(s) => j.kstr("code", s),
    }
    j.kstr("description", description);
    j.karr("data");
    j.end_arr();
    j.kstr("source", "PartnerFD");
    j.end_obj();
    Reply::json(status, j.into_bytes())
}

/// The bare ASP.NET shape `{"message": "…"}` that some errors have.
pub(crate) fn message(status: u16, msg: &str) -> Reply {
    let mut s = String::with_capacity(16 + msg.len());
    s.push_str("{\"message\":");
    escape_into(&mut s, msg);
    s.push('}');
    Reply::json(status, s.into_bytes())
}

/// 400 for invalid query input.
pub(crate) fn bad_input(description: &str) -> Reply {
    error(400, Code::Num(2000), description)
}

/// 400 for a continuation token that was not issued by this simulator.
pub(crate) fn bad_token() -> Reply {
    error(
        400,
        Code::Str("InvalidContinuationToken"),
        "The continuation token is invalid or has been tampered with. Send the MS-ContinuationToken value exactly as received.",
    )
}
