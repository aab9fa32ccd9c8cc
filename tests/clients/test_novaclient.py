"""python-novaclient with a keystoneauth session through the emulator's Keystone: version
discovery and servers.get_password / clear_password."""

import unittest

from keystoneauth1 import session
from keystoneauth1.identity import v3
from novaclient import api_versions, client

from _emulator import WIN2048, Emulator, decrypt, sha256

emulator = None


def setUpModule():
    global emulator
    emulator = Emulator()


def tearDownModule():
    emulator.stop()


def nova(version="2.1"):
    auth = v3.Password(
        auth_url=emulator.url + "/identity", username="admin", password="demo-password-admin",
        user_domain_name="demo", project_name="demo-1", project_domain_name="demo",
    )
    return client.Client(version, session=session.Session(auth=auth), region_name="demo-1")


class NovaClient(unittest.TestCase):
    def setUp(self):
        emulator.reset()

    def test_discover_version_finds_the_servers_range(self):
        nc = nova()
        version = api_versions.discover_version(nc, api_versions.APIVersion("2.latest"))
        self.assertEqual(version.get_string(), "2.96")

    def test_get_password_and_clear_it(self):
        nc = nova()
        ciphertext = nc.servers.get_password(WIN2048)
        self.assertTrue(ciphertext)
        self.assertEqual(sha256(decrypt(ciphertext)), emulator.server_state(WIN2048)["passwordSha256"])
        nc.servers.clear_password(WIN2048)
        self.assertEqual(emulator.server_state(WIN2048)["posted"], "cleared")
        self.assertEqual(nc.servers.get_password(WIN2048), "")

    def test_server_details_at_a_microversion(self):
        server = nova("2.79").servers.get(WIN2048)
        self.assertEqual(server.name, "win-2048")
        self.assertEqual(server.flavor["vcpus"], 2)
        self.assertIn("private", server.addresses)


if __name__ == "__main__":
    unittest.main()
