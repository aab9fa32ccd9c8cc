//! The sign-in conversation as a sans-IO state machine, so that the CLI (blocking) and the page
//! (`fetch`) take the same steps: send the token request; answer an MFA receipt with a TOTP
//! code; for a token without a project, list the user's projects and take a token for the one
//! chosen (the only one, or the user's pick).
//!
//! The driver sends each [`HttpRequest`] it is given and feeds the answer to
//! [`SignInFlow::after`]; a [`Step`] says what comes next. Every step is one request or one
//! question to the user: nothing here waits or retries.

use super::keystone::{
    build_list_projects, build_token_request, parse_projects, parse_token, Factor, Project, Scope,
    SignInAnswer, SignedIn, UserRef,
};
use super::Secret;
use crate::api::http::{HttpRequest, HttpResponse};
use crate::api::request::Endpoint;
use crate::api::response::clean;
use crate::error::{Error, ErrorCode, Result};
use crate::message::Message;

/// What the driver does next.
#[derive(Debug)]
pub enum Step {
    /// Send this request and give its answer to [`SignInFlow::after`].
    Send(Box<HttpRequest>),
    /// The identity service wants the code of the user's MFA device: get it from the user and
    /// call [`SignInFlow::passcode`].
    NeedPasscode,
    /// The token has no project and the user has several: show them, and call
    /// [`SignInFlow::choose_project`] with the one picked (only enabled projects are listed).
    ChooseProject(Vec<Project>),
    /// Signed in.
    Done(Box<SignedIn>),
}

#[derive(Debug)]
enum State {
    /// The first token request, or the one after a receipt, is on its way.
    AwaitToken,
    /// A receipt came back: a TOTP code is wanted.
    AwaitPasscode { receipt: String },
    /// An unscoped token; the project list is on its way.
    AwaitProjects { token: Secret },
    /// Several projects: the user's pick is wanted.
    AwaitChoice {
        token: Secret,
        projects: Vec<Project>,
    },
    /// The token for the chosen project is on its way.
    AwaitScoped,
    /// Done or failed: nothing more is expected.
    Finished,
}

/// One sign-in, from the first request to a token with a project (or without one, where a
/// scope other than the user's default was asked for).
#[derive(Debug)]
pub struct SignInFlow {
    auth_url: Endpoint,
    scope: Scope,
    /// Who answers an MFA receipt (the user of the password factor).
    user: Option<UserRef>,
    state: State,
}

impl SignInFlow {
    /// Starts signing in with `factors` for `scope`. `receipt` continues an earlier attempt
    /// whose answer asked for more factors (the driver kept it, e.g. across a page's prompt).
    /// Returns the flow and the first request to send.
    pub fn start(
        auth_url: Endpoint,
        factors: &[Factor],
        scope: Scope,
        receipt: Option<&str>,
    ) -> Result<(SignInFlow, HttpRequest)> {
        let request = build_token_request(&auth_url, factors, &scope, receipt)?;
        let user = factors.iter().find_map(|f| match f {
            Factor::Password { user, .. } | Factor::Totp { user, .. } => Some(user.clone()),
            _ => None,
        });
        Ok((
            SignInFlow {
                auth_url,
                scope,
                user,
                state: State::AwaitToken,
            },
            request,
        ))
    }

    /// The receipt of an answer that asked for a TOTP code, for a driver that must start a new
    /// flow later (a page between two clicks); `None` in every other state.
    pub fn receipt(&self) -> Option<&str> {
        match &self.state {
            State::AwaitPasscode { receipt } => Some(receipt),
            _ => None,
        }
    }

    /// The unscoped token while a project is to be chosen ([`Step::ChooseProject`]), for a
    /// driver that lets the user choose later (a page between two clicks) and then scopes it
    /// itself with [`Factor::Token`]; `None` in every other state.
    pub fn unscoped_token(&self) -> Option<&Secret> {
        match &self.state {
            State::AwaitChoice { token, .. } => Some(token),
            _ => None,
        }
    }

