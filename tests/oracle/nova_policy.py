#!/usr/bin/env python3
"""Differential oracle for ecs-password's Nova policy engine (src/permission/nova/).

Generates policy cases deterministically (seeded) and decides each with the real oslo.policy
``Enforcer`` (PyPI, pinned in tests/oracle/requirements.txt), with Nova's rules registered as Nova
registers them and Nova's ``RequestContext`` modelled as Nova builds it. Writes the cases with
oslo.policy's verdicts to a JSON file that tests/nova_oracle.rs replays against our engine.

    .venv/bin/python tests/oracle/nova_policy.py [--cases N] [--seed S] [--out PATH]

Sources transcribed below (openstack/nova, at the tags named):
  * nova/policies/base.py, nova/policies/server_password.py: the rules and their deprecations
    (20.0.0 for Legacy, 27.0.0 for 2023.1, 33.0.0 for 2025.2 and later);
  * nova/policy.py: IsAdminCheck, check_is_admin, default_target;
  * nova/context.py: to_policy_values adds is_admin; is_admin computed when the context is built;
    is_user_context;
  * nova/db/main/api.py: model_query(project_only=True), the lookup before the policy check;
  * keystone/cmd/bootstrap.py: implied roles admin => manager => member => reader.
"""

import argparse
import json
import logging
import os
import random
import sys
import tempfile
import warnings

import yaml
from oslo_config import cfg
from oslo_context import context as oslo_context
from oslo_policy import policy

warnings.simplefilter('ignore')

HOME = 'p-home'
AWAY = 'p-away'
USER = 'u-1'

# --- Nova's rules, as Nova registers them -----------------------------------------------------

RULE_ADMIN_OR_OWNER = 'rule:admin_or_owner'
RULE_ADMIN_API = 'rule:admin_api'
DEPRECATED_ADMIN_POLICY = policy.DeprecatedRule(
    name=RULE_ADMIN_API, check_str='is_admin:True',
    deprecated_reason='x', deprecated_since='21.0.0')
DEPRECATED_ADMIN_OR_OWNER_POLICY = policy.DeprecatedRule(
    name=RULE_ADMIN_OR_OWNER, check_str='is_admin:True or project_id:%(project_id)s',
    deprecated_reason='x', deprecated_since='21.0.0')
DEPRECATED_SERVER_PASSWORD = policy.DeprecatedRule(
    'os_compute_api:os-server-password', RULE_ADMIN_OR_OWNER,
    deprecated_reason='x', deprecated_since='21.0.0')
OPS = [{'method': 'GET', 'path': '/servers/{server_id}/os-server-password'}]


