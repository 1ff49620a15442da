/* VM object: owns the state, the oracle/output hooks, the stale proof slots and the preimage cache. */
#include <stdlib.h>
#include <string.h>

#include "fpvm/mips64/engine.h"

fpvm_mips64_vm *fpvm_mips64_vm_create(fpvm_mips64_state *s) {
  if (!s) return NULL;
  fpvm_mips64_vm *vm = calloc(1, sizeof *vm);
  if (!vm) return NULL;
  vm->s = s;
  vm->mem = s->mem;
  vm->mem->isa_free = eng_icache_free;
  vm->exact_slots = true;
  vm->track_addr = UINT64_MAX;
  return vm;
}

void fpvm_mips64_vm_destroy(fpvm_mips64_vm *vm) {
  if (!vm) return;
  eng_icache_flush(vm);
  fpvm_mips64_state_destroy(vm->s);
  free(vm->pre_val);
  free(vm);
}

fpvm_mips64_state *fpvm_mips64_vm_state(fpvm_mips64_vm *vm) { return vm->s; }
const fpvm_mips64_stats *fpvm_mips64_vm_stats(const fpvm_mips64_vm *vm) { return &vm->stats; }

void fpvm_mips64_vm_set_oracle(fpvm_mips64_vm *vm, const fpvm_oracle *oracle) {
  if (oracle) {
    vm->oracle = *oracle;
    vm->has_oracle = true;
  } else {
    memset(&vm->oracle, 0, sizeof vm->oracle);
    vm->has_oracle = false;
  }
  vm->pre_cached = false; /* a different host may answer differently */
}

void fpvm_mips64_vm_set_output(fpvm_mips64_vm *vm, fpvm_output_fn fn, void *ctx) {
  vm->out_fn = fn;
  vm->out_ctx = ctx;
}

const char *fpvm_mips64_vm_panic_reason(const fpvm_mips64_vm *vm) { return vm->panic; }

void fpvm_mips64_vm_set_exact_slots(fpvm_mips64_vm *vm, bool on) { vm->exact_slots = on; }

void fpvm_mips64_vm_memory_changed(fpvm_mips64_vm *vm) { eng_icache_flush(vm); }

unsigned fpvm_mips64_vm_slots_used(const fpvm_mips64_vm *vm) { return vm->slots_used; }

uint64_t fpvm_mips64_vm_slot1_addr(const fpvm_mips64_vm *vm) { return vm->track_addr; }