    /// Reads the answer to the last request sent.
    pub fn after(&mut self, response: &HttpResponse) -> Result<Step> {
        let state = core::mem::replace(&mut self.state, State::Finished);
        match state {
            State::AwaitToken => match parse_token(response)? {
                SignInAnswer::MoreFactorsNeeded { receipt, required } => {
                    if !required.iter().flatten().any(|m| m == "totp") {
                        return Err(unsupported_methods(&required));
                    }
                    self.state = State::AwaitPasscode { receipt };
                    Ok(Step::NeedPasscode)
                }
                SignInAnswer::SignedIn(token) => {
                    if token.project.is_some() || !matches!(self.scope, Scope::Default) {
                        return Ok(Step::Done(token));
                    }
                    let request = build_list_projects(&self.auth_url, &token.token);
                    self.state = State::AwaitProjects { token: token.token };
                    Ok(Step::Send(Box::new(request)))
                }
            },
            State::AwaitProjects { token } => {
                let projects: Vec<Project> = parse_projects(response)?
                    .into_iter()
                    .filter(|p| p.enabled)
                    .collect();
                match projects.as_slice() {
                    [] => Err(Error::new(
                        ErrorCode::ProjectNotFound,
                        Message::new("signin-no-project"),
                    )),
                    [one] => {
                        let id = one.id.clone();
                        self.rescope(token, &id)
                    }
                    _ => {
                        self.state = State::AwaitChoice {
                            token,
                            projects: projects.clone(),
                        };
                        Ok(Step::ChooseProject(projects))
                    }
                }
            }
            State::AwaitScoped => match parse_token(response)? {
                SignInAnswer::SignedIn(token) => Ok(Step::Done(token)),
                SignInAnswer::MoreFactorsNeeded { required, .. } => {
                    Err(unsupported_methods(&required))
                }
            },
            State::AwaitPasscode { .. } | State::AwaitChoice { .. } | State::Finished => {
                Err(out_of_order())
            }
        }
    }

    /// The user's TOTP code, after [`Step::NeedPasscode`]: the request that sends it with the
    /// receipt.
    pub fn passcode(&mut self, passcode: Secret) -> Result<HttpRequest> {
        let state = core::mem::replace(&mut self.state, State::Finished);
        let State::AwaitPasscode { receipt } = state else {
            return Err(out_of_order());
        };
        let Some(user) = self.user.clone() else {
            return Err(Error::new(
                ErrorCode::MfaRequired,
                Message::new("signin-mfa-no-user"),
            ));
        };
        let request = build_token_request(
            &self.auth_url,
            &[Factor::Totp { user, passcode }],
            &self.scope,
            Some(&receipt),
        )?;
        self.state = State::AwaitToken;
        Ok(request)
    }

    /// The project picked after [`Step::ChooseProject`], by id: the request for a token
    /// scoped to it.
    pub fn choose_project(&mut self, id: &str) -> Result<HttpRequest> {
        let state = core::mem::replace(&mut self.state, State::Finished);
        let State::AwaitChoice { token, projects } = state else {
            return Err(out_of_order());
        };
        if !projects.iter().any(|p| p.id == id) {
            let id = clean(id.to_owned());
            let listed: Vec<&str> = projects.iter().take(20).map(|p| p.name.as_str()).collect();
            let listed = listed.join(", ");
            self.state = State::AwaitChoice { token, projects };
            return Err(Error::new(
                ErrorCode::ProjectNotFound,
                Message::new("signin-project-not-listed")
                    .with("id", id)
                    .with("listed", listed),
            ));
        }
        match self.rescope(token, id)? {
            Step::Send(request) => Ok(*request),
            _ => Err(out_of_order()),
        }
    }

    /// A token request for project `id`, made with `token` (the token method carries the
    /// factors already proved, so MFA is not asked again).
    fn rescope(&mut self, token: Secret, id: &str) -> Result<Step> {
        let request = build_token_request(
            &self.auth_url,
            &[Factor::Token(token)],
            &Scope::ProjectId(id.to_owned()),
            None,
        )?;
        self.state = State::AwaitScoped;
        Ok(Step::Send(Box::new(request)))
    }
}

fn unsupported_methods(required: &[Vec<String>]) -> Error {
    let listed: Vec<String> = required.iter().map(|set| clean(set.join(" + "))).collect();
    let listed = listed.join("; ");
    Error::new(
        ErrorCode::MfaRequired,
        Message::new("signin-methods-unsupported").with("listed", listed),
    )
}