def nova_rules(release):
    """The RuleDefaults `release` registers (base rules and the password rules)."""
    if release == 'legacy':  # Nova 20.0.0
        return [
            policy.RuleDefault('context_is_admin', 'role:admin'),
            policy.RuleDefault('admin_or_owner', 'is_admin:True or project_id:%(project_id)s'),
            policy.RuleDefault('admin_api', 'is_admin:True'),
            policy.DocumentedRuleDefault(
                'os_compute_api:os-server-password', RULE_ADMIN_OR_OWNER, 'x', OPS),
        ]
    manager = release == '2025.2'
    rules = [
        policy.RuleDefault('context_is_admin', 'role:admin',
                           deprecated_rule=DEPRECATED_ADMIN_POLICY),
        policy.RuleDefault('admin_or_owner', 'is_admin:True or project_id:%(project_id)s',
                           deprecated_for_removal=True, deprecated_reason='x',
                           deprecated_since='21.0.0'),
        policy.RuleDefault('admin_api', 'is_admin:True', deprecated_for_removal=True,
                           deprecated_reason='x', deprecated_since='21.0.0'),
    ]
    if manager:
        rules.append(policy.RuleDefault(
            'project_manager_api', 'role:manager and project_id:%(project_id)s',
            deprecated_rule=DEPRECATED_ADMIN_POLICY))
    rules += [
        policy.RuleDefault('project_member_api', 'role:member and project_id:%(project_id)s',
                           deprecated_rule=DEPRECATED_ADMIN_OR_OWNER_POLICY),
        policy.RuleDefault('project_reader_api', 'role:reader and project_id:%(project_id)s',
                           deprecated_rule=DEPRECATED_ADMIN_OR_OWNER_POLICY),
    ]
    if manager:
        rules += [
            policy.RuleDefault('service_api', 'role:service',
                               deprecated_rule=DEPRECATED_ADMIN_POLICY),
            policy.RuleDefault('project_manager_or_admin',
                               'rule:project_manager_api or rule:context_is_admin',
                               deprecated_rule=DEPRECATED_ADMIN_POLICY),
        ]
    rules += [
        policy.RuleDefault('project_member_or_admin',
                           'rule:project_member_api or rule:context_is_admin',
                           deprecated_rule=DEPRECATED_ADMIN_OR_OWNER_POLICY),
        policy.RuleDefault('project_reader_or_admin',
                           'rule:project_reader_api or rule:context_is_admin',
                           deprecated_rule=DEPRECATED_ADMIN_OR_OWNER_POLICY),
    ]
    if manager:
        rules.append(policy.RuleDefault('service_or_admin',
                                        'rule:service_api or rule:context_is_admin',
                                        deprecated_rule=DEPRECATED_ADMIN_POLICY))
    rules += [
        policy.DocumentedRuleDefault(
            name='os_compute_api:os-server-password:show',
            check_str='rule:project_reader_or_admin', description='x', operations=OPS,
            scope_types=['project'], deprecated_rule=DEPRECATED_SERVER_PASSWORD),
        policy.DocumentedRuleDefault(
            name='os_compute_api:os-server-password:clear',
            check_str='rule:project_member_or_admin', description='x', operations=OPS,
            scope_types=['project'], deprecated_rule=DEPRECATED_SERVER_PASSWORD),
    ]
    return rules


def password_rule(release, operation):
    if release == 'legacy':
        return 'os_compute_api:os-server-password'
    return 'os_compute_api:os-server-password:' + operation


# Nova builds its RuleDefaults when nova.policy imports nova.policies, before the IsAdminCheck
# class below is registered, so its own `is_admin:True` checks are parsed as generic checks
# (oslo_policy.policy._BaseRule parses at construction), while an operator's file, loaded later,
# gets IsAdminCheck. Build them in the same order.
NOVA_RULES = {release: nova_rules(release) for release in ('legacy', '2023.1', '2025.2')}


@policy.register('is_admin')
class IsAdminCheck(policy.Check):
    """nova/policy.py, verbatim."""

    def __init__(self, kind, match):
        self.expected = (match.lower() == 'true')
        super(IsAdminCheck, self).__init__(kind, str(self.expected))

    def __call__(self, target, creds, enforcer):
        return creds['is_admin'] == self.expected


class NovaContext(oslo_context.RequestContext):
    """The parts of nova/context.py RequestContext that policy sees."""

    def __init__(self, enforcer, **kwargs):
        super().__init__(is_admin=None, **kwargs)
        # nova.policy.check_is_admin: context_is_admin against default_target(context).
        self.is_admin = enforcer.authorize(
            'context_is_admin', {'project_id': self.project_id, 'user_id': self.user_id}, self)

    def to_policy_values(self):
        values = super().to_policy_values()
        values['is_admin'] = self.is_admin
        return values


def is_user_context(ctx):
    """nova/context.py is_user_context."""
    if ctx.is_admin:
        return False
    if not ctx.user_id or not ctx.project_id:
        return False
    return True


IMPLIED = {'admin': 'manager', 'manager': 'member', 'member': 'reader'}


