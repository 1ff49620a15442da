/* sha256-chain: walk a chain of SHA-256 preimages (key type 4) and check its length and contents.
 *
 * Each link's preimage is payload ‖ next (32 bytes): next is the SHA-256 of the following link, or 32
 * zero bytes at the end. Payloads are kilobytes long, so inside the VM each link is thousands of 8-byte
 * reads. Boot info: local key 1 = SHA-256 of the first link, 2 = claimed number of links (u64 BE),
 * 3 = claimed keccak256 of all payloads concatenated. Exit 0 if both claims hold, 1 if not. */
#include "fpkit/fpp.h"

#define MAX_LINKS 100000

static bool is_zero(const uint8_t h[32]) {
  for (int i = 0; i < 32; i++)
    if (h[i]) return false;
  return true;
}

int main(void) {
  uint8_t cur[32], claimed_digest[32], digest[32];
  fpp_boot_hash(1, cur);
  uint64_t claimed_links = fpp_boot_u64(2);
  fpp_boot_hash(3, claimed_digest);

  fpk_keccak_ctx kc;
  fpk_keccak_init(&kc);
  uint64_t links = 0, bytes = 0;
  while (!is_zero(cur)) {
    if (++links > MAX_LINKS) fpp_panic("chain longer than %d links", MAX_LINKS);
    fpp_hint_hex("sha256-link", cur, 32);
    size_t n;
    uint8_t *link = fpp_get_sha256(cur, &n); /* checks sha256(link) against the key */
    if (n < 32) fpp_panic("link %llu: %zu bytes, shorter than a hash", (unsigned long long)links, n);
    fpk_keccak_update(&kc, link, n - 32);
    bytes += n - 32;
    fpp_memcpy(cur, link + n - 32, 32);
    fpp_free(link);
  }
  fpk_keccak_final(&kc, digest);

  char hex[65];
  bool ok = links == claimed_links && fpp_memcmp(digest, claimed_digest, 32) == 0;
  if (!ok) {
    fpp_eprintf("chain: %llu links (claimed %llu), payload keccak 0x%s%s\n", (unsigned long long)links,
                (unsigned long long)claimed_links, fpp_hex(hex, digest, 32),
                fpp_memcmp(digest, claimed_digest, 32) ? " (claimed another)" : "");
    fpp_claim(false);
  }
  fpp_printf("chain of %llu links, %llu payload bytes, keccak 0x%s: claim holds\n", (unsigned long long)links,
             (unsigned long long)bytes, fpp_hex(hex, digest, 32));
  fpp_claim(true);
}
