/* Memory reads and writes through 1920-byte merkle proofs, the way MIPS64Memory.sol does them:
 * a 32-byte leaf followed by 59 siblings from the leaf level upwards; bit i of (addr >> 5) says
 * whether the running node is the right child at level i. */
#include <string.h>

#include "fpkit/keccak.h"
#include "vm.h"

#define LEVELS 59u

static int proof_at(vm_ctx *c, uint64_t addr, unsigned slot, size_t *off) {
  size_t start = VM_MEMPROOF_OFF + (size_t)slot * VM_MEMPROOF_SIZE;
  if (c->calldata_size < start + VM_MEMPROOF_SIZE)
    return vm_revert(c, "MIPS64Memory: check that there is enough calldata");
  if (addr & 7) return vm_revert(c, "InvalidAddress()");
  *off = start;
  return FPK_OK;
}

/* Fold leaf up to the root with the slot's siblings. */
static void fold(const vm_ctx *c, size_t off, uint64_t addr, const uint8_t leaf[32], uint8_t out[32]) {
  uint8_t node[32], sib[32];
  memcpy(node, leaf, 32);
  uint64_t path = addr >> 5;
  for (unsigned i = 0; i < LEVELS; i++) {
    vm_calldata(c, off + 32u * (i + 1), sib, 32);
    if ((path >> i) & 1)
      fpk_keccak256_node(node, sib, node);
    else
      fpk_keccak256_node(node, node, sib);
  }
  memcpy(out, node, 32);
}

static int read_unchecked(vm_ctx *c, const uint8_t root[32], uint64_t addr, unsigned slot, uint64_t *out,
                          bool *ok) {
  size_t off;
  int rc = proof_at(c, addr, slot, &off);
  if (rc) return rc;
  uint8_t leaf[32], got[32];
  vm_calldata(c, off, leaf, 32);
  fold(c, off, addr, leaf, got);
  *ok = memcmp(got, root, 32) == 0;
  *out = *ok ? fpk_be64(leaf + (addr & 31)) : 0;
  return FPK_OK;
}

int vm_mem_read(vm_ctx *c, const uint8_t root[32], uint64_t addr, unsigned slot, uint64_t *out) {
  bool ok;
  int rc = read_unchecked(c, root, addr, slot, out, &ok);
  if (rc) return rc;
  return ok ? FPK_OK : vm_revert(c, "InvalidMemoryProof()");
}

int vm_mem_valid(vm_ctx *c, const uint8_t root[32], uint64_t addr, unsigned slot, bool *ok) {
  uint64_t ignored;
  return read_unchecked(c, root, addr, slot, &ignored, ok);
}

int vm_mem_write(vm_ctx *c, uint64_t addr, unsigned slot, uint64_t val, uint8_t new_root[32]) {
  size_t off;
  int rc = proof_at(c, addr, slot, &off);
  if (rc) return rc;
  uint8_t leaf[32];
  vm_calldata(c, off, leaf, 32);
  fpk_put_be64(leaf + (addr & 31), val);
  fold(c, off, addr, leaf, new_root);
  return FPK_OK;
}