def token_roles(assigned):
    """Keystone's implied roles (keystone/cmd/bootstrap.py), by lowercase name."""
    out = []
    for role in assigned:
        if role.lower() not in [o.lower() for o in out]:
            out.append(role)
    i = 0
    while i < len(out):
        implied = IMPLIED.get(out[i].lower())
        if implied and implied not in [o.lower() for o in out]:
            out.append(implied)
        i += 1
    return out


# --- Case generation ---------------------------------------------------------------------------

ROLES = ['admin', 'manager', 'member', 'reader', 'service', 'observer', 'Admin', 'MEMBER',
         'cloud_admin']
BASE_REFS = ['context_is_admin', 'admin_or_owner', 'admin_api', 'project_manager_api',
             'project_member_api', 'project_reader_api', 'service_api',
             'project_manager_or_admin', 'project_member_or_admin', 'project_reader_or_admin',
             'service_or_admin', 'custom_a', 'custom_b', 'undefined_x',
             'os_compute_api:os-server-password:show', 'os_compute_api:os-server-password']
ATOMS = [
    'role:admin', 'role:member', 'role:reader', 'role:manager', 'role:service',
    'role:cloud_admin', 'role:ADMIN', 'role:Member', 'role:observer', 'role:%(project_id)s',
    'project_id:%(project_id)s', 'user_id:%(user_id)s', 'project_id:' + HOME,
    'project_id:' + AWAY, "'" + HOME + "':%(project_id)s", '"' + AWAY + '":%(project_id)s',
    'is_admin:True', 'is_admin:False', 'is_admin:true', 'is_admin:yes', 'is_admin:%(x)s',
    'is_admin_project:True', 'is_admin_project:False', 'system_scope:all', 'system:all',
    'domain_id:None', 'project_id:None', 'user_id:' + USER, 'roles:member', 'roles:Member',
    'roles:admin', 'service_roles:service', 'None:%(project_id)s', 'True:True',
    '42:42', 'Role:admin', 'project_id:%(missing)s', 'domain_id:%(project_id)s',
    'user_domain_id:None', 'project_id:%%', '@', '!',
]
OVERRIDE_NAMES = [
    'os_compute_api:os-server-password:show', 'os_compute_api:os-server-password:clear',
    'os_compute_api:os-server-password', 'context_is_admin', 'project_reader_api',
    'project_member_api', 'project_manager_api', 'project_reader_or_admin',
    'project_member_or_admin', 'project_manager_or_admin', 'service_api', 'service_or_admin',
    'admin_api', 'admin_or_owner', 'rule:admin_or_owner', 'rule:admin_api', 'default',
    'custom_a', 'custom_b',
]


def keyword(rng, word):
    return rng.choice([word, word, word, word.upper(), word.capitalize()])


def atom(rng):
    if rng.random() < 0.3:
        return 'rule:' + rng.choice(BASE_REFS)
    return rng.choice(ATOMS)


def expr(rng, depth=0):
    r = rng.random()
    if depth >= 3 or r < 0.35:
        return atom(rng)
    if r < 0.5:
        return keyword(rng, 'not') + ' ' + wrap(rng, expr(rng, depth + 1))
    op = keyword(rng, rng.choice(['and', 'or']))
    items = [expr(rng, depth + 1) for _ in range(rng.randint(2, 3))]
    return (' ' + op + ' ').join(wrap(rng, i) if rng.random() < 0.5 else i for i in items)


def wrap(rng, text):
    return '(' + text + ')' if ' ' in text or rng.random() < 0.2 else text


# Rules oslo.policy cannot parse: it logs "Failed to understand rule" and denies everyone; our
# engine must refuse the file instead.
UNPARSEABLE = ['admin', 'role:a or', '(role:a', 'role:a role:b', "'quoted'", 'role:a and not',
               'role:a)', 'rule:x and', '   ']


