/* merkle-inclusion: is `leaf` at position `index` of the binary keccak tree with root `root`?
 *
 * Boot info: local key 1 = root (32 bytes), 2 = depth (u64 BE, 1..64), 3 = leaf index (u64 BE),
 * 4 = claimed leaf (32 bytes). An inner node's preimage is left ‖ right (64 bytes, keccak key type 2).
 * The program walks from the root to the leaf, hinting `merkle-node 0x<hash>` before each read so an
 * online host can fetch the node first. Exit 0 if the leaf is there, 1 if not, 2 on missing data. */
#include "fpkit/fpp.h"

int main(void) {
  uint8_t cur[32], leaf[32];
  fpp_boot_hash(1, cur);
  uint64_t depth = fpp_boot_u64(2);
  uint64_t index = fpp_boot_u64(3);
  fpp_boot_hash(4, leaf);
  if (depth == 0 || depth > 64) fpp_panic("depth %llu out of range 1..64", (unsigned long long)depth);
  if (depth < 64 && index >> depth) {
    fpp_eprintf("index %llu is outside a tree of depth %llu\n", (unsigned long long)index,
                (unsigned long long)depth);
    fpp_claim(false);
  }
  for (uint64_t level = 0; level < depth; level++) {
    fpp_hint_hex("merkle-node", cur, 32);
    size_t n;
    uint8_t *node = fpp_get_keccak(cur, &n);
    if (n != 64) fpp_panic("node at level %llu: %zu bytes, want 64", (unsigned long long)level, n);
    unsigned right = (unsigned)(index >> (depth - 1 - level)) & 1;
    fpp_memcpy(cur, node + 32 * right, 32);
    fpp_free(node);
  }
  char want[65], got[65];
  if (fpp_memcmp(cur, leaf, 32) != 0) {
    fpp_eprintf("leaf %llu is 0x%s, not the claimed 0x%s\n", (unsigned long long)index, fpp_hex(got, cur, 32),
                fpp_hex(want, leaf, 32));
    fpp_claim(false);
  }
  fpp_printf("leaf %llu = 0x%s is in the tree\n", (unsigned long long)index, fpp_hex(got, cur, 32));
  fpp_claim(true);
}
