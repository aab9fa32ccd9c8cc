"""Huawei Cloud's Python SDK (huaweicloudsdkecs v2) against the emulator's ECS v1 APIs, signed
with AK/SK and with temporary AK/SK + security token; the project id looked up from IAM."""

import unittest

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.region.region import Region
from huaweicloudsdkecs.v2 import (
    DeleteServerPasswordRequest, EcsClient, ListServersDetailsRequest, ResetServerPasswordOption,
    ResetServerPasswordRequest, ResetServerPasswordRequestBody, ShowResetPasswordFlagRequest,
    ShowServerPasswordRequest, ShowServerRequest,
)

from _emulator import LINUX, PROJECT, WIN2048, Emulator, decrypt, sha256

emulator = None


def setUpModule():
    global emulator
    emulator = Emulator()


def tearDownModule():
    emulator.stop()


def ecs(credentials):
    return (
        EcsClient.new_builder()
        .with_credentials(credentials)
        .with_region(Region("demo-1", emulator.url))
        .build()
    )


def admin_keys():
    p = emulator.principal("admin")
    return BasicCredentials(p["accessKey"], p["secretKey"], PROJECT)


def temporary_keys(token=None):
    t = emulator.principal("admin")["temporaryCredentials"][0]
    credentials = BasicCredentials(t["accessKey"], t["secretKey"]).with_iam_endpoint(emulator.url)
    return credentials.with_security_token(token if token is not None else t["securityToken"])


class HuaweiSdk(unittest.TestCase):
    def setUp(self):
        emulator.reset()

    def check_password_operations(self, client):
        ciphertext = client.show_server_password(ShowServerPasswordRequest(server_id=WIN2048)).password
        self.assertEqual(sha256(decrypt(ciphertext)), emulator.server_state(WIN2048)["passwordSha256"])
        cli = emulator.cli_get(WIN2048)
        self.assertIn(ciphertext, cli.stdout, cli.stderr)
        flag = client.show_reset_password_flag(ShowResetPasswordFlagRequest(server_id=WIN2048))
        self.assertEqual(flag.resetpwd_flag, "True")
        new_password = "Emulated-Reset-42"
        body = ResetServerPasswordRequestBody(
            reset_password=ResetServerPasswordOption(new_password=new_password, is_check_password=True)
        )
        client.reset_server_password(ResetServerPasswordRequest(server_id=WIN2048, body=body))
        state = emulator.server_state(WIN2048)
        self.assertEqual((state["resets"], state["passwordSha256"]), (1, sha256(new_password)))
        client.delete_server_password(DeleteServerPasswordRequest(server_id=WIN2048))
        self.assertEqual(emulator.server_state(WIN2048)["posted"], "cleared")
        self.assertEqual(client.show_server_password(ShowServerPasswordRequest(server_id=WIN2048)).password, "")

    def test_ak_sk(self):
        client = ecs(admin_keys())
        self.check_password_operations(client)
        server = client.show_server(ShowServerRequest(server_id=WIN2048)).server
        self.assertEqual((server.name, server.key_name, server.status), ("win-2048", "demo-rsa2048", "ACTIVE"))
        self.assertEqual(server.flavor.vcpus, "2")
        self.assertTrue(server.created)
        listed = client.list_servers_details(ListServersDetailsRequest(limit=2, offset=1))
        self.assertEqual(listed.count, 5)
        self.assertEqual(len(listed.servers), 2)
        linux = client.show_server(ShowServerRequest(server_id=LINUX)).server
        self.assertEqual(linux.metadata["os_type"], "Linux")

    def test_temporary_credentials_and_the_project_from_iam(self):
        self.check_password_operations(ecs(temporary_keys()))

    def test_a_wrong_or_missing_security_token_is_refused(self):
        for token in ["not-the-token", ""]:
            with self.subTest(token=token):
                client = ecs(temporary_keys(token).with_project_id(PROJECT))
                with self.assertRaises(exceptions.ClientRequestException) as refused:
                    client.show_server_password(ShowServerPasswordRequest(server_id=WIN2048))
                self.assertEqual(refused.exception.status_code, 401)
                self.assertEqual(refused.exception.error_code, "APIGW.0301")


if __name__ == "__main__":
    unittest.main()