def rule_value(rng):
    r = rng.random()
    if r < 0.015:
        return rng.choice(UNPARSEABLE)
    if r < 0.05:
        return ''
    if r < 0.08:
        return None
    if r < 0.11:
        return []
    if r < 0.25:  # the list-of-lists form: each string one check
        return [rng.choice([atom(rng), [atom(rng) for _ in range(rng.randint(1, 3))]])
                for _ in range(rng.randint(1, 3))]
    return expr(rng)


def effective_cycle(enforcer):
    """A rule: cycle among the rules in effect (following undefined names to `default`, as
    oslo.policy's Rules.__missing__ does), which would make oslo.policy recurse without end."""
    from oslo_policy import _checks
    rules = enforcer.rules

    def target(name):
        if name in rules:
            return name
        return 'default' if 'default' in rules else None

    def refs(check):
        if isinstance(check, _checks.RuleCheck):
            t = target(check.match)
            return [t] if t else []
        if isinstance(check, _checks.NotCheck):
            return refs(check.rule)
        out = []
        for inner in getattr(check, 'rules', []):
            out += refs(inner)
        return out

    state = {}

    def visit(name):
        if state.get(name) == 1:
            return True
        if state.get(name) == 2:
            return False
        state[name] = 1
        if any(visit(r) for r in refs(rules[name])):
            return True
        state[name] = 2
        return False

    return any(visit(n) for n in list(rules))


def render_file(rng, rules):
    form = rng.choice(['yaml', 'yaml', 'json', 'plain'])
    if not rules and rng.random() < 0.5:
        return '', form
    if form == 'json':
        return json.dumps(rules, indent=rng.choice([None, 2])), form
    if form == 'yaml':
        return yaml.safe_dump(rules, default_flow_style=rng.choice([False, None]),
                              allow_unicode=True), form
    lines = []
    for name, value in rules.items():
        plain = '%s: %s' % (name, value) if isinstance(value, str) else None
        try:
            ok = plain is not None and yaml.safe_load(plain) == {name: value}
        except yaml.YAMLError:
            ok = False
        if ok:
            lines.append(plain + (' # note' if rng.random() < 0.2 else ''))
        else:
            lines.append(yaml.safe_dump({name: value}, default_flow_style=False).rstrip('\n'))
    return '\n'.join(lines) + '\n', form


def gen_case(rng, index):
    release = rng.choice(['legacy', '2023.1', '2025.2', '2025.2'])
    enforce_new = rng.random() < 0.75
    rules = {}
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        rules[rng.choice(OVERRIDE_NAMES)] = rule_value(rng)
    text, form = render_file(rng, rules)
    roles = rng.sample(ROLES, rng.choice([0, 1, 1, 1, 2, 2, 3]))
    scope = rng.random()
    project, system_scope, domain_id = rng.choice([HOME, HOME, AWAY]), None, None
    if scope < 0.08:
        project = None
    elif scope < 0.13:
        project, system_scope = None, 'all'
    elif scope < 0.17:
        project, domain_id = None, 'default'
    return {
        'id': index,
        'release': release,
        'enforceNewDefaults': enforce_new,
        'form': form,
        'file': text,
        'operation': rng.choice(['show', 'clear']),
        'roles': roles,
        'projectId': project,
        'userId': USER,
        'systemScope': system_scope,
        'domainId': domain_id,
        'serverProject': rng.choice([HOME, AWAY]),
    }


# --- Evaluation by oslo.policy -----------------------------------------------------------------

class ParseFailures(logging.Handler):
    """Counts oslo.policy's "Failed to understand rule" / "No handler" (it then denies)."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def emit(self, record):
        message = record.getMessage()
        if 'Failed to understand rule' in message or 'No handler' in message:
            self.count += 1


FAILURES = ParseFailures()
logging.getLogger('oslo_policy').addHandler(FAILURES)
logging.getLogger('oslo_policy').setLevel(logging.INFO)
logging.getLogger('oslo_policy').propagate = False

CONFS = {}
REGISTERED = {}


def registered_for(release):
    """Nova's rules registered once per release (register_default deep-copies each); the
    RuleDefaults are not changed by loading, so every case's Enforcer can share them."""
    if release not in REGISTERED:
        enforcer = policy.Enforcer(conf_for(True))
        enforcer.register_defaults(NOVA_RULES[release])
        REGISTERED[release] = enforcer.registered_rules
    return REGISTERED[release]