fn out_of_order() -> Error {
    Error::new(ErrorCode::AuthFailed, Message::new("signin-out-of-order"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signin::keystone::Name;

    fn auth_url() -> Endpoint {
        Endpoint::parse("https://keystone.example.com/v3").unwrap()
    }

    fn user() -> UserRef {
        UserRef::Name {
            name: "reader".into(),
            domain: Name::Name("demo".into()),
        }
    }

    fn password() -> Vec<Factor> {
        vec![Factor::Password {
            user: user(),
            password: Secret::new("pw"),
        }]
    }

    fn answer(status: u16, headers: &[(&str, &str)], body: serde_json::Value) -> HttpResponse {
        crate::signin::keystone::tests::answer(status, headers, &body.to_string())
    }

    fn token(id: &str, project: Option<(&str, &str)>) -> HttpResponse {
        let mut t = serde_json::json!({
            "expires_at": "2030-01-01T00:00:00.000000Z",
            "methods": ["password"],
            "user": {"id": "u1", "name": "reader", "domain": {"id": "d1", "name": "demo"}},
            "roles": [{"id": "r", "name": "reader"}],
        });
        if let Some((id, name)) = project {
            t["project"] = serde_json::json!({"id": id, "name": name, "domain": {"id": "d1"}});
        }
        answer(
            201,
            &[("X-Subject-Token", id)],
            serde_json::json!({ "token": t }),
        )
    }

    fn projects(list: &[(&str, &str, bool)]) -> HttpResponse {
        let list: Vec<_> = list
            .iter()
            .map(|(id, name, enabled)| serde_json::json!({"id": id, "name": name, "enabled": enabled, "domain_id": "d1"}))
            .collect();
        answer(200, &[], serde_json::json!({ "projects": list }))
    }

    fn body(request: &HttpRequest) -> serde_json::Value {
        serde_json::from_slice(&request.body).unwrap()
    }

    #[test]
    fn a_scoped_token_is_done_at_once() {
        let (mut flow, first) =
            SignInFlow::start(auth_url(), &password(), Scope::Default, None).unwrap();
        assert_eq!(
            first.url.as_str(),
            "https://keystone.example.com/v3/auth/tokens"
        );
        match flow.after(&token("t1", Some(("p1", "demo-1")))).unwrap() {
            Step::Done(t) => {
                assert_eq!(t.token.expose(), "t1");
                assert_eq!(t.project.unwrap().id, "p1");
            }
            other => panic!("{other:?}"),
        }
        // Nothing more is expected.
        assert_eq!(
            flow.after(&token("t2", None)).unwrap_err().code(),
            ErrorCode::AuthFailed
        );
    }

    #[test]
    fn a_receipt_asks_for_the_code_which_goes_with_the_receipt() {
        let (mut flow, _) =
            SignInFlow::start(auth_url(), &password(), Scope::Default, None).unwrap();
        let receipt = answer(
            401,
            &[("Openstack-Auth-Receipt", "rcpt")],
            serde_json::json!({"required_auth_methods": [["password", "totp"]]}),
        );
        assert!(matches!(flow.after(&receipt).unwrap(), Step::NeedPasscode));
        assert_eq!(flow.receipt(), Some("rcpt"));
        let second = flow.passcode(Secret::new("123456")).unwrap();
        assert_eq!(second.header("Openstack-Auth-Receipt"), Some("rcpt"));
        let sent = body(&second);
        assert_eq!(
            sent["auth"]["identity"]["methods"],
            serde_json::json!(["totp"])
        );
        assert_eq!(
            sent["auth"]["identity"]["totp"]["user"],
            serde_json::json!({"name": "reader", "domain": {"name": "demo"}, "passcode": "123456"})
        );
        assert!(matches!(
            flow.after(&token("t", Some(("p1", "demo-1")))).unwrap(),
            Step::Done(_)
        ));
    }

    #[test]
    fn methods_other_than_totp_are_named() {
        let (mut flow, _) =
            SignInFlow::start(auth_url(), &password(), Scope::Default, None).unwrap();
        let receipt = answer(
            401,
            &[("Openstack-Auth-Receipt", "rcpt")],
            serde_json::json!({"required_auth_methods": [["password", "mapped"]]}),
        );
        let e = flow.after(&receipt).unwrap_err();
        assert_eq!(e.code(), ErrorCode::MfaRequired);
        assert!(e.english().contains("password + mapped"), "{}", e.english());
    }

    #[test]
    fn an_unscoped_token_with_one_project_is_rescoped_to_it() {
        let (mut flow, _) =
            SignInFlow::start(auth_url(), &password(), Scope::Default, None).unwrap();
        let Step::Send(list) = flow.after(&token("unscoped", None)).unwrap() else {
            panic!("expected the project list")
        };
        assert_eq!(
            list.url.as_str(),
            "https://keystone.example.com/v3/auth/projects"
        );
        assert_eq!(list.header("X-Auth-Token"), Some("unscoped"));
        let Step::Send(rescope) = flow
            .after(&projects(&[("p1", "demo-1", true), ("p0", "off", false)]))
            .unwrap()
        else {
            panic!("expected the scoped token request")
        };
        let sent = body(&rescope);
        assert_eq!(sent["auth"]["identity"]["token"]["id"], "unscoped");
        assert_eq!(sent["auth"]["scope"]["project"]["id"], "p1");
        assert!(matches!(
            flow.after(&token("scoped", Some(("p1", "demo-1"))))
                .unwrap(),
            Step::Done(_)
        ));
    }

    #[test]
    fn several_projects_are_offered_and_only_those_can_be_picked() {
        let (mut flow, _) =
            SignInFlow::start(auth_url(), &password(), Scope::Default, None).unwrap();
        flow.after(&token("unscoped", None)).unwrap();
        let Step::ChooseProject(list) = flow
            .after(&projects(&[("p1", "demo-1", true), ("p2", "demo-2", true)]))
            .unwrap()
        else {
            panic!("expected a choice")
        };
        assert_eq!(list.len(), 2);
        let e = flow.choose_project("p9").unwrap_err();
        assert_eq!(e.code(), ErrorCode::ProjectNotFound);
        assert!(e.english().contains("demo-1, demo-2"), "{}", e.english());
        // The refusal keeps the choice open.
        let request = flow.choose_project("p2").unwrap();
        assert_eq!(body(&request)["auth"]["scope"]["project"]["id"], "p2");
    }

    #[test]
    fn no_project_at_all_is_project_not_found() {
        let (mut flow, _) =
            SignInFlow::start(auth_url(), &password(), Scope::Default, None).unwrap();
        flow.after(&token("unscoped", None)).unwrap();
        let e = flow.after(&projects(&[("p0", "off", false)])).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ProjectNotFound);
    }

    #[test]
    fn a_named_scope_is_not_second_guessed() {
        let (mut flow, _) = SignInFlow::start(
            auth_url(),
            &password(),
            Scope::Domain(Name::Id("d1".into())),
            None,
        )
        .unwrap();
        assert!(matches!(
            flow.after(&token("domain-token", None)).unwrap(),
            Step::Done(_)
        ));
    }

    #[test]
    fn an_application_credential_cannot_answer_a_receipt() {
        let factors = [Factor::ApplicationCredential {
            credential: crate::signin::AppCredential::Id("a".into()),
            secret: Secret::new("s"),
        }];
        let (mut flow, _) = SignInFlow::start(auth_url(), &factors, Scope::Default, None).unwrap();
        let receipt = answer(
            401,
            &[("Openstack-Auth-Receipt", "rcpt")],
            serde_json::json!({"required_auth_methods": [["application_credential", "totp"]]}),
        );
        assert!(matches!(flow.after(&receipt).unwrap(), Step::NeedPasscode));
        assert_eq!(
            flow.passcode(Secret::new("1")).unwrap_err().code(),
            ErrorCode::MfaRequired
        );
    }

    #[test]
    fn errors_of_the_identity_service_pass_through() {
        let (mut flow, _) =
            SignInFlow::start(auth_url(), &password(), Scope::Default, None).unwrap();
        let e = flow
            .after(&answer(
                401,
                &[],
                serde_json::json!({"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}),
            ))
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::AuthFailed);
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        let (mut flow, _) =
            SignInFlow::start(auth_url(), &password(), Scope::Default, None).unwrap();
        assert_eq!(
            flow.passcode(Secret::new("1")).unwrap_err().code(),
            ErrorCode::AuthFailed
        );
        let (mut flow, _) =
            SignInFlow::start(auth_url(), &password(), Scope::Default, None).unwrap();
        assert_eq!(
            flow.choose_project("p").unwrap_err().code(),
            ErrorCode::AuthFailed
        );
    }
}
