"""Runs the HiCache backend against a live gateway (CATENA_GATEWAY_URL, CATENA_TOKEN).

The Java test io.catena.client.gateway.HiCacheBackendTest starts an in-process cluster and a
gateway and runs this file; it can also be run by hand against `catena up`.
"""

import os
import random
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from catena_hicache import CatenaError, CatenaHiCacheStorage  # noqa: E402


def page(seed, n=64 * 1024):
    return random.Random(seed).randbytes(n)


class CatenaHiCacheTest(unittest.TestCase):
    def setUp(self):
        self.store = CatenaHiCacheStorage(key_prefix="test-%d/" % random.randrange(1 << 30))

    def test_prefix_chain_round_trip(self):
        keys = ["%064x" % i for i in range(8)]
        values = [page(i) for i in range(8)]
        self.assertEqual(self.store.batch_exists(keys), 0)
        self.assertTrue(self.store.batch_set(keys[:5], values[:5], chain=True))
        self.assertEqual(self.store.batch_exists(keys), 5)
        self.assertTrue(self.store.batch_set(keys, values, chain=True))
        self.assertEqual(self.store.batch_exists(keys), 8)
        got = self.store.batch_get(keys + ["missing"])
        self.assertEqual(got[:8], values)
        self.assertIsNone(got[8])

    def test_zero_copy_targets_and_single_keys(self):
        self.assertTrue(self.store.set("k", page(7, 1000)))
        target = bytearray(1000)
        self.store.get("k", target_location=target)
        self.assertEqual(bytes(target), page(7, 1000))
        self.assertTrue(self.store.exists("k"))
        self.assertIsNone(self.store.get("absent"))
        self.assertTrue(self.store.delete("k"))
        self.assertFalse(self.store.exists("k"))
        self.assertEqual(self.store.batch_exists(["k", "x"]), 0)

    def test_a_bad_token_is_refused(self):
        bad = CatenaHiCacheStorage(token="ctn1.1.not-a-token")
        with self.assertRaises(CatenaError) as caught:
            bad.batch_exists(["a"])
        self.assertEqual(caught.exception.status, 401)

    def test_stats(self):
        self.store.set("s", page(1, 10))
        self.assertGreaterEqual(self.store.stats()["entries"], 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