def conf_for(enforce_new):
    if enforce_new not in CONFS:
        conf = cfg.ConfigOpts()
        conf([], project='nova-oracle')
        policy.Enforcer(conf)  # registers the [oslo_policy] options
        conf.set_override('enforce_new_defaults', enforce_new, group='oslo_policy')
        CONFS[enforce_new] = conf
    return CONFS[enforce_new]


def decide(case, workdir):
    path = os.path.join(workdir, 'policy-%d.yaml' % case['id'])
    with open(path, 'w', encoding='utf-8') as f:
        f.write(case['file'])
    before = FAILURES.count
    result = {'policy': None, 'isAdmin': None, 'found': None, 'error': None,
              'osloParseFailed': False}
    try:
        enforcer = policy.Enforcer(conf_for(case['enforceNewDefaults']), policy_file=path)
        enforcer.suppress_default_change_warnings = True
        enforcer.suppress_deprecation_warnings = True
        enforcer.registered_rules = dict(registered_for(case['release']))
        enforcer.load_rules()
        if effective_cycle(enforcer):
            os.unlink(path)
            return None
        ctx = NovaContext(
            enforcer,
            user_id=case['userId'],
            project_id=case['projectId'],
            system_scope=case['systemScope'],
            domain_id=case['domainId'],
            roles=token_roles(case['roles']),
        )
        rule = password_rule(case['release'], case['operation'])
        if case['release'] == 'legacy':
            target = {'project_id': ctx.project_id, 'user_id': ctx.user_id}  # default_target
        else:
            target = {'project_id': case['serverProject']}
        result['isAdmin'] = bool(ctx.is_admin)
        # The lookup (get_instance) comes before context.can().
        result['found'] = not is_user_context(ctx) or ctx.project_id == case['serverProject']
        result['policy'] = bool(enforcer.authorize(rule, target, ctx, do_raise=False))
    except RecursionError:
        result['error'] = 'RecursionError'
    except Exception as e:  # noqa: BLE001 - any crash of oslo.policy is an outcome to compare
        result['error'] = type(e).__name__ + ': ' + str(e)[:200]
    result['osloParseFailed'] = FAILURES.count > before
    os.unlink(path)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--cases', type=int, default=6000)
    parser.add_argument('--seed', type=int, default=20261201)
    parser.add_argument('--out', default='target/nova-oracle/cases.json')
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = []
    with tempfile.TemporaryDirectory() as workdir:
        for index in range(args.cases):
            for _ in range(100):  # regenerate the (few) cases whose rules form a cycle
                case = gen_case(rng, index)
                case['expected'] = decide(case, workdir)
                if case['expected'] is not None:
                    break
            else:
                raise SystemExit('could not generate a case without a rule: cycle')
            cases.append(case)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w', encoding='utf-8') as f:
        json.dump({'osloPolicy': _version(), 'seed': args.seed,
                   'cases': cases}, f, indent=1)
    allowed = sum(1 for c in cases if c['expected']['policy'])
    errors = sum(1 for c in cases if c['expected']['error'])
    failed = sum(1 for c in cases if c['expected']['osloParseFailed'])
    print('nova oracle: %d cases (%d allowed by the rule, %d oslo.policy errors, %d with rules '
          'oslo.policy could not parse) -> %s' % (len(cases), allowed, errors, failed, args.out))


def _version():
    from importlib.metadata import version
    return version('oslo.policy')


if __name__ == '__main__':
    sys.exit(main())
