//! Wildcard matching as IAM does it: `*` matches any run of characters (including none) and, for
//! `StringMatch`, `?` matches exactly one. Actions match segment by segment (`service:type:action`),
//! so a `*` never crosses a `:`; their comparison ignores case.

/// Matches `text` against `pattern` with `*` (any run) and, if `question_mark`, `?` (one character).
/// Iterative with backtracking to the last `*`: linear in practice, never recursive.
pub(crate) fn wildcard(pattern: &str, text: &str, question_mark: bool, ignore_case: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let same = |a: char, b: char| {
        if ignore_case {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && ((question_mark && p[pi] == '?') || same(p[pi], t[ti])) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether an action pattern from a policy (`ecs:*:get*`, `*`, `*:*:Get*`) covers `action`.
pub(crate) fn action_matches(pattern: &str, action: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let pattern: Vec<&str> = pattern.split(':').collect();
    let action: Vec<&str> = action.split(':').collect();
    pattern.len() == action.len()
        && pattern
            .iter()
            .zip(&action)
            .all(|(p, a)| wildcard(p, a, false, true))
}

/// Whether a resource pattern (`ecs:*:*:instance:<id>`) covers `resource`. Service and type ignore
/// case; region, domain and path compare exactly.
pub(crate) fn resource_matches(pattern: &str, resource: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let pattern: Vec<&str> = pattern.splitn(5, ':').collect();
    let resource: Vec<&str> = resource.splitn(5, ':').collect();
    pattern.len() == 5
        && resource.len() == 5
        && pattern
            .iter()
            .zip(&resource)
            .enumerate()
            .all(|(i, (p, r))| wildcard(p, r, false, i == 0 || i == 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions() {
        let cases = [
            ("ecs:*:*", "ecs:cloudServers:get", true),
            ("ecs:*:get*", "ecs:cloudServers:get", true),
            ("ecs:*:get*", "ecs:cloudServers:showServerPassword", false),
            ("ECS:*:*", "ecs:serverPasswords:manage", true),
            ("*:*:Get*", "ecs:cloudServers:get", true),
            ("*", "ecs:cloudServers:resetServerPwd", true),
            (
                "ecs:cloudServers:*Pwd",
                "ecs:cloudServers:resetServerPwd",
                true,
            ),
            (
                "ecs:cloudServers:*Pwd",
                "ecs:cloudServers:deletePassword",
                false,
            ),
            ("ecs:*", "ecs:cloudServers:get", false),
            ("ecs*:cloudServers:get", "ecs:cloudServers:get", true),
            ("ecs:cloud*:get", "ecs:cloudServers:get", true),
            ("ecs:*:*:*", "ecs:cloudServers:get", false),
            ("identity:*", "ecs:cloudServers:get", false),
        ];
        for (pattern, action, expected) in cases {
            assert_eq!(
                action_matches(pattern, action),
                expected,
                "{pattern} ~ {action}"
            );
        }
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("a*b*c", "aXXbYYc", false, false));
        assert!(!wildcard("a*b*c", "aXXbYY", false, false));
        assert!(wildcard("a?c", "abc", true, false));
        assert!(!wildcard("a?c", "abc", false, false));
        assert!(wildcard("**", "", false, false));
        assert!(!wildcard("", "x", false, false));
    }

    #[test]
    fn resources() {
        assert!(resource_matches(
            "ecs:*:*:instance:abc",
            "ecs:cn-north-4:d1:instance:abc"
        ));
        assert!(resource_matches(
            "ECS:*:*:INSTANCE:*",
            "ecs:cn-north-4:d1:instance:abc"
        ));
        assert!(!resource_matches(
            "ecs:*:*:instance:ABC",
            "ecs:cn-north-4:d1:instance:abc"
        ));
        assert!(!resource_matches(
            "ecs:*:*:instance",
            "ecs:cn-north-4:d1:instance:abc"
        ));
    }
}

/// The wildcard matcher against a naive reference (exponential recursion, fine on short inputs).
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn reference(p: &[char], t: &[char], q: bool) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => {
                reference(&p[1..], t, q) || (!t.is_empty() && reference(p, &t[1..], q))
            }
            (Some(c), Some(d)) if (q && *c == '?') || c == d => reference(&p[1..], &t[1..], q),
            _ => false,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        #[test]
        fn agrees_with_the_reference(pattern in "[ab*?]{0,8}", text in "[ab?*]{0,10}", q in any::<bool>()) {
            let p: Vec<char> = pattern.chars().collect();
            let t: Vec<char> = text.chars().collect();
            prop_assert_eq!(wildcard(&pattern, &text, q, false), reference(&p, &t, q));
        }

        #[test]
        fn actions_agree_segment_by_segment(pattern in "[aB*]{1,3}:[aB*]{1,3}:[aB*]{1,3}", action in "[abAB]{1,3}:[abAB]{1,3}:[abAB]{1,3}") {
            let expected = pattern.split(':').zip(action.split(':')).all(|(p, a)| {
                let p: Vec<char> = p.to_lowercase().chars().collect();
                let a: Vec<char> = a.to_lowercase().chars().collect();
                reference(&p, &a, false)
            });
            prop_assert_eq!(action_matches(&pattern, &action), expected);
        }
    }
}
