"""openstacksdk against the emulator: password sign-in through its Keystone (discovery, catalog,
compute version negotiation), then get and clear a server's password; MFA and application
credential sign-in."""

import unittest

import openstack
from keystoneauth1 import exceptions as ks_exceptions

from _emulator import PROJECT, WIN2048, Emulator, decrypt, sha256, totp

emulator = None


def setUpModule():
    global emulator
    emulator = Emulator()


def tearDownModule():
    emulator.stop()


def connect(**auth):
    return openstack.connection.Connection(
        auth_type=auth.pop("auth_type", "password"),
        auth={"auth_url": emulator.url + "/identity", **auth},
        region_name="demo-1",
        compute_api_version="2",
    )


class PasswordSignIn(unittest.TestCase):
    def setUp(self):
        emulator.reset()

    def test_get_and_clear_the_password(self):
        conn = connect(
            username="admin", password="demo-password-admin", user_domain_name="demo",
            project_name="demo-1", project_domain_name="demo",
        )
        self.assertEqual(conn.current_project_id, PROJECT)
        ciphertext = conn.compute.get_server_password(WIN2048)
        self.assertTrue(ciphertext)
        cli = emulator.cli_get(WIN2048, family="nova")
        self.assertIn(ciphertext, cli.stdout, cli.stderr)
        password = decrypt(ciphertext)
        self.assertEqual(sha256(password), emulator.server_state(WIN2048)["passwordSha256"])
        conn.compute.clear_server_password(WIN2048)
        self.assertEqual(emulator.server_state(WIN2048)["posted"], "cleared")
        self.assertFalse(conn.compute.get_server_password(WIN2048))

    def test_a_wrong_password_is_refused(self):
        conn = connect(
            username="admin", password="wrong", user_domain_name="demo",
            project_name="demo-1", project_domain_name="demo",
        )
        with self.assertRaises(ks_exceptions.Unauthorized):
            conn.session.get_token()

    def test_the_mfa_user_needs_the_totp_code(self):
        secret = emulator.principal("reader")["totpSecret"]
        only_password = connect(
            username="reader", password="demo-password-reader", user_domain_name="demo",
            project_name="demo-1", project_domain_name="demo",
        )
        with self.assertRaises(ks_exceptions.MissingAuthMethods) as refused:
            only_password.session.get_token()
        self.assertEqual(refused.exception.required_auth_methods, [["password", "totp"]])
        conn = connect(
            auth_type="v3multifactor", auth_methods=["v3password", "v3totp"],
            username="reader", password="demo-password-reader", passcode=totp(secret),
            user_domain_name="demo", project_name="demo-1", project_domain_name="demo",
        )
        self.assertTrue(conn.compute.get_server_password(WIN2048))

    def test_application_credential(self):
        app = emulator.principal("admin")["applicationCredentials"][0]
        conn = connect(
            auth_type="v3applicationcredential",
            application_credential_id=app["id"], application_credential_secret=app["secret"],
        )
        self.assertTrue(conn.compute.get_server_password(WIN2048))
        self.assertEqual(conn.compute.get_server(WIN2048).name, "win-2048")


if __name__ == "__main__":
    unittest.main()
